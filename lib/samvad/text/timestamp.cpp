#include <samvad/text/timestamp.hpp>

#include <memory>

#include <unicode/calendar.h>
#include <unicode/gregocal.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

namespace samvad::text {

namespace {

std::string format_with(const char* pattern, std::chrono::system_clock::time_point t, const std::string& timezone) {
  UErrorCode status = U_ZERO_ERROR;
  // en_US_POSIX: ASCII digits and the Gregorian calendar whatever the process locale says.
  icu::SimpleDateFormat format(icu::UnicodeString(pattern), icu::Locale("en_US_POSIX"), status);
  if (U_FAILURE(status)) return "?";
  format.adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  icu::UnicodeString out;
  format.format(static_cast<UDate>(ms), out);
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

}  // namespace

std::string format_timestamp(std::chrono::system_clock::time_point t, const std::string& timezone) {
  return format_with("yyyy-MM-dd HH:mm", t, timezone);
}

std::string format_iso8601(std::chrono::system_clock::time_point t, const std::string& timezone) {
  // xxx: +05:30, and +00:00 rather than Z, so every value has the same shape.
  return format_with("yyyy-MM-dd'T'HH:mm:ssxxx", t, timezone);
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // X writes milliseconds and Z; other APIs leave the fraction out or give an offset.
  for (const char* pattern : {"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "yyyy-MM-dd'T'HH:mm:ssXXX"}) {
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat format(icu::UnicodeString(pattern), icu::Locale("en_US_POSIX"), status);
    if (U_FAILURE(status)) continue;
    format.setLenient(false);
    icu::ParsePosition at(0);
    const UDate ms = format.parse(u, at);
    if (at.getErrorIndex() >= 0 || at.getIndex() != u.length()) continue;
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(static_cast<long long>(ms)));
  }
  return std::nullopt;
}

std::chrono::system_clock::time_point start_of_day(const CivilDate& date, const std::string& timezone) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> calendar(
      icu::Calendar::createInstance(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone)), status));
  if (U_FAILURE(status)) return {};
  calendar->clear();
  calendar->set(date.year, date.month - 1, date.day, 0, 0, 0);
  UDate ms = calendar->getTime(status);
  // The system clock counts nanoseconds in 64 bits (1678 to 2261): a day outside is the clock's end.
  using Clock = std::chrono::system_clock;
  const auto limit = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::duration::max()).count());
  if (ms >= limit) return Clock::time_point::max();
  if (ms <= -limit) return Clock::time_point::min();
  return Clock::time_point(std::chrono::milliseconds(static_cast<long long>(ms)));
}

}  // namespace samvad::text
