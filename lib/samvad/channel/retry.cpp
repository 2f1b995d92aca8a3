#include <samvad/channel/retry.hpp>

#include <algorithm>
#include <random>

namespace samvad::channel {

std::string to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::transient:
      return "transient";
    case FailureKind::ambiguous:
      return "ambiguous";
    case FailureKind::rate_limited:
      return "rate-limited";
    case FailureKind::rejected:
      return "rejected";
  }
  return "rejected";
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto base = policy.backoff_base * (1 << std::clamp(attempt, 0, 10));
  std::uniform_int_distribution<long long> jitter(0, base.count() / 2);
  return base + std::chrono::milliseconds(jitter(rng));
}

std::optional<std::chrono::milliseconds> retry_wait(const RetryPolicy& policy, const Failure& failure,
                                                    int failed_attempts, std::chrono::system_clock::time_point now) {
  if (failed_attempts >= policy.max_attempts) return std::nullopt;
  switch (failure.kind) {
    case FailureKind::transient:
      return backoff(policy, failed_attempts - 1);
    case FailureKind::rate_limited: {
      if (!failure.retry_at) return std::nullopt;
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*failure.retry_at - now);
      if (until > policy.max_wait) return std::nullopt;
      return std::max(until, std::chrono::milliseconds(0)) + rate_limit_margin;
    }
    case FailureKind::ambiguous:  // repeating it could do it twice: the caller looks first
    case FailureKind::rejected:
      return std::nullopt;
  }
  return std::nullopt;
}

Retry::Retry(const RetryPolicy& policy, Sleep sleep, Note note, Clock now)
    : policy_(policy), sleep_(std::move(sleep)), note_(std::move(note)), now_(std::move(now)) {}

bool Retry::again(const Failure& failure) {
  ++failures_;
  const auto wait = retry_wait(policy_, failure, failures_, now_());
  if (!wait) return false;
  if (note_) note_(failure.detail + "; trying again in " + std::to_string(wait->count()) + " ms");
  if (sleep_ && !sleep_(*wait)) {
    stopped_ = true;
    return false;
  }
  return true;
}

}  // namespace samvad::channel
