#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <samvad/schedule/cron.hpp>

using namespace samvad::schedule;
using namespace std::chrono_literals;

namespace {

LocalTime at(const std::string& text) {
  auto t = parse_local_time(text);
  INFO(text);
  REQUIRE(t);
  return *t;
}

CronExpression cron(const std::string& text) {
  auto parsed = CronExpression::parse(text);
  INFO(text);
  REQUIRE(parsed.ok());
  return *parsed;
}

// The next occurrence as an ISO string, or "none": readable when a CHECK fails.
std::string next(const std::string& expression, const std::string& after) {
  auto t = cron(expression).next_after(at(after));
  return t ? to_iso(*t) : "none";
}

std::vector<std::string> iso(const std::vector<LocalTime>& times) {
  std::vector<std::string> out;
  for (const auto& t : times) out.push_back(to_iso(t));
  return out;
}

std::string parse_error(const std::string& expression) {
  auto parsed = CronExpression::parse(expression);
  return parsed.ok() ? "(parsed)" : parsed.error();
}

// A UTC instant, built without any time zone code.
std::chrono::system_clock::time_point utc(int y, unsigned m, unsigned d, int hour, int minute) {
  std::chrono::sys_days day = std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d);
  return day + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

}  // namespace

TEST_CASE("local times are written YYYY-MM-DDTHH:MM, with a space or as a bare date", "[cron]") {
  CHECK(parse_local_time("2026-12-03T07:00") == LocalTime{2026, 12, 3, 7, 0});
  CHECK(parse_local_time("2026-12-03 07:00") == LocalTime{2026, 12, 3, 7, 0});
  CHECK(parse_local_time("2026-12-03") == LocalTime{2026, 12, 3, 0, 0});
  CHECK(parse_local_time("2024-02-29T23:59") == LocalTime{2024, 2, 29, 23, 59});
  CHECK(parse_local_time("2000-02-29") == LocalTime{2000, 2, 29, 0, 0});
  CHECK(parse_local_time("2026-01-01T00:00") == LocalTime{2026, 1, 1, 0, 0});
}

TEST_CASE("local times that are not a real minute or not in the written shape are refused", "[cron]") {
  for (const char* bad : {"2026-02-30",
                          "2023-02-29",
                          "1900-02-29",
                          "2026-04-31",
                          "2026-13-01",
                          "2026-00-10",
                          "2026-12-00",
                          "2026-12-03T24:00",
                          "2026-12-03T12:60",
                          "2026-12-03T7:00",
                          "2026-12-03T07:00:00",
                          "2026-12-03t07:00",
                          "2026-12-03T07:00Z",
                          "2026-12-03T07-00",
                          "2026-12-03T",
                          "2026-12-03  7:00",
                          "2026-2-3",
                          "26-12-03",
                          "2026/12/03",
                          "03-12-2026",
                          " 2026-12-03",
                          "2026-12-03 ",
                          "+2026-12-03",
                          "2026-12-03X07:00",
                          "",
                          "tomorrow"}) {
    INFO(bad);
    CHECK_FALSE(parse_local_time(bad));
  }
}

TEST_CASE("to_iso writes what parse_local_time reads", "[cron]") {
  for (const char* text : {"2026-12-03T07:00", "2024-02-29T23:59", "2026-01-01T00:00", "1999-12-31T23:59"}) {
    INFO(text);
    CHECK(to_iso(at(text)) == text);
  }
  CHECK(to_iso(at("2026-12-03")) == "2026-12-03T00:00");
  CHECK(to_iso(at("2026-12-03 07:05")) == "2026-12-03T07:05");
  CHECK(to_iso(LocalTime{5, 1, 2, 3, 4}) == "0005-01-02T03:04");
}

TEST_CASE("Kolkata wall times are UTC plus five and a half hours all year", "[cron]") {
  CHECK(to_instant(at("2026-12-03T07:00"), "Asia/Kolkata") == utc(2026, 12, 3, 1, 30));
  CHECK(to_instant(at("2026-06-15T00:15"), "Asia/Kolkata") == utc(2026, 6, 14, 18, 45));
  CHECK(to_iso(to_local(utc(2026, 12, 3, 1, 30), "Asia/Kolkata")) == "2026-12-03T07:00");
  CHECK(to_iso(to_local(utc(2026, 12, 31, 20, 0), "Asia/Kolkata")) == "2027-01-01T01:30");
  // Seconds are dropped, not rounded.
  CHECK(to_iso(to_local(utc(2026, 12, 3, 1, 30) + 59s, "Asia/Kolkata")) == "2026-12-03T07:00");
  for (const char* text : {"2026-01-01T00:00", "2026-03-08T02:30", "2026-11-01T01:30", "2028-02-29T23:59"}) {
    INFO(text);
    CHECK(to_iso(to_local(to_instant(at(text), "Asia/Kolkata"), "Asia/Kolkata")) == text);
  }
}

