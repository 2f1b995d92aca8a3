// What an announcement costs before it is sent (per department, in total, only what a rerun still
// sends) and the monthly budgets held against it and the spend the store recorded.
#include <catch2/catch.hpp>

#include <samvad/delivery/cost.hpp>
#include <samvad/registry/channels.hpp>

#include "support/process.hpp"

using Catch::Contains;
using namespace samvad;

namespace {

const char* kConfig = R"(organization:
  name: {en: Pimpri Chinchwad Municipal Corporation}
  short_name: PCMC
  website: https://www.pcmcindia.gov.in
  languages: [mr, en]
twitter:
  monthly_budget: 1
departments:
  water-supply:
    name: {en: Water Supply Department, mr: पाणीपुरवठा विभाग}
    twitter: {handle: PCMCWaterSupply, monthly_budget: 0.5}
  health:
    name: {en: Health Department, mr: आरोग्य विभाग}
    twitter: {handle: PCMCHealth, prices: {post: 0.03}}
  education:
    name: {en: Education Department, mr: शिक्षण विभाग}
    feed: {dir: /var/www/notices, base_url: https://www.pcmcindia.gov.in/notices}
)";

store::PlannedDelivery tweet(const std::string& department, const std::string& lang, std::vector<std::string> parts) {
  return store::PlannedDelivery{department, "twitter", lang, std::move(parts), R"({"account":"x"})", {}};
}

delivery::Plan plan_of(std::vector<store::PlannedDelivery> deliveries) {
  delivery::Plan p;
  p.announcement.id = "cut-1";
  p.deliveries = std::move(deliveries);
  return p;
}

const config::Config& sample() {
  static const config::Config c = registry::parse_config(kConfig, "/etc/samvad/departments.yaml");
  return c;
}

delivery::Plan water_and_health() {
  return plan_of({tweet("water-supply", "mr", {"पाणी बंद", "तपशील: https://pcmcindia.gov.in"}),
                  tweet("water-supply", "en", {"Water cut"}), tweet("health", "en", {"Health camp"}),
                  store::PlannedDelivery{"education", "feed", "*", {"page"}, "{}", {}}});
}

const delivery::SpendPeriod kMay{store::Clock::time_point(std::chrono::milliseconds(1714521600000LL)),
                                 store::Clock::time_point(std::chrono::milliseconds(1717200000000LL)),
                                 "2024-05 (Asia/Kolkata)"};

}  // namespace

