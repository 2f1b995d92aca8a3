#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <samvad/store/migrations.hpp>
#include <samvad/store/store.hpp>

#include "store/backends.hpp"
#include "store/store_fixtures.hpp"
#include "support/process.hpp"

using samvad::Error;
using samvad::ExitCode;
using namespace samvad::store;
using namespace samvad::test;

namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::vector<PlannedDelivery> water_plan() {
  return {planned("water-supply", "twitter", "mr", {"पाणीपुरवठा बंद 1/2", "पाणीपुरवठा बंद 2/2"}),
          planned("water-supply", "twitter", "en", {"Water cut 1/2", "Water cut 2/2"}),
          planned("water-supply", "email", "*", {"batch 1 of 1"})};
}

// Runs `call` and returns the Error it throws (failing the test when it does not).
template <typename F>
Error error_of(F&& call) {
  try {
    call();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected samvad::Error");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a new state file is created private, in WAL mode, marked as samvad's", "[store]") {
  TempDir dir;
  const auto path = dir.path() / "state" / "samvad" / "state.db";
  {
    Store s = Store::open(path);
    CHECK(s.path() == path);
    CHECK(s.schema_version() == Store::known_schema_version());
    CHECK(Store::known_schema_version() == 11);
  }
  CHECK(mode_of(dir.path() / "state") == 0700);
  CHECK(mode_of(dir.path() / "state" / "samvad") == 0700);
  CHECK(mode_of(path) == 0600);
  RawDb raw(path);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  CHECK(raw.integer("PRAGMA application_id") == kApplicationId);
  CHECK(raw.integer("PRAGMA user_version") == Store::known_schema_version());
}

STORE_TEST_CASE("what is recorded is there after reopening", "[store]") {
  const auto path = where.location();
  std::vector<Delivery> first;
  {
    Store s = Store::open(path);
    first = s.record_announcement(announcement("water-cut-0501", 5), water_plan());
  }
  Store s = Store::open(path);
  auto a = s.announcement("water-cut-0501");
  REQUIRE(a);
  CHECK(a->template_name == "water-cut");
  CHECK(a->request_json == R"({"departments":["water-supply"]})");
  CHECK(a->created_at == at_minute(5));
  CHECK(s.latest_announcement_id() == "water-cut-0501");
  CHECK_FALSE(s.announcement("nope"));

  auto ds = s.deliveries("water-cut-0501");
  REQUIRE(ds.size() == 3);
  CHECK(ds[0].language == "mr");
  CHECK(ds[1].language == "en");
  CHECK(ds[2].channel == "email");
  CHECK(ds[2].language == "*");
  REQUIRE(ds[0].parts.size() == 2);
  CHECK(ds[0].parts[0].payload == "पाणीपुरवठा बंद 1/2");
  CHECK(ds[0].parts[1].index == 1);
  CHECK(ds[0].parts[1].status == PartStatus::pending);
  for (std::size_t i = 0; i < ds.size(); ++i) {
    CHECK(ds[i].id == first[i].id);
    CHECK(ds[i].status == DeliveryStatus::pending);
    CHECK(ds[i].announcement_id == "water-cut-0501");
    CHECK_FALSE(ds[i].holder);
  }
  auto one = s.delivery(ds[1].id);
  REQUIRE(one);
  CHECK(one->parts.size() == 2);
  CHECK(one->parts[0].payload == "Water cut 1/2");
  CHECK_FALSE(s.delivery(ds[2].id + 1000));
}

STORE_TEST_CASE("a rerun keeps the originally planned parts and adds newly planned deliveries", "[store]") {
  Store s = Store::open(where.location());
  auto first = s.record_announcement(announcement("a1", 1), water_plan());
  s.set_part_status(first[0].id, 0, PartStatus::delivered, "1790000000000000001");

  // The rerun renders different texts (a template was edited), lists the deliveries in
  // another order, adds a department and drops one: what was planned first stands.
  Announcement again = announcement("a1", 99);
  again.request_json = R"({"changed":true})";
  auto rerun = s.record_announcement(again, {planned("health", "twitter", "en", {"Clinic closed"}),
                                             planned("water-supply", "twitter", "en", {"EDITED"}),
                                             planned("water-supply", "twitter", "mr", {"EDITED", "EDITED", "3"})});
  REQUIRE(rerun.size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(rerun[i].id == first[i].id);  // in the order first planned
    CHECK(rerun[i].department == first[i].department);
    CHECK(rerun[i].language == first[i].language);
    REQUIRE(rerun[i].parts.size() == first[i].parts.size());
    for (std::size_t p = 0; p < first[i].parts.size(); ++p)
      CHECK(rerun[i].parts[p].payload == first[i].parts[p].payload);
  }
  CHECK(rerun[0].parts[0].status == PartStatus::delivered);
  CHECK(rerun[0].parts[0].remote_id == "1790000000000000001");
  CHECK(rerun[3].department == "health");
  CHECK(rerun[3].id > rerun[2].id);
  REQUIRE(rerun[3].parts.size() == 1);
  CHECK(rerun[3].parts[0].payload == "Clinic closed");

  auto a = s.announcement("a1");
  CHECK(a->created_at == at_minute(1));
  CHECK(a->request_json == R"({"departments":["water-supply"]})");
  CHECK(s.deliveries("a1").size() == 4);
}

STORE_TEST_CASE("statuses, attempts, errors and remote ids are on disk when the call returns", "[store]") {
  const auto path = where.location();
  long long tw = 0, mail = 0;
  const auto before = Clock::now() - std::chrono::seconds(1);
  {
    Store s = Store::open(path);
    auto ds = s.record_announcement(announcement("a1"), water_plan());
    tw = ds[0].id;
    mail = ds[2].id;
    s.set_delivery_status(tw, DeliveryStatus::in_flight);
    s.add_delivery_attempt(tw);
    s.add_delivery_attempt(tw);
    s.set_part_status(tw, 0, PartStatus::in_flight);
    s.set_part_status(tw, 0, PartStatus::delivered, "111");
    s.set_part_status(tw, 1, PartStatus::in_flight);
    s.set_part_status(tw, 1, PartStatus::in_flight);  // a retry: a second request
    s.set_part_status(tw, 1, PartStatus::ambiguous, "", "timed out after the request was sent");
    s.set_delivery_status(tw, DeliveryStatus::deferred, "part 2 ambiguous");
    s.set_delivery_status(mail, DeliveryStatus::failed, "535 authentication failed");
  }
  // A second connection, as a later run would have: nothing depends on the first one.
  Store s = Store::open(path);
  auto d = s.delivery(tw);
  REQUIRE(d);
  CHECK(d->status == DeliveryStatus::deferred);
  CHECK(d->attempts == 2);
  CHECK(d->last_error == "part 2 ambiguous");
  CHECK(d->updated_at >= before);
  CHECK(d->updated_at >= d->created_at);
  CHECK(d->parts[0].status == PartStatus::delivered);
  CHECK(d->parts[0].remote_id == "111");
  CHECK(d->parts[0].attempts == 1);
  CHECK(d->parts[0].last_error.empty());
  CHECK(d->parts[1].status == PartStatus::ambiguous);
  CHECK(d->parts[1].attempts == 2);
  CHECK(d->parts[1].last_error == "timed out after the request was sent");
  CHECK(s.delivery(mail)->status == DeliveryStatus::failed);
  CHECK(s.delivery(mail)->last_error == "535 authentication failed");

  SECTION("a known remote id is kept when a later update does not repeat it") {
    s.set_part_status(tw, 0, PartStatus::retracted);
    CHECK(s.delivery(tw)->parts[0].remote_id == "111");
    CHECK(s.delivery(tw)->parts[0].attempts == 1);
  }
  SECTION("settling clears the error") {
    s.set_delivery_status(tw, DeliveryStatus::delivered);
    CHECK(s.delivery(tw)->last_error.empty());
  }
  SECTION("an unknown delivery or part is a bug, reported as such") {
    CHECK(error_of([&] { s.set_delivery_status(mail + 100, DeliveryStatus::failed); }).code() == ExitCode::software);
    CHECK(error_of([&] { s.add_delivery_attempt(mail + 100); }).code() == ExitCode::software);
    CHECK(error_of([&] { s.set_part_status(tw, 7, PartStatus::failed); }).code() == ExitCode::software);
  }
}

TEST_CASE("the default state path: --state, then $SAMVAD_STATE, $XDG_STATE_HOME, $HOME", "[store]") {
  EnvVar state("SAMVAD_STATE", "/srv/samvad/state.db");
  EnvVar xdg("XDG_STATE_HOME", "/home/u/.state");
  EnvVar home("HOME", "/home/u");
  CHECK(Store::default_path(std::string("/x/flag.db")) == "/x/flag.db");
  CHECK(Store::default_path(std::nullopt) == "/srv/samvad/state.db");
  {
    EnvVar unset("SAMVAD_STATE", "");  // empty counts as unset
    CHECK(Store::default_path(std::nullopt) == "/home/u/.state/samvad/state.db");
    EnvVar unset_xdg("XDG_STATE_HOME", std::nullopt);
    CHECK(Store::default_path(std::nullopt) == "/home/u/.local/state/samvad/state.db");
    EnvVar unset_home("HOME", std::nullopt);
    CHECK(error_of([] { Store::default_path(std::nullopt); }).code() == ExitCode::cant_create);
  }
}

TEST_CASE("a state file from a newer samvad is refused with both schema versions", "[store]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  { Store::open(path); }
  const int known = Store::known_schema_version();
  const std::string newer = std::to_string(known + 1);
  { RawDb(path).exec("PRAGMA user_version = " + newer); }
  auto e = error_of([&] { Store::open(path); });
  CHECK(e.code() == ExitCode::config);
  CHECK_THAT(e.what(), Catch::Contains(path.string() + " was written by a newer samvad (schema " + newer +
                                       ", this samvad knows " + std::to_string(known) + ")"));
  CHECK_THAT(e.what(), Catch::Contains("expected schema " + std::to_string(known) + " or older"));
  CHECK(RawDb(path).integer("PRAGMA user_version") == known + 1);
}

TEST_CASE("a file that is not a database is refused and left byte for byte unchanged", "[store]") {
  TempDir dir;
  std::string content;
  SECTION("random bytes") {
    std::mt19937 rng(20240501);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 8192; ++i) content += static_cast<char>(byte(rng));
  }
  SECTION("a short text file") { content = "departments.yaml was meant here\n"; }
  SECTION("an SQLite header followed by garbage") {
    content = std::string("SQLite format 3\0", 16) + std::string(4080, '\xA5');
  }
  const auto path = dir.write("state.db", content);
  auto e = error_of([&] { Store::open(path); });
  CHECK(e.code() == ExitCode::config);
  CHECK_THAT(e.what(), Catch::Contains(path.string() + " is not a samvad state database or is damaged"));
  CHECK(read_file(path) == content);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("an SQLite database of another program is refused and left unchanged", "[store]") {
  TempDir dir;
  const auto path = dir.path() / "other.db";
  SECTION("with its own application id") {
    RawDb raw(path);
    raw.exec("PRAGMA application_id = 1234; CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  }
  SECTION("without an application id") {
    RawDb raw(path);
    raw.exec("CREATE TABLE deliveries (x)");
  }
  const std::string before = read_file(path);
  auto e = error_of([&] { Store::open(path); });
  CHECK(e.code() == ExitCode::config);
  CHECK_THAT(e.what(), Catch::Contains(path.string() + " is an SQLite database of another program"));
  CHECK(read_file(path) == before);
}

TEST_CASE("a state file that cannot be created is 73 and names the path", "[store]") {
  // chmod cannot stop root, but nothing can create a folder inside a regular file.
  TempDir dir;
  const auto file = dir.write("notes.txt", "not a folder\n");
  const auto path = file / "samvad" / "state.db";
  auto e = error_of([&] { Store::open(path); });
  CHECK(e.code() == ExitCode::cant_create);
  CHECK_THAT(e.what(), Catch::Contains(path.string()));
  CHECK_THAT(e.what(), Catch::Contains(file.string() + " is not a folder"));

  auto dir_as_file = error_of([&] { Store::open(dir.path()); });
  CHECK(dir_as_file.code() == ExitCode::cant_create);
  CHECK_THAT(dir_as_file.what(), Catch::Contains("it is a folder"));
}

TEST_CASE("a user who may not write the state is refused at open with 73", "[store]") {
  // Root ignores permission bits, so the opening runs in a child that, when the tests run as
  // root (CI containers), first becomes the unprivileged user 65534.
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    Store s = Store::open(path);
    s.record_announcement(announcement("a1"), water_plan());
  }
  ::chmod(dir.path().c_str(), 0755);  // the other user may look, not write

  SECTION("a read-only state file") {
    ::chmod(path.c_str(), 0444);
    const std::string before = read_file(path);
    auto r = run_in_child(
        [&] {
          Store::open(path);
          return 0;
        },
        /*as_nobody=*/true);
    if (r.exit_code == kChildCannotDropRoot) {
      WARN("skipped: running as root without permission to become uid 65534");
      return;
    }
    CHECK(r.exit_code == 73);
    CHECK_THAT(r.message, Catch::Contains(path.string() + " is read-only"));
    CHECK(read_file(path) == before);
  }
  SECTION("a writable state file in a folder where its -wal file cannot be created") {
    if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
    ::chmod(dir.path().c_str(), 0555);
    auto r = run_in_child(
        [&] {
          Store::open(path);
          return 0;
        },
        /*as_nobody=*/true);
    if (r.exit_code == kChildCannotDropRoot) {
      WARN("skipped: running as root without permission to become uid 65534");
      return;
    }
    CHECK(r.exit_code == 73);
    CHECK_THAT(r.message, Catch::Contains(path.string()));
  }
  SECTION("a folder where the state file cannot be created") {
    const auto locked = dir.path() / "locked";
    std::filesystem::create_directory(locked);
    ::chmod(locked.c_str(), 0555);
    for (const auto& target : {locked / "state.db", locked / "sub" / "state.db"}) {
      auto r = run_in_child(
          [&] {
            Store::open(target);
            return 0;
          },
          /*as_nobody=*/true);
      if (r.exit_code == kChildCannotDropRoot) {
        WARN("skipped: running as root without permission to become uid 65534");
        return;
      }
      CHECK(r.exit_code == 73);
      CHECK_THAT(r.message, Catch::Contains("cannot create the state file " + target.string()));
      CHECK_THAT(r.message, Catch::Contains("Permission denied"));
    }
  }
}

STORE_TEST_CASE("history lists announcements newest first, filtered by department and time, up to a limit", "[store]") {
  Store s = Store::open(where.location());
  auto only = [](const std::string& dep, const std::string& lang) {
    return std::vector<PlannedDelivery>{planned(dep, "twitter", lang, {"text"})};
  };
  s.record_announcement(announcement("old", 1), only("water-supply", "en"));
  s.record_announcement(announcement("mid", 2),
                        {planned("health", "twitter", "en", {"x"}), planned("water-supply", "twitter", "en", {"y"}),
                         planned("health", "email", "*", {"z"})});
  s.record_announcement(announcement("new", 3), only("health", "mr"));
  s.record_announcement(announcement("tie-first", 4), only("fire", "en"));
  s.record_announcement(announcement("tie-second", 4), only("fire", "en"));  // same time, recorded later
  s.record_announcement(announcement("none", 0), {});

  auto ids = [](const std::vector<HistoryEntry>& h) {
    std::vector<std::string> out;
    for (const auto& e : h) out.push_back(e.announcement.id);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(ids(s.history(std::nullopt, std::nullopt, 0)) == V{"tie-second", "tie-first", "new", "mid", "old", "none"});
  CHECK(ids(s.history(std::nullopt, std::nullopt, 2)) == V{"tie-second", "tie-first"});
  CHECK(ids(s.history(std::string("health"), std::nullopt, 10)) == V{"new", "mid"});
  CHECK(ids(s.history(std::string("water-supply"), std::nullopt, 1)) == V{"mid"});
  CHECK(ids(s.history(std::string("nobody"), std::nullopt, 10)).empty());
  CHECK(ids(s.history(std::nullopt, at_minute(3), 10)) == V{"tie-second", "tie-first", "new"});
  CHECK(ids(s.history(std::string("water-supply"), at_minute(2), 10)) == V{"mid"});
  CHECK(s.latest_announcement_id() == "tie-second");

  auto all = s.history(std::nullopt, std::nullopt, 0);
  const HistoryEntry& mid = all[3];
  CHECK(mid.departments == V{"health", "water-supply"});  // in the order first planned, once each
  CHECK(mid.deliveries == 3);
  CHECK(mid.status == "pending");
  CHECK(mid.announcement.template_name == "water-cut");
  CHECK(mid.announcement.created_at == at_minute(2));
  CHECK(all[5].deliveries == 0);
  CHECK(all[5].departments.empty());

  // The status follows the deliveries and their parts.
  auto md = s.deliveries("mid");
  s.set_delivery_status(md[0].id, DeliveryStatus::delivered);
  CHECK(s.history(std::nullopt, at_minute(2), 0).back().status == "partial");
  s.set_part_status(md[1].id, 0, PartStatus::ambiguous);
  CHECK(s.history(std::nullopt, at_minute(2), 0).back().status == "deferred");
  s.set_delivery_status(md[2].id, DeliveryStatus::failed, "smtp");
  CHECK(s.history(std::nullopt, at_minute(2), 0).back().status == "failed");
  CHECK(s.history(std::nullopt, at_minute(2), 0).back().status == announcement_status(s.deliveries("mid")));
}

TEST_CASE("history of 100,000 deliveries returns the newest page", "[store][scale]") {
  // 10,000 announcements x 10 deliveries (5 of 20 departments x 2 channels), one part each;
  // every 1000th announcement also goes to a rare department. Timing belongs to benchmarks;
  // this pins correctness at a realistic size and must stay quick.
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  constexpr int kAnnouncements = 10000;
  auto dep = [](int n) { return "department-" + std::to_string(n % 20); };
  std::vector<PlannedAnnouncement> batch;
  batch.reserve(kAnnouncements);
  for (int i = 0; i < kAnnouncements; ++i) {
    PlannedAnnouncement p{announcement("a" + std::to_string(i), i), {}};
    for (int k = 0; k < 5; ++k) {
      const std::string d = (k == 4 && i % 1000 == 0) ? "rare" : dep(i + k);
      p.deliveries.push_back(planned(d, "twitter", "mr", {"post " + std::to_string(i)}));
      p.deliveries.push_back(planned(d, "email", "*", {"batch " + std::to_string(i)}));
    }
    batch.push_back(std::move(p));
  }
  s.record_announcements(batch);
  REQUIRE(s.deliveries("a9999").size() == 10);

  auto page = s.history(std::nullopt, std::nullopt, 20);
  REQUIRE(page.size() == 20);
  int id = kAnnouncements;  // the page runs newest first: a9999, a9998, ...
  for (const auto& entry : page) {
    --id;
    CHECK(entry.announcement.id == "a" + std::to_string(id));
    CHECK(entry.deliveries == 10);
    CHECK(entry.departments.size() == 5);
    CHECK(entry.status == "pending");
  }

  // department-7 is among (i + 0..4) % 20 when i % 20 is 3 to 7.
  std::vector<std::string> expected;
  for (int i = kAnnouncements - 1; expected.size() < 20; --i) {
    if (i % 20 >= 3 && i % 20 <= 7) expected.push_back("a" + std::to_string(i));
  }
  auto d7 = s.history(std::string("department-7"), std::nullopt, 20);
  REQUIRE(d7.size() == 20);
  for (std::size_t j = 0; j < d7.size(); ++j) {
    CHECK(d7[j].announcement.id == expected[j]);
    CHECK(std::find(d7[j].departments.begin(), d7[j].departments.end(), "department-7") != d7[j].departments.end());
  }

  auto rare = s.history(std::string("rare"), std::nullopt, 20);
  REQUIRE(rare.size() == 10);
  CHECK(rare.front().announcement.id == "a9000");
  CHECK(rare.back().announcement.id == "a0");

  auto recent = s.history(std::nullopt, at_minute(kAnnouncements - 5), 20);
  CHECK(recent.size() == 5);
}

TEST_CASE("processes opening a new state file at the same moment all get the same schema", "[store]") {
  // The first creates the schema; the others wait for its write lock, look again and find
  // nothing left to do.
  TempDir dir;
  const auto path = dir.path() / "new" / "state.db";
  std::vector<pid_t> openers;
  int go[2];
  REQUIRE(::pipe(go) == 0);
  for (int i = 0; i < 6; ++i) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(go[1]);
      char c;
      [[maybe_unused]] auto n = ::read(go[0], &c, 1);
      int code = 2;
      try {
        Store s = Store::open(path);
        s.record_announcement(announcement("from-" + std::to_string(::getpid())), water_plan());
        code = s.schema_version() == Store::known_schema_version() ? 0 : 1;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "opener %d: %s\n", static_cast<int>(::getpid()), e.what());
      }
      ::_exit(code);
    }
    openers.push_back(pid);
  }
  ::close(go[0]);
  ::close(go[1]);
  for (pid_t pid : openers) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  Store s = Store::open(path);
  CHECK(s.history(std::nullopt, std::nullopt, 0).size() == 6);
}

