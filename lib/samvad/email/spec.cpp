#include <samvad/email/spec.hpp>

#include <algorithm>

#include <samvad/email/channel.hpp>
#include <samvad/email/message.hpp>
#include <samvad/email/recipients.hpp>
#include <samvad/net/mail_address.hpp>
#include <samvad/net/url.hpp>

namespace samvad::email {

namespace {

// The List-Id domain (RFC 2919): the organization's web site without "www.", else the sender's
// (which the configuration checked is a dot-atom). A site whose host cannot stand in a header
// as is (an IP address, a non-ASCII name) is passed over for the sender's.
std::string list_domain(const config::Organization& organization, const ListSettings& list) {
  std::string host = organization.website.empty() ? std::string() : net::host_of(organization.website);
  if (host.rfind("www.", 0) == 0) host = host.substr(4);
  const bool usable = net::is_dot_atom_text(host) && std::all_of(host.begin(), host.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                      });
  return usable ? host : domain_of(list.from.address);
}

// One email per department (language "*", every language in it) in batches of batch_size
// recipients, each batch with its own Message-ID.
void plan(const channel::PlanRequest& request, channel::PlanResult& out) {
  const config::Department& d = request.department;
  if (!request.message || !request.message->email) {
    out.skipped.push_back(d.id + ": the template has no email");
    return;
  }
  const ListSettings& list = *list_of(d);
  RecipientScan recipients = scan_recipients(list);
  out.warnings.insert(out.warnings.end(), recipients.problems.begin(), recipients.problems.end());
  if (recipients.count == 0) {
    out.skipped.push_back(d.id + ": the email list has no valid recipients");
    return;
  }
  templates::EmailContent content = *request.message->email;
  if (list.unsubscribe) add_unsubscribe_footer(content.text, content.html, *list.unsubscribe);
  EmailMessage m;
  m.from_address = list.from.address;
  const std::string* name = d.languages.empty() ? nullptr : list.from.name.find(d.languages.front());
  m.from_name = name ? *name : (list.from.name.text.empty() ? std::string() : list.from.name.text.begin()->second);
  m.to = list.list;
  m.subject = content.subject;
  m.text = content.text;
  m.html = content.html;
  m.list_id = "<" + d.id + "." + list_domain(request.config.organization, list) + ">";
  m.unsubscribe = list.unsubscribe;
  m.attachments = request.attachments;
  m.time_zone = request.config.organization.timezone;

  store::PlannedDelivery delivery{d.id, kChannel, "*", {}, {}, {}};
  delivery.content = to_json(m);
  delivery.recipients = planned_recipients(list, recipients);
  const std::string domain = domain_of(list.from.address);
  const std::size_t size = static_cast<std::size_t>(std::max(1, list.batch_size));
  const std::size_t count = batch_count(recipients.count, list.batch_size);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t in_batch = std::min(size, recipients.count - i * size);
    delivery.part_payloads.push_back(
        batch_payload(new_message_id(d.id + ".b" + std::to_string(i + 1), domain), in_batch));
  }
  out.deliveries.push_back(std::move(delivery));
}

// The department's email settings reaching exactly `addresses` (the first in To:, the others
// in the envelope only), with no subscriber file and no unsubscribe link: a digest for the
// department's head goes through the same server and sender as its list.
std::shared_ptr<const config::ChannelSettings> addressed_to(const config::ChannelSettings& settings,
                                                            const std::vector<std::string>& addresses) {
  auto copy = std::make_shared<ListSettings>(dynamic_cast<const ListSettings&>(settings));
  copy->list = addresses.empty() ? std::nullopt : std::optional<std::string>(addresses.front());
  copy->direct.assign(addresses.begin() + (addresses.empty() ? 0 : 1), addresses.end());
  copy->subscribers.reset();
  copy->subscribers_where.reset();
  copy->unsubscribe.reset();
  return copy;
}

// An email cannot be recalled, but one none of which was sent can be withdrawn, so that no rerun
// sends it: marked retracted, as a deleted post is. One that went out stays as it is.
channel::Retraction withdraw(store::Store& st, const store::Delivery& d, const channel::RetractContext&) {
  using Kind = channel::Retraction::Kind;
  bool out = false;
  for (const auto& p : d.parts)
    out = out || p.status == store::PartStatus::delivered || p.status == store::PartStatus::in_flight ||
          p.status == store::PartStatus::ambiguous;
  out = out || d.recipients.delivered > 0;
  if (out) return {Kind::kept, ExitCode::ok, "its email was already sent (emails cannot be recalled)"};
  for (const auto& part : d.parts) st.set_part_status(d.id, part.index, store::PartStatus::retracted);
  return {Kind::retracted, ExitCode::ok, "withdrawn before it was sent"};
}

void describe_delivery(const std::string& content_text, channel::DeliveryReport& r) {
  auto content = nlohmann::json::parse(content_text, nullptr, false);
  r.content = content.is_object() ? content : nlohmann::json::object();
  if (auto to = r.content.find("to"); to != r.content.end() && to->is_string()) r.account = to->get<std::string>();
  // A batch's payload: {"message_id","recipients"}.
  for (auto& p : r.parts) {
    auto j = nlohmann::json::parse(p.text, nullptr, false);
    p.text.clear();
    if (j.is_object() && j.contains("recipients") && j["recipients"].is_number_unsigned())
      p.recipients = j["recipients"].get<std::size_t>();
  }
}

