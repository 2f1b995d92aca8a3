// schedule.yaml loading (every problem with file:line) and the pure decision of what is due.
#include <catch2/catch.hpp>

#include <set>

#include <samvad/config/config.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>

#include "support/process.hpp"

using Catch::Contains;
using samvad::Error;
using samvad::ExitCode;
using namespace samvad::schedule;

namespace {

const samvad::config::Config& sample_config() {
  static const samvad::config::Config config =
      samvad::registry::load_config(samvad::test::source_dir() / "departments.yaml");
  return config;
}

Schedule parse(const std::string& yaml) { return parse_schedule(yaml, "schedule.yaml", sample_config()); }

Error parse_error(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected samvad::Error");
  throw std::logic_error("unreachable");
}

LocalTime at(const std::string& text) { return parse_local_time(text).value(); }

const char* kWeekly = R"(entries:
  - id: tax
    template: property-tax-reminder
    departments: [property-tax]
    vars: {deadline: 2027-03-31, discount_percent: 10, pay_link: "https://example.org/pay"}
    cron: "0 10 * * MON"
    start: 2026-12-01
    until: 2027-03-31
)";

const char* kWaterCut = R"(entries:
  - id: water-cut
    template: water-supply-interruption
    departments: all
    vars:
      areas: {mr: "निगडी", en: "Nigdi"}
      date: 2026-12-03
    at: [2026-12-03T07:00, 2026-12-02T18:00]
    expires: 2026-12-03T17:00
)";

std::vector<std::string> kinds(const std::vector<Decision>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    out.push_back(to_iso(d.occurrence) + " " +
                  (d.kind == Decision::Kind::post ? "post" : d.kind == Decision::Kind::superseded ? "superseded" : "skipped"));
  return out;
}

auto nothing_recorded = [](const std::string&) { return false; };

}  // namespace

TEST_CASE("the sample schedule.yaml loads", "[schedule]") {
  Schedule s = load_schedule(samvad::test::source_dir() / "schedule.yaml", sample_config());
  REQUIRE(s.entries.size() == 2);
  CHECK(s.entries[0].at.size() == 2);
  CHECK(s.entries[1].cron->text() == "0 10 * * MON");
}

TEST_CASE("schedule entries: at-times sorted, departments or all, vars per language, cron with start and until", "[schedule]") {
  Schedule w = parse(kWaterCut);
  REQUIRE(w.entries.size() == 1);
  const Entry& e = w.entries[0];
  CHECK(e.all);
  CHECK(to_iso(e.at[0]) == "2026-12-02T18:00");
  CHECK(e.vars.values.at("areas").by_language.at("mr") == "निगडी");
  CHECK(e.announcement_id(e.at[0]) == "water-cut@2026-12-02T18:00");
  CHECK(e.occurrences(at("2026-12-01T00:00"), at("2026-12-31T00:00")).size() == 2);

  Schedule t = parse(kWeekly);
  // Mondays from 2026-12-01 to 2027-03-31 at 10:00: 17 of them.
  CHECK(t.entries[0].occurrences(at("2026-11-01T00:00"), at("2027-12-31T00:00")).size() == 17);
  CHECK(to_iso(t.entries[0].occurrences(at("2026-11-01T00:00"), at("2027-12-31T00:00")).front()) == "2026-12-07T10:00");
}

TEST_CASE("schedule problems are all reported with file:line and what was expected", "[schedule]") {
  Error e = parse_error(R"(entries:
  - id: a
    template: health-camp
    departments: [water-suply]
    cron: "0 25 * * *"
  - id: a
    template: health-camp
    departments: [health]
    at: [tomorrow]
  - id: c
    template: health-camp
    departments: [health]
    when: 2026-12-01T10:00
)");
  CHECK(e.code() == ExitCode::config);
  const std::string all = e.what();
  CHECK_THAT(all, Contains("schedule.yaml:4:18: entry a: unknown department 'water-suply'"));
  CHECK_THAT(all, Contains("schedule.yaml:5:11: entry a.cron '0 25 * * *': hour"));
  CHECK_THAT(all, Contains("schedule.yaml:6:9: id 'a' is used by another entry"));
  CHECK_THAT(all, Contains("schedule.yaml:9:10: entry a.at is not a local time"));
  CHECK_THAT(all, Contains("unknown key 'when'"));
  CHECK_THAT(all, Contains("entry c says neither when nor how often"));
}

TEST_CASE("a missing schedule file is 66", "[schedule]") {
  try {
    load_schedule("/nonexistent/schedule.yaml", sample_config());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
  }
}

