// Text that comes from files and the command line before samvad trusts it or shows it: whether
// it is UTF-8 (everything samvad publishes, stores and prints as JSON must be), and a form of it
// that is safe and short enough to quote in an error or warning on a terminal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace samvad {

// The byte offset of the first sequence in `text` that is not well-formed UTF-8 (a stray or
// truncated byte, an overlong form, a surrogate, a code point past U+10FFFF), or nullopt.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

// Why `text` cannot be used as a single line of text, such as a file name in a mail header:
// the first control character in it ("a line break (\n)", "a control character (\x01)") or byte
// that is not UTF-8 ("a byte that is not UTF-8 (\xFF)"), with the character it is at (1-based);
// nullopt when there is none.
std::optional<std::string> line_text_problem(std::string_view text);

// Where the byte at `offset` of `text` is: 1-based line, and column counted in characters.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

// `text` with everything that could move the cursor, recolour or clear a terminal, or reorder
// what follows written as an escape: control characters (\n, \r, \t, \x1B, \u0085 ...), the
// bidirectional overrides and isolates (\u202E ...), U+2028/U+2029, and bytes that are not
// UTF-8 (\xFF). Everything else, Devanagari with its joiners included, is kept as it is.
std::string escape_for_terminal(std::string_view text);

// How a value read from a file or the command line is quoted in a message: escaped as above and
// cut to at most `max_characters` characters (whole grapheme clusters, "…" where it was cut), so
// a 10,000-character line in a subscriber file is one readable line of an error.
std::string shown(std::string_view text, std::size_t max_characters = 80);

// How many terminal columns `utf8` takes, for lining up tables: one a grapheme cluster (a
// Devanagari conjunct with its vowel signs is one), two for an East Asian wide or fullwidth one.
std::size_t display_width(std::string_view utf8);

}  // namespace samvad
