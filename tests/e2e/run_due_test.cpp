// `samvad run-due` and `samvad schedule` as cron runs them, against both stand-ins: each due
// occurrence posted once, the latest of several, never late, resumed after failures, one run at a
// time; and SIGTERM stopping a run cleanly.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;
using samvad::test::eventually;



// The repository's sample schedule.yaml: a water cut posted the evening before and the morning
// of (expiring at 17:00), and a weekly property-tax reminder on Mondays at 10:00 from 2026-12-01.
struct Scheduled {
  XSetup x;
  Scheduled() {
    x.with_email();
    x.sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
  }
  samvad::test::ProcessResult due(const std::string& now, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"run-due", "--now", now, "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return x.run(args);
  }
  std::size_t tweets(const std::string& department) const { return x.live_posts(department).size(); }
};

}  // namespace

TEST_CASE("run-due posts an occurrence once when its time has come, to X and email, and never again", "[e2e][schedule]") {
  Scheduled s;
  auto early = s.due("2026-12-02T17:55");
  CHECK(early.exit_code == 0);
  CHECK_THAT(early.out, Contains("nothing due"));
  CHECK(s.tweets("water-supply") == 0);

  auto r = s.due("2026-12-02T18:03", {"--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  REQUIRE(j.at("occurrences").size() == 1);
  CHECK(j.at("occurrences")[0].at("announcement") == "water-cut-nigdi-2026-12-03@2026-12-02T18:00");
  CHECK(j.at("occurrences")[0].at("action") == "post");
  CHECK(j.at("occurrences")[0].at("report").at("status") == "delivered");
  CHECK(s.tweets("water-supply") == 2);  // mr and en
  CHECK(s.x.smtp.messages().size() == 1);

  // cron's next runs: nothing more until the morning occurrence.
  CHECK(s.due("2026-12-02T18:08").exit_code == 0);
  CHECK(s.due("2026-12-03T06:58").exit_code == 0);
  CHECK(s.tweets("water-supply") == 2);
  // The morning's tweets are the evening's text word for word: X refuses them as duplicates of
  // the evening's posts, which stay the evening announcement's; samvad says so (69) rather than
  // calling the morning's tweets delivered. The email goes again.
  auto morning = s.due("2026-12-03T07:02");
  CHECK(morning.exit_code == 69);
  CHECK_THAT(morning.err, Contains("duplicate content") && Contains("water-cut-nigdi-2026-12-03@2026-12-02T18:00"));
  CHECK(s.tweets("water-supply") == 2);
  CHECK(s.x.smtp.messages().size() == 2);
  auto status = parse(s.x.run({"--json", "status", "water-cut-nigdi-2026-12-03@2026-12-03T07:00"}));
  for (const auto& d : status.at("deliveries")) {
    CHECK(d.at("status") == (d.at("channel") == "email" ? "delivered" : "failed"));
    if (d.at("channel") == "twitter") CHECK(d.at("tweet_ids").empty());
  }
  // Never again: the next run neither resends the email nor asks X once more.
  const auto requests = s.x.standin.requests().size();
  CHECK(s.due("2026-12-03T07:07").exit_code == 0);
  CHECK(s.x.standin.requests().size() == requests);
  CHECK(s.x.smtp.messages().size() == 2);
}

TEST_CASE("several due occurrences of a recurring entry: only the latest is posted, the others recorded as superseded",
          "[e2e][schedule]") {
  Scheduled s;
  // samvad did not run for two weeks: the Mondays 7, 14 and 21 December are all due.
  auto r = s.due("2026-12-21T10:04", {"--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  std::vector<std::string> actions;
  for (const auto& o : j.at("occurrences")) {
    if (o.at("entry") != "property-tax-weekly") continue;
    actions.push_back(o.at("occurrence").get<std::string>() + " " + o.at("action").get<std::string>());
  }
  CHECK(actions == std::vector<std::string>{"2026-12-07T10:00:00+05:30 superseded", "2026-12-14T10:00:00+05:30 superseded",
                                            "2026-12-21T10:00:00+05:30 post"});
  CHECK_THAT(r.err, Contains("property-tax-weekly@2026-12-07T10:00 superseded"));
  auto posts = s.x.live_posts("property-tax");
  REQUIRE(posts.size() == 2);
  // The occurrence is in the text: each week's reminder differs.
  bool dated = false;
  for (const auto& p : posts) dated = dated || p.at("text").get<std::string>().find("21 December 2026") != std::string::npos;
  CHECK(dated);

  // The schedule shows what happened and what comes next.
  auto overview = parse(s.x.run({"--json", "schedule", "--now", "2026-12-21T10:30", "--days", "8"}));
  std::map<std::string, std::string> status;
  for (const auto& o : overview) status[o.at("announcement").get<std::string>()] = o.at("status").get<std::string>();
  CHECK(status["property-tax-weekly@2026-12-07T10:00"] == "superseded");
  CHECK(status["property-tax-weekly@2026-12-21T10:00"] == "delivered");
  CHECK(status["property-tax-weekly@2026-12-28T10:00"] == "upcoming");
}

TEST_CASE("an occurrence missed by more than the catch-up window is skipped with a warning, never posted late",
          "[e2e][schedule]") {
  Scheduled s;
  auto late = s.due("2026-12-07T13:00", {"-q"});
  INFO(late.err);
  CHECK(late.exit_code == 0);
  CHECK(late.out.empty());  // -q: cron mails only problems...
  CHECK_THAT(late.err, Contains("property-tax-weekly@2026-12-07T10:00 skipped"));  // ...and this is one
  CHECK(s.tweets("property-tax") == 0);
  CHECK(s.due("2026-12-07T13:05").exit_code == 0);
  CHECK(s.tweets("property-tax") == 0);
  // A wider window does not bring it back: 12-07 was recorded as skipped and stays skipped.
  auto wide = s.due("2026-12-07T13:10", {"--catch-up", "1d"});
  CHECK(wide.exit_code == 0);
  CHECK(s.tweets("property-tax") == 0);
}

TEST_CASE("an occurrence past its entry's expiry is skipped whatever the catch-up window", "[e2e][schedule]") {
  Scheduled s;
  auto expired = s.due("2026-12-03T17:10", {"--catch-up", "1d"});
  CHECK(expired.exit_code == 0);
  CHECK_THAT(expired.err, Contains("water-cut-nigdi-2026-12-03@2026-12-02T18:00 superseded"));
  CHECK_THAT(expired.err, Contains("water-cut-nigdi-2026-12-03@2026-12-03T07:00 skipped: expired at 2026-12-03T17:00"));
  CHECK(s.tweets("water-supply") == 0);
  CHECK(s.x.smtp.messages().empty());
}

TEST_CASE("a deferred occurrence is resumed by the next run-due and delivered exactly once", "[e2e][schedule]") {
  Scheduled s;
  s.x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}, {"times", 8}});
  auto first = s.due("2026-12-02T18:01");
  CHECK(first.exit_code == 75);
  auto second = s.due("2026-12-02T18:06");
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(s.tweets("water-supply") == 2);
  CHECK(s.x.smtp.messages().size() == 1);  // the email went out in the first run and not again
  CHECK(s.due("2026-12-02T18:11").exit_code == 0);
  CHECK(s.tweets("water-supply") == 2);
}

TEST_CASE("an occurrence held back by X's 24-hour cap is not resumed before the cap resets", "[e2e][schedule]") {
  Scheduled s;
  s.x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 429}, {"user_24h_reset_in", 6 * 3600}, {"times", 2}});
  auto first = s.due("2026-12-02T18:01", {"--json"});
  CHECK(first.exit_code == 75);
  auto report = parse(first).at("occurrences").at(0).at("report");
  for (const auto& d : report.at("deliveries")) CHECK(d.at("retry_at").is_null() == (d.at("channel") != "twitter"));
  const auto asked = s.x.standin.requests().size();
  // cron's next run, five minutes later: the occurrence is still timely, but X would refuse it.
  auto second = s.due("2026-12-02T18:06");
  INFO(second.err);
  CHECK(second.exit_code == 75);
  CHECK_THAT(second.err, Contains("more for the rate limit"));
  CHECK(s.x.standin.requests().size() == asked);
  CHECK(s.tweets("water-supply") == 0);
  CHECK(s.x.smtp.messages().size() == 1);  // the email went out in the first run and not again
}

