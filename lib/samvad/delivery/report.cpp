#include <samvad/delivery/report.hpp>

#include <samvad/registry/channels.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::delivery {

ExitCode RunReport::exit_code() const {
  bool failed = false, unfinished = false;
  for (const auto& d : deliveries) {
    using store::DeliveryStatus;
    if (d.status == DeliveryStatus::failed)
      failed = true;
    else if (d.status != DeliveryStatus::delivered && d.status != DeliveryStatus::retracted)
      unfinished = true;
  }
  if (failed) return ExitCode::unavailable;
  if (unfinished) return ExitCode::temp_fail;
  return ExitCode::ok;
}

namespace {

nlohmann::json null_if_empty(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

// The common fields of a delivery known from its key; the channel reads its content and parts.
DeliveryReport base_of(const std::string& department, const std::string& channel, const std::string& language) {
  DeliveryReport r;
  r.department = department;
  r.channel = channel;
  r.language = language;
  if (language != "*") r.languages = {language};
  return r;
}

void describe(DeliveryReport& r, const std::string& content) {
  if (const channel::Spec* spec = registry::find(r.channel); spec && spec->describe) spec->describe(content, r);
}

nlohmann::json part_json(const DeliveryReport& r, const PartReport& p) {
  if (const channel::Spec* spec = registry::find(r.channel); spec && spec->part_json) return spec->part_json(r, p);
  return {{"index", p.index}, {"status", store::to_string(p.status)}, {"remote_id", null_if_empty(p.remote_id)}};
}

}  // namespace

DeliveryReport report_of(const store::Delivery& d) {
  DeliveryReport r = base_of(d.department, d.channel, d.language);
  r.status = d.status;
  r.attempts = d.attempts;
  for (const auto& p : d.parts) {
    if (!p.remote_id.empty()) r.remote_ids.push_back(p.remote_id);
    r.parts.push_back(PartReport{p.index, p.payload, 0, p.status, p.remote_id});
  }
  if (!d.last_error.empty() && d.status != store::DeliveryStatus::delivered) r.error = d.last_error;
  if (d.status == store::DeliveryStatus::deferred) r.retry_at = d.retry_at;
  r.recipients = d.recipients.total;
  r.delivered = d.recipients.delivered;
  for (const auto& p : d.recipients.rejected) r.rejected.push_back(p.address);
  for (const auto& p : d.recipients.deferred) r.deferred.push_back(p.address);
  describe(r, d.content);
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
  // "*" is every language of the department for a channel that carries them all in one delivery
  // (an email); a one-off text's language is not known.
  const channel::Spec* spec = registry::find(d.channel);
  if (d.language != "*" || !spec || spec->takes_text) return;
  if (const config::Department* dep = config.find_department(d.department)) d.languages = dep->languages;
}

void name_languages(RunReport& report, const config::Config& config) {
  for (auto& d : report.deliveries) name_languages(d, config);
}

nlohmann::json to_json(const DeliveryReport& d, const std::string& time_zone) {
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : d.parts) parts.push_back(part_json(d, p));
  nlohmann::json j{{"department", d.department},
                   {"channel", d.channel},
                   {"language", d.language == "*" ? nlohmann::json(nullptr) : nlohmann::json(d.language)},
                   {"languages", d.languages},
                   {"account", null_if_empty(d.account)},
                   {"status", store::to_string(d.status)},
                   {"attempts", d.attempts},
                   {"parts", parts}};
  if (const channel::Spec* spec = registry::find(d.channel); spec && spec->json)
    spec->json(d, j);
  else
    j["remote_ids"] = d.remote_ids;
  j["error"] = d.error ? nlohmann::json(*d.error) : nlohmann::json(nullptr);
  j["retry_at"] = d.retry_at ? nlohmann::json(text::format_iso8601(*d.retry_at, time_zone)) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json to_json(const RunReport& report) {
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& d : report.deliveries) deliveries.push_back(to_json(d, report.time_zone));
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
      r = base_of(p.department, p.channel, p.language);
      r.status = store::DeliveryStatus::pending;
      // Ids a channel makes when planning (Message-IDs) are made again when it is sent: none is known yet.
      for (std::size_t i = 0; i < p.part_payloads.size(); ++i)
        r.parts.push_back(PartReport{static_cast<int>(i), p.part_payloads[i], 0, store::PartStatus::pending, ""});
      r.recipients = p.recipients.count;
      describe(r, p.content);
    }
    name_languages(r, config);
    nlohmann::json j = to_json(r, config.organization.timezone);
    j["action"] = to_string(decision.fate);
    deliveries.push_back(std::move(j));
  }
  return {{"announcement", plan.announcement.id}, {"dry_run", true}, {"deliveries", deliveries}, {"skipped", plan.skipped}};
}

}  // namespace samvad::delivery
