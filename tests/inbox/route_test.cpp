// inbox::route (lib/samvad/inbox/route.cpp): a catch-all account's items go to the department
// whose keywords they name.
#include <catch2/catch.hpp>

#include <samvad/inbox/route.hpp>
#include <samvad/registry/channels.hpp>

using namespace samvad;

namespace {

const char* kCorporation = R"(organization:
  name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}
departments:
  pcmc:
    name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}
    inbox: {catch_all: true, keywords: {en: [complaint]}}
  water-supply:
    name: {en: Water Supply, mr: पाणीपुरवठा}
    inbox: {keywords: {mr: [पाणी, पाणीपुरवठा, नळ], en: [water, pipeline, tap]}}
  roads:
    name: {en: Roads, mr: रस्ते}
    inbox: {keywords: {mr: [रस्ता, खड्डा], en: [road, pothole, water logging]}}
  health:
    name: {en: Health, mr: आरोग्य}
)";

std::string routed(const config::Config& config, const std::string& text) {
  auto r = inbox::route(config, text);
  return r ? r->department + " (" + r->keyword + ")" : "-";
}

}  // namespace

TEST_CASE("an item goes to the department whose keywords it names, in either language", "[inbox][route]") {
  const auto config = registry::parse_config(kCorporation, "departments.yaml");
  CHECK(routed(config, "@PCMCIndia आमच्या भागात नळाला पाणी नाही") == "water-supply (पाणी)");
  CHECK(routed(config, "@PCMCIndia the PIPELINE near Akurdi is leaking") == "water-supply (pipeline)");
  CHECK(routed(config, "@PCMCIndia मोठा खड्डा on the road") == "roads (road)");  // two keywords: the first listed
  // Whole words only: "पाण्याचा" is not "पाणी", "roadside" is not "road".
  CHECK(routed(config, "@PCMCIndia पाण्याचा प्रश्न, roadside stall") == "-");
  // The catch-all's own keywords never route (it already holds what nobody else claims).
  CHECK(routed(config, "@PCMCIndia complaint about garbage") == "-");
}

TEST_CASE("the department named by the most keywords wins, a tie goes to the one listed first", "[inbox][route]") {
  const auto config = registry::parse_config(kCorporation, "departments.yaml");
  // water logging (roads, a phrase) + road (roads) against water (water-supply).
  CHECK(routed(config, "water logging on the main road") == "roads (road)");
  // One each: water-supply is listed before roads.
  CHECK(routed(config, "water on the road") == "water-supply (water)");
  // The same keyword twice counts once.
  CHECK(routed(config, "tap tap tap, pothole and road") == "roads (road)");
}

TEST_CASE("keywords two departments share are found for check", "[inbox][route]") {
  std::string yaml = kCorporation;
  yaml += R"(  drainage:
    name: {en: Drainage, mr: ड्रेनेज}
    inbox: {keywords: {en: [Water Logging, drain], mr: [पाणी]}}
)";
  const auto config = registry::parse_config(yaml, "departments.yaml");
  auto shared = inbox::shared_keywords(config);
  REQUIRE(shared.size() == 2);
  CHECK(shared[0].keyword == "पाणी");
  CHECK(shared[0].departments == std::vector<std::string>{"water-supply", "drainage"});
  CHECK(shared[1].keyword == "water logging");  // as first written
  CHECK(shared[1].departments == std::vector<std::string>{"roads", "drainage"});
}

TEST_CASE("check warns of shared keywords, a catch-all with nobody to route to, keywords with no catch-all",
          "[inbox][route]") {
  std::string yaml = kCorporation;
  yaml += R"(  drainage:
    name: {en: Drainage, mr: ड्रेनेज}
    inbox: {keywords: {en: [pothole]}}
)";
  auto warnings = inbox::routing_warnings(registry::parse_config(yaml, "departments.yaml"));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message ==
        "inbox keyword 'pothole' is listed by roads and drainage; an item naming it goes to the department it names "
        "more keywords of, else to roads: expected each keyword in one department");
  REQUIRE(warnings[0].where);
  CHECK(warnings[0].where->line == 12);  // roads' inbox block

  CHECK(inbox::routing_warnings(registry::parse_config(kCorporation, "departments.yaml")).empty());

  const char* lonely = R"(organization:
  name: {en: PCMC}
  languages: [en]
departments:
  pcmc:
    name: {en: PCMC}
    inbox: {catch_all: true}
)";
  warnings = inbox::routing_warnings(registry::parse_config(lonely, "departments.yaml"));
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0].message, Catch::Contains("departments.pcmc.inbox.catch_all is set but no department lists"));

  std::string no_catch_all = kCorporation;
  no_catch_all.replace(no_catch_all.find("catch_all: true"), 15, "catch_all: false");
  warnings = inbox::routing_warnings(registry::parse_config(no_catch_all, "departments.yaml"));
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0].message, Catch::Contains("departments.pcmc.inbox.keywords route what a catch-all"));
}