TEST_CASE("only one run-due at a time per state store: a second exits 75 at once", "[e2e][schedule]") {
  XSetup x({"--latency-ms", "1500"});
  x.with_email();
  x.sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
  auto first = x.start({"run-due", "--now", "2026-12-02T18:01", "--yes"});
  REQUIRE(eventually(
      [&] { return std::filesystem::exists(x.state().string() + ".run-due.lock") && !x.standin.requests().empty(); }));
  auto second = x.run({"run-due", "--now", "2026-12-02T18:01", "--yes"});
  // "At once": it did not wait for the first run to end (which is still sending, slowly), however
  // loaded the machine is; a clock would say that only on an idle one.
  CHECK(::kill(first->pid(), 0) == 0);
  CHECK(second.exit_code == 75);
  CHECK_THAT(second.err, Contains("another samvad run-due is active on " + x.state().string()));
  CHECK(std::count(second.err.begin(), second.err.end(), '\n') == 1);
  auto done = first->wait();
  CHECK(done.exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);
}

TEST_CASE("check validates the schedule: templates, variables, cron rules and times gone by", "[e2e][schedule]") {
  Scheduled s;
  s.x.sample.write("schedule.yaml", R"(entries:
  - id: bad-cron
    template: health-camp
    departments: [health]
    cron: "0 9 * * FUNDAY"
  - id: no-template
    template: helth-camp
    departments: [health]
    at: [2030-01-01T10:00]
  - id: missing-vars
    template: water-supply-interruption
    departments: [water-supply]
    at: [2030-01-01T10:00]
)");
  auto r = s.x.run({"check"});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("schedule.yaml:5:11: entry bad-cron.cron '0 9 * * FUNDAY': day-of-week"));
  s.x.sample.write("schedule.yaml", R"(entries:
  - id: no-template
    template: helth-camp
    departments: [health]
    at: [2030-01-01T10:00]
  - id: missing-vars
    template: water-supply-interruption
    departments: [water-supply]
    at: [2020-01-01T10:00]
)");
  auto r2 = s.x.run({"check"});
  CHECK(r2.exit_code != 0);
  CHECK_THAT(r2.err, Contains("schedule entry no-template"));
  CHECK_THAT(r2.err, Contains("helth-camp"));
  CHECK_THAT(r2.err, Contains("schedule entry missing-vars"));
  CHECK_THAT(r2.err, Contains("areas"));
  CHECK_THAT(r2.err, Contains("2020-01-01T10:00 has passed and was never posted"));
}

