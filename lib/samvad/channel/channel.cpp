#include <samvad/channel/channel.hpp>

#include <algorithm>
#include <random>

namespace samvad::channel {

std::string MediaItem::alt_for(const LanguageCode& lang) const {
  if (const std::string* a = alt.find(lang)) return *a;
  if (const std::string* a = alt.find("")) return *a;
  return alt.text.empty() ? std::string() : alt.text.begin()->second;
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  auto base = policy.backoff_base * (1 << std::min(attempt, 10));
  std::uniform_int_distribution<long long> jitter(0, base.count() / 2);
  return base + std::chrono::milliseconds(jitter(rng));
}

}  // namespace samvad::channel
