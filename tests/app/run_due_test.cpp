// run-due as library calls (app/run_due): one run per store at a time, what is due made ready
// before anything is locked or written, and the worst exit code of several occurrences. Against a
// private copy of the sample configuration and schedule; nothing is sent.
#include <catch2/catch.hpp>

#include <samvad/app/run_due.hpp>

#include "support/sample_setup.hpp"

using samvad::Error;
using samvad::ExitCode;
using samvad::app::DueItem;
using samvad::app::DueRequest;
using samvad::app::RunDueLock;

namespace {

struct ScheduledSample {
  samvad::test::SampleSetup sample;
  samvad::app::Paths paths;
  ScheduledSample() {
    sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
    paths.config = sample.config().string();
  }
  std::filesystem::path state() const { return sample.dir() / "state" / "state.db"; }
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

TEST_CASE("a second run-due lock on the same store is refused with 75 while the first is held", "[app]") {
  samvad::test::TempDir dir;
  const auto state = dir.path() / "state.db";
  {
    RunDueLock first(state);
    try {
      RunDueLock second(state);
      FAIL("a second lock was granted");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::temp_fail);
      CHECK_THAT(e.what(), Catch::Contains("another samvad run-due is active") &&
                               Catch::Contains("pid " + std::to_string(::getpid())));
    }
    // Another store is another lock.
    CHECK_NOTHROW(RunDueLock(dir.path() / "other.db"));
  }
  CHECK_NOTHROW(RunDueLock(state));  // released with the first
}

TEST_CASE("a run-due lock that cannot be made is 73, not an internal error", "[app]") {
  samvad::test::TempDir dir;
  const auto file = dir.write("not-a-folder", "x");
  CHECK(code_of([&] { RunDueLock lock(file / "state.db"); }) == ExitCode::cant_create);
}

TEST_CASE("the worse exit code of two occurrences: a person is needed more than a rerun", "[app]") {
  using samvad::app::worse;
  CHECK(worse(ExitCode::ok, ExitCode::temp_fail) == ExitCode::temp_fail);
  CHECK(worse(ExitCode::temp_fail, ExitCode::ok) == ExitCode::temp_fail);
  CHECK(worse(ExitCode::temp_fail, ExitCode::unavailable) == ExitCode::unavailable);
  CHECK(worse(ExitCode::unavailable, ExitCode::temp_fail) == ExitCode::unavailable);
  CHECK(worse(ExitCode::unavailable, ExitCode::data) == ExitCode::data);
  CHECK(worse(ExitCode::config, ExitCode::unavailable) == ExitCode::config);
}

TEST_CASE("a dry run finds what is due without taking the lock or creating the store", "[app]") {
  ScheduledSample s;
  // Monday 2026-12-07 10:30: the weekly property-tax reminder of 10:00 is due.
  auto run = samvad::app::open_due_run(s.paths, DueRequest{"2026-12-07T10:30", "2h", true, false});
  samvad::app::collect_due(run);
  CHECK(run.lock == nullptr);
  CHECK_FALSE(std::filesystem::exists(s.state()));
  // The water cut's two past occurrences are passed over (superseded, then expired); the reminder is posted.
  REQUIRE(run.items.size() == 3);
  CHECK(run.items[0].action == DueItem::Action::superseded);
  CHECK(run.items[1].action == DueItem::Action::skipped);
  CHECK(run.items[2].entry->id == "property-tax-weekly");
  CHECK(run.items[2].action == DueItem::Action::post);
  REQUIRE(run.prepared.size() == 3);
  CHECK(run.prepared[2].item == &run.items[2]);
  CHECK_FALSE(run.prepared[0].plan);
  REQUIRE(run.prepared[2].plan);
  CHECK_FALSE(run.prepared[2].plan->deliveries.empty());
  CHECK(samvad::app::dry_run_code(run) == ExitCode::ok);

  const auto json = samvad::app::due_json(run);
  CHECK(json["dry_run"] == true);
  CHECK(json["now"] == "2026-12-07T10:30:00+05:30");
  REQUIRE(json["occurrences"].size() == 3);
  CHECK(json["occurrences"][1]["action"] == "skipped");
  CHECK_FALSE(json["occurrences"][1].contains("plan"));
  CHECK(json["occurrences"][2]["entry"] == "property-tax-weekly");
  CHECK(json["occurrences"][2]["reason"] == nullptr);
  CHECK(json["occurrences"][2].contains("plan"));
}

TEST_CASE("a real run holds the store's lock from collecting until it is gone", "[app]") {
  ScheduledSample s;
  {
    auto run = samvad::app::open_due_run(s.paths, DueRequest{"2026-12-07T10:30", "2h", false, false});
    CHECK(code_of([&] { RunDueLock other(s.state()); }) == ExitCode::ok);  // not before collecting
    samvad::app::collect_due(run);
    CHECK(run.lock != nullptr);
    CHECK(code_of([&] { RunDueLock other(s.state()); }) == ExitCode::temp_fail);
    auto moved = std::move(run);  // still held, and the items still point into the moved schedule
    CHECK(code_of([&] { RunDueLock other(s.state()); }) == ExitCode::temp_fail);
    REQUIRE(moved.prepared.size() == 3);
    CHECK(moved.prepared[2].item->entry == &moved.schedule.entries[1]);
  }
  CHECK(code_of([&] { RunDueLock other(s.state()); }) == ExitCode::ok);
}

TEST_CASE("nothing is due before the first occurrence, and a bad catch-up window is a usage error", "[app]") {
  ScheduledSample s;
  auto run = samvad::app::open_due_run(s.paths, DueRequest{"2026-12-01T09:00", "2h", true, false});
  samvad::app::collect_due(run);
  CHECK(run.items.empty());
  CHECK(samvad::app::due_json(run)["occurrences"].empty());
  CHECK(code_of([&] {
          samvad::app::open_due_run(s.paths, DueRequest{"2026-12-08T10:30", "soon", true, false});
        }) == ExitCode::usage);
}
