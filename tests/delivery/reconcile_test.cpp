#include <catch2/catch.hpp>

#include <samvad/delivery/reconcile.hpp>

using Catch::Contains;
using namespace samvad;
using delivery::Fate;

namespace {

delivery::Plan plan_of(std::vector<store::PlannedDelivery> deliveries) {
  delivery::Plan p;
  p.announcement.id = "cut-1";
  p.deliveries = std::move(deliveries);
  return p;
}

store::PlannedDelivery tweet(const std::string& lang, std::vector<std::string> parts) {
  return store::PlannedDelivery{"water-supply", "twitter", lang, std::move(parts), {}, {}};
}

store::Delivery recorded(const std::string& lang, std::vector<std::string> parts, store::DeliveryStatus status,
                         store::PartStatus part_status) {
  store::Delivery d;
  d.id = lang == "mr" ? 1 : 2;
  d.announcement_id = "cut-1";
  d.department = "water-supply";
  d.channel = "twitter";
  d.language = lang;
  d.status = status;
  for (std::size_t i = 0; i < parts.size(); ++i) d.parts.push_back(store::Part{static_cast<int>(i), parts[i], part_status, "", 0, "", {}});
  return d;
}

}  // namespace

TEST_CASE("a plan the store has never seen is sent as planned", "[delivery][reconcile]") {
  auto r = delivery::reconcile(plan_of({tweet("mr", {"नमस्कार"})}), {}, false);
  REQUIRE(r.decisions.size() == 1);
  CHECK(r.decisions[0].fate == Fate::send);
  CHECK_FALSE(r.decisions[0].recorded);
  CHECK(r.sends_anything());
}

TEST_CASE("the same content is resumed or left done, never re-planned", "[delivery][reconcile]") {
  using store::DeliveryStatus, store::PartStatus;
  auto plan = plan_of({tweet("mr", {"एक"}), tweet("en", {"one", "two"})});
  auto r = delivery::reconcile(plan,
                               {recorded("mr", {"एक"}, DeliveryStatus::delivered, PartStatus::delivered),
                                recorded("en", {"one", "two"}, DeliveryStatus::deferred, PartStatus::pending)},
                               false);
  CHECK(r.decisions[0].fate == Fate::done);
  CHECK(r.decisions[1].fate == Fate::send);
  CHECK_FALSE(r.conflicts());
}

TEST_CASE("changed content is a conflict whether or not any of it went out", "[delivery][reconcile]") {
  using store::DeliveryStatus, store::PartStatus;
  auto plan = plan_of({tweet("mr", {"नवा मजकूर"}), tweet("en", {"one", "three"})});
  auto r = delivery::reconcile(plan,
                               {recorded("mr", {"जुना मजकूर"}, DeliveryStatus::delivered, PartStatus::delivered),
                                recorded("en", {"one", "two"}, DeliveryStatus::deferred, PartStatus::pending)},
                               false);
  CHECK(r.decisions[0].fate == Fate::conflict);
  CHECK_THAT(r.decisions[0].difference, Contains("part 1 of 1") && Contains("«जुना मजकूर»") && Contains("«नवा मजकूर»"));
  CHECK(r.decisions[1].fate == Fate::conflict);
  CHECK_THAT(r.decisions[1].difference, Contains("part 2 of 2"));
  try {
    r.refuse();
    FAIL("refuse() returned");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::data);
    CHECK_THAT(e.what(), Contains("water-supply twitter mr"));
    CHECK(e.diagnostics().size() == 3);  // two deliveries and how to go on
    CHECK_THAT(e.diagnostics().back().message, Contains("--id cut-1-2") && Contains("samvad retract cut-1"));
  }
}

TEST_CASE("a retracted delivery with new content is replaced, with the same content it stays retracted",
          "[delivery][reconcile]") {
  using store::DeliveryStatus, store::PartStatus;
  auto same = delivery::reconcile(plan_of({tweet("mr", {"एक"})}),
                                  {recorded("mr", {"एक"}, DeliveryStatus::retracted, PartStatus::retracted)}, false);
  CHECK(same.decisions[0].fate == Fate::done);
  CHECK_FALSE(same.sends_anything());
  auto changed = delivery::reconcile(plan_of({tweet("mr", {"दोन"})}),
                                     {recorded("mr", {"एक"}, DeliveryStatus::retracted, PartStatus::retracted)}, false);
  CHECK(changed.decisions[0].fate == Fate::replace);
  REQUIRE(changed.notes.size() == 1);
  CHECK_THAT(changed.notes[0].message, Contains("replaces"));
}

TEST_CASE("failed deliveries: left alone, retried, or re-planned only with --retry-failed", "[delivery][reconcile]") {
  using store::DeliveryStatus, store::PartStatus;
  auto failed = recorded("en", {"one", "two"}, DeliveryStatus::failed, PartStatus::failed);
  CHECK(delivery::reconcile(plan_of({tweet("en", {"one", "two"})}), {failed}, false).decisions[0].fate == Fate::failed);
  CHECK(delivery::reconcile(plan_of({tweet("en", {"one", "two"})}), {failed}, true).decisions[0].fate == Fate::retry);
  CHECK(delivery::reconcile(plan_of({tweet("en", {"one, fixed"})}), {failed}, true).decisions[0].fate == Fate::replace);
  // Part one already posted: the thread cannot continue with other words.
  failed.parts[0].status = PartStatus::delivered;
  CHECK(delivery::reconcile(plan_of({tweet("en", {"one, fixed", "two"})}), {failed}, true).decisions[0].fate ==
        Fate::conflict);
}

TEST_CASE("an email compares by its message, not by its freshly made Message-IDs", "[delivery][reconcile]") {
  store::PlannedDelivery planned{"health",
                                 "email",
                                 "*",
                                 {R"({"message_id":"<new@x>","recipients":1})"},
                                 R"({"subject":"Camp","text":"Sunday"})",
                                 store::fixed_recipients({{"a@example.org", "b@example.org"}})};
  store::Delivery r;
  r.id = 7;
  r.department = "health";
  r.channel = "email";
  r.language = "*";
  r.status = store::DeliveryStatus::deferred;
  r.content = R"({"subject":"Camp","text":"Sunday"})";
  r.parts.push_back(store::Part{0, R"({"message_id":"<old@x>","recipients":1})", store::PartStatus::pending, "", 0, "", {}});
  r.recipients.total = 1;
  r.recipients.digest = store::address_digest("a@example.org");
  r.recipients.deferred.push_back(store::Recipient{0, "a@example.org", store::RecipientStatus::deferred, ""});
  auto same = delivery::reconcile(plan_of({planned}), {r}, false);
  CHECK(same.decisions[0].fate == Fate::send);
  // The list gained b@: the recorded list is used, and the user is told.
  REQUIRE(same.notes.size() == 1);
  CHECK_THAT(same.notes[0].message, Contains("1 address(es) then, 2 now") && Contains("1 recipient(s) recorded then"));

  planned.content = R"({"subject":"Camp moved","text":"Sunday"})";
  auto changed = delivery::reconcile(plan_of({planned}), {r}, false);
  CHECK(changed.decisions[0].fate == Fate::conflict);
  CHECK_THAT(changed.decisions[0].difference, Contains("the subject: recorded «Camp», now «Camp moved»"));
}
