// `samvad post`, `status`, `history`, `retract` and `authorize` driven as a clerk, a script or
// cron would, against the X API stand-in on loopback (--channels twitter: email has its own
// tests/e2e/email_test.cpp): every post, retry, crash and race is checked on what the stand-in
// actually received.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

#include <nlohmann/json.hpp>

#include <samvad/text/timestamp.hpp>
#include <samvad/text/tweet_length.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::ProcessOptions;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;
using samvad::test::eventually;

std::vector<std::string> water_notice(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example", "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}



std::size_t count_requests(const XSetup& x, const std::string& method, const std::string& path) {
  std::size_t n = 0;
  for (const auto& r : x.standin.requests())
    if (r.at("method") == method && r.at("path") == path) ++n;
  return n;
}

// A valid 1x1 PNG.
std::string tiny_png() {
  const unsigned char png[] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
                               0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
                               0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
                               0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
                               0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(png), sizeof png);
}

}  // namespace

TEST_CASE("post sends each language of a notice to the department's account, signed, and records it", "[e2e][post]") {
  XSetup x;
  auto r = x.run(water_notice({"--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  CHECK(j.at("status") == "delivered");
  CHECK_THAT(j.at("announcement").get<std::string>(), Catch::StartsWith("water-supply-interruption-"));
  REQUIRE(j.at("deliveries").size() == 2);

  auto posts = x.live_posts("water-supply");
  REQUIRE(posts.size() == 2);
  for (const auto& d : j.at("deliveries")) {
    CHECK(d.at("department") == "water-supply");
    CHECK(d.at("channel") == "twitter");
    CHECK(d.at("status") == "delivered");
    CHECK(d.at("attempts") == 1);
    CHECK(d.at("error").is_null());
    REQUIRE(d.at("tweet_ids").size() == 1);
  }
  CHECK(j.at("deliveries").at(0).at("language") == "mr");
  CHECK(posts.at(0).at("id") == j.at("deliveries").at(0).at("tweet_ids").at(0));
  CHECK_THAT(posts.at(0).at("text").get<std::string>(), Contains("पाणीपुरवठा") && Contains("#PCMC"));
  // Every request was correctly signed (the stand-in recomputes each signature) and named samvad.
  for (const auto& req : x.standin.requests()) CHECK(req.at("auth") == "ok");
  // Nothing else was posted anywhere.
  CHECK(x.live_posts().size() == 2);

  auto status = x.run({"status", "--json"});
  REQUIRE(status.exit_code == 0);
  // status --json is post's report plus who recorded it and what happened to it since.
  auto recorded = parse(status);
  CHECK(recorded.at("operator").is_string());
  CHECK(recorded.at("approval").is_null());
  CHECK(recorded.at("events") == json::array());
  for (const char* key : {"operator", "recorded_at", "approval", "events"}) recorded.erase(key);
  CHECK(recorded == j);
}

TEST_CASE("running the same command again resumes and never posts twice", "[e2e][post]") {
  XSetup x;
  auto first = x.run(water_notice({"--json"}));
  REQUIRE(first.exit_code == 0);
  auto again = x.run(water_notice({"--json"}));
  REQUIRE(again.exit_code == 0);
  CHECK(parse(again).at("announcement") == parse(first).at("announcement"));
  CHECK(parse(again).at("deliveries") == parse(first).at("deliveries"));
  CHECK(count_requests(x, "POST", "/2/tweets") == 2);
  CHECK(x.live_posts().size() == 2);
}

TEST_CASE("a long notice is posted as a thread, each part replying to the one before", "[e2e][post]") {
  XSetup x;
  auto r = x.run({"post", "--channels", "twitter", "scheme-launch", "-d", "water-supply", "--example", "--yes", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  auto posts = x.live_posts("water-supply");
  for (const auto& d : j.at("deliveries")) {
    auto ids = d.at("tweet_ids");
    REQUIRE(ids.size() >= 2);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      json post;
      for (const auto& p : posts)
        if (p.at("id") == ids[i]) post = p;
      REQUIRE(post.is_object());
      if (i == 0) CHECK(post.at("reply_to").is_null());
      else CHECK(post.at("reply_to") == ids[i - 1]);
      std::string text = post.at("text");
      CHECK(samvad::text::measure_tweet(text).weighted_length <= 280);
      CHECK_THAT(text, Catch::EndsWith("(" + std::to_string(i + 1) + "/" + std::to_string(ids.size()) + ")"));
    }
  }
}

TEST_CASE("an image goes up with its alt text and is attached to the first post", "[e2e][post]") {
  XSetup x;
  auto image = x.sample.write("map.png", tiny_png());
  auto r = x.run(water_notice({"--media", image.string(), "--alt", "नकाशा: पाणीपुरवठा बंद असलेले भाग"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto media = x.standin.media();
  REQUIRE(media.size() == 2);  // once per language's post
  CHECK(media.at(0).at("alt_text") == "नकाशा: पाणीपुरवठा बंद असलेले भाग");
  for (const auto& p : x.live_posts("water-supply")) CHECK(p.at("media_ids").size() == 1);

  auto no_alt = x.run(water_notice({"--media", image.string()}));
  CHECK(no_alt.exit_code == 64);
  CHECK_THAT(no_alt.err, Contains("--alt"));
}

TEST_CASE("images a template declares go up with the alt text of each post's language", "[e2e][post]") {
  XSetup x;
  x.sample.write("templates/images/camp.png", tiny_png());
  x.sample.write("templates/camp-with-map.yaml",
                 "kind: service-notice\ntitle: {en: Health camp, mr: आरोग्य शिबिर}\n"
                 "tweet: {en: \"Free health camp today.\", mr: \"आज मोफत आरोग्य शिबिर.\"}\n"
                 "media:\n  - file: images/camp.png\n    alt: {en: Map to the camp, mr: शिबिराचा नकाशा}\n");
  auto r = x.run({"post", "--channels", "twitter", "camp-with-map", "-d", "water-supply", "--yes"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> alt_by_post_text;
  auto media = x.standin.media();
  for (const auto& p : x.live_posts("water-supply")) {
    REQUIRE(p.at("media_ids").size() == 1);
    for (const auto& m : media)
      if (m.at("id") == p.at("media_ids").at(0)) alt_by_post_text[p.at("text")] = m.at("alt_text");
  }
  CHECK(alt_by_post_text["आज मोफत आरोग्य शिबिर."] == "शिबिराचा नकाशा");
  CHECK(alt_by_post_text["Free health camp today."] == "Map to the camp");
}

TEST_CASE("posting with --all reaches every department with an X account, in parallel", "[e2e][post]") {
  XSetup x({"--latency-ms", "150"});
  auto started = std::chrono::steady_clock::now();
  auto r = x.run({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes", "--json", "--jobs", "8"});
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  std::size_t deliveries = 0;
  for (const auto& a : x.accounts) {
    auto posts = x.live_posts(a.department);
    CHECK(posts.size() >= 1);
    deliveries += posts.size();
  }
  CHECK(j.at("deliveries").size() == deliveries);
  INFO("took " << seconds << " s");  // timing belongs to the benchmarks; this only shows it on failure
}

TEST_CASE("server errors are retried with backoff, then deferred (75), and a rerun finishes", "[e2e][post]") {
  XSetup x;
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}, {"times", 2}});
  auto retried = x.run(water_notice({"--json"}));
  INFO(retried.err);
  CHECK(retried.exit_code == 0);
  CHECK(x.live_posts().size() == 2);

  XSetup y;
  y.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}, {"times", 100}});
  auto deferred = y.run(water_notice({"--json"}));
  CHECK(deferred.exit_code == 75);
  auto j = parse(deferred);
  CHECK(j.at("status") == "deferred");
  CHECK_THAT(j.at("deliveries").at(0).at("error").get<std::string>(), Contains("503"));
  CHECK(y.live_posts().empty());
  y.standin.reset();
  auto rerun = y.run(water_notice({"--json"}));
  CHECK(rerun.exit_code == 0);
  CHECK(y.live_posts().size() == 2);
}

TEST_CASE("a rate limit is waited out when short and deferred when long", "[e2e][post]") {
  XSetup x;
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 1}});
  auto waited = x.run(water_notice({"--max-wait", "10"}));
  INFO(waited.err);
  CHECK(waited.exit_code == 0);
  CHECK(x.live_posts().size() == 2);

  XSetup y;
  y.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 600}});
  auto deferred = y.run(water_notice({"--json", "--max-wait", "5"}));
  CHECK(deferred.exit_code == 75);
  CHECK_THAT(parse(deferred).dump(), Contains("429"));
}