TEST_CASE("New York wall times follow daylight saving time", "[cron]") {
  const std::string ny = "America/New_York";
  CHECK(to_instant(at("2026-07-04T12:00"), ny) == utc(2026, 7, 4, 16, 0));    // EDT, -4
  CHECK(to_instant(at("2026-12-25T12:00"), ny) == utc(2026, 12, 25, 17, 0));  // EST, -5
  CHECK(to_iso(to_local(utc(2026, 7, 4, 16, 0), ny)) == "2026-07-04T12:00");
  CHECK(to_iso(to_local(utc(2026, 12, 25, 17, 0), ny)) == "2026-12-25T12:00");
}

TEST_CASE("a wall time inside the spring-forward gap means the first instant after the gap", "[cron]") {
  const std::string ny = "America/New_York";
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00 UTC), so 02:00-02:59 never happen.
  CHECK(to_instant(at("2026-03-08T02:30"), ny) == utc(2026, 3, 8, 7, 0));
  CHECK(to_instant(at("2026-03-08T02:00"), ny) == utc(2026, 3, 8, 7, 0));
  CHECK(to_instant(at("2026-03-08T03:00"), ny) == utc(2026, 3, 8, 7, 0));
  CHECK(to_instant(at("2026-03-08T01:59"), ny) == utc(2026, 3, 8, 6, 59));
  CHECK(to_iso(to_local(to_instant(at("2026-03-08T02:30"), ny), ny)) == "2026-03-08T03:00");
}

TEST_CASE("a wall time in the fall-back overlap means the earlier, daylight, instant", "[cron]") {
  const std::string ny = "America/New_York";
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens at 05:30 and 06:30 UTC.
  CHECK(to_instant(at("2026-11-01T01:30"), ny) == utc(2026, 11, 1, 5, 30));
  CHECK(to_iso(to_local(utc(2026, 11, 1, 5, 30), ny)) == "2026-11-01T01:30");
  CHECK(to_iso(to_local(utc(2026, 11, 1, 6, 30), ny)) == "2026-11-01T01:30");
  CHECK(to_instant(at("2026-11-01T02:00"), ny) == utc(2026, 11, 1, 7, 0));
}

TEST_CASE("an unknown time zone is an invalid argument", "[cron]") {
  for (const char* zone : {"Mars/Olympus_Mons", "", "Asia/Kolkatta", "Etc/Unknown"}) {
    INFO(zone);
    CHECK_THROWS_AS(to_instant(at("2026-12-03T07:00"), zone), std::invalid_argument);
    CHECK_THROWS_AS(to_local(utc(2026, 12, 3, 1, 30), zone), std::invalid_argument);
  }
}

TEST_CASE("a wall time the system clock cannot hold is out of range", "[cron]") {
  CHECK_THROWS_AS(to_instant(at("1000-03-01T00:00"), "UTC"), std::out_of_range);
  CHECK_THROWS_AS(to_instant(at("9999-12-31T23:59"), "Asia/Kolkata"), std::out_of_range);
  CHECK(to_instant(at("2200-03-01T05:30"), "Asia/Kolkata") == utc(2200, 3, 1, 0, 0));
}

TEST_CASE("a weekly notice runs on the next Monday", "[cron]") {
  CHECK(next("0 10 * * MON", "2026-11-28T09:00") == "2026-11-30T10:00");  // Saturday -> Monday
  CHECK(next("0 10 * * MON", "2026-11-30T09:59") == "2026-11-30T10:00");
  CHECK(next("0 10 * * MON", "2026-11-30T10:00") == "2026-12-07T10:00");  // strictly after
  CHECK(next("0 10 * * 1", "2026-12-28T11:00") == "2027-01-04T10:00");
}