TEST_CASE("durations for --catch-up", "[schedule]") {
  CHECK(parse_duration("2h") == std::chrono::seconds(7200));
  CHECK(parse_duration("90m") == std::chrono::seconds(5400));
  CHECK(parse_duration("1d") == std::chrono::seconds(86400));
  CHECK(parse_duration("45s") == std::chrono::seconds(45));
  CHECK_FALSE(parse_duration("2 hours"));
  CHECK_FALSE(parse_duration("h"));
  CHECK_FALSE(parse_duration("-1h"));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("1234567h"));  // at most six digits
  CHECK_FALSE(parse_duration("1y"));
  CHECK_FALSE(parse_duration("1hh"));
  CHECK(parse_duration("999999d") == std::chrono::hours(24 * 999999));
  CHECK(parse_duration("5 m") == std::chrono::minutes(5));
  // A long run of spaces once recursed once per character in std::regex and overflowed the stack.
  CHECK(parse_duration("1" + std::string(200000, ' ') + "h") == std::chrono::hours(1));
  CHECK_FALSE(parse_duration("1" + std::string(200000, ' ')));
}

TEST_CASE("only the latest due occurrence is posted, earlier ones are superseded", "[schedule]") {
  const Entry e = parse(kWeekly).entries[0];
  // samvad was not run for two weeks: three Mondays due at once.
  auto ds = decide(e, at("2026-12-21T10:04"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata");
  CHECK(kinds(ds) == std::vector<std::string>{"2026-12-07T10:00 superseded", "2026-12-14T10:00 superseded", "2026-12-21T10:00 post"});
  CHECK_THAT(ds[0].reason, Contains("2026-12-21T10:00"));
  // What was recorded is not decided again.
  std::set<std::string> recorded{"tax@2026-12-07T10:00", "tax@2026-12-14T10:00", "tax@2026-12-21T10:00"};
  CHECK(decide(e, at("2026-12-21T10:09"), std::chrono::hours(2), [&](const std::string& id) { return recorded.count(id) > 0; },
               "Asia/Kolkata")
            .empty());
  // Everything up to the latest recorded occurrence counts as handled.
  CHECK(kinds(decide(e, at("2026-12-21T10:04"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata", at("2026-12-14T10:00"))) ==
        std::vector<std::string>{"2026-12-21T10:00 post"});
  // Before the first occurrence, nothing.
  CHECK(decide(e, at("2026-12-07T09:59"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata").empty());
}

TEST_CASE("a frequent rule not run for a long time lists at most 20 superseded occurrences", "[schedule]") {
  Entry e = parse(kWeekly).entries[0];
  e.cron = CronExpression::parse("*/5 * * * *").value();
  e.start.reset();
  e.until.reset();
  auto ds = decide(e, at("2026-12-21T10:04"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata");
  REQUIRE(ds.size() == 21);
  CHECK(to_iso(ds.back().occurrence) == "2026-12-21T10:00");
  CHECK(ds.back().kind == Decision::Kind::post);
  CHECK_THAT(ds.front().reason, Contains("earlier ones, not listed"));
}

TEST_CASE("an occurrence older than the catch-up window or past expiry is skipped, never posted late", "[schedule]") {
  const Entry weekly = parse(kWeekly).entries[0];
  auto late = decide(weekly, at("2026-12-07T12:01"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata");
  REQUIRE(late.size() == 1);
  CHECK(late[0].kind == Decision::Kind::skipped);
  CHECK_THAT(late[0].reason, Contains("121 minutes ago"));
  auto in_time = decide(weekly, at("2026-12-07T11:59"), std::chrono::hours(2), nothing_recorded, "Asia/Kolkata");
  CHECK(kinds(in_time) == std::vector<std::string>{"2026-12-07T10:00 post"});

  const Entry cut = parse(kWaterCut).entries[0];
  auto expired = decide(cut, at("2026-12-03T17:00"), std::chrono::hours(24), nothing_recorded, "Asia/Kolkata");
  CHECK(kinds(expired) == std::vector<std::string>{"2026-12-02T18:00 superseded", "2026-12-03T07:00 skipped"});
  CHECK_THAT(expired[1].reason, Contains("expired at 2026-12-03T17:00"));
}

TEST_CASE("a schedule entry's vars are taken as written: ${NAME} never comes from the environment", "[schedule]") {
  ::setenv("SAMVAD_TEST_SCHEDULE_SECRET", "env-secret-Jj7", 1);
  Schedule s = parse(R"(entries:
  - id: env
    template: water-supply-interruption
    departments: [water-supply]
    vars: {areas: {mr: "${SAMVAD_TEST_SCHEDULE_SECRET}", en: "${SAMVAD_TEST_SCHEDULE_SECRET}"}, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T18:00]
)");
  CHECK(s.entries[0].vars.values.at("areas").by_language.at("en") == "${SAMVAD_TEST_SCHEDULE_SECRET}");
  ::unsetenv("SAMVAD_TEST_SCHEDULE_SECRET");
}
