#include <catch2/catch.hpp>

#include <samvad/core/error.hpp>
#include <samvad/text/localize.hpp>

using namespace samvad::text;

TEST_CASE("dates read day month year, in Marathi with Devanagari digits", "[localize]") {
  CivilDate d{2022, 7, 26};
  CHECK(format_date(d, "mr") == "२६ जुलै २०२२");
  CHECK(format_date(d, "en") == "26 July 2022");
  CHECK(format_weekday(d, "mr") == "मंगळवार");
  CHECK(format_weekday(d, "en") == "Tuesday");

  CivilDate cut{2026, 12, 3};
  CHECK(format_date(cut, "mr") == "३ डिसेंबर २०२६");
  CHECK(format_date(cut, "en") == "3 December 2026");
  CHECK(format_weekday(cut, "mr") == "गुरुवार");
  CHECK(format_weekday(cut, "en") == "Thursday");
}

TEST_CASE("only real calendar days written YYYY-MM-DD are dates", "[localize]") {
  CHECK(parse_iso_date("2022-07-26") == CivilDate{2022, 7, 26});
  CHECK(parse_iso_date("2024-02-29") == CivilDate{2024, 2, 29});
  CHECK(format_iso_date(*parse_iso_date("2026-01-05")) == "2026-01-05");
  for (const char* bad : {"2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10", "2026-2-3", "2026-02-03x",
                          "20260-02-03", "03-12-2026", "", "tomorrow", " 2026-02-03"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso_date(bad));
  }
}

TEST_CASE("times are HH:MM on a 24-hour clock", "[localize]") {
  CHECK(parse_time("09:00") == CivilTime{9, 0});
  CHECK(parse_time("23:59") == CivilTime{23, 59});
  CHECK(parse_time("00:00") == CivilTime{0, 0});
  CHECK(format_iso_time(CivilTime{7, 5}) == "07:05");
  for (const char* bad : {"25:00", "24:00", "12:60", "9:00", "09:00:00", "9am", "", "09-00"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad));
  }
}

TEST_CASE("times read the way a notice says them", "[localize]") {
  CHECK(format_time({9, 0}, "en") == "9:00 am");
  CHECK(format_time({17, 0}, "en") == "5:00 pm");
  CHECK(format_time({0, 30}, "en") == "12:30 am");
  // CLDR's Marathi pattern "B h:mm": the part of the day, then Devanagari digits.
  CHECK(format_time({9, 0}, "mr") == "सकाळ ९:००");
  CHECK(format_time({13, 30}, "mr") == "दुपार १:३०");
  CHECK(format_time({17, 0}, "mr") == "संध्याकाळ ५:००");
  CHECK(format_time({21, 15}, "mr") == "रात्र ९:१५");
}

TEST_CASE("numbers use Indian grouping, and Devanagari digits in Marathi", "[localize]") {
  CHECK(format_number("100000", "en") == "1,00,000");
  CHECK(format_number("100000", "mr") == "१,००,०००");
  CHECK(format_number("-1234567", "en") == "-12,34,567");
  CHECK(format_number("12.50", "en") == "12.50");
  CHECK(format_number("12.50", "mr") == "१२.५०");
  CHECK(format_number("0", "mr") == "०");
  CHECK(format_number("123456789012345678901234", "en") == "1,23,45,67,89,01,23,45,67,89,01,234");
}

TEST_CASE("only plain decimals are numbers", "[localize]") {
  CHECK(is_decimal_number("1500"));
  CHECK(is_decimal_number("-3.25"));
  for (const char* bad : {"1e5", "1,000", "+5", ".5", "5.", "", "five", "१२"}) {
    INFO(bad);
    CHECK_FALSE(is_decimal_number(bad));
  }
  try {
    format_number("1e5", "en");
    FAIL("expected an error");
  } catch (const samvad::Error& e) {
    CHECK(e.code() == samvad::ExitCode::data);
  }
}

TEST_CASE("digits follow the language's own numbering system", "[localize]") {
  CHECK(localize_digits("PCMC 2026, ward 12", "mr") == "PCMC २०२६, ward १२");
  CHECK(localize_digits("2026", "en") == "2026");
  CHECK(locale_id("mr") == "mr_IN");
  CHECK(locale_id("en") == "en_IN");
  CHECK(locale_id("hi") == "hi");
}
