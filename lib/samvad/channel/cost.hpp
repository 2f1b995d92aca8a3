// What sending costs on a channel that bills per request (X bills each post, each image's alt
// text and each item read): counts and amounts by the channel's kinds of request, in millionths
// of a US dollar, whole numbers so that sums over a month are exact. Estimated before sending
// (Spec::cost), recorded as requests are made (store costs) and held against a monthly budget
// (Spec::budgets).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>

namespace samvad::channel {

// 1 US dollar in the unit amounts are kept in.
inline constexpr long long kMicroUsdPerUsd = 1'000'000;

struct Cost {
  struct Item {
    std::string kind;  // the channel's name for the request, as the store records it: "post_with_url"
    long long count = 0;
    long long micro_usd = 0;  // of all `count` of them
  };
  std::vector<Item> items;  // one per kind, in the order first added

  // Adds `count` requests of `kind` at `each` micro-dollars apiece.
  void add(const std::string& kind, long long count, long long each);
  Cost& operator+=(const Cost& other);
  long long micro_usd() const;
  long long count(const std::string& kind) const;  // 0 when none
  bool empty() const { return items.empty(); }
};

// An amount as people read it: "0.23", "0.015", "12.00" (at least two decimals, at most six).
std::string decimal_usd(long long micro_usd);
// The same with the currency: "$0.23".
std::string usd(long long micro_usd);
// For JSON: the amount in dollars as a number (0.23).
double usd_number(long long micro_usd);

// A limit on what a channel may spend in a calendar month: of one department, or (no
// department) of every department together.
struct Budget {
  std::optional<std::string> department;
  long long micro_usd = 0;
  std::optional<SourceLocation> where;  // where it is set, for the message that refuses a post
};

}  // namespace samvad::channel
