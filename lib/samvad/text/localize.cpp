#include <samvad/text/localize.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/numsys.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <samvad/core/error.hpp>
#include <samvad/core/text.hpp>

namespace samvad::text {

namespace {

constexpr double kMillisPerMinute = 60.0 * 1000.0;

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU could not ") + what + ": " + u_errorName(status));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

// Always the Gregorian calendar: a notice dated in the Gregorian calendar must not turn into
// another calendar because a language's locale prefers one.
icu::Locale locale_for(const LanguageCode& lang) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(locale_id(lang), status);
  if (U_FAILURE(status) || loc.isBogus()) loc = icu::Locale(locale_id(lang).c_str());
  status = U_ZERO_ERROR;
  loc.setKeywordValue("calendar", "gregorian", status);
  return loc;
}

// Civil dates and times are formatted as instants in UTC so no time zone shifts the day.
// Creating an ICU formatter loads locale data (most of a preview's time, measured), so each
// thread keeps the ones it made; ICU formatters are not safe to share between threads.
const icu::SimpleDateFormat& formatter(const char* pattern, const icu::Locale& loc) {
  thread_local std::map<std::string, std::unique_ptr<icu::SimpleDateFormat>> cache;
  auto& slot = cache[std::string(pattern) + "|" + loc.getName()];
  if (!slot) {
    UErrorCode status = U_ZERO_ERROR;
    auto f = std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString(pattern), loc, status);
    check(status, "create a date format");
    f->setTimeZone(*icu::TimeZone::getGMT());
    f->setLenient(false);
    slot = std::move(f);
  }
  return *slot;
}

UDate to_udate(CivilDate date) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*icu::TimeZone::getGMT(), status);
  check(status, "create a calendar");
  cal.setLenient(false);
  cal.clear();
  cal.set(date.year, date.month - 1, date.day);
  UDate when = cal.getTime(status);
  if (U_FAILURE(status))
    throw Error(ExitCode::software, "internal error: " + format_iso_date(date) + " is not a calendar day");
  return when;
}

std::string format_with(const char* pattern, UDate when, const LanguageCode& lang) {
  const auto& f = formatter(pattern, locale_for(lang));
  icu::UnicodeString out;
  f.format(when, out);
  return to_utf8(out);
}

// Parses `text` with `pattern` in the root locale, insisting that ICU consumed all of it and
// that formatting the result gives `text` back (which refuses "2026-2-3" and "9:00").
std::optional<UDate> parse_exact(std::string_view text, const char* pattern, std::size_t length) {
  if (text.size() != length) return std::nullopt;
  const auto& f = formatter(pattern, icu::Locale::getRoot());
  icu::UnicodeString input = from_utf8(text);
  icu::ParsePosition pos(0);
  UDate when = f.parse(input, pos);
  if (pos.getErrorIndex() >= 0 || pos.getIndex() != input.length()) return std::nullopt;
  icu::UnicodeString again;
  f.format(when, again);
  if (again != input) return std::nullopt;
  return when;
}

}  // namespace

std::string locale_id(const LanguageCode& lang) {
  if (lang == "en") return "en_IN";
  if (lang == "mr") return "mr_IN";
  return lang;
}

std::optional<CivilDate> parse_iso_date(std::string_view text) {
  auto when = parse_exact(text, "yyyy-MM-dd", 10);
  if (!when) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*icu::TimeZone::getGMT(), status);
  check(status, "create a calendar");
  cal.setTime(*when, status);
  CivilDate d;
  d.year = cal.get(UCAL_YEAR, status);
  d.month = cal.get(UCAL_MONTH, status) + 1;
  d.day = cal.get(UCAL_DATE, status);
  check(status, "read a date");
  return d;
}

std::string format_iso_date(CivilDate date) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::string format_date(CivilDate date, const LanguageCode& lang) {
  // "d MMMM y" rather than the locale's medium pattern: CLDR gives en_IN "d MMMM y" but
  // mr "d MMMM, y", and a notice reads the same way in both languages.
  return format_with("d MMMM y", to_udate(date), lang);
}

std::string format_weekday(CivilDate date, const LanguageCode& lang) {
  return format_with("EEEE", to_udate(date), lang);
}

std::optional<CivilTime> parse_time(std::string_view text) {
  auto when = parse_exact(text, "HH:mm", 5);
  if (!when) return std::nullopt;
  auto minutes = static_cast<long long>(*when / kMillisPerMinute);
  return CivilTime{static_cast<int>(minutes / 60), static_cast<int>(minutes % 60)};
}

std::string format_iso_time(CivilTime time) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", time.hour, time.minute);
  return buffer;
}

std::string format_time(CivilTime time, const LanguageCode& lang) {
  const char* pattern = lang == "mr" ? "B h:mm" : "h:mm a";
  return format_with(pattern, (time.hour * 60.0 + time.minute) * kMillisPerMinute, lang);
}

bool is_decimal_number(std::string_view text) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  auto point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view("0") : text.substr(point + 1);
  return !whole.empty() && !fraction.empty() && std::all_of(whole.begin(), whole.end(), is_digit) &&
         std::all_of(fraction.begin(), fraction.end(), is_digit);
}

std::string format_number(std::string_view decimal, const LanguageCode& lang) {
  if (!is_decimal_number(decimal))
    throw Error(ExitCode::data, "'" + shown(decimal) + "' is not a number; expected digits like 1500 or 12.50");
  auto point = decimal.find('.');
  auto fraction = static_cast<int32_t>(point == std::string_view::npos ? 0 : decimal.size() - point - 1);
  UErrorCode status = U_ZERO_ERROR;
  auto formatted = icu::number::NumberFormatter::withLocale(locale_for(lang))
                       .precision(icu::number::Precision::minMaxFraction(fraction, fraction))
                       .formatDecimal(icu::StringPiece(decimal.data(), static_cast<int32_t>(decimal.size())), status);
  icu::UnicodeString out = formatted.toString(status);
  check(status, "format a number");
  return to_utf8(out);
}

std::string localize_digits(std::string_view text, const LanguageCode& lang) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::NumberingSystem> ns(icu::NumberingSystem::createInstance(locale_for(lang), status));
  check(status, "find the digits of a language");
  if (ns->isAlgorithmic() || ns->getRadix() != 10) return std::string(text);
  icu::UnicodeString digits = ns->getDescription();
  icu::UnicodeString in = from_utf8(text);
  icu::UnicodeString out;
  for (int32_t i = 0; i < in.length();) {
    UChar32 c = in.char32At(i);
    if (c >= '0' && c <= '9')
      out.append(digits.char32At(digits.moveIndex32(0, c - '0')));
    else
      out.append(c);
    i = in.moveIndex32(i, 1);
  }
  return to_utf8(out);
}

}  // namespace samvad::text
