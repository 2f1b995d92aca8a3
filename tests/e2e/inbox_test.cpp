// The inbox end to end (samvad inbox sync, inbox, reply, inbox close/route, digest, stats)
// driven through the real binary against the X stand-in's mentions and the SMTP stand-in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

// "2026-12-05T08:00:00.000Z" for `ago` before the moment the tests started, as X writes times:
// one fixed moment, so the time between two posts made in a test is exactly what it says
// however slowly the test runs (under the sanitizers, seconds pass between them).
std::string x_time(std::chrono::system_clock::duration ago) {
  static const auto start = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(start - ago);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", std::gmtime(&t));
  return buf;
}

std::string mention(const XSetup& x, const std::string& username, const std::string& text,
                    std::chrono::system_clock::duration ago = std::chrono::minutes(1), const std::string& lang = "mr",
                    const std::string& reply_to = "") {
  json m{{"author", {{"username", username}, {"name", username}}},
         {"text", text},
         {"lang", lang},
         {"created_at", x_time(ago)}};
  if (!reply_to.empty()) m["reply_to"] = reply_to;
  return x.standin.add_mention(m);
}

// A post of a department's own account made in X's app, replying to `reply_to`.
std::string own_reply(const XSetup& x, const std::string& department, const std::string& reply_to,
                      std::chrono::system_clock::duration ago) {
  return x.standin.add_mention({{"author_account", x.account(department).user_id},
                                {"text", "धन्यवाद, काम सुरू आहे"},
                                {"reply_to", reply_to},
                                {"created_at", x_time(ago)}});
}

json item_of(const json& items, const std::string& id) {
  for (const auto& i : items)
    if (i["id"] == id) return i;
  FAIL("no item " << id);
  return {};
}

// health's account stands in for the corporation's main one: its mentions are routed.
void with_routing(const XSetup& x) {
  x.sample.edit("departments.yaml", "    twitter: {handle: PCMCHealth}",
                "    twitter: {handle: PCMCHealth}\n    inbox: {catch_all: true}");
  x.sample.edit("departments.yaml", "    twitter: {handle: PCMCWaterSupply}",
                "    twitter: {handle: PCMCWaterSupply}\n"
                "    inbox:\n"
                "      keywords: {mr: [पाणी, नळ], en: [water, pipeline]}\n"
                "      digest_to: [head.water@pcmc.example.org]");
  x.sample.edit("departments.yaml", "    twitter: {handle: PCMCRoads}",
                "    twitter: {handle: PCMCRoads}\n    inbox: {keywords: {mr: [खड्डा, रस्ता], en: [pothole, road]}}");
}

}  // namespace

TEST_CASE("inbox sync stores each mention once, however often it runs, and lists them newest first", "[e2e][inbox]") {
  XSetup x;
  const auto first = mention(x, "rahul_k", "@PCMCWaterSupply निगडीत नळाला पाणी येत नाही", std::chrono::hours(3));
  const auto second = mention(x, "asha_p", "@PCMCWaterSupply low pressure in Akurdi", std::chrono::hours(1), "en");
  auto sync = x.run({"inbox", "sync", "--json"});
  REQUIRE(sync.exit_code == 0);
  auto synced = parse(sync);
  json water;
  for (const auto& a : synced["accounts"])
    if (a["department"] == "water-supply") water = a;
  CHECK(water["heard"] == 2);
  CHECK(water["status"] == "synced");

  // Again, and once more after a new one: only the new one is stored, from the kept cursor.
  CHECK(parse(x.run({"inbox", "sync", "-d", "water-supply", "--json"}))["accounts"][0]["heard"] == 0);
  const auto third = mention(x, "rahul_k", "@PCMCWaterSupply still no water", std::chrono::minutes(5), "en");
  CHECK(parse(x.run({"inbox", "sync", "-d", "water-supply", "--json"}))["accounts"][0]["heard"] == 1);
  const auto requests = x.standin.requests();
  const auto last = std::find_if(requests.rbegin(), requests.rend(),
                                 [](const json& r) { return r["path"].get<std::string>().ends_with("/mentions"); });
  REQUIRE(last != requests.rend());
  CHECK_THAT((*last)["query"].dump(), Contains(second));  // since_id: the newest stored before

  auto items = parse(x.run({"inbox", "--json"}));
  REQUIRE(items.size() == 3);
  CHECK(items[0]["id"] == third);
  CHECK(items[2]["id"] == first);
  const auto rahul = item_of(items, first);
  CHECK(rahul["department"] == "water-supply");
  CHECK(rahul["author"]["username"] == "rahul_k");
  CHECK(rahul["text"] == "@PCMCWaterSupply निगडीत नळाला पाणी येत नाही");
  CHECK(rahul["language"] == "mr");
  CHECK(rahul["url"] == "https://x.com/rahul_k/status/" + first);
  CHECK(rahul["state"] == "open");
  CHECK(rahul["response_seconds"].is_null());
  auto table = x.run({"inbox"});
  CHECK_THAT(table.out, Contains("@rahul_k") && Contains("3h") && Contains("open"));
}

