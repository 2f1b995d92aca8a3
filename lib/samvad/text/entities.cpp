// After twitter-text's validHashtag and validMentionOrList regexes (js/src/regexp/), with ICU
// general categories standing in for its generated \p{L}\p{M} and \p{Nd} tables.
#include <samvad/text/entities.hpp>

#include <algorithm>
#include <string_view>

#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <samvad/text/utf16.hpp>

namespace samvad::text {

namespace {

bool in(UChar32 c, std::u16string_view set) { return c <= 0xFFFF && set.find(static_cast<char16_t>(c)) != set.npos; }
bool is_ascii_word(UChar32 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_hashtag_alpha(UChar32 c) { return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) != 0; }

// hashtagAlphaNumeric: letters, marks, decimal digits and hashtagSpecialChars.
bool is_hashtag_alnum(UChar32 c) {
  return is_hashtag_alpha(c) || u_charType(c) == U_DECIMAL_DIGIT_NUMBER ||
         in(c, u"_\u200C\u200D\uA67E\u05BE\u05F3\u05F4\uFF5E\u301C\u309B\u309C\u30A0\u30FB\u3003\u0F0B\u0F0C\u00B7");
}

bool is_latin_accent(UChar32 c) {  // latinAccentChars, for endMentionMatch
  return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x24F) ||
         in(c, u"\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB") ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x1E00 && c <= 0x1EFF);
}

UChar32 code_point_before(const icu::UnicodeString& text, int i) { return i > 0 ? text.char32At(i - 1) : U_SENTINEL; }

bool starts_with(const icu::UnicodeString& text, int i, std::u16string_view s) {
  return i + static_cast<int>(s.size()) <= text.length() &&
         text.compare(i, static_cast<int32_t>(s.size()), s.data(), 0, static_cast<int32_t>(s.size())) == 0;
}

std::vector<Span> to_byte_spans(const Utf16Text& decoded, std::vector<Span> spans) {
  for (Span& span : spans) span = {decoded.byte_offsets[span.begin], decoded.byte_offsets[span.end]};
  return spans;
}

// validMentionPrecedingChars: start, a character that is not [a-zA-Z0-9_!#$%&*@＠] (so "RT:@x"
// qualifies), or a retweet marker "RT" that itself follows no [a-zA-Z0-9_+~.-].
bool mention_may_follow(const icu::UnicodeString& text, int at) {
  const UChar32 before = code_point_before(text, at);
  if (before == U_SENTINEL || !(is_ascii_word(before) || in(before, u"!#$%&*@\uFF20"))) return true;
  const int rt = at - 2;
  if (rt < 0 || (text.charAt(rt) | 0x20) != u'r' || (text.charAt(rt + 1) | 0x20) != u't') return false;
  const UChar32 ahead = code_point_before(text, rt);
  return ahead == U_SENTINEL || !(is_ascii_word(ahead) || in(ahead, u"+~.-"));
}

}  // namespace

std::vector<Span> extract_hashtags_utf16(const icu::UnicodeString& text) {
  std::vector<Span> found;
  const int n = text.length();
  for (int i = 0; i < n; ++i) {
    const char16_t sign = text.charAt(i);
    if (sign != u'#' && sign != u'\uFF03') continue;
    const UChar32 before = code_point_before(text, i);  // hashtagBoundary
    if (before != U_SENTINEL && (is_hashtag_alnum(before) || before == '&')) continue;
    int end = i + 1;
    bool has_alpha = false;
    while (end < n) {
      const UChar32 c = text.char32At(end);
      if (!is_hashtag_alnum(c)) break;
      has_alpha = has_alpha || is_hashtag_alpha(c);
      end += U16_LENGTH(c);
    }
    // No "#️⃣" keycap, no all-digit tag, and not "#tag#more" or "#http://..." (endHashtagMatch).
    if (!has_alpha || starts_with(text, i + 1, u"\uFE0F") || starts_with(text, i + 1, u"\u20E3")) continue;
    if (starts_with(text, end, u"#") || starts_with(text, end, u"\uFF03") || starts_with(text, end, u"://")) continue;
    found.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(end)});
    i = end - 1;
  }
  // twitter-text drops hashtags that overlap a URL ("example.com/#anchor").
  const std::vector<Span> urls = extract_urls_utf16(text);
  std::erase_if(found, [&](const Span& tag) {
    return std::any_of(urls.begin(), urls.end(),
                       [&](const Span& url) { return tag.begin < url.end && url.begin < tag.end; });
  });
  return found;
}

std::vector<Span> extract_mentions_utf16(const icu::UnicodeString& text) {
  std::vector<Span> found;
  const int n = text.length();
  for (int i = 0; i < n; ++i) {
    const char16_t sign = text.charAt(i);
    if ((sign != u'@' && sign != u'\uFF20') || !mention_may_follow(text, i)) continue;
    int end = i + 1;
    while (end < n && end - (i + 1) < 20 && is_ascii_word(text.charAt(end))) ++end;
    if (end == i + 1) continue;
    // An optional list: "/" then a letter and up to 24 more of [A-Za-z0-9_-].
    if (end + 1 < n && text.charAt(end) == u'/' && u_isalpha(text.charAt(end + 1)) && text.charAt(end + 1) < 0x80) {
      int slug = end + 2;
      while (slug < n && slug - (end + 1) < 25 && (is_ascii_word(text.charAt(slug)) || text.charAt(slug) == u'-'))
        ++slug;
      end = slug;
    }
    // endMentionMatch: not part of an e-mail address, a longer accented name or a URL.
    if (end < n) {
      const UChar32 next = text.char32At(end);
      if (next == '@' || next == 0xFF20 || is_latin_accent(next) || starts_with(text, end, u"://")) continue;
    }
    found.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(end)});
    i = end - 1;
  }
  return found;
}

std::vector<Span> extract_hashtags(std::string_view utf8) {
  const Utf16Text decoded = decode_utf8(utf8);
  return to_byte_spans(decoded, extract_hashtags_utf16(decoded.text));
}

std::vector<Span> extract_mentions(std::string_view utf8) {
  const Utf16Text decoded = decode_utf8(utf8);
  return to_byte_spans(decoded, extract_mentions_utf16(decoded.text));
}

}  // namespace samvad::text
