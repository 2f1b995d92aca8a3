// twitter-text's own conformance cases (tests/data/twitter-text, shipped with samvad): the
// weighted-length sections of validate.yml under the configs upstream runs them with, its URL,
// hashtag and username validation sections, and tlds.yml's one-URL-per-TLD extraction cases.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <samvad/core/error.hpp>
#include <samvad/text/entities.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/text/url_extract.hpp>

namespace Catch {
template <>
struct StringMaker<samvad::text::TweetLength> {
  static std::string convert(const samvad::text::TweetLength& t) {
    std::ostringstream out;
    out << "{weightedLength " << t.weighted_length << ", valid " << std::boolalpha << t.valid << ", permillage "
        << t.permillage << ", displayRange " << t.display_range_start << ".." << t.display_range_end << ", validRange "
        << t.valid_range_start << ".." << t.valid_range_end << "}";
    return out.str();
  }
};
}  // namespace Catch

namespace {

using samvad::text::LengthConfig;
using samvad::text::TweetLength;

// A missing file fails the test that needs it, saying which: the data ships with the repository.
std::string conformance_path(const std::string& file) {
  const std::string path = std::string(SAMVAD_SOURCE_DIR) + "/tests/data/twitter-text/" + file;
  if (!std::ifstream(path).good())
    throw std::runtime_error("missing test data " + path + " (it ships with samvad; see tests/data/twitter-text/README.md)");
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const YAML::Node& validate_yml() {
  static const YAML::Node tests = YAML::LoadFile(conformance_path("validate.yml"))["tests"];
  return tests;
}

struct Case {
  std::string description;
  std::string text;
  YAML::Node expected;
};

std::vector<Case> cases(const YAML::Node& section) {
  std::vector<Case> out;
  for (const YAML::Node& node : section)
    out.push_back({node["description"].as<std::string>(), node["text"].as<std::string>(), node["expected"]});
  return out;
}

TweetLength expected_length(const YAML::Node& e) {
  return {e["weightedLength"].as<int>(),    e["valid"].as<bool>(),          e["permillage"].as<int>(),
          e["displayRangeStart"].as<int>(), e["displayRangeEnd"].as<int>(), e["validRangeStart"].as<int>(),
          e["validRangeEnd"].as<int>()};
}

void check_weighted_section(const char* section, const LengthConfig& config, std::size_t count) {
  const std::vector<Case> all = cases(validate_yml()[section]);
  REQUIRE(all.size() == count);  // guards against reading the wrong file or section
  for (const Case& c : all) {
    INFO(section << ": " << c.description);
    CHECK(samvad::text::measure_tweet(c.text, config) == expected_length(c.expected));
  }
}

// The single entity covering all of `text`, as isValidHashtag and isValidUsername require.
bool is_whole(const std::vector<samvad::text::Span>& spans, const std::string& text) {
  return spans.size() == 1 && spans[0].begin == 0 && spans[0].end == text.size();
}

}  // namespace

TEST_CASE("v2 config weighs tweets as twitter-text's WeightedTweetsCounterTest expects", "[text][conformance]") {
  const LengthConfig v2 = LengthConfig::from_json(read_file(conformance_path("v2.json")));
  CHECK(v2 == LengthConfig::v2());
  check_weighted_section("WeightedTweetsCounterTest", v2, 20);
}

TEST_CASE("v3 config discounts emoji as WeightedTweetsWithDiscountedEmojiCounterTest expects", "[text][conformance]") {
  const LengthConfig v3 = LengthConfig::from_json(read_file(conformance_path("v3.json")));
  CHECK(v3 == LengthConfig::v3());
  check_weighted_section("WeightedTweetsWithDiscountedEmojiCounterTest", v3, 22);
}

TEST_CASE(
    "directional markers are counted and invalid characters flagged as UnicodeDirectionalMarkerCounterTest expects",
    "[text][conformance]") {
  check_weighted_section("UnicodeDirectionalMarkerCounterTest", LengthConfig::v3(), 2);
  check_weighted_section("UnicodeDirectionalMarkerCounterTest", LengthConfig::v2(), 2);
}

TEST_CASE("URL validation agrees with validate.yml's urls and urls_without_protocol", "[text][conformance]") {
  const std::vector<Case> with_protocol = cases(validate_yml()["urls"]);
  REQUIRE(with_protocol.size() == 24);
  for (const Case& c : with_protocol) {
    INFO("urls: " << c.description << ": " << c.text);
    CHECK(samvad::text::is_valid_url(c.text) == c.expected.as<bool>());
  }
  const std::vector<Case> without_protocol = cases(validate_yml()["urls_without_protocol"]);
  REQUIRE(without_protocol.size() == 5);
  for (const Case& c : without_protocol) {
    INFO("urls_without_protocol: " << c.description << ": " << c.text);
    CHECK(samvad::text::is_valid_url(c.text, false) == c.expected.as<bool>());
    CHECK(samvad::text::is_valid_url(c.text, true) == false);
  }
}

TEST_CASE("hashtag and mention extraction agree with validate.yml's hashtags and usernames", "[text][conformance]") {
  const std::vector<Case> hashtags = cases(validate_yml()["hashtags"]);
  REQUIRE(hashtags.size() == 7);
  for (const Case& c : hashtags) {
    INFO("hashtags: " << c.description);
    CHECK(is_whole(samvad::text::extract_hashtags(c.text), c.text) == c.expected.as<bool>());
  }
  const std::vector<Case> usernames = cases(validate_yml()["usernames"]);
  REQUIRE(usernames.size() == 4);
  for (const Case& c : usernames) {
    INFO("usernames: " << c.description);
    CHECK(is_whole(samvad::text::extract_mentions(c.text), c.text) == c.expected.as<bool>());
  }
}

TEST_CASE("every TLD in tlds.yml ends a URL that extract_urls finds", "[text][conformance]") {
  const YAML::Node tests = YAML::LoadFile(conformance_path("tlds.yml"))["tests"];
  std::size_t total = 0;
  for (const auto& [section, count] : {std::pair<const char*, std::size_t>{"country", 315}, {"generic", 1259}}) {
    const std::vector<Case> all = cases(tests[section]);
    REQUIRE(all.size() == count);
    total += all.size();
    for (const Case& c : all) {
      std::vector<std::string> found;
      for (const samvad::text::Span& url : samvad::text::extract_urls(c.text))
        found.push_back(c.text.substr(url.begin, url.end - url.begin));
      INFO(section << ": " << c.description);
      CHECK(found == c.expected.as<std::vector<std::string>>());
    }
  }
  CHECK(total == 1574);
}

TEST_CASE("a malformed length configuration is a config error that names the field", "[text]") {
  using samvad::ExitCode;
  auto error_of = [](std::string_view json) -> std::string {
    try {
      LengthConfig::from_json(json);
    } catch (const samvad::Error& e) {
      CHECK(e.code() == ExitCode::config);
      return e.what();
    }
    FAIL("no error for " << json);
    return {};
  };
  CHECK_THAT(error_of("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error_of("[]"), Catch::Contains("JSON object"));
  CHECK_THAT(error_of(R"({"version": 3})"), Catch::Contains("maxWeightedTweetLength"));
  CHECK_THAT(error_of(R"({"version": 3, "maxWeightedTweetLength": "280", "scale": 100})"),
             Catch::Contains("\"maxWeightedTweetLength\" is \"280\""));
  CHECK_THAT(error_of(R"({"version": 3, "maxWeightedTweetLength": 280, "scale": 0, "defaultWeight": 200,
                         "transformedURLLength": 23, "ranges": []})"),
             Catch::Contains("\"scale\""));
  CHECK_THAT(error_of(R"({"version": 3, "maxWeightedTweetLength": 280, "scale": 100, "defaultWeight": 200,
                         "transformedURLLength": 23, "ranges": [{"start": 10, "end": 5, "weight": 100}]})"),
             Catch::Contains("not a code point range"));
  // emojiParsingEnabled is optional (v2.json has none) and unknown keys are ignored.
  const LengthConfig minimal = LengthConfig::from_json(R"({"version": 9, "maxWeightedTweetLength": 10, "scale": 1,
      "defaultWeight": 2, "transformedURLLength": 5, "ranges": [], "comment": "x"})");
  CHECK(minimal == LengthConfig{9, 10, 1, 2, 5, false, {}});
}