STORE_TEST_CASE("an email delivery keeps its message and its recipients by batch, each with its own outcome",
                "[store]") {
  Store s = Store::open(where.location());
  PlannedDelivery email = planned("water-supply", "email", "*", {R"({"message_id":"<a@x>"})", R"({"message_id":"<b@x>"})"});
  email.content = R"({"subject":"पाणी"})";
  email.recipients = fixed_recipients({{"a@example.org", "b@example.org"}, {"c@example.org"}});
  auto ds = s.record_announcement(announcement("a1"), {email});
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].content == R"({"subject":"पाणी"})");
  CHECK(ds[0].recipients.total == 3);
  CHECK(ds[0].recipients.delivered == 0);
  CHECK(ds[0].recipients.digest == email.recipients.digest);
  auto second = s.recipients_of(ds[0].id, 1);
  REQUIRE(second.size() == 1);
  CHECK(second[0].address == "c@example.org");
  CHECK(second[0].part == 1);
  CHECK(second[0].status == RecipientStatus::pending);

  s.settle_recipients(ds[0].id, 0,
                      {{0, "a@example.org", RecipientStatus::delivered, "250 OK"},
                       {0, "b@example.org", RecipientStatus::rejected, "550 5.1.1 No such user"}},
                      PartStatus::delivered, "<a@x>");
  // A rerun planning other recipients keeps what was recorded first.
  email.recipients = fixed_recipients({{"z@example.org"}});
  auto again = s.record_announcement(announcement("a1"), {email});
  CHECK(again[0].recipients.total == 3);
  CHECK(again[0].recipients.delivered == 1);
  REQUIRE(again[0].recipients.rejected.size() == 1);
  CHECK(again[0].recipients.rejected[0].address == "b@example.org");
  CHECK(again[0].recipients.rejected[0].reply == "550 5.1.1 No such user");
  auto first = s.recipients_of(ds[0].id, 0);
  REQUIRE(first.size() == 2);
  CHECK(first[0].status == RecipientStatus::delivered);
  CHECK(first[1].status == RecipientStatus::rejected);
  CHECK(s.recipients_of(ds[0].id, 1)[0].status == RecipientStatus::pending);
  CHECK(again[0].parts[0].status == PartStatus::delivered);
  CHECK(again[0].parts[0].remote_id == "<a@x>");
  CHECK(s.delivery(ds[0].id)->recipients.total == 3);
}

