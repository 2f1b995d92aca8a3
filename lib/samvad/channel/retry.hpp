// The one retry rule every channel follows: what a failure's kind means (try again now, wait
// for a rate limit, or hand it back), how long to wait, and how many attempts a request gets.
// A channel classifies its protocol's failures into FailureKind; the rest is decided here.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace samvad::channel {

// How every channel's failures are told apart, whatever its protocol: what the engine and the
// retry helper do with them is the same for all.
enum class FailureKind {
  transient,     // try again after a backoff (5xx, a connection refused before anything was sent)
  ambiguous,     // sent, no answer: it may have taken effect; look before sending again
  rate_limited,  // told to wait: wait up to RetryPolicy::max_wait, else defer
  rejected,      // refused for good (4xx, a certificate that cannot be verified): fail
};

std::string to_string(FailureKind kind);

// One failed attempt, as the retry helper sees it.
struct Failure {
  FailureKind kind = FailureKind::rejected;
  std::string detail;  // shown in the -v note before waiting
  // When a rate limit resets, if the server said; a rate limit without it is not waited for.
  std::optional<std::chrono::system_clock::time_point> retry_at;
};

// How hard to try before deferring to the next run.
struct RetryPolicy {
  int max_attempts = 4;                          // per request: the first try and 3 retries
  std::chrono::milliseconds backoff_base{1000};  // 1 s, 2 s, 4 s ... plus up to 50% jitter
  std::chrono::seconds max_wait{60};             // --max-wait: longest wait for a rate limit
};

// The wait before retry number `attempt` (0-based): backoff_base doubled each time, plus up
// to 50% random jitter so that many departments do not retry in step.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt);

// Extra time after a rate limit's announced reset, so the retry does not arrive a moment early.
inline constexpr std::chrono::milliseconds rate_limit_margin{500};

// How long to wait before trying again after `failed_attempts` failures (the last one being
// `failure`), or nothing when the failure goes back to the caller: an ambiguous or rejected
// one, the last allowed attempt, a rate limit without a reset time or resetting after max_wait.
std::optional<std::chrono::milliseconds> retry_wait(const RetryPolicy& policy, const Failure& failure,
                                                    int failed_attempts, std::chrono::system_clock::time_point now);

// The attempts of one request. After each failure, again() waits as retry_wait says (through
// `sleep`, which returns false when the run is being stopped) and says whether to try again.
class Retry {
 public:
  using Sleep = std::function<bool(std::chrono::milliseconds)>;
  using Note = std::function<void(const std::string&)>;
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  Retry(const RetryPolicy& policy, Sleep sleep, Note note, Clock now = std::chrono::system_clock::now);

  bool again(const Failure& failure);
  bool stopped() const { return stopped_; }  // again() said no because the run is stopping
  int failures() const { return failures_; }

 private:
  const RetryPolicy& policy_;
  Sleep sleep_;
  Note note_;
  Clock now_;
  int failures_ = 0;
  bool stopped_ = false;
};

}  // namespace samvad::channel
