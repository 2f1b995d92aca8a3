// Lists of any size in the store (schema 11): a batch's addresses packed in one row, a row only
// for each recipient not simply delivered, and deliveries recorded by an older samvad (one row
// per recipient) still read and resumed as they were.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <samvad/store/migrations.hpp>
#include <samvad/store/postgres.hpp>
#include <samvad/store/store.hpp>

#include "store/backends.hpp"
#include "store/store_fixtures.hpp"
#include "support/postgres_server.hpp"
#include "support/process.hpp"

using namespace samvad::store;
using namespace samvad::test;

namespace {

std::vector<std::string> addresses(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back("citizen" + std::to_string(i) + "@example.org");
  return out;
}

PlannedDelivery email_of(std::vector<std::vector<std::string>> batches,
                         const std::string& department = "water-supply") {
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < batches.size(); ++i)
    payloads.push_back(R"({"message_id":"<b)" + std::to_string(i) + R"(@x>"})");
  PlannedDelivery email = planned(department, "email", "*", payloads);
  email.content = R"({"subject":"पाणी"})";
  email.recipients = fixed_recipients(std::move(batches));
  return email;
}

std::vector<RecipientStatus> statuses(const std::vector<Recipient>& rs) {
  std::vector<RecipientStatus> out;
  for (const auto& r : rs) out.push_back(r.status);
  return out;
}

}  // namespace

TEST_CASE("a list is kept a row per batch, and a row per recipient only once it is not simply delivered",
          "[store][lists]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  Store s = Store::open(path);
  const long long id = s.record_announcement(announcement("l1"), {email_of({addresses(1, 4), addresses(5, 6)})})[0].id;
  {
    RawDb raw(path);
    CHECK(raw.integer("SELECT count(*) FROM recipient_batches") == 2);
    CHECK(raw.text("SELECT addresses FROM recipient_batches WHERE batch = 1") ==
          "citizen5@example.org\ncitizen6@example.org");
    CHECK(raw.integer("SELECT count(*) FROM recipients") == 0);
  }
  CHECK(statuses(s.recipients_of(id, 0)) == std::vector<RecipientStatus>(4, RecipientStatus::pending));

  // A transaction answered: one put off, one refused, the two not listed were delivered.
  s.settle_recipients(id, 0,
                      {{0, "citizen1@example.org", RecipientStatus::delivered, "250 OK"},
                       {0, "citizen2@example.org", RecipientStatus::deferred, "450 4.2.1 Busy"},
                       {0, "citizen3@example.org", RecipientStatus::rejected, "550 5.1.1 No such user"},
                       {0, "citizen4@example.org", RecipientStatus::delivered, "250 OK"}},
                      PartStatus::pending);
  CHECK(statuses(s.recipients_of(id, 0)) ==
        std::vector<RecipientStatus>{RecipientStatus::delivered, RecipientStatus::deferred, RecipientStatus::rejected,
                                     RecipientStatus::delivered});
  CHECK(s.recipients_of(id, 1)[0].status == RecipientStatus::pending);  // another batch, not answered yet
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM recipients") == 2);

  auto d = s.delivery(id);
  CHECK(d->recipients.total == 6);
  CHECK(d->recipients.delivered == 2);
  REQUIRE(d->recipients.deferred.size() == 1);
  CHECK(d->recipients.deferred[0].address == "citizen2@example.org");
  CHECK(d->recipients.deferred[0].reply == "450 4.2.1 Busy");
  REQUIRE(d->recipients.rejected.size() == 1);
  CHECK(d->recipients.rejected[0].address == "citizen3@example.org");

  // The one put off gets through on the next try; the refused one is never tried again.
  s.settle_recipients(id, 0, {{0, "citizen2@example.org", RecipientStatus::delivered, "250 OK"}}, PartStatus::delivered,
                      "<b0@x>");
  s.settle_recipients(id, 1,
                      {{1, "citizen5@example.org", RecipientStatus::delivered, "250 OK"},
                       {1, "citizen6@example.org", RecipientStatus::delivered, "250 OK"}},
                      PartStatus::delivered, "<b1@x>");
  d = s.delivery(id);
  CHECK(d->recipients.delivered == 5);
  CHECK(d->recipients.deferred.empty());
  CHECK(d->recipients.rejected.size() == 1);
  CHECK(raw.integer("SELECT count(*) FROM recipients") == 2);  // nobody delivered at once has a row
}

