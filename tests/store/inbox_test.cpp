// The store's inbox (lib/samvad/store/inbox.cpp): each item heard once, linked to the
// announcement it answers; replies (samvad's or from the app) answer it at the first one; who
// closed or re-routed it and when.
#include <catch2/catch.hpp>

#include <samvad/store/store.hpp>

#include "store/backends.hpp"
#include "store/store_fixtures.hpp"
#include "support/process.hpp"

using namespace samvad::store;
using namespace samvad::test;

namespace {

InboxItem heard(const std::string& id, int minute, const std::string& in_reply_to = "",
                const std::string& conversation = "") {
  InboxItem item;
  item.channel = "twitter";
  item.id = id;
  item.heard_by = "water-supply";
  item.department = "water-supply";
  item.author = Author{"u" + id, "citizen" + id, "नागरिक " + id};
  item.text = "@PCMCWater नळाला पाणी नाही " + id;
  item.language = "mr";
  item.created_at = at_minute(minute);
  item.in_reply_to = in_reply_to;
  item.conversation_id = conversation.empty() ? id : conversation;
  item.url = "https://x.com/citizen" + id + "/status/" + id;
  return item;
}

OwnPost own(const std::string& id, int minute, const std::string& in_reply_to, const std::string& conversation) {
  return OwnPost{id, in_reply_to, conversation, at_minute(minute)};
}

}  // namespace

STORE_TEST_CASE("an item is recorded once however many syncs hear it, and keeps its department and state",
                "[store][inbox]") {
  Store s = Store::open(where.location());
  auto first = s.record_heard({heard("101", 1), heard("102", 2)});
  REQUIRE(first.size() == 2);
  CHECK(first[0].id == "101");
  REQUIRE(s.close_item("twitter", "101", "ward office fixed it", "clerk@desk", at_minute(5)));

  auto again = s.record_heard({heard("102", 2), heard("101", 1), heard("103", 3)});
  REQUIRE(again.size() == 1);
  CHECK(again[0].id == "103");
  auto all = s.inbox_items({});
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == "103");  // newest first
  CHECK(all[2].id == "101");
  CHECK(all[2].state == ItemState::closed);
  CHECK(all[2].close_note == "ward office fixed it");
  CHECK(all[1].author.name == "नागरिक 102");
  CHECK(all[1].text == "@PCMCWater नळाला पाणी नाही 102");
}

STORE_TEST_CASE("an item that answers an announcement's post, or sits in its conversation, names the announcement",
                "[store][inbox]") {
  Store s = Store::open(where.location());
  auto ds = s.record_announcement(announcement("water-cut-dec"),
                                  {planned("water-supply", "twitter", "mr", {"भाग 1", "भाग 2"})});
  s.set_part_status(ds[0].id, 0, PartStatus::delivered, "900");
  s.set_part_status(ds[0].id, 1, PartStatus::delivered, "901");
  auto added = s.record_heard({heard("201", 1, "901", "900"), heard("202", 2, "555", "900"), heard("203", 3)});
  REQUIRE(added.size() == 3);
  CHECK(added[0].announcement_id == "water-cut-dec");  // replies to the thread's second post
  CHECK(added[1].announcement_id == "water-cut-dec");  // deeper in the announcement's conversation
  CHECK(added[2].announcement_id.empty());
  CHECK(s.inbox_item("201")->announcement_id == "water-cut-dec");
}

STORE_TEST_CASE("the account's own posts answer what they reply to, or what came before them in the conversation",
                "[store][inbox]") {
  Store s = Store::open(where.location());
  s.record_heard({heard("301", 10), heard("302", 20, "", "300"), heard("303", 30, "", "300"), heard("304", 40)});

  // A reply to 301 itself; a post in conversation 300 made after 302 but before 303.
  auto answered = s.record_own_posts("twitter", {own("401", 15, "301", "301"), own("402", 25, "999", "300")});
  CHECK(answered == std::vector<std::string>{"301", "302"});
  auto item = *s.inbox_item("301");
  CHECK(item.state == ItemState::answered);
  CHECK(item.answered_at == at_minute(15));
  CHECK(item.reply_ids == std::vector<std::string>{"401"});
  CHECK(s.inbox_item("303")->state == ItemState::open);
  CHECK(s.inbox_item("304")->state == ItemState::open);

  // Seen again by the next sync: nothing new; a later reply keeps the first reply's time.
  CHECK(s.record_own_posts("twitter", {own("401", 15, "301", "301")}).empty());
  CHECK(s.record_own_posts("twitter", {own("403", 50, "301", "301")}).empty());
  item = *s.inbox_item("301");
  CHECK(item.answered_at == at_minute(15));
  CHECK(item.reply_ids == std::vector<std::string>{"401", "403"});
}

