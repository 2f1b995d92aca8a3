// The delivery engine: plan -> record -> claim -> send -> record -> report. Departments go in
// parallel (--jobs worker threads, each with its own store connection and channel objects);
// one department's deliveries, and the parts of a thread, go in order.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/core/error.hpp>
#include <samvad/delivery/channel.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

// One delivery as `post --json` and `status --json` report it.
struct DeliveryReport {
  std::string department;
  std::string channel;
  std::string language;
  // Who it went out as: the X account ("@PCMCWaterSupply") or the email list address; "" when
  // not recorded (deliveries planned by samvad before 0.2, emails without a list address).
  std::string account;
  std::string status;                    // pending, in-flight, delivered, deferred, failed, retracted
  std::vector<std::string> remote_ids;   // tweet ids, in thread order
  std::vector<std::string> urls;         // X: each post's https://x.com/<account>/status/<id>
  int parts = 0;
  int attempts = 0;
  std::optional<std::string> error;
  // Email: how many recipients were planned and delivered, and who was refused (5xx) or put
  // off (4xx, tried again by the next run).
  std::size_t recipients = 0;
  std::size_t delivered = 0;
  std::vector<std::string> rejected;
  std::vector<std::string> deferred;
};

struct RunReport {
  std::string announcement_id;
  std::string status;  // delivered, partial, deferred, failed, pending, retracted
  std::vector<DeliveryReport> deliveries;

  // 0 all delivered; 69 something failed; 75 something deferred or not yet sent.
  ExitCode exit_code() const;
};

DeliveryReport report_of(const store::Delivery& delivery);
RunReport report_of(const std::string& announcement_id, const std::vector<store::Delivery>& deliveries);

// {"announcement":...,"status":...,"deliveries":[{"department","channel","language","status","attempts","parts","error",
//   twitter: "tweet_ids"; email: "message_ids","recipients","delivered","rejected","deferred"}]}
nlohmann::json to_json(const RunReport& report);

// Told about each delivery as it settles; called from worker threads, one call at a time.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void settled(const DeliveryReport& report) = 0;
  virtual void note(const std::string& /*line*/) {}
};

struct EngineOptions {
  std::filesystem::path store_path;
  int jobs = 8;
  RetryPolicy retry;
  // Waits (backoff, rate limits); returns false when the run should stop. Default: real sleep.
  std::function<bool(std::chrono::milliseconds)> sleep;
  // True once the run should stop: deliveries not started are left pending (a rerun sends
  // them), those in progress stop after their current request. Default: never.
  std::function<bool()> stopping;
  // --retry-failed: failed deliveries of the plan are sent again (their failed parts).
  bool retry_failed = false;
};

// What the store holds for the plan's announcement, compared with the plan (see reconcile.hpp);
// reads the store only if it exists (a dry run creates nothing). Throws Error(65) on a conflict.
Reconciliation reconcile_with_store(const Plan& plan, const std::filesystem::path& store_path, bool retry_failed);

// Records the plan and sends every planned delivery that is not settled yet, skipping those
// another live samvad process holds. A delivery recorded earlier is compared with the plan
// first (reconcile.hpp): a conflict is refused (Error 65) before anything is recorded or sent;
// changed content with nothing of it out replaces the recorded one; with options.retry_failed
// failed deliveries are sent again. The report covers the planned deliveries only.
RunReport run(const Plan& plan, const config::Config& config, const config::Credentials& credentials,
              const ChannelFactory& channels, const EngineOptions& options, Observer& observer);

}  // namespace samvad::delivery
