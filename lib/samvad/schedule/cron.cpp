#include <samvad/schedule/cron.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <unicode/gregocal.h>
#include <unicode/timezone.h>
#include <unicode/ucal.h>

namespace samvad::schedule {

namespace {

// ---- the civil calendar (proleptic Gregorian, no time zone) ----

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// 0 = Sunday, as cron counts. `month` and `day` must name a real day.
int weekday(int year, int month, int day) {
  std::chrono::sys_days date = std::chrono::year(year) / month / day;
  return static_cast<int>(std::chrono::weekday(date).c_encoding());
}

LocalTime start_of_next_month(const LocalTime& t) {
  return t.month >= 12 ? LocalTime{t.year + 1, 1, 1, 0, 0} : LocalTime{t.year, t.month + 1, 1, 0, 0};
}

// `t.month` must be 1-12.
LocalTime start_of_next_day(const LocalTime& t) {
  if (t.day >= days_in_month(t.year, t.month)) return start_of_next_month(t);
  return {t.year, t.month, t.day + 1, 0, 0};
}

// `t` must name a real day.
LocalTime start_of_next_hour(const LocalTime& t) {
  if (t.hour >= 23) return start_of_next_day(t);
  return {t.year, t.month, t.day, t.hour + 1, 0};
}

// The earliest real minute at or after `t` (fields compared in order, as LocalTime's <=>
// does), so that a hand-built out-of-range LocalTime still has a well-defined successor.
LocalTime first_real_minute_from(const LocalTime& t) {
  if (t.month < 1) return {t.year, 1, 1, 0, 0};
  if (t.month > 12) return {t.year + 1, 1, 1, 0, 0};
  if (t.day < 1) return {t.year, t.month, 1, 0, 0};
  if (t.day > days_in_month(t.year, t.month)) return start_of_next_month(t);
  if (t.hour < 0) return {t.year, t.month, t.day, 0, 0};
  if (t.hour > 23) return start_of_next_day(t);
  if (t.minute < 0) return {t.year, t.month, t.day, t.hour, 0};
  if (t.minute > 59) return start_of_next_hour(t);
  return t;
}

bool is_real(const LocalTime& t) { return first_real_minute_from(t) == t; }

LocalTime next_minute(const LocalTime& t) {
  if (t.minute >= 59) return start_of_next_hour(t);
  return {t.year, t.month, t.day, t.hour, t.minute + 1};
}

template <std::size_t N>
std::optional<int> first_set_from(const std::bitset<N>& bits, int from) {
  for (int i = std::max(from, 0); i < static_cast<int>(N); ++i) {
    if (bits.test(static_cast<std::size_t>(i))) return i;
  }
  return std::nullopt;
}

// ---- time zones (ICU) ----

std::unique_ptr<icu::TimeZone> zone_named(const std::string& name) {
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  // ICU answers an unknown ID with a GMT zone called "Etc/Unknown" rather than an error.
  icu::UnicodeString id;
  if (!zone || zone->getID(id) == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID)) {
    throw std::invalid_argument("unknown time zone '" + name + "'");
  }
  return zone;
}

std::unique_ptr<icu::GregorianCalendar> calendar_in(const std::string& time_zone) {
  UErrorCode status = U_ZERO_ERROR;
  auto calendar = std::make_unique<icu::GregorianCalendar>(zone_named(time_zone).release(), status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU calendar: ") + u_errorName(status));
  return calendar;
}

// ---- cron fields ----

struct FieldSpec {
  const char* name;
  int min, max;
  int star_max;              // where '*' and 'a/n' end: day-of-week stops at 6, 7 is only an alias
  const char* const* names;  // three-letter names for min, min+1, ...; null if none
  int names_count;
  const char* noun;  // "'x' is not a <noun>"
  const char* expected;
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr FieldSpec kMinute{"minute", 0, 59, 59, nullptr, 0, "number", "0-59"};
constexpr FieldSpec kHour{"hour", 0, 23, 23, nullptr, 0, "number", "0-23"};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, 31, nullptr, 0, "number", "1-31"};
constexpr FieldSpec kMonth{"month", 1, 12, 12, kMonthNames, 12, "month", "1-12 or JAN..DEC"};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, 6, kDayNames, 7, "day", "0-7 or SUN..SAT"};

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

class FieldParser {
 public:
  explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