STORE_TEST_CASE("samvad's replies answer an item, a closed item stays closed but keeps its answer time",
                "[store][inbox]") {
  Store s = Store::open(where.location());
  s.record_heard({heard("501", 0), heard("502", 0)});
  s.record_reply("twitter", "501", "601", at_minute(90));
  s.record_reply("twitter", "501", "601", at_minute(95));  // the same reply again: still the first time
  auto item = *s.inbox_item("501");
  CHECK(item.state == ItemState::answered);
  CHECK(item.answered_at == at_minute(90));
  CHECK(item.reply_ids.size() == 1);

  REQUIRE(s.close_item("twitter", "502", "", "pro@office", at_minute(10)));
  s.record_reply("twitter", "502", "602", at_minute(20));
  item = *s.inbox_item("502");
  CHECK(item.state == ItemState::closed);
  CHECK(item.answered_at == at_minute(20));
}

STORE_TEST_CASE("items are chosen by department, state and time, routing and closing record who and when",
                "[store][inbox]") {
  Store s = Store::open(where.location());
  auto main_account = heard("701", 5);
  main_account.heard_by = main_account.department = "pcmc";
  s.record_heard({heard("700", 0), main_account, heard("702", 10)});
  REQUIRE(s.route_item("twitter", "701", "water-supply", "asha@pro-desk", at_minute(6)));
  REQUIRE(s.close_item("twitter", "702", "duplicate", "asha@pro-desk", at_minute(11)));
  CHECK_FALSE(s.route_item("twitter", "799", "water-supply", "asha@pro-desk", at_minute(6)));
  CHECK_FALSE(s.close_item("twitter", "799", "", "asha@pro-desk", at_minute(6)));

  auto routed = *s.inbox_item("701");
  CHECK(routed.department == "water-supply");
  CHECK(routed.heard_by == "pcmc");
  CHECK(routed.routed_by == "routed by asha@pro-desk");
  auto events = s.inbox_events("twitter", "701");
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == "routed");
  CHECK(events[0].detail == "water-supply");
  CHECK(events[0].operator_name == "asha@pro-desk");
  CHECK(events[0].at == at_minute(6));

  auto ids = [](const std::vector<InboxItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
  };
  CHECK(ids(s.inbox_items({{"water-supply"}, {ItemState::open}, {}})) == std::vector<std::string>{"701", "700"});
  CHECK(ids(s.inbox_items({{}, {ItemState::closed}, {}})) == std::vector<std::string>{"702"});
  CHECK(ids(s.inbox_items({{}, {}, at_minute(5)})) == std::vector<std::string>{"702", "701"});
  CHECK(ids(s.inbox_items({{"pcmc"}, {}, {}})).empty());
}

STORE_TEST_CASE("an account's cursors are kept per channel and department", "[store][inbox]") {
  Store s = Store::open(where.location());
  CHECK(s.listen_state("twitter", "water-supply").account_id.empty());
  s.set_listen_state("twitter", "water-supply", {"42", "1001", "2001"});
  s.set_listen_state("twitter", "health", {"43", "", ""});
  s.set_listen_state("twitter", "water-supply", {"42", "1005", "2001"});
  auto state = s.listen_state("twitter", "water-supply");
  CHECK(state.account_id == "42");
  CHECK(state.heard_since == "1005");
  CHECK(state.own_since == "2001");
  CHECK(s.listen_state("twitter", "health").account_id == "43");
}