// The store reads a delivery's batches 64 at a time and recipients' own rows 256 at a time (the
// PostgreSQL client would otherwise hold a whole list's result): lists across and exactly at
// those page boundaries, two deliveries of one announcement read together, come back whole and in order.
STORE_TEST_CASE("lists longer than a page of the store's reads come back whole and in planned order",
                "[store][lists]") {
  Store s = where.open();
  std::vector<std::vector<std::string>> water, roads;
  for (int b = 0; b < 128; ++b) water.push_back(addresses(2 * b + 1, 2 * b + 2));  // 2 pages of batches exactly
  for (int b = 0; b < 70; ++b) roads.push_back(addresses(1000 + b, 1000 + b));
  const auto recorded =
      s.record_announcement(announcement("pages"), {email_of(water, "water-supply"), email_of(roads, "roads")});
  REQUIRE(recorded.size() == 2);
  const long long water_id = recorded[0].id, roads_id = recorded[1].id;
  // Every water address refused (256 rows of their own: one page exactly); a roads address put
  // off in every batch (70 rows more).
  for (int b = 0; b < 128; ++b) {
    std::vector<Recipient> outcomes;
    for (const auto& a : water[static_cast<std::size_t>(b)])
      outcomes.push_back({b, a, RecipientStatus::rejected, "550 5.1.1 No such user"});
    s.settle_recipients(water_id, b, outcomes, PartStatus::delivered, "<w@x>");
  }
  for (int b = 0; b < 70; ++b)
    s.settle_recipients(roads_id, b,
                        {{b, roads[static_cast<std::size_t>(b)][0], RecipientStatus::deferred, "450 busy"}},
                        PartStatus::pending);
  CHECK(where.text("SELECT count(*) FROM recipients") == "326");

  for (const auto& d : {*s.delivery(water_id), s.deliveries("pages")[0]}) {
    CHECK(d.recipients.total == 256);
    CHECK(d.recipients.delivered == 0);
    REQUIRE(d.recipients.rejected.size() == 256);
    for (std::size_t i = 0; i < 256; ++i) CHECK(d.recipients.rejected[i].address == addresses(1, 256)[i]);
  }
  for (const auto& d : {*s.delivery(roads_id), s.deliveries("pages")[1]}) {
    CHECK(d.recipients.total == 70);
    REQUIRE(d.recipients.deferred.size() == 70);
    CHECK(d.recipients.deferred.front().address == "citizen1000@example.org");
    CHECK(d.recipients.deferred.back().address == "citizen1069@example.org");
    CHECK(d.recipients.digest == fixed_recipients(roads).digest);
  }
  CHECK(s.recipients_of(water_id, 127).at(1).address == "citizen256@example.org");
}

TEST_CASE("recipients left without an answer in a partly answered batch stay pending", "[store][lists]") {
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  const long long id = s.record_announcement(announcement("l2"), {email_of({addresses(1, 5)})})[0].id;
  // 452 after three: those two wait for the next transaction of the same batch (a kill may come first).
  s.settle_recipients(id, 0,
                      {{0, "citizen1@example.org", RecipientStatus::delivered, "250"},
                       {0, "citizen2@example.org", RecipientStatus::delivered, "250"},
                       {0, "citizen3@example.org", RecipientStatus::delivered, "250"},
                       {0, "citizen4@example.org", RecipientStatus::pending, "452 too many recipients"},
                       {0, "citizen5@example.org", RecipientStatus::pending, "452 too many recipients"}},
                      PartStatus::in_flight);
  Store reopened = Store::open(dir.path() / "state.db");
  CHECK(statuses(reopened.recipients_of(id, 0)) ==
        std::vector<RecipientStatus>{RecipientStatus::delivered, RecipientStatus::delivered, RecipientStatus::delivered,
                                     RecipientStatus::pending, RecipientStatus::pending});
  CHECK(reopened.delivery(id)->recipients.delivered == 3);
}

TEST_CASE("a list's digest tells the same set in another order from a changed one", "[store][lists]") {
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  auto d = s.record_announcement(announcement("l3"), {email_of({addresses(1, 3), addresses(4, 5)})})[0];
  CHECK(d.recipients.digest == fixed_recipients({addresses(1, 5)}).digest);
  CHECK(d.recipients.digest == fixed_recipients({{"citizen5@example.org"}, addresses(1, 4)}).digest);
  CHECK(d.recipients.digest != fixed_recipients({addresses(1, 4), {"citizen6@example.org"}}).digest);
  CHECK(d.recipients.digest != fixed_recipients({addresses(1, 4)}).digest);
}

TEST_CASE("a list of 20,000 adds about its addresses' own bytes to the state file", "[store][lists]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  std::vector<std::vector<std::string>> batches;
  std::size_t bytes = 0;
  for (int b = 0; b < 200; ++b) {
    batches.push_back(addresses(b * 100 + 1, b * 100 + 100));
    for (const auto& a : batches.back()) bytes += a.size() + 1;
  }
  {
    Store s = Store::open(path);
    s.record_announcement(announcement("l4"), {email_of(batches)});
  }
  const auto empty_path = dir.path() / "empty.db";
  { Store::open(empty_path); }
  RawDb(empty_path).exec("PRAGMA wal_checkpoint(TRUNCATE)");
  RawDb raw(path);
  raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // What the list added: the file beyond an empty store's (whose tables and indexes grow with the schema).
  const auto size = std::filesystem::file_size(path) - std::filesystem::file_size(empty_path);
  // A row per recipient took 3-4 times the addresses' bytes (the row, its primary key and the
  // batch index); packed, it is the addresses and the pages they fill.
  CHECK(size < bytes * 2);
  CHECK(raw.integer("SELECT count(*) FROM recipients") == 0);
}

