// The one interface between the delivery engine and a channel (X, email, ...): given a claimed
// delivery, send what is not yet sent, recording each part in the store before and after its
// request. A new channel is a new folder implementing this.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

struct Outcome {
  store::DeliveryStatus status = store::DeliveryStatus::pending;  // delivered, deferred or failed
  std::string error;  // why it is not delivered: shown to the user, stored as last_error
};

// How hard to try before deferring to the next run.
struct RetryPolicy {
  int max_attempts = 4;                               // per request: the first try and 3 retries
  std::chrono::milliseconds backoff_base{1000};       // 1 s, 2 s, 4 s ... plus up to 50% jitter
  std::chrono::seconds max_wait{60};                  // --max-wait: longest wait for a rate limit
};

// The wait before retry number `attempt` (0-based): backoff_base doubled each time, plus up
// to 50% random jitter so that many departments do not retry in step.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt);

// What a channel needs besides the delivery itself. Sleeping goes through `sleep` so tests
// and signal handling can cut waits short; it returns false when the run is being stopped.
struct DeliveryContext {
  const config::Department& department;
  const config::Credentials& credentials;
  const std::vector<MediaItem>& media;
  const RetryPolicy& retry;
  std::function<bool(std::chrono::milliseconds)> sleep;
  std::function<void(const std::string&)> note;  // progress detail for -v
  // True once the run is asked to stop (SIGINT/SIGTERM): a channel finishes and records the
  // request in flight, then returns deferred instead of starting the next part or batch.
  std::function<bool()> stopping = [] { return false; };
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual Outcome deliver(store::Store& store, const store::Delivery& delivery, const DeliveryContext& context) = 0;
};

// Makes the channel object for a channel name; called once per worker thread and channel,
// so implementations need not be thread-safe.
using ChannelFactory = std::function<std::unique_ptr<Channel>(const std::string& channel)>;

}  // namespace samvad::delivery
