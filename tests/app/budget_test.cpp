// The month a budget counts spend over: the calendar month of the organization's time zone.
#include <catch2/catch.hpp>

#include <samvad/app/budget.hpp>
#include <samvad/schedule/cron.hpp>

using namespace samvad;

namespace {

std::chrono::system_clock::time_point at(int year, int month, int day, int hour, int minute, const std::string& zone) {
  return schedule::to_instant(schedule::LocalTime{year, month, day, hour, minute}, zone);
}

}  // namespace

TEST_CASE("a month runs from the 1st at midnight to the next 1st, in the organization's zone", "[app][budget]") {
  // 2026-05-31T20:00Z is already June in Kolkata (UTC+5:30).
  const auto late_may_utc = at(2026, 5, 31, 20, 0, "UTC");
  auto june = app::month_of(late_may_utc, "Asia/Kolkata");
  CHECK(june.name == "2026-06 (Asia/Kolkata)");
  CHECK(june.since == at(2026, 6, 1, 0, 0, "Asia/Kolkata"));
  CHECK(june.until == at(2026, 7, 1, 0, 0, "Asia/Kolkata"));
  CHECK(june.since == at(2026, 5, 31, 18, 30, "UTC"));
  auto may = app::month_of(late_may_utc, "UTC");
  CHECK(may.name == "2026-05 (UTC)");
  CHECK(may.until == at(2026, 6, 1, 0, 0, "UTC"));
  // December runs into January of the next year.
  auto december = app::month_of(at(2026, 12, 15, 12, 0, "Asia/Kolkata"), "Asia/Kolkata");
  CHECK(december.name == "2026-12 (Asia/Kolkata)");
  CHECK(december.until == at(2027, 1, 1, 0, 0, "Asia/Kolkata"));
}
