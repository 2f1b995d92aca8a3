#include <catch2/catch.hpp>

#include <samvad/templates/plausibility.hpp>

using samvad::Diagnostic;
using namespace samvad::templates;

namespace {

Template road() {
  return parse_template(R"(kind: service-notice
title: {en: Road closure, mr: रस्ता बंद}
variables:
  road: {type: text}
  from_date: {type: date}
  to_date: {type: date}
  closure-start: {type: time}
  closure-end: {type: time}
  from: {type: time}
  to: {type: date}
  start_of_works: {type: text}
  end_of_works: {type: text}
tweet:
  mr: "{{road}} {{from_date.mr}} {{to_date.mr}} {{closure-start.mr}} {{closure-end.mr}} {{from.mr}} {{to.mr}} {{start_of_works}} {{end_of_works}}"
  en: "{{road}} {{from_date.en}} {{to_date.en}} {{closure-start.en}} {{closure-end.en}} {{from.en}} {{to.en}} {{start_of_works}} {{end_of_works}}"
)",
                        "road", "templates/road.yaml");
}

std::vector<Diagnostic> warnings_for(std::initializer_list<const char*> args, std::optional<ReferenceDay> day = std::nullopt) {
  Template t = road();
  Variables v;
  for (const char* a : args) add_var_argument(v, a);
  std::vector<Diagnostic> ignored;
  ResolvedVariables resolved = resolve_variables(t, v, false, ignored);
  return plausibility_warnings(t, resolved, {"mr", "en"}, day);
}

}  // namespace

TEST_CASE("from/to and start/end variables of one type pair up by name", "[templates]") {
  Template t = road();
  auto partner = [&](const char* name) {
    const VariableSpec* p = paired_variable(t, *t.find_variable(name));
    return p ? p->name : std::string("-");
  };
  CHECK(partner("from_date") == "to_date");
  CHECK(partner("closure-start") == "closure-end");
  CHECK(partner("from") == "-");            // `to` is a date, `from` a time
  CHECK(partner("start_of_works") == "-");  // text is not compared
  CHECK(partner("to_date") == "-");         // pairs are found from their start
  CHECK(partner("road") == "-");
}

TEST_CASE("a start after its end and a date before the reference day are warnings", "[templates]") {
  ReferenceDay day{{2026, 12, 4}, "today, 2026-12-04 in Asia/Kolkata"};
  auto w = warnings_for({"road.mr=मुंबई-पुणे रस्ता", "road.en=Mumbai-Pune road", "from_date=2026-12-09", "to_date=2026-12-05",
                         "closure-start=22:00", "closure-end=06:00"},
                        day);
  REQUIRE(w.size() == 2);
  CHECK(w[0].message == "variable 'from_date' (2026-12-09) is after 'to_date' (2026-12-05); expected from_date before to_date");
  CHECK(w[1].message.rfind("variable 'closure-start' (22:00) is after 'closure-end' (06:00)", 0) == 0);

  auto past = warnings_for({"road.mr=रस्ता", "to=2026-12-03"}, day);
  REQUIRE(past.size() == 1);
  CHECK(past[0].message == "variable 'to' is 2026-12-03, before today, 2026-12-04 in Asia/Kolkata; expected a date still "
                           "to come (is the year or month right?)");
  CHECK(warnings_for({"road.mr=रस्ता", "to=2026-12-03"}).empty());  // no reference day: dates are not judged
  // A closure that began before the day and still runs is news, not a mistake.
  CHECK(warnings_for({"road.mr=रस्ता", "from_date=2026-12-01", "to_date=2026-12-04"}, day).empty());
  CHECK(warnings_for({"road.mr=रस्ता", "from_date=2026-12-01", "to_date=2026-12-03"}, day).size() == 2);
}

TEST_CASE("text for Marathi without Devanagari letters is a warning, once per value", "[templates]") {
  auto common = warnings_for({"road=Mumbai-Pune road"});
  REQUIRE(common.size() == 1);
  CHECK(common[0].message == "variable 'road' has one value for every language, 'Mumbai-Pune road', with no Devanagari "
                             "letters, so the Marathi text shows it as it is; expected --var road.mr=… --var road.en=… "
                             "(Marathi in Devanagari)");
  auto one = warnings_for({"road.mr=Mumbai-Pune road", "road.en=Mumbai-Pune road"});
  REQUIRE(one.size() == 1);
  CHECK(one[0].message == "variable 'road' for mr is 'Mumbai-Pune road', with no Devanagari letters; expected Marathi "
                          "written in Devanagari");
  CHECK(warnings_for({"road.mr=मुंबई-पुणे रस्ता", "road.en=Mumbai-Pune road"}).empty());
  auto long_value = warnings_for({std::string("road.mr=" + std::string(60, 'a')).c_str()});
  REQUIRE(long_value.size() == 1);
  CHECK(long_value[0].message.find("'" + std::string(40, 'a') + "…'") != std::string::npos);
}
