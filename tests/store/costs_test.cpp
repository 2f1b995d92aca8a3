// The store's record of what requests cost (schema 7): rows written as requests are answered, a
// channel's spend over a month of every department or of one, exact in millionths of a dollar,
// and a state file of schema 5 taken to schema 7 with its history as it was.
#include <catch2/catch.hpp>

#include <samvad/store/migrations.hpp>
#include <samvad/store/store.hpp>

#include "store/backends.hpp"
#include "store/store_fixtures.hpp"
#include "support/process.hpp"

using namespace samvad::store;
using namespace samvad::test;

namespace {

CostRecord cost(const std::string& department, const std::string& kind, long long micro_usd, int minute,
                const std::string& channel = "twitter", const std::string& announcement = "cut-1") {
  return CostRecord{channel, department, announcement, kind, 1, micro_usd, at_minute(minute)};
}

}  // namespace

STORE_TEST_CASE("costs are summed per channel, of every department or one, from since up to until", "[store][costs]") {
  Store s = Store::open(where.location());
  CHECK(s.spend("twitter", std::nullopt, at_minute(0), at_minute(100)) == 0);  // nothing recorded yet
  s.record_cost(cost("water-supply", "post", 15'000, 10));
  s.record_cost(cost("water-supply", "post_with_url", 200'000, 20));
  s.record_cost(cost("health", "post", 15'000, 30));
  s.record_cost(cost("health", "read", 1'000, 40));
  s.record_cost(cost("water-supply", "post", 15'000, 100));                      // at `until`: outside
  s.record_cost(cost("water-supply", "post", 15'000, 5));                        // before `since`: outside
  s.record_cost(cost("water-supply", "stamp", 999'000, 50, "mastodon", "x-1"));  // another channel

  CHECK(s.spend("twitter", std::nullopt, at_minute(10), at_minute(100)) == 231'000);
  CHECK(s.spend("twitter", std::string("water-supply"), at_minute(10), at_minute(100)) == 215'000);
  CHECK(s.spend("twitter", std::string("health"), at_minute(10), at_minute(100)) == 16'000);
  CHECK(s.spend("twitter", std::string("roads"), at_minute(10), at_minute(100)) == 0);
  CHECK(s.spend("mastodon", std::nullopt, at_minute(0), at_minute(200)) == 999'000);
  CHECK(s.spend("twitter", std::nullopt, at_minute(0), at_minute(101)) == 261'000);

  auto recorded = s.costs("cut-1");
  REQUIRE(recorded.size() == 6);
  CHECK(recorded[1].department == "water-supply");
  CHECK(recorded[1].kind == "post_with_url");
  CHECK(recorded[1].quantity == 1);
  CHECK(recorded[1].micro_usd == 200'000);
  CHECK(recorded[1].recorded_at == at_minute(20));
  CHECK(s.costs("x-1").size() == 1);
}

STORE_TEST_CASE("a month of many small prices sums exactly", "[store][costs]") {
  // 0.015 added 10,000 times in binary floating point is 149.99999999997...; in millionths it is 150.
  Store s = Store::open(where.location());
  for (int i = 0; i < 10'000; ++i) s.record_cost(cost("water-supply", "post", 15'000, i % 60));
  CHECK(s.spend("twitter", std::nullopt, at_minute(0), at_minute(60)) == 150'000'000);
}

TEST_CASE("a schema 5 state file is migrated to schema 7 with its history intact", "[store][costs]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    // What the samvad before prices wrote: schemas 1 to 5 exactly, with an announcement posted.
    RawDb raw(path);
    raw.exec("PRAGMA journal_mode = WAL");
    for (const auto& m : migrations())
      if (m.version <= 5) raw.exec(m.sql);
    raw.exec("PRAGMA user_version = 5");
    raw.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    raw.exec("INSERT INTO announcements (id, template, request_json, created_at) VALUES ('old', 't', '{}', 1)");
    raw.exec(
        "INSERT INTO deliveries (announcement_id, department, channel, language, status, created_at, updated_at, "
        "content) VALUES ('old', 'water-supply', 'twitter', 'mr', 'delivered', 1, 1, '{\"account\":\"PCMCWater\"}')");
    raw.exec(
        "INSERT INTO parts (delivery_id, idx, payload, status, remote_id, updated_at) "
        "VALUES (1, 0, 'नमस्कार', 'delivered', '42', 1)");
    raw.exec(
        "INSERT INTO occurrences (announcement_id, entry, occurrence, outcome, recorded_at) "
        "VALUES ('old', 'cut', '2026-12-03T07:00', 'posted', 1)");
  }
  Store s = Store::open(path);
  CHECK(s.schema_version() == Store::known_schema_version());
  auto ds = s.deliveries("old");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].status == DeliveryStatus::delivered);
  CHECK(ds[0].content == R"({"account":"PCMCWater"})");
  REQUIRE(ds[0].parts.size() == 1);
  CHECK(ds[0].parts[0].payload == "नमस्कार");
  CHECK(ds[0].parts[0].remote_id == "42");
  CHECK(s.occurrence("old").has_value());
  CHECK(s.history(std::nullopt, std::nullopt, 0).size() == 1);
  // Nothing was spent before costs were recorded; from now on they are.
  CHECK(s.spend("twitter", std::nullopt, at_minute(0), at_minute(60)) == 0);
  s.record_cost(cost("water-supply", "post", 15'000, 1, "twitter", "old"));
  CHECK(s.spend("twitter", std::string("water-supply"), at_minute(0), at_minute(60)) == 15'000);
  RawDb raw(path);
  CHECK(raw.integer("PRAGMA user_version") == Store::known_schema_version());
  CHECK(raw.text("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'costs_by_time'") == "costs_by_time");
}

STORE_TEST_CASE("a cost that is not a whole, non-negative number of millionths cannot be recorded", "[store][costs]") {
  Store s = Store::open(where.location());
  CHECK_THROWS_AS(s.record_cost(cost("water-supply", "post", -1, 1)), samvad::Error);
  CHECK(s.spend("twitter", std::nullopt, at_minute(0), at_minute(60)) == 0);
}
