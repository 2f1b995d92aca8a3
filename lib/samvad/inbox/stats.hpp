// How responsive each department is (samvad stats): what citizens said to it in a period and
// how fast it answered, from the inbox's items. Pure: the figures from the items and the moment
// they are taken at.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <samvad/store/inbox.hpp>

namespace samvad::inbox {

struct Responsiveness {
  std::size_t mentions = 0;  // items the department holds, made in the period
  std::size_t answered = 0;  // of those, answered (a reply by samvad or from the app)
  std::size_t answered_within_24h = 0;
  std::optional<double> answered_within_24h_percent;  // of mentions; nullopt without mentions
  std::optional<long long> median_response_seconds;   // over the answered ones (nearest rank)
  std::optional<long long> p90_response_seconds;
  std::size_t open = 0;           // still open now
  std::size_t open_over_24h = 0;  // open now and made more than 24 hours before `now`
};

// The figures for `items` (one department's, made in the period), as of `now`.
Responsiveness responsiveness(const std::vector<store::InboxItem>& items, std::chrono::system_clock::time_point now);

// The nearest-rank percentile `p` (1-100) of `values`: the smallest value with at least p% of
// the values at or below it; nullopt for no values.
std::optional<long long> percentile(std::vector<long long> values, int p);

}  // namespace samvad::inbox