TEST_CASE("inbox sync reads every page, and a failed page defers without losing or doubling anything", "[e2e][inbox]") {
  XSetup x;
  std::set<std::string> ids;
  for (int i = 0; i < 250; ++i)
    ids.insert(mention(x, "citizen" + std::to_string(i % 7), "@PCMCWaterSupply #" + std::to_string(i)));
  // The second page fails every time: the department is deferred with the first page stored.
  x.standin.add_faults({{"method", "GET"},
                        {"path", "/2/users/" + x.account("water-supply").user_id + "/mentions"},
                        {"query_contains", "pagination_token="},
                        {"status", 503},
                        {"times", 4}});  // the first try and its three retries
  auto failed = x.run({"inbox", "sync", "-d", "water-supply"});
  CHECK(failed.exit_code == 75);
  CHECK_THAT(failed.err, Contains("water-supply") && Contains("503") && Contains("resumes"));
  CHECK(parse(x.run({"inbox", "--json"})).size() == 100);

  auto again = x.run({"inbox", "sync", "-d", "water-supply", "--json"});
  REQUIRE(again.exit_code == 0);
  CHECK(parse(again)["accounts"][0]["heard"] == 150);
  auto items = parse(x.run({"inbox", "--json"}));
  REQUIRE(items.size() == 250);
  std::set<std::string> stored;
  for (const auto& i : items) stored.insert(i["id"]);
  CHECK(stored == ids);
}

TEST_CASE("a catch-all account's mentions go to the department their Marathi or English keywords name",
          "[e2e][inbox]") {
  XSetup x;
  with_routing(x);
  const auto water = mention(x, "rahul_k", "@PCMCHealth आमच्या सोसायटीत नळाला पाणी नाही");
  const auto road =
      mention(x, "asha_p", "@PCMCHealth huge pothole near Chinchwad station", std::chrono::minutes(1), "en");
  const auto stays =
      mention(x, "vijay_m", "@PCMCHealth dengue cases in Pimple Saudagar", std::chrono::minutes(1), "en");
  REQUIRE(x.run({"inbox", "sync", "-d", "health"}).exit_code == 0);
  auto items = parse(x.run({"inbox", "--json"}));
  CHECK(item_of(items, water)["department"] == "water-supply");
  CHECK(item_of(items, water)["routed_by"] == "keyword पाणी");
  CHECK(item_of(items, water)["heard_by"] == "health");
  CHECK(item_of(items, road)["department"] == "roads");
  CHECK(item_of(items, stays)["department"] == "health");
  CHECK(parse(x.run({"inbox", "-d", "roads", "--json"})).size() == 1);

  // By hand, recorded with who did it.
  samvad::test::ProcessOptions as_asha;
  as_asha.env["SAMVAD_OPERATOR"] = "asha@pro-desk";
  auto routed = x.run({"inbox", "route", stays, "-d", "water-supply"}, as_asha);
  REQUIRE(routed.exit_code == 0);
  CHECK(item_of(parse(x.run({"inbox", "--json"})), stays)["routed_by"] == "routed by asha@pro-desk");
  CHECK(x.run({"inbox", "route", "999", "-d", "roads"}).exit_code == 65);
  CHECK(x.run({"inbox", "route", stays, "-d", "roadz"}).exit_code == 64);
}