TEST_CASE("a 429 from X's 24-hour cap defers until that cap resets, and no run before then asks X", "[e2e][post]") {
  using std::chrono::hours;
  using std::chrono::minutes;
  XSetup x;
  // Both languages are refused: the window resets in 15 minutes, the account's day cap in 5 hours.
  x.standin.add_faults(
      json{{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 900}, {"user_24h_reset_in", 5 * 3600}, {"times", 2}});
  const auto before = std::chrono::system_clock::now();
  auto limited = x.run(water_notice({"--json", "--max-wait", "5"}));
  INFO(limited.err);
  CHECK(limited.exit_code == 75);
  auto j = parse(limited);
  CHECK(j.at("status") == "deferred");
  REQUIRE(j.at("deliveries").size() == 2);
  for (const auto& d : j.at("deliveries")) {
    CHECK(d.at("status") == "deferred");
    CHECK_THAT(d.at("error").get<std::string>(),
               Contains("429") && Contains("the account's 24-hour limit is used up") && Contains("not before"));
    // The day cap's reset, not the 15-minute window's, in the organization's time zone.
    REQUIRE(d.at("retry_at").is_string());
    CHECK_THAT(d.at("retry_at").get<std::string>(), Catch::EndsWith("+05:30"));
    auto retry_at = samvad::text::parse_iso8601(d.at("retry_at").get<std::string>());
    REQUIRE(retry_at);
    CHECK(*retry_at > before + hours(5) - minutes(1));
    CHECK(*retry_at < std::chrono::system_clock::now() + hours(5) + minutes(1));
  }
  const auto retry_at = j.at("deliveries").at(0).at("retry_at");
  CHECK(x.live_posts().empty());

  // status tells the same time; neither it nor a rerun before then sends X a single request.
  auto status = parse(x.run({"--json", "status"}));
  CHECK(status.at("deliveries").at(0).at("retry_at") == retry_at);
  const auto asked = x.standin.requests().size();
  auto rerun = x.run(water_notice({"--json"}));
  CHECK(rerun.exit_code == 75);
  auto again = parse(rerun);
  CHECK(again.at("status") == "deferred");
  CHECK(again.at("deliveries").at(0).at("retry_at") == retry_at);
  CHECK_THAT(again.at("deliveries").at(0).at("error").get<std::string>(), Contains("not before"));
  CHECK(x.standin.requests().size() == asked);
  CHECK(x.live_posts().empty());
  // People are told when, in the organization's time zone.
  auto told = x.run(water_notice());
  CHECK(told.exit_code == 75);
  CHECK_THAT(told.out + told.err, Contains("nothing sent: it waits") && Contains("more for the rate limit") &&
                                      Contains("not before") && Contains("(Asia/Kolkata)"));
  CHECK(x.standin.requests().size() == asked);
}

