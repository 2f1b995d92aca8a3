// What an announcement's deliveries are, for people and scripts: built from what the store
// recorded (post, status, retract) or from a plan (--dry-run), with one JSON shape for both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/channel/report.hpp>
#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

using channel::DeliveryReport;
using channel::PartReport;

struct RunReport {
  std::string announcement_id;
  std::string status;  // delivered, partial, deferred, failed, pending, retracted
  std::vector<DeliveryReport> deliveries;
  std::string time_zone = "UTC";  // of the times in --json (the organization's, once the configuration is read)

  // 0 all delivered; 69 something failed; 75 something deferred or not yet sent.
  ExitCode exit_code() const;
};

DeliveryReport report_of(const store::Delivery& delivery);
RunReport report_of(const std::string& announcement_id, const std::vector<store::Delivery>& deliveries);

// The languages of deliveries that carry every language (emails), from the departments'
// configuration; without a department in `config` they stay unknown ([]).
void name_languages(RunReport& report, const config::Config& config);
void name_languages(DeliveryReport& report, const config::Config& config);

// {"announcement","status","deliveries":[delivery...]} where a delivery is
// {"department","channel","language" (null for every/any language),"languages":[...],
//  "account","status","attempts","parts":[part...],"error" (null or text),
//  "retry_at" (null, or when a delivery deferred by a rate limit may be sent: ISO 8601 in `time_zone`),
//  twitter: "tweet_ids","urls"; email: "message_ids","subject","from","to","attachments",
//  "recipients","delivered","rejected","deferred"}
// and a part is twitter: {"index","text","weighted_length","status","tweet_id","url"},
// email: {"index","recipients","status","message_id"} (ids and urls null until known).
nlohmann::json to_json(const RunReport& report);
nlohmann::json to_json(const DeliveryReport& delivery, const std::string& time_zone = "UTC");

// What `post --dry-run` (and `run-due --dry-run`) shows: the deliveries as they would be sent,
// in the shape above, each with the "action" the reconciliation decided (send, done, failed,
// retry, replace), and {"announcement","dry_run":true,"deliveries","skipped"}.
nlohmann::json plan_json(const Plan& plan, const Reconciliation& reconciliation, const config::Config& config);

}  // namespace samvad::delivery