TEST_CASE("an email delivery recorded before schema 11, a row per recipient, is read and resumed after migrating",
          "[store][lists]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    // What samvad wrote at schema 9: every recipient a row of its own.
    RawDb raw(path);
    raw.exec("PRAGMA journal_mode = WAL");
    for (const auto& m : migrations())
      if (m.version <= 9) raw.exec(m.sql);
    raw.exec("PRAGMA user_version = 9");
    raw.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    raw.exec("INSERT INTO announcements (id, template, request_json, created_at) VALUES ('old', 't', '{}', 1)");
    raw.exec(
        "INSERT INTO deliveries (announcement_id, department, channel, language, status, created_at, updated_at, "
        "content) VALUES ('old', 'water-supply', 'email', '*', 'deferred', 1, 1, '{}')");
    raw.exec(
        "INSERT INTO parts (delivery_id, idx, payload, status, remote_id, updated_at) VALUES "
        "(1, 0, '{\"message_id\":\"<b0@x>\"}', 'pending', '<b0@x>', 1), "
        "(1, 1, '{\"message_id\":\"<b1@x>\"}', 'pending', '', 1)");
    raw.exec(
        "INSERT INTO recipients (delivery_id, batch, address, status, reply, updated_at) VALUES "
        "(1, 0, 'a@example.org', 'delivered', '250', 1), (1, 0, 'b@example.org', 'deferred', '450 Busy', 1), "
        "(1, 0, 'c@example.org', 'rejected', '550 No', 1), (1, 1, 'd@example.org', 'pending', '', 1), "
        "(1, 1, 'e@example.org', 'pending', '', 1)");
  }
  Store s = Store::open(path);
  CHECK(s.schema_version() == Store::known_schema_version());
  auto d = s.deliveries("old").at(0);
  CHECK(d.recipients.total == 5);
  CHECK(d.recipients.delivered == 1);
  REQUIRE(d.recipients.deferred.size() == 1);
  CHECK(d.recipients.deferred[0].address == "b@example.org");
  REQUIRE(d.recipients.rejected.size() == 1);
  CHECK(d.recipients.rejected[0].reply == "550 No");
  CHECK(
      d.recipients.digest ==
      fixed_recipients({{"a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org"}}).digest);
  CHECK(statuses(s.recipients_of(d.id, 1)) == std::vector<RecipientStatus>(2, RecipientStatus::pending));

  // Resumed as a new samvad sends it: the one put off, then the second batch.
  s.settle_recipients(d.id, 0, {{0, "b@example.org", RecipientStatus::delivered, "250"}}, PartStatus::delivered,
                      "<b0@x>");
  s.settle_recipients(d.id, 1,
                      {{1, "d@example.org", RecipientStatus::delivered, "250"},
                       {1, "e@example.org", RecipientStatus::rejected, "550 No"}},
                      PartStatus::delivered, "<b1@x>");
  d = *s.delivery(d.id);
  CHECK(d.recipients.total == 5);
  CHECK(d.recipients.delivered == 3);
  CHECK(d.recipients.deferred.empty());
  CHECK(d.recipients.rejected.size() == 2);
  CHECK(statuses(s.recipients_of(d.id, 0)) == std::vector<RecipientStatus>{RecipientStatus::delivered,
                                                                           RecipientStatus::delivered,
                                                                           RecipientStatus::rejected});
  CHECK_THROWS_AS(
      s.settle_recipients(d.id, 1, {{1, "z@example.org", RecipientStatus::delivered, "250"}}, PartStatus::delivered),
      samvad::Error);
}

