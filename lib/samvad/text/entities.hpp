// Hashtags and @mentions in tweet text, found roughly as twitter-text finds them, so that a
// thread is never split inside one.
#pragma once

#include <string_view>
#include <vector>

#include <unicode/unistr.h>

#include <samvad/text/url_extract.hpp>

namespace samvad::text {

// "#" or "＃" after a non-word character, then letters, marks (so Devanagari vowel signs and
// viramas stay in: "#पाणीपुरवठा"), digits, '_', ZWJ/ZWNJ and twitter-text's few other joiners,
// with at least one letter or mark ("#2024" is not a hashtag). Hashtags inside URLs are not
// reported. Spans include the '#'.
std::vector<Span> extract_hashtags(std::string_view utf8);
std::vector<Span> extract_hashtags_utf16(const icu::UnicodeString& text);

// "@" or "＠" after a non-word character (or after "RT"/"RT:"), then 1..20 of [A-Za-z0-9_]
// (twitter-text's limit; X's user names are at most 15) and an optional "/list-slug". Spans
// include the '@'.
std::vector<Span> extract_mentions(std::string_view utf8);
std::vector<Span> extract_mentions_utf16(const icu::UnicodeString& text);

}  // namespace samvad::text