TEST_CASE("every quarter hour in office hours on weekdays", "[cron]") {
  const std::string office = "*/15 9-17 * * 1-5";
  CHECK(next(office, "2026-11-27T08:00") == "2026-11-27T09:00");  // Friday
  CHECK(next(office, "2026-11-27T09:00") == "2026-11-27T09:15");
  CHECK(next(office, "2026-11-27T09:01") == "2026-11-27T09:15");
  CHECK(next(office, "2026-11-27T17:44") == "2026-11-27T17:45");
  CHECK(next(office, "2026-11-27T17:45") == "2026-11-30T09:00");  // over the weekend
  CHECK(next(office, "2026-11-28T12:00") == "2026-11-30T09:00");
  auto c = cron(office);
  CHECK(c.matches(at("2026-11-27T17:45")));
  CHECK_FALSE(c.matches(at("2026-11-27T18:00")));
  CHECK_FALSE(c.matches(at("2026-11-27T09:10")));
  CHECK_FALSE(c.matches(at("2026-11-28T10:00")));  // Saturday
}

TEST_CASE("a list of days of the month", "[cron]") {
  CHECK(next("0 0 1,15 * *", "2026-01-01T00:00") == "2026-01-15T00:00");
  CHECK(next("0 0 1,15 * *", "2026-01-15T00:00") == "2026-02-01T00:00");
  CHECK(next("0 0 1,15 * *", "2026-12-15T00:00") == "2027-01-01T00:00");
  CHECK(next("0 0 31 * *", "2026-01-31T00:00") == "2026-03-31T00:00");  // February and April have no 31st
}

TEST_CASE("with both day-of-month and day-of-week restricted, either one is enough", "[cron]") {
  auto c = cron("0 12 13 * FRI");
  CHECK(c.matches(at("2026-04-13T12:00")));  // a Monday, but the 13th
  CHECK(c.matches(at("2026-04-10T12:00")));  // a Friday, not the 13th
  CHECK_FALSE(c.matches(at("2026-04-14T12:00")));
  CHECK(iso(occurrences_between(c, at("2026-04-01"), at("2026-05-01T23:59"))) ==
        std::vector<std::string>{"2026-04-03T12:00", "2026-04-10T12:00", "2026-04-13T12:00", "2026-04-17T12:00",
                                 "2026-04-24T12:00", "2026-05-01T12:00"});
  // With one side '*', only the other decides.
  CHECK_FALSE(cron("0 12 * * FRI").matches(at("2026-04-13T12:00")));
  CHECK_FALSE(cron("0 12 13 * *").matches(at("2026-04-10T12:00")));
}

TEST_CASE("a day field starting with '*' counts as unrestricted, as in Vixie cron", "[cron]") {
  // "*/2" is restricted in values but written with '*', so odd days AND Fridays.
  auto c = cron("0 12 */2 * FRI");
  CHECK(iso(occurrences_between(c, at("2026-04-01"), at("2026-05-31"))) ==
        std::vector<std::string>{"2026-04-03T12:00", "2026-04-17T12:00", "2026-05-01T12:00", "2026-05-15T12:00",
                                 "2026-05-29T12:00"});
}

TEST_CASE("February 29 comes only in leap years", "[cron]") {
  CHECK(next("0 0 29 2 *", "2026-03-01T00:00") == "2028-02-29T00:00");
  CHECK(next("0 0 29 2 *", "2028-02-29T00:00") == "2032-02-29T00:00");
  CHECK(next("0 0 29 2 *", "2096-02-29T00:00") == "none");  // 2100 is not a leap year; 2104 is 8 years on
  CHECK(iso(occurrences_between(cron("0 0 29 2 *"), at("2090-01-01"), at("2110-12-31T23:59"))) ==
        std::vector<std::string>{"2092-02-29T00:00", "2096-02-29T00:00", "2104-02-29T00:00", "2108-02-29T00:00"});
}

TEST_CASE("the last minute of the year rolls over into the next", "[cron]") {
  CHECK(next("59 23 31 12 *", "2026-12-31T23:58") == "2026-12-31T23:59");
  CHECK(next("59 23 31 12 *", "2026-12-31T23:59") == "2027-12-31T23:59");
  CHECK(next("59 23 31 12 *", "2026-06-01T00:00") == "2026-12-31T23:59");
  CHECK(next("* * * * *", "2026-12-31T23:59") == "2027-01-01T00:00");
  CHECK(next("* * * * *", "2028-02-28T23:59") == "2028-02-29T00:00");
}

