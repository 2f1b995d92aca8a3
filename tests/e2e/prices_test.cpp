// X's prices seen from the command line, against the X stand-in: what preview and post's
// confirmation say sending costs, the cost of each request recorded as it is answered, a monthly
// budget that refuses (65) what would exceed it before X hears anything, check's note on
// templates whose posts carry a URL, and bad prices refused at their line (78).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <samvad/store/store.hpp>

#include "support/e2e_helpers.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"
#include "twitter/images.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

// The sample's water cut notice: one post in Marathi and one in English, each with the notice
// page's URL, so $0.20 each at X's rates.
std::vector<std::string> water_notice(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post", "--channels",   "twitter",   "water-supply-interruption",
                                "-d",   "water-supply", "--example", "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void set_top_level(const XSetup& x, const std::string& line) {
  x.sample.edit("departments.yaml", "\ntwitter:\n", "\ntwitter:\n  " + line + "\n");
}

long long spend(const XSetup& x, const std::optional<std::string>& department = std::nullopt) {
  auto st = samvad::store::Store::open(x.state());
  const auto now = samvad::store::Clock::now();
  return st.spend("twitter", department, now - std::chrono::hours(24), now + std::chrono::hours(1));
}

}  // namespace

TEST_CASE("preview shows what posting would cost on X, per department and in total", "[e2e][prices]") {
  samvad::test::SampleSetup sample;
  auto r = sample.run({"preview", "water-supply-interruption", "-d", "water-supply,fire-brigade", "--example"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("X cost: 2 posts, 2 with a URL: $0.40\n"));
  CHECK_THAT(r.out, Contains("X cost in total: 4 posts, 4 with a URL: $0.80\n"));

  auto j = parse(
      sample.run({"--json", "preview", "water-supply-interruption", "-d", "water-supply,education", "--example"}));
  CHECK(j.at("x_cost_usd") == 0.4);
  CHECK(j.at("items").at(0).at("x_cost_usd") == 0.4);
  CHECK(j.at("items").at(1).at("x_cost_usd") == 0.0);  // education has no X account

  // One language shown, one language priced; a department's own prices are its own.
  sample.edit("departments.yaml", "twitter: {handle: PCMCWaterSupply}",
              "twitter: {handle: PCMCWaterSupply, prices: {post_with_url: 0.25}}");
  auto en = parse(sample.run({"--json", "preview", "water-supply-interruption", "-d", "water-supply,fire-brigade",
                              "--example", "--lang", "en"}));
  CHECK(en.at("items").at(0).at("x_cost_usd") == 0.25);
  CHECK(en.at("items").at(1).at("x_cost_usd") == 0.2);
  CHECK(en.at("x_cost_usd") == 0.45);
}

TEST_CASE("post records the cost of every request X bills, as it is answered", "[e2e][prices]") {
  XSetup x;
  auto image = x.sample.write("map.png", samvad::test::images::png_1x1());
  auto r = x.run(water_notice({"--json", "--media", image.string(), "--alt", "नकाशा: पाणीपुरवठा बंद असलेले भाग"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string id = parse(r).at("announcement");

  auto st = samvad::store::Store::open(x.state());
  std::map<std::string, long long> by_kind, amount;
  for (const auto& c : st.costs(id)) {
    CHECK(c.channel == "twitter");
    CHECK(c.department == "water-supply");
    by_kind[c.kind] += c.quantity;
    amount[c.kind] += c.micro_usd;
  }
  CHECK(by_kind["post_with_url"] == 2);  // mr and en, each with the notice page's URL
  CHECK(amount["post_with_url"] == 400'000);
  CHECK(by_kind["media_metadata"] == 2);  // the map's alt text on each first post
  CHECK(amount["media_metadata"] == 10'000);
  CHECK(by_kind["read"] >= 1);  // GET /2/users/me before the first post
  CHECK(by_kind.count("post") == 0);
  CHECK(spend(x) == 410'000 + amount["read"]);
  CHECK(spend(x, "water-supply") == spend(x));
  CHECK(spend(x, "health") == 0);

  // A rerun sends nothing, so costs nothing.
  REQUIRE(x.run(water_notice({"--media", image.string(), "--alt", "नकाशा: पाणीपुरवठा बंद असलेले भाग"})).exit_code == 0);
  CHECK(spend(x) == 410'000 + amount["read"]);
}

TEST_CASE("a post that would go over the monthly budget is refused with 65 and X hears nothing", "[e2e][prices]") {
  XSetup x;
  set_top_level(x, "monthly_budget: 0.30");
  auto refused = x.run(water_notice());
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err, Contains("X monthly budget: sending this would cost $0.40 (2 posts, 2 with a URL)") &&
                              Contains("every department's X spend in") && Contains("is $0.00 so far") &&
                              Contains("budget of $0.30") && Contains("nothing was sent") &&
                              Contains("departments.yaml:"));
  CHECK(x.standin.requests().empty());
  CHECK(x.live_posts().empty());

  // Within the budget it goes; the next announcement would take this month over it.
  x.sample.edit("departments.yaml", "monthly_budget: 0.30", "monthly_budget: 0.50");
  REQUIRE(x.run(water_notice()).exit_code == 0);
  CHECK(x.live_posts().size() == 2);
  const auto requests = x.standin.requests().size();
  auto second = x.run(water_notice({"--var", "areas=Akurdi"}));
  CHECK(second.exit_code == 65);
  CHECK_THAT(second.err, Contains("$0.401 so far") && Contains("$0.801 would be over"));
  CHECK(x.standin.requests().size() == requests);

  // A department's own budget counts its own spend: fire-brigade has spent nothing.
  x.sample.edit("departments.yaml", "monthly_budget: 0.50", "monthly_budget: 5");
  x.sample.edit("departments.yaml", "twitter: {handle: PCMCFireBrigade}",
                "twitter: {handle: PCMCFireBrigade, monthly_budget: 0.1}");
  auto fire =
      x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "fire-brigade", "--example", "--yes"});
  CHECK(fire.exit_code == 65);
  CHECK_THAT(fire.err, Contains("fire-brigade's X spend in") && Contains("is $0.00 so far") &&
                           Contains("over fire-brigade's budget of $0.10"));
  CHECK(x.live_posts("fire-brigade").empty());
  CHECK(x.run(water_notice({"--var", "areas=Akurdi"})).exit_code == 0);
}

TEST_CASE("run-due leaves an occurrence that would go over the budget unposted, with 65", "[e2e][prices]") {
  XSetup x;
  x.sample.write("schedule.yaml", R"(entries:
  - id: cut
    template: water-supply-interruption
    departments: [water-supply]
    channels: [twitter]
    vars: {areas: {mr: "निगडी", en: "Nigdi"}, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T18:00]
)");
  // Without a link the notice's posts cost $0.015 each.
  set_top_level(x, "monthly_budget: 0.02");
  auto refused = x.run({"run-due", "--now", "2026-12-02T18:03", "--yes"});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err,
             Contains("X monthly budget") && Contains("would cost $0.03 (2 posts)") && Contains("budget of $0.02"));
  CHECK(x.standin.requests().empty());
  // Not recorded as posted: once the budget allows, the next run (still in time) posts it.
  x.sample.edit("departments.yaml", "monthly_budget: 0.02", "monthly_budget: 1");
  auto posted = x.run({"run-due", "--now", "2026-12-02T18:08", "--yes"});
  INFO(posted.err);
  CHECK(posted.exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);
}

TEST_CASE("the confirmation says what the post costs on X, per department and in total", "[e2e][prices]") {
  XSetup x;
  auto declined = x.run_in_terminal(
      {"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply,fire-brigade", "--example"},
      24, 100, {{"[y/N]", "n\r"}});
  INFO(declined.transcript);
  CHECK(declined.exit_code == 0);
  std::string screen;
  for (const auto& l : declined.screen) screen += l + "\n";
  CHECK_THAT(screen, Contains("X @PCMCWaterSupply: mr 1 post, en 1 post\n") &&
                         Contains("X cost: 2 posts, 2 with a URL: $0.40\n") &&
                         Contains("X cost in total: 4 posts, 4 with a URL: $0.80\n"));
  CHECK(x.live_posts().empty());
}

TEST_CASE("check notes templates whose posts carry a URL, without failing on it", "[e2e][prices]") {
  XSetup x;
  auto text = x.run({"check"});
  CHECK_THAT(text.out, Contains("note  ") &&
                           Contains("template road-closure: 2 of its 2 posts (mr, en) contain a URL") &&
                           Contains("each post costs 0.20 instead of 0.015"));
  auto j = parse(x.run({"--json", "check"}));
  bool noted = false;
  for (const auto& n : j.at("notes"))
    noted = noted || (n.at("message").get<std::string>().find("template road-closure:") != std::string::npos &&
                      n.at("exit_code") == 0 && n.at("line").is_number());
  CHECK(noted);
  for (const auto& w : j.at("warnings")) CHECK_THAT(w.at("message").get<std::string>(), !Contains("contain a URL"));
  // health-camp's posts have no URL: nothing to note. Dearer prices are named as they are.
  CHECK_THAT(text.out, !Contains("template health-camp:"));
  set_top_level(x, "prices: {post: 0.02, post_with_url: 0.3}");
  CHECK_THAT(x.run({"check"}).out, Contains("each post costs 0.30 instead of 0.02"));
}

TEST_CASE("a negative or unreadable price is refused with 78 at its line", "[e2e][prices]") {
  samvad::test::SampleSetup sample;
  sample.edit("departments.yaml", "\ntwitter:\n", "\ntwitter:\n  prices: {post: -0.015}\n");
  auto r = sample.run({"preview", "health-camp", "-d", "health", "--example"});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("departments.yaml:") && Contains("twitter.prices.post is negative; expected an amount in "
                                                              "US dollars of 0 or more"));
  sample.edit("departments.yaml", "prices: {post: -0.015}", "monthly_budget: fifty");
  auto budget = sample.run({"preview", "health-camp", "-d", "health", "--example"});
  CHECK(budget.exit_code == 78);
  CHECK_THAT(budget.err, Contains("twitter.monthly_budget is not a number; expected an amount in US dollars"));
}

TEST_CASE("inbox sync's reads and a reply are billed, stats shows the spend, and a spent budget refuses both",
          "[e2e][prices][inbox]") {
  XSetup x;
  auto mention = [&](const std::string& text) {
    return x.standin.add_mention({{"author", {{"username", "rahul_k"}, {"name", "Rahul"}}},
                                  {"text", text},
                                  {"lang", "mr"},
                                  {"created_at", "2026-12-01T08:00:00.000Z"}});
  };
  const auto first = mention("@PCMCWaterSupply निगडीत नळाला पाणी येत नाही");
  const auto second = mention("@PCMCWaterSupply आकुर्डीत पाणी गढूळ आहे");
  auto synced = x.run({"inbox", "sync", "-d", "water-supply"});
  INFO(synced.err);
  REQUIRE(synced.exit_code == 0);
  // The account's id (one item) and the two mentions, at X's 0.001 per item read.
  CHECK(spend(x, "water-supply") == 3'000);

  // The first post of a reply is billed as a reply (0.01), not as a post (0.015), after the
  // account check that reads the account's id (0.001).
  auto replied = x.run({"reply", first, "--text", "तक्रार नोंदवली आहे, धन्यवाद", "--yes"});
  INFO(replied.err);
  REQUIRE(replied.exit_code == 0);
  CHECK(spend(x, "water-supply") == 14'000);
  auto st = samvad::store::Store::open(x.state());
  std::map<std::string, long long> by_kind;
  for (const auto& c : st.costs("reply-" + first)) by_kind[c.kind] += c.micro_usd;
  CHECK(by_kind == std::map<std::string, long long>{{"read", 1'000}, {"reply", 10'000}});

  auto stats = parse(x.run({"--json", "stats", "-d", "water-supply"}));
  CHECK(stats.at("departments").at(0).at("x_spend_usd") == 0.014);
  CHECK(parse(x.run({"--json", "stats", "-d", "fire-brigade"})).at("departments").at(0).at("x_spend_usd") == 0.0);

  // With the month's budget spent, neither a sync nor a reply reaches X.
  x.sample.edit("departments.yaml", "twitter: {handle: PCMCWaterSupply}",
                "twitter: {handle: PCMCWaterSupply, monthly_budget: 0.014}");
  const auto requests = x.standin.requests().size();
  auto refused_sync = x.run({"inbox", "sync", "-d", "water-supply"});
  CHECK(refused_sync.exit_code == 65);
  CHECK_THAT(refused_sync.err + refused_sync.out, Contains("over water-supply's budget of $0.014"));
  auto refused_reply = x.run({"reply", second, "--text", "तक्रार नोंदवली आहे", "--yes"});
  CHECK(refused_reply.exit_code == 65);
  CHECK_THAT(refused_reply.err, Contains("over water-supply's budget of $0.014") && Contains("nothing was sent"));
  CHECK(x.standin.requests().size() == requests);
  CHECK(x.live_posts("water-supply").size() == 1);
}
