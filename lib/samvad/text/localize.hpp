// Marathi and English renderings of dates, times and numbers for announcements, done by ICU
// so that month names, weekday names, day periods, digits and Indian digit grouping
// ("१,००,०००") come from CLDR rather than from tables of our own.
//
// Languages map to ICU locales as: "en" -> en_IN (day-month-year, lakh grouping),
// "mr" -> mr_IN (Devanagari digits), anything else -> the code itself as a BCP 47 tag.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <samvad/core/localized.hpp>

namespace samvad::text {

// A calendar day without a time zone: announcements name days, not instants.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

// A wall-clock time of day in the organization's time zone.
struct CivilTime {
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  auto operator<=>(const CivilTime&) const = default;
};

// The ICU locale id used for `lang` ("mr" -> "mr_IN", "en" -> "en_IN", "hi" -> "hi").
std::string locale_id(const LanguageCode& lang);

// "2026-12-03" -> {2026, 12, 3}; nullopt unless it is exactly YYYY-MM-DD and a real calendar
// day (2026-02-30 is not), as ICU's non-lenient parser decides.
std::optional<CivilDate> parse_iso_date(std::string_view text);
std::string format_iso_date(CivilDate date);  // "2026-12-03"

// "26 July 2022" (en), "२६ जुलै २०२२" (mr): day month year in every language.
// `date` must be a real day (as parse_iso_date returns); otherwise throws Error(software).
std::string format_date(CivilDate date, const LanguageCode& lang);
// "Tuesday", "मंगळवार".
std::string format_weekday(CivilDate date, const LanguageCode& lang);

// "09:00" -> {9, 0}; nullopt unless it is exactly HH:MM on a 24-hour clock (so "25:00",
// "9:00" and "09:00:00" are refused).
std::optional<CivilTime> parse_time(std::string_view text);
std::string format_iso_time(CivilTime time);  // "09:00"

// "9:00 am" (en, pattern h:mm a); "सकाळ ९:००" (mr, pattern B h:mm: CLDR's own Marathi
// pattern, because mr's AM/PM markers are the Latin "AM"/"PM" and a civic notice says
// सकाळ/दुपार/संध्याकाळ/रात्र instead).
std::string format_time(CivilTime time, const LanguageCode& lang);

// An integer or decimal as people write it in announcements: "-"? digits ("." digits)?.
// No exponent, no grouping separators, no "+".
bool is_decimal_number(std::string_view text);
// "100000" -> "1,00,000" (en), "१,००,०००" (mr); "12.50" keeps its two decimals, because a
// fee of "12.5" is not how an amount of money is written. Throws Error(data) unless
// is_decimal_number(decimal).
std::string format_number(std::string_view decimal, const LanguageCode& lang);

// ASCII digits replaced by the locale's default digits ("२०२६" for mr; unchanged for en).
std::string localize_digits(std::string_view text, const LanguageCode& lang);

}  // namespace samvad::text