STORE_TEST_CASE("a deferred delivery keeps when it may be tried again until its status changes", "[store]") {
  const auto path = where.location();
  const auto reset = std::chrono::system_clock::time_point(std::chrono::milliseconds(1767243000123));
  long long id = 0;
  {
    Store s = Store::open(path);
    id = s.record_announcement(announcement("a1"), water_plan())[0].id;
    CHECK_FALSE(s.delivery(id)->retry_at);
    s.set_delivery_status(id, DeliveryStatus::deferred, "rate limited", reset);
  }
  Store s = Store::open(path);
  CHECK(s.delivery(id)->retry_at == reset);
  CHECK(s.deliveries("a1")[0].retry_at == reset);
  // The next attempt (or any other settling) says afresh whether there is anything to wait for.
  s.set_delivery_status(id, DeliveryStatus::in_flight);
  CHECK_FALSE(s.delivery(id)->retry_at);
}

STORE_TEST_CASE("settling a batch with an unknown recipient changes nothing", "[store]") {
  Store s = Store::open(where.location());
  PlannedDelivery email = planned("water-supply", "email", "*", {"{}"});
  email.recipients = fixed_recipients({{"a@example.org"}});
  auto ds = s.record_announcement(announcement("a1"), {email});
  CHECK_THROWS_AS(s.settle_recipients(ds[0].id, 0,
                                      {{0, "a@example.org", RecipientStatus::delivered, "250"},
                                       {0, "nobody@example.org", RecipientStatus::delivered, "250"}},
                                      PartStatus::delivered),
                  Error);
  auto d = s.delivery(ds[0].id);
  CHECK(s.recipients_of(ds[0].id, 0)[0].status == RecipientStatus::pending);  // rolled back with the rest
  CHECK(d->recipients.delivered == 0);
  CHECK(d->parts[0].status == PartStatus::pending);
}