  // Sets the bits of every value the field names (before day-of-week's 7 is folded into 0).
  std::optional<std::string> parse(std::string_view field, std::bitset<64>& bits) const {
    std::size_t start = 0;
    while (true) {
      std::size_t comma = field.find(',', start);
      std::string_view item =
          field.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (item.empty()) {
        return error("empty item in '" + std::string(field) + "'; expected a comma-separated list of " +
                     spec_.expected);
      }
      if (auto problem = parse_item(item, bits)) return problem;
      if (comma == std::string_view::npos) return std::nullopt;
      start = comma + 1;
    }
  }

 private:
  std::optional<std::string> parse_item(std::string_view item, std::bitset<64>& bits) const {
    std::string_view base = item;
    int step = 1;
    bool stepped = false;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      base = item.substr(0, slash);
      std::string_view step_text = item.substr(slash + 1);
      if (base.empty() || step_text.empty() || step_text.find('/') != std::string_view::npos) return malformed(item);
      int span = spec_.star_max - spec_.min + 1;
      auto n = number(step_text);
      std::string where = "step '" + std::string(step_text) + "' in '" + std::string(item) + "'";
      if (!n) return error(where + " is not a number; expected 1-" + std::to_string(span));
      if (*n < 1 || *n > span) return error(where + " is out of range; expected 1-" + std::to_string(span));
      step = *n;
      stepped = true;
    }

    int low = 0, high = 0;
    if (base == "*") {
      low = spec_.min;
      high = spec_.star_max;
    } else if (std::size_t dash = base.find('-'); dash != std::string_view::npos) {
      std::string_view low_text = base.substr(0, dash), high_text = base.substr(dash + 1);
      if (low_text.empty() || high_text.empty() || high_text.find('-') != std::string_view::npos) {
        return malformed(item);
      }
      auto problem = value(low_text, low);
      if (!problem) problem = value(high_text, high);
      if (problem) return problem;
      if (low > high) {
        return error("'" + std::string(base) + "' is a reversed range; expected low-high within " + spec_.expected);
      }
    } else {
      if (auto problem = value(base, low)) return problem;
      // "10/5" is Vixie cron's shorthand for "10-<last>/5".
      high = stepped ? std::max(low, spec_.star_max) : low;
    }
    for (int v = low; v <= high; v += step) bits.set(static_cast<std::size_t>(v));
    return std::nullopt;
  }

  // A decimal number or, where the field has them, a three-letter name.
  std::optional<std::string> value(std::string_view text, int& out) const {
    if (auto n = number(text)) {
      if (*n < spec_.min || *n > spec_.max) {
        return error("'" + std::string(text) + "' is out of range; expected " + spec_.expected);
      }
      out = *n;
      return std::nullopt;
    }
    if (text.size() == 3) {
      for (int i = 0; i < spec_.names_count; ++i) {
        std::string_view name = spec_.names[i];
        if (upper(text[0]) == name[0] && upper(text[1]) == name[1] && upper(text[2]) == name[2]) {
          out = spec_.min + i;
          return std::nullopt;
        }
      }
    }
    return error("'" + std::string(text) + "' is not a " + spec_.noun + "; expected " + spec_.expected);
  }