TEST_CASE("once a 24-hour cap has reset, the next run sends what it held back", "[e2e][post]") {
  XSetup x;
  x.standin.add_faults(
      json{{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 1}, {"user_24h_reset_in", 3}, {"times", 2}});
  auto limited = x.run(water_notice({"--json", "--max-wait", "0"}));
  CHECK(limited.exit_code == 75);
  auto retry_at = samvad::text::parse_iso8601(parse(limited).at("deliveries").at(0).at("retry_at").get<std::string>());
  REQUIRE(retry_at);
  std::this_thread::sleep_until(*retry_at + std::chrono::milliseconds(200));
  auto rerun = x.run(water_notice({"--json"}));
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(parse(rerun).at("deliveries").at(0).at("retry_at").is_null());
  CHECK(x.live_posts().size() == 2);
}

TEST_CASE("a thread part X refuses as a reply fails the delivery (69) with X's words and what they mean, part 1 stays",
          "[e2e][post]") {
  XSetup x;
  x.standin.post_json("/_standin/settings", {{"reply_needs_mention", true}});
  std::string text;
  for (int i = 1; i <= 12; ++i)
    text += "उद्या सकाळी ६ ते दुपारी २ या वेळेत निगडी प्रभागात पाणीपुरवठा बंद राहील (" + std::to_string(i) + "). ";
  auto r = x.run({"post", "--channels", "twitter", "--text", text, "-d", "water-supply", "--yes", "--json"});
  INFO(r.err);
  CHECK(r.exit_code == 69);
  auto j = parse(r);
  CHECK(j.at("status") == "failed");
  const auto& d = j.at("deliveries").at(0);
  REQUIRE(d.at("parts").size() >= 3);
  CHECK(d.at("status") == "failed");
  const std::string error = d.at("error").get<std::string>();
  CHECK_THAT(error, Contains("X answered 403: Reply to this conversation is not allowed because you have not been "
                             "mentioned or otherwise engaged by the author of the post you are replying to."));
  CHECK_THAT(error, Contains("X lets this app reply only to posts that mention @PCMCWaterSupply") &&
                        Contains("this thread's part 2 could not be posted as a reply to part 1") &&
                        Contains("Part 1 is posted and stays") && Contains("Shorten the text to one post") &&
                        Contains("twitter.threads: none"));
  // Part 1 went out and is recorded with its id; part 2 failed; nothing after it was tried.
  CHECK(d.at("parts").at(0).at("status") == "delivered");
  CHECK(d.at("parts").at(0).at("tweet_id") == x.live_posts("water-supply").at(0).at("id"));
  CHECK(d.at("parts").at(1).at("status") == "failed");
  CHECK(d.at("parts").at(2).at("status") == "pending");
  CHECK(x.live_posts("water-supply").size() == 1);
  // Refused for good: one request for part 2, not a retry; a rerun does not ask again.
  CHECK(count_requests(x, "POST", "/2/tweets") == 2);
  auto rerun = x.run({"post", "--channels", "twitter", "--text", text, "-d", "water-supply", "--yes", "--json"});
  CHECK(rerun.exit_code == 69);
  CHECK(count_requests(x, "POST", "/2/tweets") == 2);
  auto status = parse(x.run({"--json", "status"}));
  CHECK(status.at("deliveries").at(0).at("parts").at(0).at("status") == "delivered");
  CHECK_THAT(status.at("deliveries").at(0).at("error").get<std::string>(), Contains("twitter.threads: none"));
}

