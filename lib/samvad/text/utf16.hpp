// Conversions between the UTF-8 strings samvad's API passes around and the UTF-16 that ICU
// works in and twitter-text counts its indexes in.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/unistr.h>

namespace samvad::text {

// UTF-8 decoded to UTF-16 together with where each code unit came from, so that spans found
// in UTF-16 can be handed back as byte offsets into the caller's string.
struct Utf16Text {
  icu::UnicodeString text;
  // byte_offsets[i] is the offset in the UTF-8 input of the code point that UTF-16 unit i belongs
  // to; byte_offsets[text.length()] is the input's size.
  std::vector<std::size_t> byte_offsets;
};

// Each malformed UTF-8 sequence becomes one U+FFFD, as ICU's own converters do.
Utf16Text decode_utf8(std::string_view utf8);

icu::UnicodeString from_utf8(std::string_view utf8);
std::string to_utf8(const icu::UnicodeString& text);

}  // namespace samvad::text
