#include <catch2/catch.hpp>

#include <samvad/templates/variables.hpp>

#include "support/process.hpp"

using samvad::Diagnostic;
using samvad::Error;
using samvad::ExitCode;
using namespace samvad::templates;

namespace {

const char* kTemplate = R"(kind: service-notice
title: {en: Water supply interruption, mr: पाणीपुरवठा खंडित}
variables:
  areas: {type: text, required: true, description: Affected areas, example: {en: "Nigdi, Akurdi", mr: "निगडी, आकुर्डी"}}
  date:  {type: date, required: true, description: Day of the interruption, example: 2026-12-03}
  from:  {type: time, required: true, example: "09:00"}
  count: {type: number, required: false, example: 1500}
  link:  {type: url,  required: false}
tweet:
  mr: "{{areas}} {{date.mr}} {{from.mr}} {{count.mr}} {{link}}"
  en: "{{areas}} {{date.en}} {{from.en}} {{count.en}} {{link}}"
)";

Template water() { return parse_template(kTemplate, "water-cut", "templates/water-cut.yaml"); }

Variables vars(std::initializer_list<const char*> args) {
  Variables v;
  for (const char* a : args) add_var_argument(v, a);
  return v;
}

std::vector<Diagnostic> errors_of(const Template& t, const Variables& given, bool use_examples = false) {
  std::vector<Diagnostic> warnings;
  try {
    resolve_variables(t, given, use_examples, warnings);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::data);
    return e.diagnostics();
  }
  FAIL("expected the variables to be refused");
  return {};
}

}  // namespace

TEST_CASE("a --var argument takes key=value and key.LANG=value", "[templates]") {
  Variables v = vars({"areas=Nigdi, Akurdi", "areas.mr=निगडी", "link=https://x.example/?a=b"});
  CHECK(v.values.at("areas").common == "Nigdi, Akurdi");
  CHECK(v.values.at("areas").by_language.at("mr") == "निगडी");
  CHECK(v.values.at("link").common == "https://x.example/?a=b");
  CHECK(v.values.at("areas").for_language("en")->compare("Nigdi, Akurdi") == 0);
  CHECK(v.values.at("areas").for_language("mr")->compare("निगडी") == 0);

  for (const char* bad : {"areas", "=x", "areas.=x", "areas.MR=x", "a b=x", ".mr=x"}) {
    INFO(bad);
    try {
      Variables v2;
      add_var_argument(v2, bad);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
      CHECK(e.diagnostics()[0].message == "--var '" + std::string(bad) + "': expected key=value or key.LANG=value");
    }
  }
}

TEST_CASE("a --var value that is not UTF-8 is a data error naming the variable", "[templates]") {
  for (const char* bad : {"areas=caf\xE9", "areas.mr=पाणी\xE0\xA4", "areas=\xFF\xFE"}) {
    INFO(bad);
    try {
      Variables v;
      add_var_argument(v, bad);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::data);
      CHECK_THAT(e.diagnostics()[0].message, Catch::StartsWith("--var areas") && Catch::Contains("is not valid UTF-8"));
    }
  }
  // A malformed one is quoted escaped.
  try {
    Variables v;
    add_var_argument(v, "\x1B[2J");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.diagnostics()[0].message == "--var '\\x1B[2J': expected key=value or key.LANG=value");
  }
}

TEST_CASE("a vars file maps names to a value or to one value per language", "[templates]") {
  samvad::test::TempDir dir;
  auto file = dir.write("vars.yaml", "areas: {en: Nigdi, mr: निगडी}\ndate: 2026-12-03\nfrom: \"09:00\"\n");
  Variables v = load_vars_file(file);
  CHECK(v.values.at("areas").by_language.at("mr") == "निगडी");
  CHECK(v.values.at("date").common == "2026-12-03");
  CHECK(v.values.at("date").where.line == 2);
  CHECK(v.values.at("from").common == "09:00");

  try {
    load_vars_file(dir.path() / "missing.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
  }
  auto bad = dir.write("bad.yaml", "areas: Nigdi\ndate: [2026, 12]\n");
  try {
    load_vars_file(bad);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::data);
    CHECK(e.diagnostics()[0].where->line == 2);
  }
  auto broken = dir.write("broken.yaml", "areas: {en: Nigdi\n");
  CHECK_THROWS_AS(load_vars_file(broken), Error);
  try {
    load_vars_file(broken);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::data);
  }
}

TEST_CASE("the command line overrides a vars file", "[templates]") {
  Variables file = parse_vars("areas: {en: Nigdi, mr: निगडी}\ndate: 2026-12-03\nlink: https://a.example/\n", "vars.yaml");
  merge(file, vars({"areas=Akurdi", "date=2026-12-04", "link.mr=https://b.example/"}));
  CHECK(file.values.at("areas").common == "Akurdi");
  CHECK(file.values.at("areas").by_language.empty());
  CHECK(file.values.at("date").common == "2026-12-04");
  CHECK(*file.values.at("link").for_language("en") == "https://a.example/");
  CHECK(*file.values.at("link").for_language("mr") == "https://b.example/");
}