TEST_CASE("the estimate per department and in total, at each department's prices", "[delivery][cost]") {
  auto estimate = delivery::estimate_cost(water_and_health(), sample());
  REQUIRE(estimate.departments.size() == 2);  // the feed bills nothing
  auto water = estimate.of("water-supply");
  REQUIRE(water.size() == 1);
  CHECK(water[0].cost.micro_usd() == 15'000 + 200'000 + 15'000);
  CHECK(delivery::cost_line(water[0]) == "X cost: 3 posts, 1 with a URL: $0.23");
  CHECK(estimate.of("health")[0].cost.micro_usd() == 30'000);
  REQUIRE(estimate.total.size() == 1);
  CHECK(delivery::cost_line(estimate.total[0], " in total") == "X cost in total: 4 posts, 1 with a URL: $0.26");
  CHECK(estimate.of("education").empty());

  nlohmann::json j;
  delivery::add_cost_json(estimate.total, j);
  CHECK(j == nlohmann::json{{"x_cost_usd", 0.26}});
  nlohmann::json none;
  delivery::add_cost_json(estimate.of("education"), none);
  CHECK(none == nlohmann::json{{"x_cost_usd", 0.0}});
}

TEST_CASE("with the store's record, only what a run still sends is estimated", "[delivery][cost]") {
  auto plan = water_and_health();
  store::Delivery mr;  // its first part is out, the second not yet
  mr.department = "water-supply";
  mr.channel = "twitter";
  mr.language = "mr";
  mr.parts = {store::Part{0, "पाणी बंद", store::PartStatus::delivered, "1", 1, "", {}},
              store::Part{1, "तपशील: https://pcmcindia.gov.in", store::PartStatus::pending, "", 0, "", {}}};
  store::Delivery en = mr;  // all out
  en.language = "en";
  en.parts = {store::Part{0, "Water cut", store::PartStatus::delivered, "2", 1, "", {}}};
  delivery::Reconciliation r;
  r.decisions = {delivery::Decision{0, mr, delivery::Fate::send, ""},
                 delivery::Decision{1, en, delivery::Fate::done, ""},
                 delivery::Decision{2, std::nullopt, delivery::Fate::send, ""},
                 delivery::Decision{3, std::nullopt, delivery::Fate::send, ""}};
  auto estimate = delivery::estimate_cost(plan, sample(), &r);
  CHECK(delivery::cost_line(estimate.of("water-supply")[0]) == "X cost: 1 post, 1 with a URL: $0.20");
  CHECK(estimate.total[0].cost.micro_usd() == 230'000);
}

TEST_CASE("a budget refuses what would take the month's spend over it, naming spend, estimate and budget",
          "[delivery][cost]") {
  test::TempDir dir;
  auto st = store::Store::open(dir.path() / "state.db");
  const auto in_may = kMay.since + std::chrono::hours(24);
  auto estimate = delivery::estimate_cost(water_and_health(), sample());  // water $0.23, health $0.03
  CHECK_NOTHROW(delivery::check_budgets(estimate, sample(), nullptr, kMay));
  CHECK_NOTHROW(delivery::check_budgets(estimate, sample(), &st, kMay));

  // water-supply spent $0.30 in May (and more in April, which does not count): 0.30 + 0.23 > 0.50.
  st.record_cost({"twitter", "water-supply", "old", "post_with_url", 1, 200'000, in_may});
  st.record_cost({"twitter", "water-supply", "old", "post_with_url", 1, 100'000, in_may});
  st.record_cost({"twitter", "water-supply", "older", "post_with_url", 1, 900'000, kMay.since - std::chrono::hours(1)});
  try {
    delivery::check_budgets(estimate, sample(), &st, kMay);
    FAIL("expected the budget to refuse");
  } catch (const Error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    const auto& d = e.diagnostics().front();
    CHECK(d.code == ExitCode::data);
    CHECK(d.where->line == 11);
    CHECK_THAT(d.message, Contains("sending this would cost $0.23 (3 posts, 1 with a URL)") &&
                              Contains("water-supply's X spend in 2024-05 (Asia/Kolkata) is $0.30 so far") &&
                              Contains("$0.53 would be over water-supply's budget of $0.50") &&
                              Contains("nothing was sent"));
  }
  // Health alone fits its share of the corporation's $1 ...
  auto health = delivery::estimate_cost(plan_of({tweet("health", "en", {"Health camp"})}), sample());
  CHECK_NOTHROW(delivery::check_budgets(health, sample(), &st, kMay));
  // ... until every department together has spent $0.98 this month.
  st.record_cost({"twitter", "health", "old", "post", 1, 680'000, in_may});
  try {
    delivery::check_budgets(health, sample(), &st, kMay);
    FAIL("expected the corporation's budget to refuse");
  } catch (const Error& e) {
    CHECK(e.diagnostics().size() == 1);
    CHECK_THAT(e.what(), Contains("every department's X spend in 2024-05 (Asia/Kolkata) is $0.98 so far") &&
                             Contains("$1.01 would be over every department's budget of $1.00"));
  }
  // Sending nothing billed is never refused, however much was spent.
  auto feed_only =
      delivery::estimate_cost(plan_of({store::PlannedDelivery{"education", "feed", "*", {"p"}, "{}", {}}}), sample());
  CHECK_NOTHROW(delivery::check_budgets(feed_only, sample(), &st, kMay));
}
