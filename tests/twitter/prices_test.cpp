// X's prices: departments.yaml's twitter.prices and twitter.monthly_budget (defaults, a
// department's overrides, errors at file:line), which posts X bills at the URL rate, and the
// estimate of a planned delivery as a pure function.
#include <catch2/catch.hpp>

#include <samvad/registry/channels.hpp>
#include <samvad/twitter/prices.hpp>
#include <samvad/twitter/settings.hpp>

#include "support/config_errors.hpp"

using samvad::Error;
using samvad::ExitCode;
using samvad::registry::parse_config;
using samvad::test::only_config_error;
using namespace samvad::twitter;

namespace {

const char* kConfig = R"(organization:
  name: {en: Pimpri Chinchwad Municipal Corporation}
  short_name: PCMC
  website: https://www.pcmcindia.gov.in
  languages: [en]
twitter:
  api_base: https://api.x.com
  prices: {post: 0.02, read: 0.002}
  monthly_budget: 50
departments:
  water-supply:
    name: {en: Water Supply Department}
    twitter: {handle: PCMCWaterSupply, prices: {post_with_url: 0.25}, monthly_budget: 5.5}
  health:
    name: {en: Health Department}
    twitter: {handle: PCMCHealth}
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

samvad::store::PlannedDelivery delivery(std::vector<std::string> parts, std::string content = "{}") {
  return samvad::store::PlannedDelivery{"water-supply", "twitter", "mr", std::move(parts), std::move(content), {}};
}

}  // namespace

