// The weighted length X gives a tweet, computed the way twitter-text's parseTweet does
// (v3 by default: code-point weights, every URL counted as 23, each emoji as 2), so samvad
// knows before posting whether a text fits in one tweet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <unicode/unistr.h>

namespace samvad::text {

// Code points start..end (inclusive) weigh `weight` (in units of LengthConfig::scale).
struct WeightRange {
  char32_t start = 0;
  char32_t end = 0;
  int weight = 0;
  bool operator==(const WeightRange&) const = default;
};

// A twitter-text length configuration (the format of its config/v2.json and v3.json).
struct LengthConfig {
  int version = 0;
  int max_weighted_length = 0;  // 280
  int scale = 1;                // weights are in 1/scale characters
  int default_weight = 0;       // for code points outside every range
  int transformed_url_length = 0;
  bool emoji_parsing = false;  // v3: an emoji sequence weighs default_weight, however many code points
  std::vector<WeightRange> ranges;

  bool operator==(const LengthConfig&) const = default;

  // The weight of one code point: the first range containing it, else default_weight.
  int weight_of(char32_t code_point) const;

  static LengthConfig v3();  // what X uses today
  static LengthConfig v2();  // v3 without emoji discounting
  // Parses twitter-text's JSON format; throws samvad::Error (ExitCode::config) naming the
  // offending field when the text is not such a configuration.
  static LengthConfig from_json(std::string_view json_text);
};

// parseTweet's result. Ranges are inclusive indexes in UTF-16 code units of the text as given
// (before normalization), as twitter-text reports them.
struct TweetLength {
  int weighted_length = 0;
  bool valid = false;
  int permillage = 0;  // weighted_length per mille of max_weighted_length
  int display_range_start = 0;
  int display_range_end = 0;
  int valid_range_start = 0;
  int valid_range_end = 0;
  bool operator==(const TweetLength&) const = default;
};

// Measures a tweet exactly as twitter-text's parseTweet: NFC first, then URLs weigh
// transformed_url_length, emoji sequences default_weight (if emoji_parsing), every other code
// point its range weight. Invalid: over the maximum, or containing U+FFFE, U+FEFF or U+FFFF.
// Empty or whitespace-only text gives the empty result (0, invalid, all ranges 0).
// Malformed UTF-8 is measured as if each bad sequence were U+FFFD, and is never valid: X takes
// UTF-8 only, and what samvad sends must be what it showed.
TweetLength measure_tweet(std::string_view utf8, const LengthConfig& config = LengthConfig::v3());
TweetLength measure_tweet_utf16(const icu::UnicodeString& text, const LengthConfig& config = LengthConfig::v3());

// measure_tweet(utf8, config).weighted_length.
int weighted_length(std::string_view utf8, const LengthConfig& config = LengthConfig::v3());

// Whether `c` is one of the characters twitter-text refuses in a tweet (U+FFFE, U+FEFF, U+FFFF).
bool is_invalid_tweet_char(char32_t c);

}  // namespace samvad::text