TEST_CASE("an expression that never matches gives up quickly after five years", "[cron]") {
  for (const char* never : {"0 0 30 2 *", "0 0 31 2,4,6,9,11 *", "59 23 31 11 *"}) {
    INFO(never);
    auto c = cron(never);
    auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(c.next_after(at("2026-01-01T00:00")));
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(took < 10ms);
    CHECK(occurrences_between(c, at("2026-01-01"), at("2126-01-01")).empty());
  }
  // December 1st on a Monday ('*' first, so both must hold): 2031, then 2036, exactly five
  // years on, which still counts; on a Thursday: 2033, then 2039, six years on, which does not.
  CHECK(next("0 10 */31 12 MON", "2031-12-01T10:00") == "2036-12-01T10:00");
  CHECK(next("0 10 */31 12 THU", "2033-12-01T10:00") == "none");
  CHECK(next("0 10 */31 12 THU", "2033-11-30T10:00") == "2033-12-01T10:00");
}

TEST_CASE("day-of-week 7 and SUN are Sunday, like 0", "[cron]") {
  for (const char* sunday : {"0 9 * * 0", "0 9 * * 7", "0 9 * * SUN", "0 9 * * sun"}) {
    INFO(sunday);
    CHECK(next(sunday, "2026-11-30T00:00") == "2026-12-06T09:00");
  }
  auto weekend = cron("0 9 * * 5-7");  // Friday to Sunday
  CHECK(weekend.matches(at("2026-12-04T09:00")));
  CHECK(weekend.matches(at("2026-12-05T09:00")));
  CHECK(weekend.matches(at("2026-12-06T09:00")));
  CHECK_FALSE(weekend.matches(at("2026-12-07T09:00")));
}

TEST_CASE("month and day names are three letters in any case", "[cron]") {
  auto c = cron("0 9 * jan-Mar Mon,wed");
  CHECK(c.matches(at("2027-01-04T09:00")));        // Monday
  CHECK(c.matches(at("2027-03-03T09:00")));        // Wednesday
  CHECK_FALSE(c.matches(at("2027-01-05T09:00")));  // Tuesday
  CHECK_FALSE(c.matches(at("2027-04-05T09:00")));  // a Monday in April
  CHECK(next("0 0 1 DEC *", "2026-01-01T00:00") == "2026-12-01T00:00");
  CHECK(next("0 0 * * SAT-SAT", "2026-11-29T00:00") == "2026-12-05T00:00");
}

TEST_CASE("steps run from the start of a range, or from a value to the field's end", "[cron]") {
  std::vector<std::string> minutes;
  for (const auto& t : occurrences_between(cron("10/20 9 * * *"), at("2026-12-03T00:00"), at("2026-12-03T23:59"))) {
    minutes.push_back(to_iso(t));
  }
  CHECK(minutes == std::vector<std::string>{"2026-12-03T09:10", "2026-12-03T09:30", "2026-12-03T09:50"});
  auto odd_days = cron("0 9 * * 1-5/2");  // Monday, Wednesday, Friday
  CHECK(odd_days.matches(at("2026-11-30T09:00")));
  CHECK_FALSE(odd_days.matches(at("2026-12-01T09:00")));
  CHECK(odd_days.matches(at("2026-12-02T09:00")));
  CHECK(odd_days.matches(at("2026-12-04T09:00")));
  CHECK(next("0 */6 * * *", "2026-12-03T06:00") == "2026-12-03T12:00");
  CHECK(next("0 0 * */4 *", "2026-02-01T00:00") == "2026-05-01T00:00");  // January, May, September
  CHECK(next("0 0 * * */3", "2026-11-30T00:00") == "2026-12-02T00:00");  // Sunday, Wednesday, Saturday
  CHECK(next("0 0 * * 1/2", "2026-12-05T00:00") == "2026-12-07T00:00");  // MON/WED/FRI, not Sunday (7)
  CHECK(next("0,30 8-9,17 * * *", "2026-12-03T09:30") == "2026-12-03T17:00");
}

TEST_CASE("an expression keeps its text, without surrounding spaces", "[cron]") {
  CHECK(cron("  0 10 * * MON\t").text() == "0 10 * * MON");
  CHECK(cron("0\t10  *  *   mon").text() == "0\t10  *  *   mon");
}

