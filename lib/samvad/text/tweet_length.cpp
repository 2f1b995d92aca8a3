#include <samvad/text/tweet_length.hpp>

#include <cstdint>
#include <string>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <nlohmann/json.hpp>

#include <samvad/core/error.hpp>
#include <samvad/core/text.hpp>
#include <samvad/text/url_extract.hpp>
#include <samvad/text/utf16.hpp>

namespace samvad::text {

namespace {

// config/v2.json and config/v3.json of twitter-text 3.1.0: Latin, Cyrillic, Devanagari and
// the rest of U+0000..U+10FF, plus general punctuation, weigh 1; everything else 2.
std::vector<WeightRange> standard_ranges() {
  return {{0, 4351, 100}, {8192, 8205, 100}, {8208, 8223, 100}, {8242, 8247, 100}};
}

// The longest RGI emoji sequence has 10 code points (a kiss with two skin tones).
constexpr int longest_emoji_sequence = 10;

bool may_be_in_emoji(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EMOJI) || u_hasBinaryProperty(c, UCHAR_EMOJI_COMPONENT);
}

// The length in code units of the emoji sequence starting at text[i], or 0. twitter-text counts
// what twemoji's regex matches: RGI sequences (ICU knows them as the RGI_Emoji property of
// strings), taking the longest; and keycaps written without U+FE0F ("1⃣"), which its regex
// allows but RGI does not. Other emoji characters weigh default_weight anyway (none is in a
// weight-100 range), so counting them one code point at a time gives the same length.
int emoji_length_at(const icu::UnicodeString& text, int i) {
  const int n = text.length();
  const UChar32 first = text.char32At(i);
  if (!may_be_in_emoji(first)) return 0;
  const int after_first = i + U16_LENGTH(first);
  if ((first == u'#' || first == u'*' || (first >= u'0' && first <= u'9')) && after_first < n &&
      text.charAt(after_first) == 0x20E3)
    return after_first + 1 - i;
  int ends[longest_emoji_sequence];
  int count = 0;
  for (int j = i; j < n && count < longest_emoji_sequence;) {
    const UChar32 c = text.char32At(j);
    if (!may_be_in_emoji(c)) break;
    j += U16_LENGTH(c);
    ends[count++] = j;
  }
  for (int k = count - 1; k >= 0; --k)
    if (u_stringHasBinaryProperty(text.getBuffer() + i, ends[k] - i, UCHAR_RGI_EMOJI)) return ends[k] - i;
  return 0;
}

bool is_blank(const icu::UnicodeString& text) {
  for (int i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    if (!u_isUWhiteSpace(c)) return false;
    i += U16_LENGTH(c);
  }
  return true;
}

[[noreturn]] void bad_config(const std::string& what) {
  throw Error(ExitCode::config, "length configuration: " + what);
}

int int_field(const nlohmann::json& object, const char* key, int min) {
  const auto it = object.find(key);
  if (it == object.end()) bad_config(std::string("missing \"") + key + "\"; expected an integer");
  if (!it->is_number_integer()) bad_config(std::string("\"") + key + "\" is " + it->dump() + "; expected an integer");
  const auto value = it->get<int64_t>();
  if (value < min || value > INT32_MAX)
    bad_config(std::string("\"") + key + "\" is " + std::to_string(value) + "; expected " + std::to_string(min) +
               " or more");
  return static_cast<int>(value);
}

}  // namespace

int LengthConfig::weight_of(char32_t code_point) const {
  for (const WeightRange& range : ranges)
    if (code_point >= range.start && code_point <= range.end) return range.weight;
  return default_weight;
}

LengthConfig LengthConfig::v3() { return {3, 280, 100, 200, 23, true, standard_ranges()}; }

LengthConfig LengthConfig::v2() { return {2, 280, 100, 200, 23, false, standard_ranges()}; }

