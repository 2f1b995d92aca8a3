// samvad with its store on a PostgreSQL server (--state postgresql://...): the commands a clerk,
// the PRO office and cron use, and "never twice" between processes that share the server as the
// machines of one corporation do. The server is the test run's real PostgreSQL
// (support/postgres_server.hpp); the X API is the stand-in.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <samvad/app/run_due.hpp>
#include <samvad/core/error.hpp>

#include "support/e2e_helpers.hpp"
#include "support/postgres_server.hpp"
#include "support/x_setup.hpp"

using Catch::Matchers::Contains;
using samvad::test::parse_json;
using samvad::test::PostgresServer;
using samvad::test::PostgresTestDatabase;
using samvad::test::XSetup;

namespace {

std::vector<std::string> notice_to_all(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post",  "--channels", "twitter", "water-supply-interruption",
                                "--all", "--example",  "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// Every live post's (account, text), counted: each must be there exactly once.
std::map<std::pair<std::string, std::string>, int> posted(const XSetup& x) {
  std::map<std::pair<std::string, std::string>, int> out;
  for (const auto& p : x.live_posts()) ++out[{p.at("user_id").get<std::string>(), p.at("text").get<std::string>()}];
  return out;
}

std::size_t parts_in(const nlohmann::json& report) {
  std::size_t n = 0;
  for (const auto& d : report.at("deliveries")) n += d.at("tweet_ids").size();
  return n;
}

void check_no_secret_in(const XSetup& x, const samvad::test::ProcessResult& r) {
  for (const auto& secret : x.secrets()) {
    CHECK_THAT(r.out, !Contains(secret));
    CHECK_THAT(r.err, !Contains(secret));
  }
}

}  // namespace

TEST_CASE("post, status and history on a PostgreSQL store: sent once, a rerun sends nothing, who posted is kept",
          "[e2e][postgres]") {
  PostgresTestDatabase db;
  XSetup x;
  x.with_postgres_state(db.url(), samvad::test::postgres_password);
  samvad::test::ProcessOptions as_clerk;
  as_clerk.env["SAMVAD_OPERATOR"] = "meera@water-desk";
  auto first = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example",
                      "--yes", "--json"},
                     as_clerk);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const auto report = parse_json(first);
  CHECK(report.at("status") == "delivered");
  CHECK(x.live_posts("water-supply").size() == 2);
  check_no_secret_in(x, first);

  auto again = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example",
                      "--yes", "--json"});
  REQUIRE(again.exit_code == 0);
  CHECK(parse_json(again).at("deliveries") == report.at("deliveries"));
  CHECK(x.live_posts().size() == 2);

  auto status = x.run({"status", "--json"});
  REQUIRE(status.exit_code == 0);
  const auto shown = parse_json(status);
  CHECK(shown.at("deliveries") == report.at("deliveries"));
  CHECK(shown.at("status") == "delivered");
  CHECK(shown.at("operator") == "meera@water-desk");
  auto history = parse_json(x.run({"--json", "history"}));
  REQUIRE(history.size() == 1);
  CHECK(history[0].at("operator") == "meera@water-desk");
  // Nothing went to a file on this machine.
  CHECK_FALSE(std::filesystem::exists(x.state()));
  // The rows are on the server, as another machine would read them.
  CHECK(db.server().admin(db.name(), "SELECT count(*) FROM deliveries")[0][0] == "2");
}

TEST_CASE("two samvad processes posting the same announcement to one PostgreSQL store post each part once",
          "[e2e][postgres]") {
  PostgresTestDatabase db;
  XSetup x({"--latency-ms", "60"});
  x.with_postgres_state(db.url(), samvad::test::postgres_password);
  // Two desks press "post" at the same moment: each claims what the other has not.
  auto one = x.start(notice_to_all({"--json"}));
  auto two = x.start(notice_to_all({"--json"}));
  auto r1 = one->wait();
  auto r2 = two->wait();
  INFO("first: " << r1.err << "\nsecond: " << r2.err);
  CHECK((r1.exit_code == 0 || r1.exit_code == 75));
  CHECK((r2.exit_code == 0 || r2.exit_code == 75));
  // The one that left deliveries to the other says so; a rerun finishes what is left.
  auto final_run = x.run(notice_to_all({"--json"}));
  INFO(final_run.err);
  REQUIRE(final_run.exit_code == 0);
  const auto report = parse_json(final_run);
  const auto counts = posted(x);
  for (const auto& [post, n] : counts) {
    INFO(post.first << ": " << post.second);
    CHECK(n == 1);
  }
  CHECK(x.live_posts().size() == parts_in(report));
  CHECK(parts_in(report) >= 8);
}

TEST_CASE("a PostgreSQL server restarted mid-run is a deferral (75); the rerun finishes without posting twice",
          "[e2e][postgres]") {
  auto server = PostgresServer::shared().another();
  PostgresTestDatabase db(*server);
  XSetup x({"--latency-ms", "300"});
  x.with_postgres_state(db.url(), samvad::test::postgres_password);
  // One department at a time: the run lasts several seconds, so the server goes away mid-run.
  auto running = x.start(notice_to_all({"--json", "--jobs", "1"}));
  // Wait until some posts are out, then take the server away under the run.
  REQUIRE(samvad::test::eventually([&] { return x.live_posts().size() >= 2; }));
  server->stop();
  auto cut = running->wait();
  INFO(cut.err);
  CHECK(cut.exit_code == 75);
  CHECK_THAT(cut.err, Contains("PostgreSQL") && Contains("try again"));
  check_no_secret_in(x, cut);
  const auto sent_before = x.live_posts().size();
  CHECK(sent_before >= 2);

  // While it is down, a rerun defers too and sends nothing.
  auto down = x.run(notice_to_all());
  CHECK(down.exit_code == 75);
  CHECK(x.live_posts().size() == sent_before);

  server->start();
  auto rerun = x.run(notice_to_all({"--json"}));
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  const auto report = parse_json(rerun);
  for (const auto& [post, n] : posted(x)) {
    INFO(post.first << ": " << post.second);
    CHECK(n == 1);
  }
  CHECK(x.live_posts().size() == parts_in(report));
}