// Every subscriber file is read as a post would read it: its invalid lines are warnings, a file
// that cannot be read a problem.
void check_subscribers(const config::Config& config, channel::CheckFindings& out) {
  std::size_t files = 0;
  for (const auto& d : config.departments) {
    const ListSettings* list = list_of(d);
    if (!list || !list->subscribers) continue;
    try {
      RecipientScan recipients = scan_recipients(*list);
      ++files;
      out.counts["subscribers"] += recipients.count - (list->list ? 1 : 0);
      out.warnings.insert(out.warnings.end(), recipients.problems.begin(), recipients.problems.end());
    } catch (const Error& e) {
      for (const auto& diagnostic : e.diagnostics()) out.problems.push_back(diagnostic);
    }
  }
  if (files > 0)
    out.checked.push_back(std::to_string(files) + " subscriber files: " + std::to_string(out.counts["subscribers"]) +
                          " valid addresses");
}

// The --json fields of an email delivery: the message, its recipients and what became of them.
void delivery_json(const channel::DeliveryReport& d, nlohmann::json& j) {
  nlohmann::json attachments = nlohmann::json::array();
  for (const auto& a : d.content.value("attachments", nlohmann::json::array()))
    attachments.push_back(
        {{"name", a.value("name", "")}, {"content_type", a.value("content_type", "")}, {"size", a.value("size", 0)}});
  j["message_ids"] = d.remote_ids;
  j["subject"] = d.content.value("subject", "");
  j["from"] = d.content.value("from_address", "");
  j["to"] = d.content.contains("to") ? d.content["to"] : nlohmann::json(nullptr);
  j["attachments"] = attachments;
  j["recipients"] = d.recipients;
  j["delivered"] = d.delivered;
  j["rejected"] = d.rejected;
  j["deferred"] = d.deferred;
}

nlohmann::json batch_json(const channel::DeliveryReport&, const channel::PartReport& p) {
  return nlohmann::json{{"index", p.index},
                        {"recipients", p.recipients},
                        {"status", store::to_string(p.status)},
                        {"message_id", p.remote_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.remote_id)}};
}

std::string outcome_text(const channel::DeliveryReport& r) {
  std::string line = std::to_string(r.delivered) + " of " + std::to_string(r.recipients) + " recipients";
  if (!r.rejected.empty()) line += ", " + std::to_string(r.rejected.size()) + " refused by the server";
  if (!r.deferred.empty()) line += ", " + std::to_string(r.deferred.size()) + " deferred";
  return "(" + line + ")";
}

std::string heading(const store::PlannedDelivery& d) {
  const std::size_t batches = d.part_payloads.size();
  return " — " + std::to_string(d.recipients.count) + " recipients in " + std::to_string(batches) +
         (batches == 1 ? " batch" : " batches");
}

// The preview: the headers a subscriber sees, then the text body.
std::vector<std::string> show(const store::PlannedDelivery& d, const std::vector<bool>&) {
  const EmailMessage m = message_from_json(d.content);
  std::vector<std::string> lines;
  lines.push_back("From: " + (m.from_name.empty() ? "" : m.from_name + " ") + "<" + m.from_address + ">");
  lines.push_back("To: " + (m.to ? *m.to : "undisclosed-recipients (subscribers are never shown to each other)"));
  lines.push_back("Subject: " + m.subject);
  for (const auto& a : m.attachments)
    lines.push_back("Attachment: " + a.name + " (" + a.content_type + ", " + std::to_string(a.size) + " bytes)");
  lines.push_back("");
  lines.push_back(m.text);
  return lines;
}

channel::SummaryLine summary(const store::PlannedDelivery& d, std::size_t recipients) {
  const EmailMessage m = message_from_json(d.content);
  return channel::SummaryLine{"email " + (m.to ? *m.to : std::string("(subscribers only)")),
                              std::to_string(recipients) + " recipient" + (recipients == 1 ? "" : "s")};
}

// The name becomes the RFC 2231 filename parameter of a header: checked with the message
// builder's own check (filename_parameters) before anything is planned.
std::optional<std::string> attachment_name_problem(const std::string& name) {
  if (auto why = net::header_text_problem(name)) return "the file name cannot be a mail header value: " + *why;
  return std::nullopt;
}

std::vector<Diagnostic> credentials_problems(const config::Credentials& credentials, const config::Department& d) {
  std::vector<Diagnostic> problems;
  if (auto problem = smtp_login_problem(credentials, d)) problems.push_back(std::move(*problem));
  return problems;
}

}  // namespace

channel::Spec spec() {
  channel::Spec s;
  s.name = kChannel;
  s.title = "email";
  s.absent = "no email list";
  s.contents = templates::Contents{false, true};
  s.takes_attachments = true;
  s.attachment_name_problem = attachment_name_problem;
  s.compare_content_only = true;
  s.section_reader = make_section_reader;
  s.credential_sections = credential_sections();
  s.check_credentials = credentials_problems;
  s.check = check_subscribers;
  s.addressed_to = addressed_to;
  s.plan = plan;
  s.sender = [](const channel::Services&) { return make_sender(); };
  s.retract = withdraw;
  s.describe = describe_delivery;
  s.json = delivery_json;
  s.part_json = batch_json;
  s.outcome_text = outcome_text;
  s.heading = heading;
  s.show = show;
  s.summary = summary;
  return s;
}

}  // namespace samvad::email