TEST_CASE("a schema 1 state file is migrated to the latest schema with its history intact", "[store]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    // What samvad 0.1 wrote: schema 1 exactly.
    RawDb raw(path);
    raw.exec("PRAGMA journal_mode = WAL");
    raw.exec(migrations().front().sql);
    raw.exec("PRAGMA user_version = 1");
    raw.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    raw.exec("INSERT INTO announcements (id, template, request_json, created_at) VALUES ('old', 't', '{}', 1)");
    raw.exec("INSERT INTO deliveries (announcement_id, department, channel, language, status, created_at, updated_at) "
             "VALUES ('old', 'water-supply', 'twitter', 'mr', 'delivered', 1, 1)");
    raw.exec("INSERT INTO parts (delivery_id, idx, payload, status, remote_id, updated_at) "
             "VALUES (1, 0, 'नमस्कार', 'delivered', '42', 1)");
  }
  Store s = Store::open(path);
  CHECK(s.schema_version() == Store::known_schema_version());
  auto ds = s.deliveries("old");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].status == DeliveryStatus::delivered);
  CHECK_FALSE(ds[0].retry_at);  // schema 8: nothing recorded before it waits for anything
  CHECK(ds[0].parts[0].remote_id == "42");
  CHECK(ds[0].content.empty());
  CHECK(ds[0].recipients.total == 0);
  // The old post is known as the old announcement's through the index schema 4 adds.
  auto later = s.record_announcement(announcement("new"), water_plan());
  auto owner = s.remote_id_owner(later[0].id, "42");
  REQUIRE(owner);
  CHECK(owner->announcement_id == "old");
  RawDb raw(path);
  CHECK(raw.text("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'parts_by_remote_id'") ==
        "parts_by_remote_id");
}

