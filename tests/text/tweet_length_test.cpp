// Weighted lengths samvad relies on beyond twitter-text's conformance file: Marathi text,
// emoji in notices, blank text and the UTF-8 interface.
#include <catch2/catch.hpp>

#include <string>

#include <samvad/text/tweet_length.hpp>

using samvad::text::LengthConfig;
using samvad::text::measure_tweet;
using samvad::text::weighted_length;

TEST_CASE("every Devanagari code point weighs one character under v2 and v3", "[text]") {
  // U+0900..U+097F lies inside the config's first range (0..4351, weight 100 = one character).
  for (const LengthConfig& config : {LengthConfig::v3(), LengthConfig::v2()})
    for (char32_t c = 0x0900; c <= 0x097F; ++c) {
      INFO("U+" << std::hex << static_cast<unsigned>(c));
      CHECK(config.weight_of(c) == config.scale);
    }
  // पाणी is प ा ण ी: four code points, so 4, although it shows as two letters.
  CHECK(weighted_length("पाणी") == 4);
  // क्ष is क ् ष; the danda । is U+0964.
  CHECK(weighted_length("क्षेत्र") == 7);
  CHECK(weighted_length("पाणीपुरवठा बंद राहील।") == 21);
  // Devanagari digits count like Latin ones.
  CHECK(weighted_length("दि. १२/१२/२०२४") == 14);
}

TEST_CASE("a Marathi tweet with a URL, a hashtag and an emoji", "[text]") {
  const std::string tweet =
      "पाणीपुरवठा बंद 💧 माहिती: https://www.pmc.gov.in/mr/notice/2024/12/water-supply-shutdown-details #पुणे";
  // 10 + 1 + 3 + 1 + 2 (💧) + 1 + 7 (माहिती:) + 1 + 23 (the URL) + 1 + 5 (#पुणे)
  CHECK(weighted_length(tweet) == 55);
  const auto length = measure_tweet(tweet);
  CHECK(length.valid);
  CHECK(length.permillage == 55 * 1000 / 280);
}

TEST_CASE("emoji sequences count once under v3 and per code point under v2", "[text]") {
  CHECK(weighted_length("🙏🏽", LengthConfig::v3()) == 2);
  CHECK(weighted_length("🙏🏽", LengthConfig::v2()) == 4);
  CHECK(weighted_length("🇮🇳", LengthConfig::v3()) == 2);
  // Text-style emoji need U+FE0F to be an emoji: bare © is a Latin-1 character.
  CHECK(weighted_length("©") == 1);
  CHECK(weighted_length("©️") == 2);
  CHECK(weighted_length("#️⃣") == 2);
}

TEST_CASE("blank text is empty and invalid", "[text]") {
  CHECK(measure_tweet("") == samvad::text::TweetLength{});
  CHECK(measure_tweet(" \n\t\u3000") == samvad::text::TweetLength{});
  CHECK_FALSE(measure_tweet("   ").valid);
  CHECK(measure_tweet(".").valid);
}

TEST_CASE("a tweet is valid up to exactly the maximum", "[text]") {
  CHECK(measure_tweet(std::string(280, 'x')).valid);
  CHECK_FALSE(measure_tweet(std::string(281, 'x')).valid);
  CHECK(measure_tweet(std::string(281, 'x')).valid_range_end == 279);
  // 140 Devanagari consonants with virama: 280 code points.
  std::string marathi;
  for (int i = 0; i < 140; ++i) marathi += "क्";
  CHECK(measure_tweet(marathi).valid);
  CHECK_FALSE(measure_tweet(marathi + "क").valid);
}

TEST_CASE("malformed UTF-8 is measured as replacement characters and is never a valid tweet", "[text]") {
  CHECK(weighted_length("ab\xff") == 4);  // U+FFFD weighs 2
  CHECK_FALSE(measure_tweet("ab\xff").valid);
  CHECK_FALSE(measure_tweet("पाणी \xE0\xA4").valid);  // a Devanagari letter cut short
  CHECK_FALSE(measure_tweet("\xED\xA0\x80").valid);  // an encoded surrogate
  CHECK(measure_tweet("पाणी").valid);
}
