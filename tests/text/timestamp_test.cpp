// text/timestamp: instants shown in the organization's zone and read from APIs.
#include <catch2/catch.hpp>

#include <samvad/text/timestamp.hpp>

using namespace samvad::text;
using std::chrono::milliseconds;
using Clock = std::chrono::system_clock;

TEST_CASE("ISO 8601 from an API: Z or an offset, with or without milliseconds", "[text][timestamp]") {
  const Clock::time_point t(milliseconds(1796704200000LL));  // 2026-12-08T04:30:00Z
  CHECK(parse_iso8601("2026-12-08T04:30:00.000Z") == t);
  CHECK(parse_iso8601("2026-12-08T04:30:00Z") == t);
  CHECK(parse_iso8601("2026-12-08T10:00:00+05:30") == t);
  CHECK(parse_iso8601("2026-12-08T04:30:00.250Z") == t + milliseconds(250));
  CHECK_FALSE(parse_iso8601("2026-12-08 04:30:00"));
  CHECK_FALSE(parse_iso8601("2026-12-08T04:30:00"));   // no zone: which instant?
  CHECK_FALSE(parse_iso8601("2026-13-08T04:30:00Z"));  // no month 13
  CHECK_FALSE(parse_iso8601("2026-12-08T04:30:00Zjunk"));
  CHECK_FALSE(parse_iso8601(""));
  // Read back as samvad writes it.
  CHECK(format_iso8601(*parse_iso8601("2026-12-08T04:30:00.000Z"), "Asia/Kolkata") == "2026-12-08T10:00:00+05:30");
}