TEST_CASE(
    "with twitter.threads: none a text that needs a thread is refused (65) by check, preview and post before "
    "anything is sent",
    "[e2e][post]") {
  XSetup x;
  x.sample.edit("departments.yaml", "    twitter: {handle: PCMCWaterSupply}",
                "    twitter: {handle: PCMCWaterSupply, threads: none}");
  // scheme-launch's example text needs a thread of 3 in both languages.
  const std::string refused_mr =
      "department water-supply (mr): the tweet needs 3 posts but twitter.threads is none for this department";
  const std::string refused_en =
      "department water-supply (en): the tweet needs 3 posts but twitter.threads is none for this department";

  auto check = x.run({"--json", "check"});
  auto problems = parse(check).at("problems");
  bool found = false;
  for (const auto& p : problems) {
    if (p.at("message").get<std::string>().find(refused_mr) == std::string::npos) continue;
    found = true;
    CHECK(p.at("exit_code") == 65);
    CHECK_THAT(p.at("file").get<std::string>(), Catch::EndsWith("templates/scheme-launch.yaml"));
    CHECK(p.at("line").is_number());  // the tweet's Marathi text
    CHECK_THAT(p.at("message").get<std::string>(),
               Contains("expected a text that fits in one post") && Contains("departments.yaml:"));
  }
  CHECK(found);
  CHECK(check.exit_code != 0);

  auto preview = x.run({"preview", "scheme-launch", "-d", "water-supply", "--example"});
  CHECK(preview.exit_code == 65);
  CHECK_THAT(preview.err, Contains("scheme-launch.yaml:") && Contains(refused_mr) && Contains(refused_en));

  auto post = x.run({"post", "--channels", "twitter", "scheme-launch", "-d", "water-supply", "--example", "--yes"});
  CHECK(post.exit_code == 65);
  CHECK_THAT(post.err, Contains(refused_mr));
  std::string long_text;
  for (int i = 0; i < 8; ++i) long_text += "उद्या सकाळी ६ ते दुपारी २ या वेळेत निगडी प्रभागात पाणीपुरवठा बंद राहील. ";
  auto text = x.run({"post", "--channels", "twitter", "--text", long_text, "-d", "water-supply", "--yes"});
  CHECK(text.exit_code == 65);
  CHECK_THAT(text.err, Contains("--text for department water-supply: the text needs") &&
                           Contains("posts but twitter.threads is none for this department"));
  // Nothing was sent, nor recorded as sent.
  CHECK(x.standin.requests().empty());
  CHECK(x.run({"status"}).exit_code == 66);

  // Other departments thread as before, and a text that fits one post goes.
  CHECK(x.run({"preview", "scheme-launch", "-d", "health", "--example"}).exit_code == 0);
  auto single = x.run(water_notice());
  INFO(single.err);
  CHECK(single.exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);

  x.sample.edit("departments.yaml", "threads: none", "threads: never");
  auto bad = x.run({"check"});
  CHECK(bad.exit_code == 78);
  CHECK_THAT(bad.err, Contains("departments.yaml:") &&
                          Contains("departments.water-supply.twitter.threads 'never' is not known; expected reply") &&
                          Contains("or none"));
}

