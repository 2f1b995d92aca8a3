#include <samvad/text/utf16.hpp>

#include <cstdint>
#include <limits>

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <samvad/core/error.hpp>

namespace samvad::text {

Utf16Text decode_utf8(std::string_view utf8) {
  // U8_NEXT indexes with int32_t; no announcement comes anywhere near 2 GiB.
  if (utf8.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
    throw Error(ExitCode::data, "text of " + std::to_string(utf8.size()) + " bytes is too long; expected under 2 GiB");
  Utf16Text out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  out.byte_offsets.reserve(utf8.size() + 1);
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;  // U8_NEXT has already skipped the maximal ill-formed subpart
    out.text.append(c);
    for (int units = U16_LENGTH(c); units > 0; --units) out.byte_offsets.push_back(static_cast<std::size_t>(start));
  }
  out.byte_offsets.push_back(utf8.size());
  return out;
}

icu::UnicodeString from_utf8(std::string_view utf8) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace samvad::text
