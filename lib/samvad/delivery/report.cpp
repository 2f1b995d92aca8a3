#include <samvad/delivery/report.hpp>

#include <samvad/text/tweet_length.hpp>

namespace samvad::delivery {

ExitCode RunReport::exit_code() const {
  bool failed = false, unfinished = false;
  for (const auto& d : deliveries) {
    if (d.status == "failed") failed = true;
    else if (d.status != "delivered" && d.status != "retracted") unfinished = true;
  }
  if (failed) return ExitCode::unavailable;
  if (unfinished) return ExitCode::temp_fail;
  return ExitCode::ok;
}

namespace {

bool is_email(const std::string& channel) { return channel == "email"; }

nlohmann::json content_of(const std::string& text) {
  auto content = nlohmann::json::parse(text, nullptr, false);
  return content.is_object() ? content : nlohmann::json::object();
}

// The account a delivery is planned for, from its content: an X handle, or an email's list.
std::string account_in(const nlohmann::json& content) {
  if (auto a = content.find("account"); a != content.end() && a->is_string()) return "@" + a->get<std::string>();
  if (auto to = content.find("to"); to != content.end() && to->is_string()) return to->get<std::string>();
  return "";
}

// An email batch's payload: {"message_id","recipients"}.
PartReport batch_part(int index, const std::string& payload, const std::string& status, const std::string& remote_id) {
  PartReport p{index, "", 0, status, remote_id};
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_object() && j.contains("recipients") && j["recipients"].is_number_unsigned())
    p.recipients = j["recipients"].get<std::size_t>();
  return p;
}

// The common fields of a delivery known from its key and content.
DeliveryReport base_of(const std::string& department, const std::string& channel, const std::string& language,
                       const std::string& content_text) {
  DeliveryReport r;
  r.department = department;
  r.channel = channel;
  r.language = language;
  if (language != "*") r.languages = {language};
  const auto content = content_of(content_text);
  r.account = account_in(content);
  if (is_email(channel)) r.message = content;
  return r;
}

std::string live_url(const DeliveryReport& r, const PartReport& p) {
  if (r.channel != "twitter" || r.account.size() < 2 || p.remote_id.empty() || p.status == "retracted") return "";
  return "https://x.com/" + r.account.substr(1) + "/status/" + p.remote_id;
}

nlohmann::json null_if_empty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json part_json(const DeliveryReport& r, const PartReport& p) {
  if (is_email(r.channel))
    return {{"index", p.index}, {"recipients", p.recipients}, {"status", p.status}, {"message_id", null_if_empty(p.remote_id)}};
  return {{"index", p.index},
          {"text", p.text},
          {"weighted_length", text::measure_tweet(p.text).weighted_length},
          {"status", p.status},
          {"tweet_id", null_if_empty(p.remote_id)},
          {"url", null_if_empty(live_url(r, p))}};
}

}  // namespace

DeliveryReport report_of(const store::Delivery& d) {
  DeliveryReport r = base_of(d.department, d.channel, d.language, d.content);
  r.status = store::to_string(d.status);
  r.attempts = d.attempts;
  for (const auto& p : d.parts) {
    PartReport part = is_email(d.channel) ? batch_part(p.index, p.payload, store::to_string(p.status), p.remote_id)
                                          : PartReport{p.index, p.payload, 0, store::to_string(p.status), p.remote_id};
    if (!p.remote_id.empty()) r.remote_ids.push_back(p.remote_id);
    if (auto url = live_url(r, part); !url.empty()) r.urls.push_back(url);
    r.parts.push_back(std::move(part));
  }
  if (!d.last_error.empty() && d.status != store::DeliveryStatus::delivered) r.error = d.last_error;
  r.recipients = d.recipients.size();
  for (const auto& p : d.recipients) {
    if (p.status == store::RecipientStatus::delivered) ++r.delivered;
    else if (p.status == store::RecipientStatus::rejected) r.rejected.push_back(p.address);
    else if (p.status == store::RecipientStatus::deferred) r.deferred.push_back(p.address);
  }
  return r;
}

RunReport report_of(const std::string& announcement_id, const std::vector<store::Delivery>& deliveries) {
  RunReport report;
  report.announcement_id = announcement_id;
  report.status = store::announcement_status(deliveries);
  for (const auto& d : deliveries) report.deliveries.push_back(report_of(d));
  return report;
}

void name_languages(DeliveryReport& d, const config::Config& config) {
  if (d.language != "*" || !is_email(d.channel)) return;
  if (const config::Department* dep = config.find_department(d.department)) d.languages = dep->languages;
}

void name_languages(RunReport& report, const config::Config& config) {
  for (auto& d : report.deliveries) name_languages(d, config);
}

nlohmann::json to_json(const DeliveryReport& d) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : d.parts) parts.push_back(part_json(d, p));
  nlohmann::json j{{"department", d.department},
                   {"channel", d.channel},
                   {"language", d.language == "*" ? nlohmann::json(nullptr) : nlohmann::json(d.language)},
                   {"languages", d.languages},
                   {"account", null_if_empty(d.account)},
                   {"status", d.status},
                   {"attempts", d.attempts},
                   {"parts", parts}};
  if (is_email(d.channel)) {
    nlohmann::json attachments = nlohmann::json::array();
    for (const auto& a : d.message.value("attachments", nlohmann::json::array()))
      attachments.push_back({{"name", a.value("name", "")}, {"content_type", a.value("content_type", "")},
                             {"size", a.value("size", 0)}});
    j["message_ids"] = d.remote_ids;
    j["subject"] = d.message.value("subject", "");
    j["from"] = d.message.value("from_address", "");
    j["to"] = d.message.contains("to") ? d.message["to"] : nlohmann::json(nullptr);
    j["attachments"] = attachments;
    j["recipients"] = d.recipients;
    j["delivered"] = d.delivered;
    j["rejected"] = d.rejected;
    j["deferred"] = d.deferred;
  } else {
    j[d.channel == "twitter" ? "tweet_ids" : "remote_ids"] = d.remote_ids;
    j["urls"] = d.urls;
  }
  j["error"] = d.error ? nlohmann::json(*d.error) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json to_json(const RunReport& report) {
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& d : report.deliveries) deliveries.push_back(to_json(d));
  return {{"announcement", report.announcement_id}, {"status", report.status}, {"deliveries", deliveries}};
}

nlohmann::json plan_json(const Plan& plan, const Reconciliation& reconciliation, const config::Config& config) {
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& decision : reconciliation.decisions) {
    const auto& p = plan.deliveries[decision.planned];
    DeliveryReport r;
    if (decision.recorded && decision.fate != Fate::replace) {
      // What the store holds is what a run continues from (the content is the same).
      r = report_of(*decision.recorded);
    } else {
      r = base_of(p.department, p.channel, p.language, p.content);
      r.status = "pending";
      for (std::size_t i = 0; i < p.part_payloads.size(); ++i) {
        const int index = static_cast<int>(i);
        // A new plan's Message-IDs are made again when it is sent: none is known yet.
        r.parts.push_back(is_email(p.channel) ? batch_part(index, p.part_payloads[i], "pending", "")
                                              : PartReport{index, p.part_payloads[i], 0, "pending", ""});
      }
      for (const auto& batch : p.part_recipients) r.recipients += batch.size();
    }
    name_languages(r, config);
    nlohmann::json j = to_json(r);
    j["action"] = to_string(decision.fate);
    deliveries.push_back(std::move(j));
  }
  return {{"announcement", plan.announcement.id}, {"dry_run", true}, {"deliveries", deliveries}, {"skipped", plan.skipped}};
}

}  // namespace samvad::delivery