  // ASCII digits only (no sign, no spaces); numbers too long to matter come back as out of range.
  static std::optional<int> number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    int n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      n = std::min(n * 10 + (c - '0'), 1000000);
    }
    return n;
  }

  std::optional<std::string> malformed(std::string_view item) const {
    return error("'" + std::string(item) + "' is not a value, range (a-b) or step (*/n, a-b/n, a/n); expected " +
                 spec_.expected);
  }

  std::optional<std::string> error(const std::string& what) const { return std::string(spec_.name) + ": " + what; }

  const FieldSpec& spec_;
};

}  // namespace

// ---- local times ----

std::optional<LocalTime> parse_local_time(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    int n = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      n = n * 10 + (text[i] - '0');
    }
    return n;
  };
  if (text.size() != 10 && text.size() != 16) return std::nullopt;
  if (text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (!year || !month || !day) return std::nullopt;
  LocalTime t{*year, *month, *day, 0, 0};
  if (text.size() == 16) {
    if ((text[10] != 'T' && text[10] != ' ') || text[13] != ':') return std::nullopt;
    auto hour = digits(11, 2), minute = digits(14, 2);
    if (!hour || !minute) return std::nullopt;
    t.hour = *hour;
    t.minute = *minute;
  }
  if (!is_real(t)) return std::nullopt;  // 2026-02-30, 24:00, 12:60
  return t;
}

std::string to_iso(const LocalTime& t) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
  return buffer;
}

std::chrono::system_clock::time_point to_instant(const LocalTime& t, const std::string& time_zone) {
  auto calendar = calendar_in(time_zone);
  // Lenient (ICU's default), so out-of-range fields carry over; non-lenient mode would also
  // refuse wall times inside a DST gap instead of applying the options below.
  calendar->setSkippedWallTimeOption(UCAL_WALLTIME_NEXT_VALID);  // 02:30 in a gap -> 03:00, the transition
  calendar->setRepeatedWallTimeOption(UCAL_WALLTIME_FIRST);      // 01:30 twice -> the first (daylight) one
  calendar->clear();
  calendar->set(UCAL_EXTENDED_YEAR, t.year);
  calendar->set(UCAL_MONTH, t.month - 1);
  calendar->set(UCAL_DATE, t.day);
  calendar->set(UCAL_HOUR_OF_DAY, t.hour);
  calendar->set(UCAL_MINUTE, t.minute);
  UErrorCode status = U_ZERO_ERROR;
  UDate ms = calendar->getTime(status);
  if (U_FAILURE(status)) throw std::invalid_argument("no instant for " + to_iso(t) + " in " + time_zone);
  // system_clock counts nanoseconds in 64 bits here: about 1678 to 2261.
  using Clock = std::chrono::system_clock;
  constexpr double kLimitMs =
      static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::duration::max()).count());
  if (!(std::abs(ms) < kLimitMs)) throw std::out_of_range(to_iso(t) + " is outside the system clock's range");
  return Clock::time_point(std::chrono::milliseconds(std::llround(ms)));
}

LocalTime to_local(std::chrono::system_clock::time_point instant, const std::string& time_zone) {
  auto calendar = calendar_in(time_zone);
  UErrorCode status = U_ZERO_ERROR;
  auto ms = std::chrono::floor<std::chrono::milliseconds>(instant.time_since_epoch()).count();
  calendar->setTime(static_cast<UDate>(ms), status);
  LocalTime t;
  t.year = calendar->get(UCAL_EXTENDED_YEAR, status);
  t.month = calendar->get(UCAL_MONTH, status) + 1;
  t.day = calendar->get(UCAL_DATE, status);
  t.hour = calendar->get(UCAL_HOUR_OF_DAY, status);
  t.minute = calendar->get(UCAL_MINUTE, status);
  if (U_FAILURE(status)) throw std::invalid_argument("no local time in " + time_zone);
  return t;
}

// ---- cron expressions ----

