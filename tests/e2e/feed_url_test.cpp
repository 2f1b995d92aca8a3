// {{feed.url}}: a post can point to the notice's page on the public feed. The address is the one
// the feed channel publishes the page at, for the same announcement, on every run and whichever
// channels a run uses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

const char* kTemplate = R"(kind: service-notice
title: {en: Notice, mr: सूचना}
variables:
  what: {type: text, description: what happens, example: "पाणीपुरवठा बंद"}
tweet:
  en: "{{what}}{{#feed.url}} - full notice: {{feed.url}}{{/feed.url}}"
  mr: "{{what}}{{#feed.url}} - संपूर्ण सूचना: {{feed.url}}{{/feed.url}}"
email:
  subject: {en: "{{what}}", mr: "{{what}}"}
  text: {en: "{{what}} today.", mr: "{{what}} आज."}
)";

void with_feed(XSetup& x) {
  x.sample.write("templates/notice-link.yaml", kTemplate);
  x.sample.edit("departments.yaml", "departments:\n",
                "feed:\n  dir: www/notices\n  base_url: https://www.pcmcindia.gov.in/notices\ndepartments:\n");
}

}  // namespace

TEST_CASE("{{feed.url}} in a tweet is the address the feed publishes the notice's page at", "[e2e][feed]") {
  XSetup x;
  with_feed(x);
  auto r = x.run(
      {"post", "notice-link", "-d", "water-supply", "--example", "--channels", "twitter,feed", "--yes", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string id = parse(r).at("announcement").get<std::string>();
  const std::string url = "https://www.pcmcindia.gov.in/notices/water-supply/" + id + ".html";
  auto posts = x.live_posts("water-supply");
  REQUIRE(posts.size() == 2);
  for (const auto& p : posts) CHECK_THAT(p.at("text").get<std::string>(), Contains(url));
  CHECK(std::filesystem::is_regular_file(x.sample.dir() / "www/notices/water-supply" / (id + ".html")));
  bool reported = false;
  const nlohmann::json report = parse(r);
  for (const auto& d : report.at("deliveries"))
    if (d.at("channel") == "feed") reported = d.at("urls").size() == 1 && d.at("urls").at(0) == url;
  CHECK(reported);
}

TEST_CASE("{{feed.url}} is the same whichever channels a run uses, so a later run is the same announcement",
          "[e2e][feed]") {
  XSetup x;
  with_feed(x);
  // X first, the page later: the tweets already point where the page will be.
  auto tweets =
      x.run({"post", "notice-link", "-d", "water-supply", "--example", "--channels", "twitter", "--yes", "--json"});
  INFO(tweets.err);
  REQUIRE(tweets.exit_code == 0);
  auto page =
      x.run({"post", "notice-link", "-d", "water-supply", "--example", "--channels", "feed", "--yes", "--json"});
  INFO(page.err);
  REQUIRE(page.exit_code == 0);
  CHECK(parse(page).at("announcement") == parse(tweets).at("announcement"));
  const std::string id = parse(page).at("announcement").get<std::string>();
  for (const auto& p : x.live_posts("water-supply"))
    CHECK_THAT(p.at("text").get<std::string>(), Contains("/notices/water-supply/" + id + ".html"));
  // A rerun with every channel is the same announcement, with nothing left to send.
  auto all = x.run({"post", "notice-link", "-d", "water-supply", "--example", "--channels", "twitter,feed", "--yes"});
  INFO(all.err);
  CHECK(all.exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);
}

TEST_CASE("{{feed.url}} follows --id, and a department without the feed renders the section empty", "[e2e][feed]") {
  XSetup x;
  with_feed(x);
  auto r = x.run({"post", "notice-link", "-d", "water-supply", "--example", "--id", "water-cut-0412", "--channels",
                  "twitter", "--dry-run", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("https://www.pcmcindia.gov.in/notices/water-supply/water-cut-0412.html"));

  // Without a feed block no department has the feed: the text leaves the link out.
  XSetup plain;
  plain.sample.write("templates/notice-link.yaml", kTemplate);
  auto none =
      plain.run({"post", "notice-link", "-d", "water-supply", "--example", "--channels", "twitter", "--dry-run"});
  INFO(none.err);
  REQUIRE(none.exit_code == 0);
  CHECK_THAT(none.out, !Contains("full notice") && !Contains("संपूर्ण सूचना") && Contains("पाणीपुरवठा बंद"));
}
