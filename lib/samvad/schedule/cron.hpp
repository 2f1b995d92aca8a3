// Five-field cron expressions ("0 10 * * MON") and local wall-clock times in an IANA time zone:
// what `schedule.yaml` entries use to say when a recurring notice is due. Pure functions; time
// zones through ICU, so a date-time is always a wall-clock time of the organization's zone.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/core/result.hpp>

namespace samvad::schedule {

// A wall-clock minute in the organization's time zone: what people write in schedule.yaml.
struct LocalTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
  friend auto operator<=>(const LocalTime&, const LocalTime&) = default;
};

// "2026-12-03T07:00" (also accepted on input: "2026-12-03 07:00", and "2026-12-03" meaning 00:00).
// Exactly those shapes with ASCII digits, and a real minute: 2026-02-30, 24:00, 12:60, seconds,
// a zone suffix and surrounding spaces are refused.
std::optional<LocalTime> parse_local_time(std::string_view text);

// The years a moment given on the command line (--now, --since) may be in: far enough inside
// what the system clock counts (1678 to 2261) that a year ahead or behind is still countable.
inline constexpr int kFirstCommandYear = 1970;
inline constexpr int kLastCommandYear = 2199;
std::string to_iso(const LocalTime& t);  // "2026-12-03T07:00"

// Conversions in an IANA zone ("Asia/Kolkata"). A wall time that does not exist (a DST gap)
// maps to the first instant after the gap; an ambiguous one (a DST overlap) to the earlier.
// Throws std::invalid_argument for an unknown zone. to_instant lets out-of-range fields carry over
// as ICU's lenient calendar does (2026-02-30 is 2026-03-02) and throws std::out_of_range for a
// time system_clock cannot hold (before 1678 or after 2261 with libstdc++); to_local drops seconds.
std::chrono::system_clock::time_point to_instant(const LocalTime& t, const std::string& time_zone);
LocalTime to_local(std::chrono::system_clock::time_point instant, const std::string& time_zone);

// A parsed cron expression: minute hour day-of-month month day-of-week, each a list of
// values, ranges (a-b) and steps (*/n, a-b/n); names JAN..DEC and SUN..SAT (case-insensitive);
// day-of-week 0 and 7 are Sunday. As in Vixie cron, when both day-of-month and day-of-week are
// restricted (neither is '*'), a day matches if either matches; Vixie decides "is '*'" by the
// field's first character, so "*/2" counts as '*' there and then both must match.
// "a/n" means a-<last>/n. For day-of-week, '*' and "a/n" run 0-6 (7 is only an alias). A step
// must lie within the field's span (1-60 for minutes, 1-7 for day-of-week).
// Fields are separated by spaces or tabs; there are no @daily-style macros.
class CronExpression {
 public:
  // Errors name the field and what was expected, e.g.
  // "hour: '25' is out of range; expected 0-23".
  static Result<CronExpression, std::string> parse(std::string_view text);

  bool matches(const LocalTime& t) const;
  // The first matching minute strictly after `after`, at most 5 years (same month, day and time)
  // later; nullopt when there is none (e.g. "0 0 30 2 *"). Skips whole months, days and hours
  // that cannot match, so even an impossible expression costs a few thousand steps.
  std::optional<LocalTime> next_after(const LocalTime& after) const;
  const std::string& text() const { return text_; }  // as parsed, without surrounding spaces

 private:
  bool day_matches(int year, int month, int day) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;                      // 1-31
  std::bitset<13> months_;                    // 1-12
  std::bitset<7> weekdays_;                   // 0 = Sunday
  bool any_day_ = true, any_weekday_ = true;  // the field starts with '*' (Vixie's DOM_STAR, DOW_STAR)
};

// Every matching minute in [from, to], in order, at most `limit` of them (however far apart).
std::vector<LocalTime> occurrences_between(const CronExpression& cron, const LocalTime& from, const LocalTime& to,
                                           std::size_t limit = 10000);

}  // namespace samvad::schedule
