// Approvals in the store (schema 10): an announcement held whole until it is approved or
// rejected, exactly one decision however many operators decide at once, every act with its
// operator; and the same statements on a real PostgreSQL server.
#include <catch2/catch.hpp>

#include <samvad/store/approvals.hpp>
#include <samvad/store/migrations.hpp>
#include <samvad/store/postgres.hpp>
#include <samvad/store/statement.hpp>
#include <samvad/store/store.hpp>

#include "store/store_fixtures.hpp"
#include "support/postgres_server.hpp"
#include "support/process.hpp"

using namespace samvad::store;
using samvad::test::announcement;
using samvad::test::at_minute;
using samvad::test::planned;
using samvad::test::TempDir;

namespace {

Approval held(const std::string& id, const std::string& by = "ravi") {
  Approval a;
  a.announcement_id = id;
  a.kind = "service-notice";
  a.submitted_by = by;
  a.submitted_at = at_minute(1);
  return a;
}

}  // namespace

TEST_CASE("a held announcement is recorded whole, awaits one decision, and names who made it", "[store][approvals]") {
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  const auto plan = std::vector<PlannedDelivery>{planned("water-supply", "twitter", "mr", {"पाणीपुरवठा बंद"}),
                                                 planned("water-supply", "twitter", "en", {"Water cut"})};
  const Approval now = s.submit_for_approval(announcement("a1"), plan, held("a1"));
  CHECK(now.state == ApprovalState::awaiting);
  CHECK(s.deliveries("a1").size() == 2);
  CHECK(s.deliveries("a1")[0].parts[0].payload == "पाणीपुरवठा बंद");
  REQUIRE(s.awaiting_approval().size() == 1);
  CHECK(s.status_of("a1") == "awaiting-approval");

  // Held again: the first submission stays, one event.
  s.submit_for_approval(announcement("a1"), plan, held("a1", "someone-else"));
  CHECK(s.approval("a1")->submitted_by == "ravi");

  CHECK(s.decide_approval("a1", ApprovalState::approved, "asha", "", at_minute(5)));
  // A second decision, of either kind, changes nothing.
  CHECK_FALSE(s.decide_approval("a1", ApprovalState::rejected, "meera", "too late", at_minute(6)));
  const auto a = *s.approval("a1");
  CHECK(a.state == ApprovalState::approved);
  CHECK(a.decided_by == "asha");
  CHECK(a.decided_at == at_minute(5));
  CHECK(s.awaiting_approval().empty());
  CHECK(s.status_of("a1") == "pending");

  s.record_event(AnnouncementEvent{"a1", at_minute(9), "meera", "retracted", ""});
  const auto events = s.events("a1");
  REQUIRE(events.size() == 3);
  CHECK(events[0].action == "submitted");
  CHECK(events[0].operator_name == "ravi");
  CHECK(events[1].action == "approved");
  CHECK(events[2].operator_name == "meera");

  const auto history = s.history(std::nullopt, std::nullopt, 0);
  REQUIRE(history.size() == 1);
  CHECK(history[0].approval == ApprovalState::approved);
  CHECK(history[0].events.size() == 3);
  CHECK(s.approval("nothing") == std::nullopt);
}

TEST_CASE("a rejected announcement keeps its reason and shows as rejected", "[store][approvals]") {
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  s.submit_for_approval(announcement("r1"), {planned("roads", "twitter", "en", {"Road closed"})}, held("r1"));
  CHECK(s.decide_approval("r1", ApprovalState::rejected, "asha", "wrong road", at_minute(3)));
  CHECK(s.approval("r1")->reason == "wrong road");
  CHECK(s.status_of("r1") == "rejected");
  CHECK(s.history(std::nullopt, std::nullopt, 0)[0].status == "rejected");
}

TEST_CASE("a schedule entry's approval is replaced by the next one", "[store][approvals]") {
  TempDir dir;
  Store s = Store::open(dir.path() / "state.db");
  CHECK_FALSE(s.schedule_approval("tax"));
  s.approve_schedule_entry(ScheduleApproval{"tax", "digest-1", "asha", at_minute(1)});
  s.approve_schedule_entry(ScheduleApproval{"tax", "digest-2", "meera", at_minute(2)});
  const auto a = *s.schedule_approval("tax");
  CHECK(a.digest == "digest-2");
  CHECK(a.approved_by == "meera");
  CHECK(a.approved_at == at_minute(2));
}

TEST_CASE("the approval statements run on PostgreSQL against the schema postgres_sql makes", "[postgres][approvals]") {
  samvad::test::PostgresTestDatabase test_db;
  auto db = open_postgres(test_db.url(), std::string(samvad::test::postgres_password));
  for (const auto& m : migrations()) db->exec(postgres_sql(m), "migrating");
  Statement(*db, "INSERT INTO announcements (id, created_at, operator) VALUES ('p1', 1, 'ravi')").run();

  approvals::insert(*db, held("p1"));
  approvals::insert(*db, held("p1", "again"));  // kept as it was
  REQUIRE(approvals::awaiting(*db).size() == 1);
  CHECK(approvals::find(*db, "p1")->submitted_by == "ravi");
  CHECK(approvals::decide(*db, "p1", ApprovalState::approved, "asha", "", at_minute(4)));
  CHECK_FALSE(approvals::decide(*db, "p1", ApprovalState::rejected, "meera", "no", at_minute(5)));
  const auto a = *approvals::find(*db, "p1");
  CHECK(a.state == ApprovalState::approved);
  CHECK(a.decided_at == at_minute(4));
  approvals::add_event(*db, AnnouncementEvent{"p1", at_minute(6), "मीरा", "retracted", ""});
  const auto events = approvals::events(*db, "p1");
  REQUIRE(events.size() == 3);
  CHECK(events[2].operator_name == "मीरा");
  approvals::approve_entry(*db, ScheduleApproval{"tax", "d1", "asha", at_minute(1)});
  approvals::approve_entry(*db, ScheduleApproval{"tax", "d2", "meera", at_minute(2)});
  CHECK(approvals::entry(*db, "tax")->digest == "d2");
  CHECK_FALSE(approvals::entry(*db, "other"));
}
