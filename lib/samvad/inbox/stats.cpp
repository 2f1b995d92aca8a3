#include <samvad/inbox/stats.hpp>

#include <algorithm>

namespace samvad::inbox {

std::optional<long long> percentile(std::vector<long long> values, int p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  // rank = ceil(p/100 * n), 1-based.
  const std::size_t n = values.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
  rank = std::clamp<std::size_t>(rank, 1, n);
  return values[rank - 1];
}

Responsiveness responsiveness(const std::vector<store::InboxItem>& items, std::chrono::system_clock::time_point now) {
  using std::chrono::hours;
  Responsiveness r;
  std::vector<long long> response;
  for (const auto& item : items) {
    ++r.mentions;
    if (item.answered_at) {
      ++r.answered;
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(*item.answered_at - item.created_at).count();
      response.push_back(std::max(0LL, static_cast<long long>(seconds)));
      if (*item.answered_at - item.created_at <= hours(24)) ++r.answered_within_24h;
    }
    if (item.state == store::ItemState::open) {
      ++r.open;
      if (now - item.created_at > hours(24)) ++r.open_over_24h;
    }
  }
  if (r.mentions > 0)
    r.answered_within_24h_percent =
        100.0 * static_cast<double>(r.answered_within_24h) / static_cast<double>(r.mentions);
  r.median_response_seconds = percentile(response, 50);
  r.p90_response_seconds = percentile(response, 90);
  return r;
}

}  // namespace samvad::inbox