STORE_TEST_CASE("a remote id another delivery holds is never recorded for a second one", "[store]") {
  Store s = Store::open(where.location());
  auto first = s.record_announcement(announcement("water-cut-0501", 1), water_plan());
  auto second = s.record_announcement(announcement("water-cut-0501-corrigendum", 2), water_plan());
  s.set_part_status(first[0].id, 1, PartStatus::delivered, "111");
  s.settle_recipients(first[2].id, 0, {}, PartStatus::delivered, "222");  // an email's Message-ID
  s.set_part_status(second[0].id, 0, PartStatus::ambiguous, "", "answer lost");

  auto owner = s.remote_id_owner(second[0].id, "111");
  REQUIRE(owner);
  CHECK(owner->delivery_id == first[0].id);
  CHECK(owner->announcement_id == "water-cut-0501");
  CHECK(owner->department == "water-supply");
  CHECK(owner->language == "mr");
  CHECK(owner->index == 1);
  // Its own part is no other delivery's; ids are compared within one channel.
  CHECK_FALSE(s.remote_id_owner(first[0].id, "111"));
  CHECK_FALSE(s.remote_id_owner(second[0].id, "222"));
  CHECK_FALSE(s.remote_id_owner(second[0].id, ""));

  SECTION("adopting another's id writes nothing and says whose it is") {
    auto refused = s.adopt_remote_id(second[0].id, 0, "111", PartStatus::delivered);
    REQUIRE(refused);
    CHECK(refused->delivery_id == first[0].id);
    const auto part = s.delivery(second[0].id)->parts[0];
    CHECK(part.status == PartStatus::ambiguous);
    CHECK(part.remote_id.empty());
    CHECK(part.last_error == "answer lost");
  }
  SECTION("an id nobody holds is recorded with the status") {
    CHECK_FALSE(s.adopt_remote_id(second[0].id, 0, "333", PartStatus::delivered));
    const auto part = s.delivery(second[0].id)->parts[0];
    CHECK(part.status == PartStatus::delivered);
    CHECK(part.remote_id == "333");
    CHECK(part.last_error.empty());
    // And from then on it is that delivery's.
    CHECK(s.adopt_remote_id(first[1].id, 0, "333", PartStatus::delivered));
  }
}