TEST_CASE("reply answers the mention as its department once, and the item records its response time", "[e2e][inbox]") {
  XSetup x;
  const auto id = mention(x, "rahul_k", "@PCMCWaterSupply निगडीत नळाला पाणी येत नाही", std::chrono::hours(2));
  REQUIRE(x.run({"inbox", "sync"}).exit_code == 0);
  auto replied = x.run({"reply", id, "reply-complaint-registered", "--var", "ticket.mr=WS-२०२६-०४१२", "--var",
                        "ticket.en=WS-2026-0412", "--yes", "--json"});
  INFO(replied.out << replied.err);
  REQUIRE(replied.exit_code == 0);
  auto out = parse(replied);
  CHECK(out["announcement"] == "reply-" + id);
  CHECK(out["item"]["state"] == "answered");
  const long long seconds = out["item"]["response_seconds"];
  CHECK(seconds >= 7200);
  CHECK(seconds < 7200 + 120);

  // On X: one post, in Marathi (the citizen's language), a reply to the mention, as the department.
  const auto posts = x.live_posts("water-supply");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0]["reply_to"] == id);
  CHECK_THAT(posts[0]["text"].get<std::string>(), Contains("WS-२०२६-०४१२"));
  CHECK(out["item"]["reply_ids"] == json::array({posts[0]["id"]}));

  // The same again posts nothing; other content under the same reply is refused.
  REQUIRE(x.run({"reply", id, "reply-complaint-registered", "--var", "ticket.mr=WS-२०२६-०४१२", "--var",
                 "ticket.en=WS-2026-0412", "--yes"})
              .exit_code == 0);
  CHECK(x.run({"reply", id, "--text", "another answer", "--yes"}).exit_code == 65);
  CHECK(x.live_posts("water-supply").size() == 1);
  // A notice template is not a reply, and a reply template is not a notice.
  CHECK(x.run({"reply", id, "water-supply-interruption", "--example", "--yes"}).exit_code == 64);
  CHECK(x.run({"post", "reply-resolved", "-d", "water-supply", "--yes"}).exit_code == 64);
}

TEST_CASE("a reply X refuses because the post does not mention the department's account fails (69) and says why",
          "[e2e][inbox]") {
  XSetup x;
  with_routing(x);
  // Written to the corporation's account, routed to water-supply by its keyword.
  const auto id = mention(x, "rahul_k", "@PCMCHealth आमच्या सोसायटीत नळाला पाणी नाही");
  REQUIRE(x.run({"inbox", "sync", "-d", "health"}).exit_code == 0);
  x.standin.post_json("/_standin/settings", {{"reply_needs_mention", true}});
  auto replied = x.run({"reply", id, "--text", "तक्रार नोंदवली आहे", "--yes"});
  INFO(replied.out << replied.err);
  CHECK(replied.exit_code == 69);
  CHECK_THAT(replied.out + replied.err, Contains("X lets this app reply only to posts that mention @PCMCWaterSupply"));
  const auto status = parse(x.run({"--json", "status", "reply-" + id}));
  CHECK(status.at("deliveries").at(0).at("status") == "failed");
  const std::string error = status.at("deliveries").at(0).at("error");
  CHECK_THAT(error, Contains("Reply to this conversation is not allowed") &&
                        Contains("X lets this app reply only to posts that mention @PCMCWaterSupply") &&
                        Contains("the post this answers (" + id + ")") && Contains("samvad inbox route " + id));
  CHECK(x.live_posts("water-supply").empty());
}

TEST_CASE("a reply made in X's app counts as the answer once the next sync sees it", "[e2e][inbox]") {
  XSetup x;
  const auto id = mention(x, "asha_p", "@PCMCWaterSupply pipeline leak at Akurdi", std::chrono::hours(5), "en");
  REQUIRE(x.run({"inbox", "sync"}).exit_code == 0);
  own_reply(x, "water-supply", id, std::chrono::hours(4));
  auto sync = parse(x.run({"inbox", "sync", "-d", "water-supply", "--json"}));
  CHECK(sync["accounts"][0]["answered"] == 1);
  const auto item = item_of(parse(x.run({"inbox", "--all", "--json"})), id);
  CHECK(item["state"] == "answered");
  CHECK(item["response_seconds"] == 3600);
  CHECK(parse(x.run({"inbox", "--json"})).empty());  // nothing open

  REQUIRE(x.run({"inbox", "close", id, "--note", "fixed on site"}).exit_code == 0);
  CHECK(item_of(parse(x.run({"inbox", "--closed", "--json"})), id)["close_note"] == "fixed on site");
}