Result<CronExpression, std::string> CronExpression::parse(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  if (fields.size() != 5) {
    return fail("expected 5 fields: minute hour day-of-month month day-of-week; got " + std::to_string(fields.size()));
  }

  const FieldSpec* specs[] = {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
  std::bitset<64> bits[5];
  for (std::size_t f = 0; f < 5; ++f) {
    if (auto problem = FieldParser(*specs[f]).parse(fields[f], bits[f])) return fail(std::move(*problem));
  }

  CronExpression cron;
  cron.text_ = std::string(fields.front().data(), fields.back().data() + fields.back().size());
  for (std::size_t v = 0; v < 60; ++v) cron.minutes_[v] = bits[0][v];
  for (std::size_t v = 0; v < 24; ++v) cron.hours_[v] = bits[1][v];
  for (std::size_t v = 1; v <= 31; ++v) cron.days_[v] = bits[2][v];
  for (std::size_t v = 1; v <= 12; ++v) cron.months_[v] = bits[3][v];
  for (std::size_t v = 0; v < 7; ++v) cron.weekdays_[v] = bits[4][v];
  if (bits[4][7]) cron.weekdays_[0] = true;  // 7 is Sunday too
  // Vixie cron decides "restricted" by the field's first character, so "*/2" counts as '*'
  // (entry.c sets DOM_STAR/DOW_STAR when the field starts with '*').
  cron.any_day_ = fields[2].front() == '*';
  cron.any_weekday_ = fields[4].front() == '*';
  return cron;
}

bool CronExpression::day_matches(int year, int month, int day) const {
  bool dom = days_.test(static_cast<std::size_t>(day));
  bool dow = weekdays_.test(static_cast<std::size_t>(weekday(year, month, day)));
  return any_day_ || any_weekday_ ? dom && dow : dom || dow;
}

bool CronExpression::matches(const LocalTime& t) const {
  if (!is_real(t)) return false;
  return minutes_.test(static_cast<std::size_t>(t.minute)) && hours_.test(static_cast<std::size_t>(t.hour)) &&
         months_.test(static_cast<std::size_t>(t.month)) && day_matches(t.year, t.month, t.day);
}

std::optional<LocalTime> CronExpression::next_after(const LocalTime& after) const {
  LocalTime end = after;
  end.year += 5;
  LocalTime t = first_real_minute_from(after);
  if (t == after) t = next_minute(t);
  // Each step either returns or moves to the start of the next month, day or hour that could
  // match, so five years cost at most ~60 month steps plus ~1,800 day steps.
  while (t <= end) {
    if (!months_.test(static_cast<std::size_t>(t.month))) {
      t = start_of_next_month(t);
      continue;
    }
    if (!day_matches(t.year, t.month, t.day)) {
      t = start_of_next_day(t);
      continue;
    }
    auto hour = first_set_from(hours_, t.hour);
    if (!hour) {
      t = start_of_next_day(t);
      continue;
    }
    if (*hour != t.hour) t = {t.year, t.month, t.day, *hour, 0};
    auto minute = first_set_from(minutes_, t.minute);
    if (!minute) {
      t = start_of_next_hour(t);
      continue;
    }
    t.minute = *minute;
    if (t > end) break;
    return t;
  }
  return std::nullopt;
}

std::vector<LocalTime> occurrences_between(const CronExpression& cron, const LocalTime& from, const LocalTime& to,
                                           std::size_t limit) {
  std::vector<LocalTime> out;
  if (limit == 0 || from > to) return out;
  if (cron.matches(from)) out.push_back(from);
  LocalTime cursor = from;
  while (out.size() < limit && cursor < to) {
    if (auto next = cron.next_after(cursor)) {
      if (*next > to) break;
      out.push_back(*next);
      cursor = *next;
    } else {
      // Nothing in the five years after `cursor`; keep looking past them, because a range can
      // be longer than that (February 29 skips 2100, so "0 0 29 2 *" has an eight-year gap).
      cursor.year += 5;
    }
  }
  return out;
}

}  // namespace samvad::schedule