STORE_TEST_CASE("replacing a delivery keeps what it held in replaced_deliveries and starts it afresh", "[store]") {
  const auto path = where.location();
  Store s = Store::open(path);
  auto ds = s.record_announcement(announcement("r1"), {planned("water-supply", "twitter", "mr", {"जुने", "दुसरा"})});
  const long long id = ds[0].id;
  s.set_part_status(id, 0, PartStatus::delivered, "1001");
  s.set_part_status(id, 0, PartStatus::retracted);
  s.set_delivery_status(id, DeliveryStatus::retracted);

  // The predicate sees the delivery as it is now; false changes nothing.
  CHECK_FALSE(s.replace_delivery(id, planned("water-supply", "twitter", "mr", {"नवे"}), [](const Delivery&) { return false; }));
  CHECK(s.delivery(id)->parts.size() == 2);

  PlannedDelivery fresh = planned("water-supply", "twitter", "mr", {"नवे"});
  fresh.content = R"({"media":[]})";
  REQUIRE(s.replace_delivery(id, fresh, [](const Delivery& d) { return d.status == DeliveryStatus::retracted; }));
  auto now = s.delivery(id);
  CHECK(now->status == DeliveryStatus::pending);
  CHECK(now->content == R"({"media":[]})");
  REQUIRE(now->parts.size() == 1);
  CHECK(now->parts[0].payload == "नवे");
  CHECK(now->parts[0].status == PartStatus::pending);
  CHECK(now->parts[0].remote_id.empty());

  auto kept = nlohmann::json::parse(
      where.text("SELECT record FROM replaced_deliveries WHERE delivery_id = " + std::to_string(id)));
  CHECK(kept.at("status") == "retracted");
  REQUIRE(kept.at("parts").size() == 2);
  CHECK(kept.at("parts")[0].at("payload") == "जुने");
  CHECK(kept.at("parts")[0].at("remote_id") == "1001");
  CHECK(kept.at("parts")[0].at("status") == "retracted");
}