TEST_CASE("the head's digest goes once a day, to the head only, and not at all when there is nothing", "[e2e][inbox]") {
  XSetup x;
  x.with_email();
  with_routing(x);
  // Nothing heard yet: no email.
  auto empty = x.run({"digest", "--yes", "--json"});
  REQUIRE(empty.exit_code == 0);
  CHECK(parse(empty)[0]["sent"] == false);
  CHECK(x.smtp.messages().empty());

  const auto old = mention(x, "rahul_k", "@PCMCWaterSupply <b>no water</b> since Monday", std::chrono::hours(30), "en");
  mention(x, "asha_p", "@PCMCWaterSupply नळाला पाणी कमी दाबाने", std::chrono::hours(2));
  REQUIRE(x.run({"inbox", "sync", "-d", "water-supply"}).exit_code == 0);
  auto sent = x.run({"digest", "-d", "water-supply", "--yes", "--json"});
  INFO(sent.out << sent.err);
  REQUIRE(sent.exit_code == 0);
  CHECK(parse(sent)[0]["open"] == 2);
  CHECK(parse(sent)[0]["open_over_24h"] == 1);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["rcpt_tos"] == json::array({"head.water@pcmc.example.org"}));
  const json& a = messages[0]["analysis"];
  INFO(a.dump(2));
  CHECK(a.at("defects").empty());
  CHECK_THAT(a.at("subject").get<std::string>(), Contains("नागरिकांच्या २ पोस्ट प्रलंबित, १ नवीन"));
  const std::string text = a.at("text_plain"), html = a.at("text_html");
  CHECK_THAT(text, Contains("https://x.com/rahul_k/status/" + old) && Contains("@asha_p"));
  CHECK(text.find("@rahul_k") < text.find("@asha_p"));        // oldest first
  CHECK_THAT(html, Contains("&lt;b&gt;no water&lt;/b&gt;"));  // a citizen's words are text in the html part
  CHECK_THAT(html, !Contains("<b>no water"));

  // Later the same day: nothing more, even with something new.
  mention(x, "vijay_m", "@PCMCWaterSupply tap broken", std::chrono::minutes(1), "en");
  REQUIRE(x.run({"inbox", "sync", "-d", "water-supply"}).exit_code == 0);
  REQUIRE(x.run({"digest", "--yes"}).exit_code == 0);
  CHECK(x.smtp.messages().size() == 1);
  CHECK(x.run({"digest", "-d", "roads", "--yes"}).exit_code == 64);  // roads has no digest_to
}

TEST_CASE("stats gives each department's figures for a known set of mentions and answers", "[e2e][inbox]") {
  XSetup x;
  using std::chrono::hours;
  using std::chrono::minutes;
  const auto a = mention(x, "c1", "@PCMCWaterSupply one", hours(10));
  const auto b = mention(x, "c2", "@PCMCWaterSupply two", hours(9));
  mention(x, "c3", "@PCMCWaterSupply three", hours(30));
  mention(x, "c4", "@PCMCRoads four", hours(1));
  REQUIRE(x.run({"inbox", "sync"}).exit_code == 0);
  own_reply(x, "water-supply", a, hours(10) - minutes(30));  // 30 minutes
  own_reply(x, "water-supply", b, hours(7));                 // 2 hours
  REQUIRE(x.run({"inbox", "sync"}).exit_code == 0);
  auto stats = x.run({"stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  json water, roads;
  const json figures = parse(stats);
  for (const auto& d : figures["departments"]) {
    if (d["department"] == "water-supply") water = d;
    if (d["department"] == "roads") roads = d;
  }
  CHECK(water["mentions"] == 3);
  CHECK(water["answered"] == 2);
  CHECK(water["answered_within_24h"] == 2);
  CHECK(water["median_response_seconds"] == 1800);
  CHECK(water["p90_response_seconds"] == 7200);
  CHECK(water["open"] == 1);
  CHECK(water["open_over_24h"] == 1);
  CHECK(roads["mentions"] == 1);
  CHECK(roads["median_response_seconds"].is_null());
  CHECK_THAT(x.run({"stats"}).out, Contains("water-supply") && Contains("30m") && Contains("2h 0m"));
}

TEST_CASE("a department without an email list of its own sends its head's digest through the top-level server",
          "[e2e][inbox]") {
  XSetup x;
  x.with_email();
  x.sample.edit("departments.yaml", "    twitter: {handle: PCMCFireBrigade}",
                "    twitter: {handle: PCMCFireBrigade}\n    inbox: {digest_to: [chief.fire@pcmc.example.org]}");
  mention(x, "asha_p", "@PCMCFireBrigade पिंपरीत झाड कोसळले आहे", std::chrono::hours(3));
  REQUIRE(x.run({"inbox", "sync", "-d", "fire-brigade"}).exit_code == 0);
  auto sent = x.run({"digest", "-d", "fire-brigade", "--yes", "--json"});
  INFO(sent.out << sent.err);
  REQUIRE(sent.exit_code == 0);
  CHECK(parse(sent)[0]["sent"] == true);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["rcpt_tos"] == json::array({"chief.fire@pcmc.example.org"}));
  CHECK_THAT(messages[0]["analysis"].at("text_plain").get<std::string>(), Contains("@asha_p"));
}
