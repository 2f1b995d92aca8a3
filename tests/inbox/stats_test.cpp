// inbox::responsiveness (lib/samvad/inbox/stats.cpp): the figures samvad stats shows, on a
// known set of items.
#include <catch2/catch.hpp>

#include <samvad/inbox/stats.hpp>

using namespace samvad;
using std::chrono::hours;
using std::chrono::minutes;
using Clock = std::chrono::system_clock;

namespace {

const Clock::time_point kNow = Clock::time_point(std::chrono::seconds(1796704200));  // 2026-12-08T04:30Z

store::InboxItem made(Clock::duration ago, std::optional<Clock::duration> answered_after,
                      store::ItemState state = store::ItemState::open) {
  store::InboxItem item;
  item.created_at = kNow - ago;
  if (answered_after) {
    item.answered_at = item.created_at + *answered_after;
    state = state == store::ItemState::closed ? state : store::ItemState::answered;
  }
  item.state = state;
  return item;
}

}  // namespace

TEST_CASE("nearest-rank percentiles", "[inbox][stats]") {
  CHECK_FALSE(inbox::percentile({}, 50));
  CHECK(inbox::percentile({7}, 50) == 7);
  CHECK(inbox::percentile({40, 10, 30, 20}, 50) == 20);
  CHECK(inbox::percentile({40, 10, 30, 20}, 90) == 40);
  std::vector<long long> hundred;
  for (long long i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(inbox::percentile(hundred, 90) == 90);
  CHECK(inbox::percentile(hundred, 50) == 50);
}

TEST_CASE("mentions, answers within a day, response times and what is still open", "[inbox][stats]") {
  const std::vector<store::InboxItem> items{
      made(hours(50), minutes(30)),                             // answered in 30 min
      made(hours(49), hours(2)),                                // 2 h
      made(hours(48), hours(30)),                               // 30 h: answered, not within a day
      made(hours(30), std::nullopt),                            // open for more than a day
      made(hours(2), std::nullopt),                             // open, recent
      made(hours(40), std::nullopt, store::ItemState::closed),  // closed without an answer
      made(hours(10), minutes(5), store::ItemState::closed),    // answered, then closed
  };
  const auto r = inbox::responsiveness(items, kNow);
  CHECK(r.mentions == 7);
  CHECK(r.answered == 4);
  CHECK(r.answered_within_24h == 3);
  REQUIRE(r.answered_within_24h_percent);
  CHECK(*r.answered_within_24h_percent == Approx(300.0 / 7));
  // Responses 300 s, 1800 s, 7200 s, 108000 s: the nearest-rank median is the 2nd, p90 the 4th.
  CHECK(r.median_response_seconds == 1800);
  CHECK(r.p90_response_seconds == 108000);
  CHECK(r.open == 2);
  CHECK(r.open_over_24h == 1);

  const auto none = inbox::responsiveness({}, kNow);
  CHECK(none.mentions == 0);
  CHECK_FALSE(none.answered_within_24h_percent);
  CHECK_FALSE(none.median_response_seconds);
}