TEST_CASE("SIGTERM stops a post after the request in flight: exit 75, and the rerun finishes without duplicates",
          "[e2e][schedule]") {
  XSetup x({"--latency-ms", "400"});
  auto run = x.start({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes", "--jobs", "1"});
  REQUIRE(eventually([&] { return x.standin.posts().size() >= 1; }));
  run->kill(SIGTERM);
  auto stopped = run->wait();
  CHECK(stopped.exit_code == 75);
  CHECK_THAT(stopped.err, Contains("stopped by a signal"));
  const auto after_stop = x.standin.posts().size();
  CHECK(after_stop < 16);
  auto rerun = x.run({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes"});
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(x.standin.posts().size() == 16);  // 8 departments x 2 languages, each once
}

TEST_CASE("run-due with a store under a file (not a folder) cannot make its lock: 73, never an internal error",
          "[e2e][schedule]") {
  samvad::test::SampleSetup sample;
  sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
  const auto file = sample.write("not-a-folder", "x");
  auto r = sample.run({"--state", (file / "state.db").string(), "run-due", "--now", "2026-12-07T10:30", "--yes"});
  CHECK(r.exit_code == 73);
  CHECK_THAT(r.err, Contains("cannot create the lock file") && Contains("not-a-folder"));
  CHECK_THAT(r.err, !Contains("internal error"));
}

TEST_CASE("a schedule entry naming a reply template is refused by check and never posted by run-due",
          "[e2e][schedule]") {
  Scheduled s;
  s.x.sample.write("schedule.yaml", R"(entries:
  - id: thanks
    template: reply-resolved
    departments: [water-supply]
    at: [2026-12-05T10:00]
)");
  auto checked = s.x.run({"check", "--now", "2026-12-05T09:00"});
  CHECK(checked.exit_code == 78);
  CHECK_THAT(checked.err, Contains("schedule.yaml:2:") && Contains("schedule entry thanks") &&
                              Contains("template 'reply-resolved' is a reply"));
  auto due = s.due("2026-12-05T10:01");
  CHECK(due.exit_code == 78);
  CHECK_THAT(due.err, Contains("reply-resolved' is a reply"));
  CHECK(s.tweets("water-supply") == 0);
  CHECK(s.x.standin.requests().empty());
}
