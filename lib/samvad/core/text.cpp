#include <samvad/core/text.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

namespace samvad {

namespace {

// U8_NEXT works on int32_t offsets; inputs are bounded far below that (see core/file.hpp), and
// a longer text is walked in pieces that each start on a character boundary.
constexpr std::size_t kChunk = std::size_t{1} << 30;

// What a terminal acts on rather than shows.
bool needs_escape(UChar32 c) {
  if (u_charType(c) == U_CONTROL_CHAR) return true;       // C0, DEL, C1
  if (c >= 0x202A && c <= 0x202E) return true;            // bidi embeddings and overrides
  if (c >= 0x2066 && c <= 0x2069) return true;            // bidi isolates
  return c == 0x2028 || c == 0x2029 || c == 0x061C || c == 0x200E || c == 0x200F;  // separators, marks
}

std::string escape_of(UChar32 c) {
  switch (c) {
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: break;
  }
  char buffer[16];
  if (c < 0x80) std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned>(c));
  else std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(c));
  return buffer;
}

// Calls visit(code point or -1, first byte, byte length) for each character of `text`; a
// malformed sequence is reported as -1 one byte at a time, so each bad byte can be shown.
// Stops when visit returns false.
template <typename Visit>
void for_each_character(std::string_view text, Visit visit) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  std::size_t base = 0;
  while (base < text.size()) {
    std::size_t chunk = std::min(kChunk, text.size() - base);
    // End a chunk before a continuation byte, so no character is split between two chunks.
    for (int back = 0; back < 3 && base + chunk < text.size() && (bytes[base + chunk] & 0xC0) == 0x80; ++back) --chunk;
    const auto length = static_cast<int32_t>(chunk);
    int32_t i = 0;
    while (i < length) {
      const int32_t start = i;
      UChar32 c = 0;
      U8_NEXT(bytes + base, i, length, c);
      if (c < 0) i = start + 1;
      if (!visit(c, base + static_cast<std::size_t>(start), static_cast<std::size_t>(i - start))) return;
    }
    base += static_cast<std::size_t>(length);
  }
}

}  // namespace

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  std::optional<std::size_t> at;
  for_each_character(text, [&](UChar32 c, std::size_t offset, std::size_t) {
    if (c >= 0) return true;
    at = offset;
    return false;
  });
  return at;
}

std::optional<std::string> line_text_problem(std::string_view text) {
  std::optional<std::string> problem;
  std::size_t character = 0;
  for_each_character(text, [&](UChar32 c, std::size_t offset, std::size_t length) {
    ++character;
    std::string what;
    if (c < 0) what = "a byte that is not UTF-8";
    else if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029) what = "a line break";
    else if (u_charType(c) == U_CONTROL_CHAR) what = "a control character";
    else return true;
    problem = what + " (" + escape_for_terminal(text.substr(offset, c < 0 ? 1 : length)) + ") at character " + std::to_string(character);
    return false;
  });
  return problem;
}

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition p;
  for_each_character(text.substr(0, std::min(offset, text.size())), [&](UChar32 c, std::size_t, std::size_t) {
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
    return true;
  });
  return p;
}

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_character(text, [&](UChar32 c, std::size_t offset, std::size_t length) {
    if (c < 0) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[offset])));
      out += buffer;
    } else if (needs_escape(c)) {
      out += escape_of(c);
    } else {
      out.append(text.substr(offset, length));
    }
    return true;
  });
  return out;
}

std::string shown(std::string_view text, std::size_t max_characters) {
  if (max_characters == 0) return text.empty() ? "" : "…";
  // Escaped as far as can be shown (a character escapes to at most six), remembering where each
  // escape is so that a cut never falls inside one.
  std::string out;
  std::vector<std::pair<std::size_t, std::size_t>> escapes;  // [begin, end) in `out`
  std::size_t characters = 0;
  bool more = false;
  for_each_character(text, [&](UChar32 c, std::size_t offset, std::size_t length) {
    if (characters > max_characters) {
      more = true;
      return false;
    }
    const std::string piece = escape_for_terminal(text.substr(offset, c < 0 ? 1 : length));
    if (piece.size() != length || c < 0) escapes.emplace_back(out.size(), out.size() + piece.size());
    out += piece;
    characters += c < 0 || piece.size() != length ? piece.size() : 1;
    return true;
  });
  if (!more && characters <= max_characters) return out;

  // Room for "…": the byte after max_characters - 1 characters, moved back to a grapheme
  // boundary (a conjunct stays whole) and out of any escape.
  std::size_t room = 0;
  for (std::size_t counted = 0; room < out.size() && counted + 1 < max_characters;) {
    auto inside = std::find_if(escapes.begin(), escapes.end(), [&](const auto& e) { return e.first == room; });
    if (inside != escapes.end()) {
      counted += inside->second - inside->first;
      if (counted + 1 > max_characters) break;
      room = inside->second;
      continue;
    }
    U8_FWD_1(reinterpret_cast<const uint8_t*>(out.data()), room, out.size());
    ++counted;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, out.data(), static_cast<int64_t>(out.size()), &status);
  std::unique_ptr<icu::BreakIterator> clusters(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  std::size_t at = room;
  if (U_SUCCESS(status)) {
    clusters->setText(utext, status);
    if (U_SUCCESS(status) && !clusters->isBoundary(static_cast<int32_t>(room))) {
      const int32_t before = clusters->preceding(static_cast<int32_t>(room));
      at = before == icu::BreakIterator::DONE ? 0 : static_cast<std::size_t>(before);
    }
  }
  utext_close(utext);
  for (const auto& [begin, end] : escapes)
    if (at > begin && at < end) at = begin;
  return out.substr(0, at) + "…";
}

std::size_t display_width(std::string_view utf8) {
  bool ascii = true;
  for (char c : utf8) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return utf8.size();
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> clusters(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) return utf8.size();
  clusters->setText(u);
  std::size_t width = 0;
  for (int32_t start = clusters->first(), end = clusters->next(); end != icu::BreakIterator::DONE;
       start = end, end = clusters->next()) {
    const auto eaw = u_getIntPropertyValue(u.char32At(start), UCHAR_EAST_ASIAN_WIDTH);
    width += (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
}

}  // namespace samvad
