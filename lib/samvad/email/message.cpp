#include <samvad/email/message.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <samvad/core/error.hpp>
#include <samvad/net/mail_address.hpp>

namespace samvad::email {

std::string to_json(const EmailMessage& m) {
  nlohmann::json attachments = nlohmann::json::array();
  for (const auto& a : m.attachments)
    attachments.push_back({{"path", a.path.string()}, {"name", a.name}, {"content_type", a.content_type},
                           {"sha256", a.sha256}, {"size", a.size}});
  nlohmann::json j{{"from_address", m.from_address}, {"from_name", m.from_name}, {"subject", m.subject},
                   {"text", m.text},                 {"html", m.html},           {"list_id", m.list_id},
                   {"attachments", attachments}, {"time_zone", m.time_zone}};
  j["to"] = m.to ? nlohmann::json(*m.to) : nlohmann::json(nullptr);
  j["unsubscribe"] = m.unsubscribe ? nlohmann::json(*m.unsubscribe) : nlohmann::json(nullptr);
  return j.dump();
}

EmailMessage message_from_json(const std::string& text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    EmailMessage m;
    m.from_address = j.at("from_address").get<std::string>();
    m.from_name = j.at("from_name").get<std::string>();
    m.subject = j.at("subject").get<std::string>();
    m.text = j.at("text").get<std::string>();
    m.html = j.at("html").get<std::string>();
    m.list_id = j.at("list_id").get<std::string>();
    m.time_zone = j.at("time_zone").get<std::string>();
    if (!j.at("to").is_null()) m.to = j.at("to").get<std::string>();
    if (!j.at("unsubscribe").is_null()) m.unsubscribe = j.at("unsubscribe").get<std::string>();
    for (const auto& a : j.at("attachments"))
      m.attachments.push_back(Attachment{a.at("path").get<std::string>(), a.at("name").get<std::string>(),
                                         a.at("content_type").get<std::string>(), a.at("sha256").get<std::string>(),
                                         a.at("size").get<std::uintmax_t>()});
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw Error(ExitCode::config, std::string("the recorded email message is damaged (") + e.what() +
                                      "); expected the JSON samvad recorded when planning it");
  }
}

HeaderLines message_headers(const EmailMessage& m, const std::string& message_id,
                            std::chrono::system_clock::time_point date) {
  HeaderLines out = mailbox_field("From", m.from_name, m.from_address);
  auto add = [&out](HeaderLines lines) { out.insert(out.end(), lines.begin(), lines.end()); };
  // RFC 5322 group syntax with no members: the subscribers are told they got it, not who else did.
  if (m.to) add(mailbox_field("To", "", *m.to));
  else out.push_back("To: undisclosed-recipients:;");
  add(unstructured_field("Subject", m.subject));
  out.push_back(date_field(date, m.time_zone));
  out.push_back("Message-ID: " + message_id);
  out.push_back("List-Id: " + m.list_id);
  if (m.unsubscribe) {
    // Written as is between < and >, so only what the configuration was checked with gets here.
    if (auto problem = net::unsubscribe_problem(*m.unsubscribe))
      throw std::invalid_argument("List-Unsubscribe: " + *problem);
    out.push_back("List-Unsubscribe: <" + *m.unsubscribe + ">");
    if (net::is_one_click_unsubscribe(*m.unsubscribe))
      out.push_back("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  }
  // RFC 3834: automatic replies (vacation notices) must not answer this message.
  out.push_back("Auto-Submitted: auto-generated");
  return out;
}

void add_unsubscribe_footer(std::string& text, std::string& html, const std::string& url) {
  text += "\n--\nUnsubscribe / सदस्यता रद्द करा: " + url + "\n";
  if (html.empty()) return;
  std::string escaped;
  for (char c : url) escaped += c == '&' ? std::string("&amp;") : c == '"' ? std::string("&quot;") : std::string(1, c);
  html += "\n<hr>\n<p><a href=\"" + escaped + "\">Unsubscribe / सदस्यता रद्द करा</a></p>\n";
}

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

std::string to_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace samvad::email