STORE_TEST_CASE("a failed delivery is reopened for --retry-failed, delivered parts stay", "[store]") {
  Store s = Store::open(where.location());
  auto ds = s.record_announcement(announcement("f1"), {planned("water-supply", "twitter", "en", {"one", "two"})});
  const long long id = ds[0].id;
  CHECK_FALSE(s.retry_failed_delivery(id));  // pending: nothing to reopen
  s.set_part_status(id, 0, PartStatus::delivered, "77");
  s.set_part_status(id, 1, PartStatus::failed, "", "X answered 403");
  s.set_delivery_status(id, DeliveryStatus::failed, "X answered 403");
  REQUIRE(s.retry_failed_delivery(id));
  auto d = s.delivery(id);
  CHECK(d->status == DeliveryStatus::pending);
  CHECK(d->last_error.empty());
  CHECK(d->parts[0].status == PartStatus::delivered);
  CHECK(d->parts[0].remote_id == "77");
  CHECK(d->parts[1].status == PartStatus::pending);
}

STORE_TEST_CASE("who recorded an announcement is kept with it and read back by announcement and history", "[store]") {
  const auto path = where.location();
  {
    Store s = Store::open(path);
    auto a = announcement("cut");
    a.operator_name = "meera@water-desk";
    s.record_announcement(a, {planned("water-supply", "twitter", "mr", {"पाणी बंद"})});
    // Recording it again (a rerun, from another desk) keeps who first recorded it.
    a.operator_name = "ravi@pro-office";
    s.record_announcement(a, {planned("water-supply", "twitter", "mr", {"पाणी बंद"})});
  }
  Store s = Store::open(path);
  CHECK(s.announcement("cut")->operator_name == "meera@water-desk");
  const auto h = s.history(std::nullopt, std::nullopt, 0);
  REQUIRE(h.size() == 1);
  CHECK(h[0].announcement.operator_name == "meera@water-desk");
}
