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

#include <samvad/channel/channel.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/delivery/report.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

using channel::RetryPolicy;

// Told about each delivery as it settles; called from worker threads, one call at a time.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void settled(const DeliveryReport& report) = 0;
  virtual void note(const std::string& /*line*/) {}
};

struct EngineOptions {
  store::Location store_path;
  int jobs = 8;
  RetryPolicy retry;
  // Waits (backoff, rate limits); returns false when the run should stop. Default: real sleep.
  std::function<bool(std::chrono::milliseconds)> sleep;
  // True once the run should stop: deliveries not started are left pending (a rerun sends
  // them), those in progress stop after their current request. Default: never.
  std::function<bool()> stopping;
  // --retry-failed: failed deliveries of the plan are sent again (their failed parts).
  bool retry_failed = false;
  // The sender of a channel (one per worker thread and channel). Default: the registered
  // channel's (registry/channels.hpp); tests put a fake channel here.
  std::function<std::unique_ptr<channel::Sender>(const std::string& channel)> senders;
};

// What the store holds for the plan's announcement, compared with the plan (see reconcile.hpp);
// reads the store only if it exists (a dry run creates nothing). Throws Error(65) on a conflict.
Reconciliation reconcile_with_store(const Plan& plan, const store::Location& store_path, bool retry_failed);

// Records the plan and sends every planned delivery that is not settled yet, skipping those
// another live samvad process holds. A delivery recorded earlier is compared with the plan
// first (reconcile.hpp): a conflict is refused (Error 65) before anything is recorded or sent;
// changed content with nothing of it out replaces the recorded one; with options.retry_failed
// failed deliveries are sent again. The report covers the planned deliveries only.
// Each delivery goes to its channel's sender (registry/channels.hpp), made with `services`.
RunReport run(const Plan& plan, const config::Config& config, const config::Credentials& credentials,
              const channel::Services& services, const EngineOptions& options, Observer& observer);

}  // namespace samvad::delivery