TEST_CASE("the wrong number of fields is named with the five expected", "[cron]") {
  CHECK(parse_error("0 10 * *") == "expected 5 fields: minute hour day-of-month month day-of-week; got 4");
  CHECK(parse_error("0 10 * * * *") == "expected 5 fields: minute hour day-of-month month day-of-week; got 6");
  CHECK(parse_error("") == "expected 5 fields: minute hour day-of-month month day-of-week; got 0");
  CHECK(parse_error("@daily") == "expected 5 fields: minute hour day-of-month month day-of-week; got 1");
}

TEST_CASE("out-of-range values name the field and its range", "[cron]") {
  CHECK(parse_error("60 * * * *") == "minute: '60' is out of range; expected 0-59");
  CHECK(parse_error("0 25 * * *") == "hour: '25' is out of range; expected 0-23");
  CHECK(parse_error("0 0 0 * *") == "day-of-month: '0' is out of range; expected 1-31");
  CHECK(parse_error("0 0 32 * *") == "day-of-month: '32' is out of range; expected 1-31");
  CHECK(parse_error("0 0 * 13 *") == "month: '13' is out of range; expected 1-12 or JAN..DEC");
  CHECK(parse_error("0 0 * 0 *") == "month: '0' is out of range; expected 1-12 or JAN..DEC");
  CHECK(parse_error("0 0 * * 8") == "day-of-week: '8' is out of range; expected 0-7 or SUN..SAT");
  CHECK(parse_error("0 0-24 * * *") == "hour: '24' is out of range; expected 0-23");
  CHECK(parse_error("99999999999999999999 * * * *") == "minute: '99999999999999999999' is out of range; expected 0-59");
}

TEST_CASE("words that are not names are refused", "[cron]") {
  CHECK(parse_error("0 0 * * MOM") == "day-of-week: 'MOM' is not a day; expected 0-7 or SUN..SAT");
  CHECK(parse_error("0 0 * * MONDAY") == "day-of-week: 'MONDAY' is not a day; expected 0-7 or SUN..SAT");
  CHECK(parse_error("0 0 * JUNE *") == "month: 'JUNE' is not a month; expected 1-12 or JAN..DEC");
  CHECK(parse_error("0 0 MON * *") == "day-of-month: 'MON' is not a number; expected 1-31");
  CHECK(parse_error("abc * * * *") == "minute: 'abc' is not a number; expected 0-59");
  CHECK(parse_error("0 +9 * * *") == "hour: '+9' is not a number; expected 0-23");
}

TEST_CASE("steps must be a positive number within the field", "[cron]") {
  CHECK(parse_error("*/0 * * * *") == "minute: step '0' in '*/0' is out of range; expected 1-60");
  CHECK(parse_error("0 0-23/25 * * *") == "hour: step '25' in '0-23/25' is out of range; expected 1-24");
  CHECK(parse_error("0 0 * * */8") == "day-of-week: step '8' in '*/8' is out of range; expected 1-7");
  CHECK(parse_error("*/x * * * *") == "minute: step 'x' in '*/x' is not a number; expected 1-60");
  CHECK(cron("*/60 * * * *").matches(at("2026-12-03T10:00")));
}

TEST_CASE("ranges run low to high", "[cron]") {
  CHECK(parse_error("0 0 * * 5-1") ==
        "day-of-week: '5-1' is a reversed range; expected low-high within 0-7 or SUN..SAT");
  CHECK(parse_error("0 0 * DEC-JAN *") ==
        "month: 'DEC-JAN' is a reversed range; expected low-high within 1-12 or JAN..DEC");
  CHECK(parse_error("0 0 * * SAT-SUN") ==
        "day-of-week: 'SAT-SUN' is a reversed range; expected low-high within 0-7 or SUN..SAT");
}

