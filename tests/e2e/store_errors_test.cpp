// What a user sees when the state store is not usable: locked by another process for too long,
// damaged, or written by a newer samvad. Always a clear message and a documented exit code,
// never a crash, and the file is never reset or replaced.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using samvad::test::XSetup;

namespace {

std::vector<std::string> water_notice() {
  return {"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example", "--yes"};
}

// A connection of the test's own holding the write lock, as a stuck samvad would.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::filesystem::path& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~WriteLockHolder() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace

TEST_CASE("a store another process keeps locked: commands wait for the busy timeout, then exit 75 naming the file",
          "[e2e][store]") {
  XSetup x;
  REQUIRE(x.run(water_notice()).exit_code == 0);
  const auto before = x.live_posts().size();
  {
    WriteLockHolder lock(x.state());
    auto r = x.run({"post", "--channels", "twitter", "health-camp", "-d", "health", "--example", "--yes"});
    CHECK(r.exit_code == 75);
    CHECK_THAT(r.err, Contains(x.state().string() + " stayed locked"));
    CHECK(x.live_posts().size() == before);  // nothing sent without a record first
    // Opening checks write access under the write lock (so an unwritable store fails before
    // anything is sent), so even status waits, then says why.
    auto status = x.run({"status"});
    CHECK(status.exit_code == 75);
    CHECK_THAT(status.err, Contains(x.state().string() + " stayed locked"));
  }
  auto after = x.run({"post", "--channels", "twitter", "health-camp", "-d", "health", "--example", "--yes"});
  CHECK(after.exit_code == 0);
}

TEST_CASE("a damaged store is refused with 78 and left byte for byte as it was", "[e2e][store]") {
  XSetup x;
  std::filesystem::create_directories(x.state().parent_path());
  const std::string garbage = "this is not a database, just some text a mistaken copy left here\n";
  x.sample.write("state/state.db", garbage);
  for (auto args : {std::vector<std::string>{"status"}, water_notice(), std::vector<std::string>{"history"}}) {
    auto r = x.run(args);
    INFO(args.front() << ": " << r.err);
    CHECK(r.exit_code == 78);
    CHECK_THAT(r.err, Contains(x.state().string()));
    CHECK(r.err.find("internal error") == std::string::npos);
  }
  CHECK(samvad::test::read_file(x.state()) == garbage);
  CHECK(x.live_posts().empty());
}

TEST_CASE("a store written by a newer samvad is refused with 78 and never downgraded", "[e2e][store]") {
  XSetup x;
  REQUIRE(x.run(water_notice()).exit_code == 0);
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(x.state().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto r = x.run({"post", "--channels", "twitter", "health-camp", "-d", "health", "--example", "--yes"});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("was written by a newer samvad (schema 99"));
  auto s = x.run({"status"});
  CHECK(s.exit_code == 78);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(x.state().c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == 99);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_CASE("status, retract, store info and store copy before anything was posted: 66 naming where the store would be",
          "[e2e][store]") {
  XSetup x;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"status"},
                                             {"retract", "some-id", "--yes"},
                                             {"store", "info"},
                                             {"store", "copy", "--to", "postgresql://127.0.0.1/x"}}) {
    auto r = x.run(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 66);
    CHECK_THAT(r.err, Contains("no delivery store at " + x.state().string() + " yet"));
  }
  CHECK_FALSE(std::filesystem::exists(x.state()));  // reading made none
}
