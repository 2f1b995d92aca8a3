// text::words (lib/samvad/text/words.cpp): whole words of any script, NFC and case-folded.
#include <catch2/catch.hpp>

#include <samvad/text/words.hpp>

using samvad::text::contains_phrase;
using samvad::text::words;

TEST_CASE("words are split at spaces and punctuation, never inside a Devanagari word", "[text][words]") {
  CHECK(words("@PCMCWater नळाला पाणी नाही! #WaterCut") ==
        std::vector<std::string>{"@pcmcwater", "नळाला", "पाणी", "नाही", "watercut"});
  // A handle stays one word with its @ (ICU keeps it whole); a hashtag loses its #.
  // A conjunct (क्ष) and a word with a virama end stay whole.
  CHECK(words("क्षेत्रीय कार्यालय, प्रभाग-५") == std::vector<std::string>{"क्षेत्रीय", "कार्यालय", "प्रभाग", "५"});
  CHECK(words("  ...  ").empty());
  CHECK(words("").empty());
}

TEST_CASE("words match however they were typed: composed or not, upper or lower case", "[text][words]") {
  // क़ (U+0958) and क + nukta (U+0915 U+093C) are the same letter; NFC makes them one form.
  CHECK(words("\xE0\xA5\x98") == words("\xE0\xA4\x95\xE0\xA4\xBC"));
  CHECK(words("WATER Pipeline") == words("water pipeline"));
  CHECK(words("STRASSE") == words("straße"));  // full case folding, not just lower case
}

TEST_CASE("a phrase is found only as consecutive whole words", "[text][words]") {
  const auto said = words("Water tap broken near the pipeline, पाणीपुरवठा बंद");
  CHECK(contains_phrase(said, words("water tap")));
  CHECK(contains_phrase(said, words("पाणीपुरवठा")));
  CHECK_FALSE(contains_phrase(said, words("tap water")));
  CHECK_FALSE(contains_phrase(said, words("pipe")));  // part of "pipeline"
  CHECK_FALSE(contains_phrase(said, words("पाणी")));  // part of "पाणीपुरवठा"
  CHECK_FALSE(contains_phrase(said, {}));
}