TEST_CASE("one error lists every missing required variable with its description", "[templates]") {
  auto errors = errors_of(water(), vars({"from=09:00"}));
  REQUIRE(errors.size() == 2);
  // Text is written per language (or once for all); other types in their own form.
  CHECK(errors[0].message ==
        "missing required variable 'areas' (Affected areas); expected --var areas.en=… --var areas.mr=… (the text in each "
        "language), or --var areas=… for every language, or --example");
  CHECK(errors[1].message ==
        "missing required variable 'date' (Day of the interruption); expected --var date=YYYY-MM-DD, or --example");
  try {
    std::vector<Diagnostic> warnings;
    resolve_variables(water(), vars({}), false, warnings);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::data);
    CHECK(std::string(e.what()).find("'areas'") != std::string::npos);
    CHECK(std::string(e.what()).find("'from'") != std::string::npos);
  }
}

TEST_CASE("a text given for some languages only is missing for the others", "[templates]") {
  auto errors = errors_of(water(), vars({"areas.mr=निगडी", "date=2026-12-03", "from=09:00"}));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "missing required variable 'areas' for en (Affected areas); expected --var areas.en=…, or --example");

  // Only the languages asked for are needed.
  std::vector<Diagnostic> warnings;
  auto mr_only = resolve_variables(water(), vars({"areas.mr=निगडी", "date=2026-12-03", "from=09:00"}), false, warnings, {"mr"});
  CHECK(mr_only.find("areas")->value.by_language.at("mr") == "निगडी");
  // An empty value (an unset shell variable) is no value.
  CHECK(errors_of(water(), vars({"areas=", "date=2026-12-03", "from=09:00"})).size() == 1);
}

TEST_CASE("a text given once serves every language", "[templates]") {
  std::vector<Diagnostic> warnings;
  auto r = resolve_variables(water(), vars({"areas=Nigdi", "date=2026-12-03", "from=09:00"}), false, warnings);
  CHECK(*r.find("areas")->value.for_language("mr") == "Nigdi");
  CHECK(*r.find("areas")->value.for_language("en") == "Nigdi");
  CHECK(r.find("link") == nullptr);  // optional and not given: absent
  CHECK(r.find("count") == nullptr);
  CHECK(warnings.empty());
}

TEST_CASE("the --example option fills every variable not given", "[templates]") {
  std::vector<Diagnostic> warnings;
  auto r = resolve_variables(water(), vars({"date=2027-01-02"}), true, warnings);
  CHECK(r.find("areas")->from_example);
  CHECK(r.find("areas")->value.by_language.at("mr") == "निगडी, आकुर्डी");
  CHECK(r.find("date")->value.common == "2027-01-02");
  CHECK_FALSE(r.find("date")->from_example);
  CHECK(r.find("from")->value.common == "09:00");
  CHECK(r.find("count")->value.common == "1500");
  CHECK(r.find("link") == nullptr);  // no example to take
}

TEST_CASE("values that are not what their type expects are refused, all at once", "[templates]") {
  auto errors = errors_of(water(), vars({"areas=x", "date=2026-02-30", "from=25:00", "count=1,500", "link=ftp://x"}));
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].message == "variable 'date' is not a valid date; expected a real calendar date as YYYY-MM-DD, like 2026-12-03");
  CHECK(errors[1].message == "variable 'from' is not a valid time; expected a 24-hour time as HH:MM, like 09:00 or 17:30");
  CHECK(errors[2].message == "variable 'count' is not a valid number; expected a number written with digits, like 1500 or 12.50");
  CHECK(errors[3].message.find("variable 'link' is not a valid url; expected an http:// or https:// link") == 0);

  auto not_url = errors_of(water(), vars({"areas=x", "date=2026-12-03", "from=09:00", "link.mr=not a url"}));
  REQUIRE(not_url.size() == 1);
  CHECK(not_url[0].message.find("variable 'link' (mr) is not a valid url") == 0);

  auto per_language_date = errors_of(water(), vars({"areas=x", "date.mr=2026-12-03", "from=09:00"}));
  CHECK(per_language_date[0].message.find("variable 'date' is a date, the same in every language") == 0);

  // From a vars file the error points at the value.
  auto file_errors = errors_of(water(), parse_vars("areas: x\nfrom: \"09:00\"\ndate: 2026-13-01\n", "vars.yaml"));
  CHECK(file_errors[0].to_string().find("vars.yaml:3:7: variable 'date' is not a valid date") == 0);
}

TEST_CASE("a variable the template does not declare is only a warning", "[templates]") {
  std::vector<Diagnostic> warnings;
  auto r = resolve_variables(water(), vars({"areas=x", "date=2026-12-03", "from=09:00", "area=y"}), false, warnings);
  CHECK(r.find("area") == nullptr);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message ==
        "variable 'area' is not declared by template 'water-cut' (did you mean 'areas'?) and is ignored; "
        "expected one of: areas, date, from, count, link");
}

TEST_CASE("a vars file is taken as written: ${NAME} is published text, never a value from the environment", "[templates]") {
  ::setenv("SAMVAD_TEST_VARS_SECRET", "env-secret-Kk2", 1);
  Variables v = parse_vars("areas: \"${SAMVAD_TEST_VARS_SECRET}\"\nreason: {en: \"$${x} ${SAMVAD_TEST_VARS_SECRET}\"}\n"
                           "note: \"${SAMVAD_TEST_VARS_UNSET}\"\n",
                           "vars.yaml");
  CHECK(v.values.at("areas").common == "${SAMVAD_TEST_VARS_SECRET}");
  CHECK(v.values.at("reason").by_language.at("en") == "$${x} ${SAMVAD_TEST_VARS_SECRET}");
  CHECK(v.values.at("note").common == "${SAMVAD_TEST_VARS_UNSET}");  // not an error either
  ::unsetenv("SAMVAD_TEST_VARS_SECRET");
}