TEST_CASE("X's published prices apply unless departments.yaml sets others", "[twitter][prices]") {
  std::string plain = replace(kConfig, "  prices: {post: 0.02, read: 0.002}\n  monthly_budget: 50\n", "");
  plain = replace(plain, ", prices: {post_with_url: 0.25}, monthly_budget: 5.5", "");
  auto c = parse_config(plain, "/etc/samvad/departments.yaml");
  const Account& a = *account_of(c.departments[0]);
  CHECK(a.prices.post == 15'000);
  CHECK(a.prices.post_with_url == 200'000);
  CHECK(a.prices.reply == 10'000);
  CHECK(a.prices.media_metadata == 5'000);
  CHECK(a.prices.read == 1'000);
  CHECK_FALSE(a.budget);
  CHECK_FALSE(a.shared_budget);
}

TEST_CASE("top-level prices are every department's, a department overrides single prices", "[twitter][prices]") {
  auto c = parse_config(kConfig, "/etc/samvad/departments.yaml");
  const Account& water = *account_of(c.departments[0]);
  const Account& health = *account_of(c.departments[1]);
  CHECK(water.prices.post == 20'000);            // top level
  CHECK(water.prices.read == 2'000);             // top level
  CHECK(water.prices.post_with_url == 250'000);  // its own
  CHECK(water.prices.media_metadata == 5'000);   // X's
  CHECK(health.prices.post_with_url == 200'000);
  CHECK(health.prices.post == 20'000);
  // The top-level budget is every department's together; a department's is its own.
  REQUIRE(water.shared_budget);
  CHECK(water.shared_budget->micro_usd == 50'000'000);
  CHECK(water.shared_budget->where->line == 9);
  REQUIRE(water.budget);
  CHECK(water.budget->micro_usd == 5'500'000);
  CHECK(water.budget->where->line == 13);
  CHECK_FALSE(health.budget);
}

TEST_CASE("a negative price, a price that is no number and an unknown price are 78 at their line",
          "[twitter][prices]") {
  auto negative = only_config_error(replace(kConfig, "post: 0.02", "post: -0.01"));
  CHECK(negative.code == ExitCode::config);
  CHECK(negative.where->line == 8);
  CHECK_THAT(negative.to_string(), Catch::Contains("departments.yaml:8:") &&
                                       Catch::Contains("twitter.prices.post is negative; expected") &&
                                       Catch::Contains("like 0.015"));

  auto word = only_config_error(replace(kConfig, "post_with_url: 0.25", "post_with_url: cheap"));
  CHECK(word.code == ExitCode::config);
  CHECK(word.where->line == 13);
  CHECK_THAT(word.message, Catch::Contains("departments.water-supply.twitter.prices.post_with_url is not a number; "
                                           "expected an amount in US dollars"));

  auto budget = only_config_error(replace(kConfig, "monthly_budget: 50", "monthly_budget: [50]"));
  CHECK(budget.code == ExitCode::config);
  CHECK(budget.where->line == 9);

  auto unknown = only_config_error(replace(kConfig, "read: 0.002", "reads: 0.002"));
  CHECK(unknown.code == ExitCode::config);
  CHECK_THAT(unknown.message, Catch::Contains("unknown key 'reads'") && Catch::Contains("did you mean 'read'?"));

  CHECK(only_config_error(replace(kConfig, "read: 0.002", "read: .nan")).where->line == 8);
}

TEST_CASE("a post is billed at the URL rate when X finds a URL in it, bare domains too", "[twitter][prices]") {
  CHECK(post_kind("पाणीपुरवठा बंद राहील. #PCMC") == Billed::post);
  CHECK(post_kind("Details: https://www.pcmcindia.gov.in/notices") == Billed::post_with_url);
  CHECK(post_kind("Details at pcmcindia.gov.in") == Billed::post_with_url);
  CHECK(post_kind("3.5 km closed") == Billed::post);
  CHECK(to_string(Billed::post_with_url) == "post_with_url");
  CHECK(to_string(Billed::media_metadata) == "media_metadata");
}

TEST_CASE("the estimate of a delivery: each part still to send a post, each image's alt text once",
          "[twitter][prices]") {
  const Prices prices;
  const auto thread = delivery({"Water cut (1/3)", "Details: https://pcmcindia.gov.in (2/3)", "Sorry (3/3)"},
                               R"({"account":"PCMCWater","media":[{"file":"a.png"},{"file":"b.png"}]})");
  auto all = estimate(prices, thread, {});
  CHECK(all.count("post") == 2);
  CHECK(all.count("post_with_url") == 1);
  CHECK(all.count("media_metadata") == 2);
  CHECK(all.micro_usd() == 2 * 15'000 + 200'000 + 2 * 5'000);
  CHECK(cost_text(all) == "3 posts, 1 with a URL, 2 images' alt text");
  CHECK(samvad::channel::usd(all.micro_usd()) == "$0.24");

  // A rerun after the first part went out: its images went with it.
  auto rest = estimate(prices, thread, {true, false, false});
  CHECK(rest.count("media_metadata") == 0);
  CHECK(rest.micro_usd() == 215'000);
  CHECK(cost_text(rest) == "2 posts, 1 with a URL");

  CHECK(estimate(prices, thread, {true, true, true}).empty());
  CHECK(cost_text(estimate(prices, delivery({"one"}), {})) == "1 post");
  Prices dear;
  dear.post = 30'000;
  CHECK(estimate(dear, delivery({"one"}), {}).micro_usd() == 30'000);
}

TEST_CASE("a reply to a mention is billed as a reply for its first post only, a URL still costs the URL rate",
          "[twitter][prices]") {
  CHECK(post_kind("तक्रार नोंदवली आहे", true) == Billed::reply);
  CHECK(post_kind("तक्रार नोंदवली आहे", false) == Billed::post);
  CHECK(post_kind("Status: pcmcindia.gov.in/t/41", true) == Billed::post_with_url);

  const Prices prices;
  const auto reply =
      delivery({"Registered (1/2)", "We will call you (2/2)"}, R"({"in_reply_to":"1866240000000000000"})");
  auto cost = estimate(prices, reply, {});
  CHECK(cost.count("reply") == 1);
  CHECK(cost.count("post") == 1);  // the second part answers our own post
  CHECK(cost.micro_usd() == 10'000 + 15'000);
  CHECK(cost_text(cost) == "1 post, 1 reply");
  // Once the reply went out, what is left is a thread part.
  CHECK(estimate(prices, reply, {true, false}).count("reply") == 0);
}
