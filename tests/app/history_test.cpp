// status, history and schedule as library calls (app/status, app/history, app/schedule_list):
// their usage errors, an empty or missing store, and the store used when the configuration
// cannot be read. Against a private copy of the sample configuration; nothing is sent.
#include <catch2/catch.hpp>

#include <samvad/app/history.hpp>
#include <samvad/app/schedule_list.hpp>
#include <samvad/app/status.hpp>

#include "support/sample_setup.hpp"

using samvad::Diagnostic;
using samvad::Error;
using samvad::ExitCode;
using samvad::app::HistoryRequest;

namespace {

struct Sample {
  samvad::test::SampleSetup sample;
  samvad::app::Paths paths;
  Sample() { paths.config = sample.config().string(); }
};

ExitCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("history: bad --limit, --since and department are usage errors, no store is an empty history", "[app]") {
  Sample s;
  auto no_warning = [](const Diagnostic& d) { FAIL("unexpected warning: " << d.to_string()); };
  CHECK(code_of([&] {
          samvad::app::history(s.paths, HistoryRequest{std::nullopt, std::nullopt, 0}, no_warning);
        }) == ExitCode::usage);
  CHECK(code_of([&] {
          samvad::app::history(s.paths, HistoryRequest{std::nullopt, "2026-13-01", 5}, no_warning);
        }) == ExitCode::usage);
  CHECK(code_of([&] {
          samvad::app::history(s.paths, HistoryRequest{std::nullopt, "1900-01-01", 5}, no_warning);
        }) == ExitCode::usage);
  try {
    samvad::app::history(s.paths, HistoryRequest{"water-suply", std::nullopt, 5}, no_warning);
    FAIL("a mistyped department was taken for an empty history");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK_THAT(e.what(), Catch::Contains("water-supply"));  // the suggestion
  }

  const auto history = samvad::app::history(s.paths, HistoryRequest{"water-supply", "2026-12-01", 5}, no_warning);
  CHECK_FALSE(history.store_exists);
  CHECK(history.entries.empty());
  CHECK(history.config);
  CHECK(samvad::app::to_json(history) == nlohmann::json::array());
}

TEST_CASE("history without a readable configuration reads the default store and says so", "[app]") {
  Sample s;
  s.sample.write("departments.yaml", "departments: [not, a, map]\n");
  samvad::test::TempDir state_home;
  ::unsetenv("SAMVAD_STATE");  // the per-user default is the store in question
  ::setenv("XDG_STATE_HOME", state_home.path().c_str(), 1);
  std::vector<Diagnostic> warnings;
  const auto history =
      samvad::app::history(s.paths, HistoryRequest{}, [&](const Diagnostic& d) { warnings.push_back(d); });
  ::unsetenv("XDG_STATE_HOME");
  CHECK_FALSE(history.config);
  CHECK(history.timezone == "Asia/Kolkata");
  CHECK_FALSE(history.store_exists);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0].message,
             Catch::Contains("the configuration could not be read") && Catch::Contains(state_home.path().string()));
}

TEST_CASE("status of a store that does not exist yet is 66", "[app]") {
  Sample s;
  const auto store = samvad::app::readable_store(s.paths);
  CHECK_FALSE(store.warning);
  CHECK(store.path.file() == s.sample.dir() / "state" / "state.db");
  CHECK(code_of([&] { samvad::app::status(s.paths, store.path, std::nullopt); }) == ExitCode::no_input);
}

TEST_CASE("schedule: --days out of range is 64, without a store every occurrence is upcoming or due", "[app]") {
  Sample s;
  s.sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
  CHECK(code_of([&] { samvad::app::list_schedule(s.paths, {367, "2026-12-01T09:00", "2h"}); }) == ExitCode::usage);
  CHECK(code_of([&] { samvad::app::list_schedule(s.paths, {-1, "2026-12-01T09:00", "2h"}); }) == ExitCode::usage);
  const auto list = samvad::app::list_schedule(s.paths, {7, "2026-12-01T09:00", "2h"});
  CHECK(list.zone == "Asia/Kolkata");
  REQUIRE(list.occurrences.size() == 3);  // the water cut's two, the first weekly reminder
  for (const auto& o : list.occurrences) CHECK(o.status == "upcoming");
  const auto json = samvad::app::to_json(list);
  CHECK(json[0]["entry"] == "water-cut-nigdi-2026-12-03");
  CHECK(json[0]["time"] == "2026-12-02T18:00:00+05:30");
  CHECK(json[2]["entry"] == "property-tax-weekly");
  CHECK(json[2]["detail"] == nullptr);
}