TEST_CASE("a refused request fails that department (69) with X's detail and the others still go", "[e2e][post]") {
  XSetup x;
  x.sample.edit("credentials.yaml", "1002-sec-Wm8", "wrong-secret");  // health's token secret
  auto r = x.run({"post", "--channels", "twitter", "health-camp", "-d", "water-supply", "-d", "health", "--example", "--yes", "--json"});
  CHECK(r.exit_code == 69);
  auto j = parse(r);
  CHECK(j.at("status") == "failed");
  for (const auto& d : j.at("deliveries")) {
    if (d.at("department") == "health") {
      CHECK(d.at("status") == "failed");
      CHECK_THAT(d.at("error").get<std::string>(), Contains("401") && Contains("Unauthorized"));
    } else {
      CHECK(d.at("status") == "delivered");
    }
  }
  CHECK(x.live_posts("water-supply").size() == 2);
  CHECK(x.live_posts("health").empty());
  CHECK_THAT(r.err, !Contains("wrong-secret"));
}

TEST_CASE("a post whose answer is lost is found on the next run instead of being posted again", "[e2e][post]") {
  XSetup x;
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop_after_create"}});
  auto lost = x.run(water_notice({"--json"}));
  CHECK(lost.exit_code == 75);
  CHECK_THAT(parse(lost).dump(), Contains("outcome unknown"));
  auto rerun = x.run(water_notice({"--json"}));
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(x.live_posts().size() == 2);
  CHECK(count_requests(x, "POST", "/2/tweets") == 2);  // one lost answer, one new post; no resend
}