TEST_CASE("empty list items and malformed items are refused", "[cron]") {
  CHECK(parse_error("1,,2 * * * *") == "minute: empty item in '1,,2'; expected a comma-separated list of 0-59");
  CHECK(parse_error("0 9, * * *") == "hour: empty item in '9,'; expected a comma-separated list of 0-23");
  CHECK(parse_error("0 0 * ,1 *") == "month: empty item in ',1'; expected a comma-separated list of 1-12 or JAN..DEC");
  for (const char* bad :
       {"1-2-3 * * * *", "-5 * * * *", "5- * * * *", "*/ * * * *", "/5 * * * *", "1/2/3 * * * *", "*-5 * * * *"}) {
    INFO(bad);
    auto error = parse_error(bad);
    CHECK(error.rfind("minute: ", 0) == 0);
  }
  CHECK(parse_error("1-2-3 * * * *") ==
        "minute: '1-2-3' is not a value, range (a-b) or step (*/n, a-b/n, a/n); expected 0-59");
  CHECK(parse_error("0 0 * * MON/2/3") ==
        "day-of-week: 'MON/2/3' is not a value, range (a-b) or step (*/n, a-b/n, a/n); expected 0-7 or SUN..SAT");
}

TEST_CASE("occurrences between two times are counted inclusively and in order", "[cron]") {
  auto mondays = occurrences_between(cron("0 10 * * MON"), at("2026-12-01"), at("2027-03-31T23:59"));
  REQUIRE(mondays.size() == 17);
  CHECK(to_iso(mondays.front()) == "2026-12-07T10:00");
  CHECK(to_iso(mondays.back()) == "2027-03-29T10:00");
  for (std::size_t i = 1; i < mondays.size(); ++i) CHECK(mondays[i - 1] < mondays[i]);

  // Both ends count when they match.
  CHECK(iso(occurrences_between(cron("0 10 * * MON"), at("2026-12-07T10:00"), at("2026-12-14T10:00"))) ==
        std::vector<std::string>{"2026-12-07T10:00", "2026-12-14T10:00"});
  CHECK(occurrences_between(cron("0 10 * * MON"), at("2026-12-07T10:01"), at("2026-12-14T09:59")).empty());
  CHECK(occurrences_between(cron("0 10 * * MON"), at("2026-12-14T10:00"), at("2026-12-07T10:00")).empty());

  // One working week of quarter hours from 09:00 to 17:45.
  CHECK(occurrences_between(cron("*/15 9-17 * * 1-5"), at("2026-11-30"), at("2026-12-06T23:59")).size() == 5 * 9 * 4);
}

TEST_CASE("occurrences stop at the limit", "[cron]") {
  auto every_minute = occurrences_between(cron("* * * * *"), at("2026-12-03T10:00"), at("2026-12-04T10:00"), 100);
  REQUIRE(every_minute.size() == 100);
  CHECK(to_iso(every_minute.front()) == "2026-12-03T10:00");
  CHECK(to_iso(every_minute.back()) == "2026-12-03T11:39");
  CHECK(occurrences_between(cron("* * * * *"), at("2026-12-03T10:00"), at("2026-12-04T10:00")).size() == 24 * 60 + 1);
  CHECK(occurrences_between(cron("* * * * *"), at("2026-12-03T10:00"), at("2026-12-04T10:00"), 0).empty());
}

TEST_CASE("a hand-built impossible local time has a well-defined next occurrence", "[cron]") {
  auto c = cron("0 0 * * *");
  CHECK(to_iso(*c.next_after(LocalTime{2026, 2, 30, 10, 0})) == "2026-03-01T00:00");
  CHECK(to_iso(*c.next_after(LocalTime{2026, 13, 1, 0, 0})) == "2027-01-01T00:00");
  CHECK(to_iso(*c.next_after(LocalTime{2026, 12, 31, 24, 0})) == "2027-01-01T00:00");
  CHECK_FALSE(c.matches(LocalTime{2026, 2, 30, 0, 0}));
}

TEST_CASE("the search rolls over past the last four-digit year (fuzz/regressions/cron)", "[cron]") {
  // 23:59 on 31 December, or any Sunday in December, from the last minute parse_local_time takes.
  const auto c = cron("59 23 31 12 7");
  const LocalTime after = at("9999-12-31T23:59");
  const auto next = c.next_after(after);
  REQUIRE(next);
  CHECK(*next > after);
  CHECK(c.matches(*next));
  CHECK(next->year == 10000);
  CHECK(next->month == 12);
  LocalTime year_later = after;
  year_later.year += 1;
  const auto all = occurrences_between(c, after, year_later, 50);
  REQUIRE(all.size() >= 2);
  CHECK(all[0] == after);  // [from, to] includes a matching start
  CHECK(all[1] == *next);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i] > all[i - 1]);
}