LengthConfig LengthConfig::from_json(std::string_view json_text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    bad_config(std::string("not valid JSON (") + e.what() + ")");
  }
  if (!json.is_object()) bad_config("expected a JSON object like twitter-text's config/v3.json");
  LengthConfig config;
  config.version = int_field(json, "version", 0);
  config.max_weighted_length = int_field(json, "maxWeightedTweetLength", 1);
  config.scale = int_field(json, "scale", 1);
  config.default_weight = int_field(json, "defaultWeight", 0);
  config.transformed_url_length = int_field(json, "transformedURLLength", 0);
  if (const auto it = json.find("emojiParsingEnabled"); it != json.end()) {
    if (!it->is_boolean()) bad_config("\"emojiParsingEnabled\" is " + it->dump() + "; expected true or false");
    config.emoji_parsing = it->get<bool>();
  }
  const auto ranges = json.find("ranges");
  if (ranges == json.end() || !ranges->is_array()) bad_config("expected \"ranges\": an array of {start, end, weight}");
  for (const nlohmann::json& range : *ranges) {
    if (!range.is_object()) bad_config("range " + range.dump() + " is not an object; expected {start, end, weight}");
    const int start = int_field(range, "start", 0);
    const int end = int_field(range, "end", 0);
    if (end < start || end > 0x10FFFF)
      bad_config("range " + range.dump() + " is not a code point range; expected start <= end <= 1114111");
    config.ranges.push_back({static_cast<char32_t>(start), static_cast<char32_t>(end), int_field(range, "weight", 0)});
  }
  return config;
}

bool is_invalid_tweet_char(char32_t c) { return c == 0xFFFE || c == 0xFEFF || c == 0xFFFF; }

TweetLength measure_tweet_utf16(const icu::UnicodeString& text, const LengthConfig& config) {
  // twitter-text's Java parser answers "nothing" for blank text; the JS one reports zeros.
  if (config.scale <= 0 || config.max_weighted_length <= 0)
    throw Error(ExitCode::config, "length configuration: scale and maxWeightedTweetLength must be positive");
  if (is_blank(text)) return {};

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString normalized = U_SUCCESS(status) ? nfc->normalize(text, status) : text;
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU NFC normalization failed: ") + u_errorName(status));

  const int n = normalized.length();
  std::vector<int> url_end(static_cast<std::size_t>(n), -1);
  for (const Span& url : extract_urls_utf16(normalized)) url_end[url.begin] = static_cast<int>(url.end);

  const int64_t scaled_max = int64_t{config.max_weighted_length} * config.scale;
  int64_t weight = 0;
  int valid_index = 0;
  bool valid = true;
  // parseTweet's loop: i ends each step on the last code unit of what it counted.
  for (int i = 0; i < n; ++i) {
    if (url_end[static_cast<std::size_t>(i)] >= 0) {
      weight += int64_t{config.transformed_url_length} * config.scale;
      i = url_end[static_cast<std::size_t>(i)] - 1;
    } else if (const int emoji = config.emoji_parsing ? emoji_length_at(normalized, i) : 0; emoji > 0) {
      weight += config.default_weight;
      i += emoji - 1;
    } else {
      const UChar32 c = normalized.char32At(i);
      weight += config.weight_of(static_cast<char32_t>(c));
      i += U16_LENGTH(c) - 1;
    }
    if (valid) valid = !is_invalid_tweet_char(normalized.charAt(i));
    if (valid && weight <= scaled_max) valid_index = i;
  }

  TweetLength result;
  result.weighted_length = static_cast<int>(weight / config.scale);
  result.valid = valid && weight > 0 && weight <= scaled_max;
  result.permillage = static_cast<int>(weight * 1000 / scaled_max);
  result.display_range_end = text.length() - 1;
  result.valid_range_end = valid_index + (text.length() - n);  // back to indexes of the text as given
  return result;
}

TweetLength measure_tweet(std::string_view utf8, const LengthConfig& config) {
  TweetLength length = measure_tweet_utf16(from_utf8(utf8), config);
  if (invalid_utf8_at(utf8)) length.valid = false;
  return length;
}

int weighted_length(std::string_view utf8, const LengthConfig& config) {
  return measure_tweet(utf8, config).weighted_length;
}

}  // namespace samvad::text