TEST_CASE("a crash between request and record never leads to a second post", "[e2e][post]") {
  XSetup x;
  // The first post takes 2 s on the server; samvad is killed while it waits for the answer.
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"latency_ms", 2000}});
  auto running = x.start(water_notice());
  // The fault is used up when the slow request arrives.
  REQUIRE(eventually([&] { return x.standin.get("/_standin/faults").empty(); }));
  running->kill(SIGKILL);
  CHECK(running->wait().exit_code == 128 + SIGKILL);
  REQUIRE(eventually([&] { return x.live_posts().size() == 1; }));  // the server finished creating it anyway

  auto rerun = x.run(water_notice({"--json"}));
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(parse(rerun).at("status") == "delivered");
  CHECK(x.live_posts().size() == 2);  // mr found, not reposted; en posted once
}

TEST_CASE("two samvad processes on the same announcement never post the same part twice", "[e2e][post]") {
  XSetup x({"--latency-ms", "300"});
  auto a = x.start({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes", "--json", "--jobs", "2"});
  auto b = x.start({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes", "--json", "--jobs", "2"});
  auto ra = a->wait();
  auto rb = b->wait();
  INFO(ra.err << rb.err);
  CHECK((ra.exit_code == 0 || ra.exit_code == 75));
  CHECK((rb.exit_code == 0 || rb.exit_code == 75));
  std::map<std::string, int> seen;
  for (const auto& p : x.live_posts()) ++seen[p.at("user_id").get<std::string>() + "|" + p.at("text").get<std::string>()];
  for (const auto& [key, n] : seen) CHECK(n == 1);
  // Whatever one left to the other is finished by a rerun, still without duplicates.
  auto rerun = x.run({"post", "--channels", "twitter", "health-camp", "--all", "--example", "--yes"});
  CHECK(rerun.exit_code == 0);
  std::size_t total = 0;
  for (const auto& a2 : x.accounts) total += x.live_posts(a2.department).size();
  CHECK(total == seen.size());
}

TEST_CASE("retract deletes every post of an announcement and records it", "[e2e][post]") {
  XSetup x;
  auto posted = x.run({"post", "--channels", "twitter", "scheme-launch", "-d", "water-supply", "--example", "--yes", "--json"});
  REQUIRE(posted.exit_code == 0);
  std::string id = parse(posted).at("announcement");
  REQUIRE(x.live_posts().size() >= 4);

  auto r = x.run({"retract", id, "--yes"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(x.live_posts().empty());
  auto status = parse(x.run({"status", id, "--json"}));
  for (const auto& d : status.at("deliveries")) CHECK(d.at("status") == "retracted");
  // Already gone counts as retracted.
  CHECK(x.run({"retract", id, "--yes"}).exit_code == 0);
  // A rerun of the post does not bring it back.
  CHECK(x.run({"post", "--channels", "twitter", "scheme-launch", "-d", "water-supply", "--example", "--yes"}).exit_code == 0);
  CHECK(x.live_posts().empty());
}

TEST_CASE("authorize runs the PIN flow and saves the token privately", "[e2e][post]") {
  XSetup x;
  x.sample.edit("credentials.yaml", "  water-supply:\n    twitter: {access_token: 1001-tok-Zr4, access_token_secret: 1001-sec-Wm8}\n", "");
  auto missing = x.run(water_notice());
  CHECK(missing.exit_code == 78);
  CHECK_THAT(missing.err, Contains("samvad authorize water-supply"));

  ProcessOptions pin;
  pin.stdin_text = "7654321\n";
  auto r = x.run({"authorize", "water-supply"}, pin);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("/oauth/authorize?oauth_token=") && Contains("authorized water-supply as @PCMCWaterSupply"));
  auto perms = std::filesystem::status(x.sample.credentials()).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) == std::filesystem::perms::none);
  std::string saved = samvad::test::read_file(x.sample.credentials());
  CHECK_THAT(saved, Contains("cs-samvad-e2e-Qx7") && Contains("health"));  // the rest is kept
  CHECK(x.run(water_notice()).exit_code == 0);

  ProcessOptions wrong;
  wrong.stdin_text = "0000000\n";
  auto refused = x.run({"authorize", "water-supply"}, wrong);
  CHECK(refused.exit_code == 69);
}

TEST_CASE("post asks for confirmation, and without a terminal needs --yes", "[e2e][post]") {
  XSetup x;
  auto r = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example"});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Contains("--yes"));
  CHECK(x.live_posts().empty());
}

TEST_CASE("a dry run prints the deliveries and neither sends nor records anything", "[e2e][post]") {
  XSetup x;
  auto r = x.run({"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example", "--dry-run", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  CHECK(j.at("dry_run") == true);
  CHECK(j.at("deliveries").size() == 2);
  CHECK(x.standin.requests().empty());
  CHECK_FALSE(std::filesystem::exists(x.state()));
}

TEST_CASE("post --text sends a one-off text, history lists announcements", "[e2e][post]") {
  XSetup x;
  auto r = x.run({"post", "--channels", "twitter", "--text", "आज दुपारी २ वाजता पत्रकार परिषद. #PCMC", "-d", "fire-brigade", "-d", "roads", "--yes"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(x.live_posts("fire-brigade").size() == 1);
  CHECK(x.live_posts("roads").size() == 1);
  REQUIRE(x.run(water_notice()).exit_code == 0);

  auto h = x.run({"history", "--json"});
  REQUIRE(h.exit_code == 0);
  auto j = parse(h);
  REQUIRE(j.size() == 2);
  CHECK(j.at(0).at("template") == "water-supply-interruption");  // newest first
  CHECK(j.at(1).at("template").is_null());
  CHECK(j.at(1).at("departments") == json::array({"fire-brigade", "roads"}));
  auto only_roads = parse(x.run({"history", "--json", "-d", "roads"}));
  CHECK(only_roads.size() == 1);
  CHECK(parse(x.run({"history", "--json", "--limit", "1"})).size() == 1);
}

TEST_CASE("post never prints a secret, even with -v", "[e2e][post]") {
  XSetup x;
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}, {"times", 1}});
  auto r = x.run({"-v", "post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply", "--example", "--yes", "--json"});
  REQUIRE(r.exit_code == 0);
  for (const auto& secret : x.secrets()) {
    CHECK_THAT(r.out, !Contains(secret));
    CHECK_THAT(r.err, !Contains(secret));
  }
}

TEST_CASE("each announcement records who made it: $SAMVAD_OPERATOR, else user@host, shown by history",
          "[e2e][post][operator]") {
  XSetup x;
  samvad::test::ProcessOptions as_clerk;
  as_clerk.env["SAMVAD_OPERATOR"] = "meera@water-desk";
  REQUIRE(x.run({"post", "--text", "पाणीपुरवठा उद्या सकाळी बंद", "-d", "water-supply", "--yes"}, as_clerk).exit_code == 0);
  REQUIRE(x.run({"post", "--text", "Road closed near Nigdi today", "-d", "roads", "--yes"}).exit_code == 0);
  auto history = samvad::test::parse_json(x.run({"--json", "history"}));
  REQUIRE(history.size() == 2);
  CHECK(history[1]["operator"] == "meera@water-desk");  // oldest last
  const std::string other = history[0]["operator"];
  CHECK(other.find('@') != std::string::npos);  // user@host of the process
  CHECK(other != "meera@water-desk");
}