TEST_CASE("one run-due at a time per PostgreSQL store, whichever machine it runs on", "[e2e][postgres]") {
  PostgresTestDatabase db;
  samvad::store::Location state(db.url());
  state.password = samvad::Secret(samvad::test::postgres_password);
  {
    samvad::app::RunDueLock first(state);
    try {
      samvad::app::RunDueLock second(state);  // its own connection, as another machine's would be
      FAIL("a second run-due took the lock");
    } catch (const samvad::Error& e) {
      CHECK(e.code() == samvad::ExitCode::temp_fail);
      CHECK_THAT(e.what(), Contains("another samvad run-due is active") && !Contains(samvad::test::postgres_password));
    }
  }
  samvad::app::RunDueLock after(state);  // the first one's end freed it
}

TEST_CASE("store copy moves an SQLite history into PostgreSQL: ids and statuses kept, a second copy adds nothing",
          "[e2e][postgres][store]") {
  PostgresTestDatabase db;
  XSetup x;
  auto posted_here = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply",
                            "--example", "--yes", "--json"});
  REQUIRE(posted_here.exit_code == 0);
  const auto before = parse_json(posted_here);
  auto info = parse_json(x.run({"--json", "store", "info"}));
  CHECK(info.at("backend") == "sqlite");
  CHECK(info.at("rows").at("deliveries") == 2);
  CHECK(info.at("rows").at("parts") == 2);

  // The server's password from libpq's own sources this time (credentials.yaml has none).
  samvad::test::ProcessOptions with_password;
  with_password.env["PGPASSWORD"] = samvad::test::postgres_password;
  auto copied = x.run({"--json", "store", "copy", "--to", db.url()}, with_password);
  INFO(copied.err);
  REQUIRE(copied.exit_code == 0);
  std::map<std::string, std::pair<long long, long long>> tables;
  const auto copy_report = parse_json(copied);
  for (const auto& t : copy_report.at("tables"))
    tables[t.at("table").get<std::string>()] = {t.at("copied").get<long long>(), t.at("present").get<long long>()};
  CHECK(tables.at("announcements") == std::pair<long long, long long>{1, 0});
  CHECK(tables.at("deliveries") == std::pair<long long, long long>{2, 0});
  CHECK(tables.at("costs").first >= 2);  // each post was billed

  auto again = x.run({"--json", "store", "copy", "--to", db.url()}, with_password);
  REQUIRE(again.exit_code == 0);
  const auto again_report = parse_json(again);
  for (const auto& t : again_report.at("tables")) {
    INFO(t.dump());
    CHECK(t.at("copied") == 0);
  }

  // The machine now uses the server: the copied history says it was sent, so nothing goes again.
  x.with_postgres_state(db.url(), samvad::test::postgres_password);
  auto rerun = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example",
                      "--yes", "--json"});
  REQUIRE(rerun.exit_code == 0);
  CHECK(parse_json(rerun).at("deliveries") == before.at("deliveries"));
  CHECK(x.live_posts().size() == 2);
  auto server_info = parse_json(x.run({"--json", "store", "info"}));
  CHECK(server_info.at("backend") == "postgresql");
  CHECK(server_info.at("rows").at("deliveries") == 2);
  CHECK_THAT(server_info.at("location").get<std::string>(), Contains(db.name()));
  // New deliveries on the server take ids after the copied ones.
  REQUIRE(x.run({"post", "--text", "Road closed near Nigdi today", "-d", "roads", "--yes"}).exit_code == 0);
  CHECK(db.server().admin(db.name(), "SELECT min(id) FROM deliveries WHERE department = 'roads'")[0][0] >
        db.server().admin(db.name(), "SELECT max(id) FROM deliveries WHERE department = 'water-supply'")[0][0]);
}

TEST_CASE("store copy into a PostgreSQL store that holds another history is refused (65), nothing copied",
          "[e2e][postgres][store]") {
  PostgresTestDatabase db;
  XSetup elsewhere;
  elsewhere.with_postgres_state(db.url(), samvad::test::postgres_password);
  REQUIRE(elsewhere.run({"post", "--text", "Road closed near Nigdi today", "-d", "roads", "--yes"}).exit_code == 0);

  XSetup x;
  REQUIRE(x.run({"post", "--text", "पाणीपुरवठा उद्या सकाळी बंद", "-d", "water-supply", "--yes"}).exit_code == 0);
  samvad::test::ProcessOptions with_password;
  with_password.env["PGPASSWORD"] = samvad::test::postgres_password;
  auto r = x.run({"store", "copy", "--to", db.url()}, with_password);
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Contains("holds another history") && Contains("nothing was copied"));
  CHECK(db.server().admin(db.name(), "SELECT count(*) FROM announcements")[0][0] == "1");

  auto not_a_server = x.run({"store", "copy", "--to", "/tmp/other.db"});
  CHECK(not_a_server.exit_code == 64);
}
