// The store holds the same on both backends: a test written once with STORE_TEST_CASE runs
// on a new SQLite file and on a fresh database of the test PostgreSQL server
// (support/postgres_server.hpp). The PostgreSQL run is its own test case, named with
// " (PostgreSQL)" and tagged [postgres], so ctest gives it the shared server.
#pragma once

#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include <samvad/store/store.hpp>

#include "store/store_fixtures.hpp"
#include "support/postgres_server.hpp"
#include "support/process.hpp"

namespace samvad::test {

// Where one test's store is.
class StoreUnderTest {
 public:
  explicit StoreUnderTest(store::Backend backend) : backend_(backend) {
    if (backend == store::Backend::postgresql) {
      database_.emplace();
    } else {
      dir_.emplace();
    }
  }
  store::Backend backend() const { return backend_; }
  // The same location every time: a second open() is another connection to the same store,
  // as another process (or machine) would have.
  store::Location location() const {
    if (database_) {
      store::Location l(database_->url());
      l.password = Secret(postgres_password);
      return l;
    }
    return dir_->path() / "state.db";
  }
  store::Store open() const { return store::Store::open(location()); }
  // The first column of the first row of `sql`, read behind the store's back ("" for none).
  std::string text(const std::string& sql) const {
    if (!database_) return RawDb(dir_->path() / "state.db").text(sql);
    auto rows = database_->server().admin(database_->name(), sql);
    return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
  }

 private:
  store::Backend backend_;
  std::optional<TempDir> dir_;
  std::optional<PostgresTestDatabase> database_;
};

}  // namespace samvad::test

#define SAMVAD_STORE_TEST_CASE_(fn, name, tags)                                               \
  static void fn(const samvad::test::StoreUnderTest& where);                                  \
  TEST_CASE(name, tags) { fn(samvad::test::StoreUnderTest(samvad::store::Backend::sqlite)); } \
  TEST_CASE(name " (PostgreSQL)", tags "[postgres]") {                                        \
    fn(samvad::test::StoreUnderTest(samvad::store::Backend::postgresql));                     \
  }                                                                                           \
  static void fn(const samvad::test::StoreUnderTest& where)
#define SAMVAD_STORE_TEST_CASE_ID_(line) samvad_store_test_##line
#define SAMVAD_STORE_TEST_CASE_LINE_(line, name, tags) \
  SAMVAD_STORE_TEST_CASE_(SAMVAD_STORE_TEST_CASE_ID_(line), name, tags)
// STORE_TEST_CASE("name", "[tags]") { ... where.open() ... }
#define STORE_TEST_CASE(name, tags) SAMVAD_STORE_TEST_CASE_LINE_(__LINE__, name, tags)