TEST_CASE("replacing an email delivery replaces its packed list too", "[store][lists]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  Store s = Store::open(path);
  const long long id = s.record_announcement(announcement("l5"), {email_of({addresses(1, 3)})})[0].id;
  s.settle_recipients(id, 0, {{0, "citizen2@example.org", RecipientStatus::rejected, "550"}}, PartStatus::failed);
  s.set_delivery_status(id, DeliveryStatus::failed, "refused");
  // Replaceable only while nothing went out: the two not listed above count as delivered now.
  CHECK_FALSE(s.replace_delivery(id, email_of({addresses(7, 8)}),
                                 [](const Delivery& d) { return d.recipients.delivered == 0; }));
  s.settle_recipients(id, 0,
                      {{0, "citizen1@example.org", RecipientStatus::rejected, "550"},
                       {0, "citizen3@example.org", RecipientStatus::rejected, "550"}},
                      PartStatus::failed);
  REQUIRE(s.replace_delivery(id, email_of({addresses(7, 8)}),
                             [](const Delivery& d) { return d.recipients.delivered == 0; }));
  auto d = s.delivery(id);
  CHECK(d->recipients.total == 2);
  CHECK(d->recipients.rejected.empty());
  CHECK(s.recipients_of(id, 0)[0].address == "citizen7@example.org");
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM recipients") == 0);
  CHECK(raw.integer("SELECT count(*) FROM recipient_batches") == 1);
}

TEST_CASE("PostgreSQL takes schema 11 and the statements that write and read packed batches", "[postgres][lists]") {
  PostgresTestDatabase test_db;
  auto db = open_postgres(test_db.url(), std::string(postgres_password));
  for (const auto& m : migrations()) db->exec(postgres_sql(m), "migrating");
  db->exec("INSERT INTO announcements (id, created_at) VALUES ('a', 1)", "filling");
  db->exec(
      "INSERT INTO deliveries (announcement_id, department, channel, language, created_at, updated_at) "
      "VALUES ('a', 'water-supply', 'email', '*', 1, 1)",
      "filling");
  db->exec("INSERT INTO parts (delivery_id, idx, payload, updated_at) VALUES (1, 0, '{}', 1)", "filling");
  auto batch = db->prepare("INSERT INTO recipient_batches (delivery_id, batch, addresses) VALUES (?1, ?2, ?3)", "");
  batch->bind_int(1, 1);
  batch->bind_int(2, 0);
  batch->bind_text(3, "a@example.org\nb@example.org");
  CHECK_FALSE(batch->step());
  // settle_recipients' upsert, twice: the second outcome replaces the first.
  auto upsert = db->prepare(
      "INSERT INTO recipients (delivery_id, batch, address, status, reply, updated_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (delivery_id, address) DO UPDATE SET "
      "status = excluded.status, reply = excluded.reply, updated_at = excluded.updated_at",
      "settling");
  for (const char* status : {"deferred", "rejected"}) {
    upsert->reset();
    upsert->bind_int(1, 1);
    upsert->bind_int(2, 0);
    upsert->bind_text(3, "b@example.org");
    upsert->bind_text(4, status);
    upsert->bind_text(5, "5xx");
    upsert->bind_int(6, 2);
    CHECK_FALSE(upsert->step());
  }
  db->exec("UPDATE recipient_batches SET answered = 1 WHERE delivery_id = 1 AND batch = 0", "answering");
  auto packed = db->prepare(
      "SELECT delivery_id, batch, addresses, answered FROM recipient_batches "
      "WHERE delivery_id IN (SELECT id FROM deliveries WHERE announcement_id = ?1) "
      "ORDER BY delivery_id, batch",
      "");
  packed->bind_text(1, "a");
  REQUIRE(packed->step());
  CHECK(packed->column_text(2) == "a@example.org\nb@example.org");
  CHECK(packed->column_int(3) == 1);
  auto rows = db->prepare(
      "SELECT delivery_id, batch, address, status, reply FROM recipients "
      "WHERE delivery_id = ?1 AND batch = ?2 ORDER BY rowid",
      "");
  rows->bind_int(1, 1);
  rows->bind_int(2, 0);
  REQUIRE(rows->step());
  CHECK(rows->column_text(2) == "b@example.org");
  CHECK(rows->column_text(3) == "rejected");
  CHECK_FALSE(rows->step());
}

STORE_TEST_CASE("a recorded list is read again from the store part by part, with its count and digest as recorded",
                "[store][lists]") {
  Store s = where.open();
  const auto batches = std::vector<std::vector<std::string>>{addresses(1, 3), addresses(4, 5)};
  const auto d = s.record_announcement(announcement("again"), {email_of(batches)})[0];
  s.settle_recipients(d.id, 0, {{0, "citizen2@example.org", RecipientStatus::rejected, "550 no such user"}},
                      PartStatus::pending);
  const auto recorded = recorded_recipients(where.location(), *s.delivery(d.id));
  CHECK(recorded.count == 5);
  CHECK(recorded.digest == fixed_recipients(batches).digest);
  std::vector<std::pair<int, std::vector<std::string>>> read;
  recorded.read([&](int part, std::vector<std::string>&& a) { read.emplace_back(part, std::move(a)); });
  // Every recorded address, a refused one too: the list as it was submitted.
  CHECK(read == std::vector<std::pair<int, std::vector<std::string>>>{{0, addresses(1, 3)}, {1, addresses(4, 5)}});
}
