#include <samvad/delivery/channel.hpp>

#include <algorithm>
#include <random>

namespace samvad::delivery {

std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto base = policy.backoff_base * (1 << std::min(attempt, 10));
  std::uniform_int_distribution<long long> jitter(0, base.count() / 2);
  return base + std::chrono::milliseconds(jitter(rng));
}

}  // namespace samvad::delivery
