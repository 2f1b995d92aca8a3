// Only the RFC 2047 / RFC 2231 / RFC 5322 layout is written here. OpenSSL does the base64 and
// the random bits, ICU the UTF-8 checks, grapheme clusters, time zones and English dates.
#include <samvad/email/header_encoding.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/utf8.h>

#include <samvad/core/error.hpp>
#include <samvad/net/mail_address.hpp>
#include <samvad/text/utf16.hpp>

namespace samvad::email {

namespace {

// A text's bytes as the unsigned values the character classes below are written in.
std::span<const unsigned char> as_bytes(std::string_view text) {
  return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

// RFC 2047 section 2: "an encoded-word may not be more than 75 characters long" and "each line
// of a header field that contains one or more encoded-words is limited to 76 characters".
// Plain folded lines keep to the same 76 so every line of every field obeys one rule.
constexpr std::size_t max_line = 76;
constexpr std::size_t max_encoded_word = 75;
constexpr std::string_view word_open = "=?UTF-8?B?";
constexpr std::string_view word_close = "?=";
// The longest UTF-8 character: a word with less room than this could not take every character.
constexpr std::size_t max_utf8_char = 4;
// RFC 2231 section 3 exists so parameters can "be broken into smaller, more manageable pieces";
// 70 leaves room for "; " and the folding space on a 76-octet line.
constexpr std::size_t max_parameter = 70;

constexpr char upper_hex[] = "0123456789ABCDEF";
constexpr char lower_hex[] = "0123456789abcdef";

// Spelled out rather than with <cctype>, whose answers depend on the locale.
bool is_alnum(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 5322 section 3.2.3.
bool is_atext(unsigned char c) {
  static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return is_alnum(c) || specials.find(static_cast<char>(c)) != std::string_view::npos;
}

// RFC 2231 section 7: attribute-char, any CHAR except SPACE, "*", "'", "%" and the RFC 2045
// tspecials ()<>@,;:\"/[]?=.
bool is_attribute_char(unsigned char c) {
  static constexpr std::string_view allowed = "!#$&+-.^_`|~";
  return is_alnum(c) || allowed.find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_printable_ascii(std::string_view s) {
  for (unsigned char c : as_bytes(s))
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// RFC 2047 section 6.1: decoders look for "=?" to find encoded-words (Python's, for one, even
// inside longer tokens), so plain text holding it must be encoded to be read back as written.
bool looks_encoded(std::string_view s) { return s.find("=?") != std::string_view::npos; }

// RFC 5322 section 3.6.8: field-name = 1*ftext, printable ASCII except ":".
void check_field_name(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an empty header field name");
  for (unsigned char c : as_bytes(name))
    if (c < 33 || c > 126 || c == ':')
      throw std::invalid_argument("header field name '" + std::string(name) +
                                  "' holds a character outside printable ASCII or a colon");
}

// CR or LF would end the field and let the rest of the value inject new header fields.
void check_text(std::string_view what, std::string_view value) {
  if (value.find_first_of("\r\n") != std::string_view::npos)
    throw std::invalid_argument(std::string(what) + " contains a line break (CR or LF)");
  if (value.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
    throw std::invalid_argument(std::string(what) + " is too long");
  const auto* bytes = reinterpret_cast<const uint8_t*>(value.data());
  const auto length = static_cast<int32_t>(value.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) throw std::invalid_argument(std::string(what) + " is not valid UTF-8");
  }
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string encoded_word(std::string_view bytes) {
  return std::string(word_open) + base64(bytes) + std::string(word_close);
}

// How many octets of text fit in one encoded-word that starts at column `column`.
std::size_t word_capacity(std::size_t column) {
  const std::size_t overhead = word_open.size() + word_close.size();
  const std::size_t room = column >= max_line ? 0 : std::min(max_encoded_word, max_line - column);
  if (room <= overhead) return 0;
  return (room - overhead) / 4 * 3;  // base64 writes 4 characters for each 3 octets
}

// The value's grapheme clusters (UAX #29, by ICU), as pieces of the UTF-8 input.
std::vector<std::string_view> grapheme_clusters(std::string_view value) {
  const text::Utf16Text decoded = text::decode_utf8(value);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU character break iterator failed: ") + u_errorName(status));
  it->setText(decoded.text);
  std::vector<std::string_view> clusters;
  std::size_t start = 0;
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    const std::size_t end = decoded.byte_offsets[static_cast<std::size_t>(b)];
    clusters.push_back(value.substr(start, end - start));
    start = end;
  }
  return clusters;
}

// Cuts text into the octet runs of consecutive encoded-words. Encoded-words separated only by
// folding white space are one run of text to a decoder (RFC 2047 section 6.2), so the text may
// be cut anywhere between characters; a cut is kept between grapheme clusters whenever the
// cluster fits in a word, so "क्ष" or a ZWJ emoji sequence is never shown in two halves by a
// reader that renders each word on its own. Only a cluster too long for a word is cut between
// its code points (RFC 2047 section 5: a word must hold whole characters).
class WordPacker {
 public:
  WordPacker(std::size_t first_capacity, std::size_t capacity) : first_capacity_(first_capacity), capacity_(capacity) {}

  void add(std::string_view cluster) {
    if (fits(cluster)) {
      current_ += cluster;
    } else if (!current_.empty() && cluster.size() <= capacity_) {
      next_word();
      current_ += cluster;
    } else {
      add_code_points(cluster);
    }
  }

  std::vector<std::string> finish() {
    if (!current_.empty()) next_word();
    return std::move(words_);
  }

 private:
  bool fits(std::string_view piece) const {
    return current_.size() + piece.size() <= (words_.empty() ? first_capacity_ : capacity_);
  }

  void next_word() {
    words_.push_back(std::move(current_));
    current_.clear();
  }

  void add_code_points(std::string_view cluster) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(cluster.data());
    const auto length = static_cast<int32_t>(cluster.size());
    for (int32_t i = 0; i < length;) {
      const int32_t start = i;
      U8_FWD_1(bytes, i, length);
      const std::string_view code_point =
          cluster.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
      if (!fits(code_point)) next_word();
      current_ += code_point;
    }
  }

  std::size_t first_capacity_;
  std::size_t capacity_;
  std::vector<std::string> words_;
  std::string current_;
};

// Continues lines.back() (which ends in "Name: " or a space) with `text` as encoded-words,
// one word per line after the first.
void append_encoded_words(HeaderLines& lines, std::string_view text) {
  // Nothing to encode: no folded line that would be only white space (RFC 5322 section 3.2.2),
  // and no trailing space after the colon.
  if (text.empty()) {
    while (!lines.back().empty() && lines.back().back() == ' ') lines.back().pop_back();
    return;
  }
  const std::size_t capacity = word_capacity(1);  // after the folding space
  std::size_t first_capacity = word_capacity(lines.back().size());
  if (first_capacity < max_utf8_char) {
    // A field name so long that no word fits after it: the words start on the next line.
    while (!lines.back().empty() && lines.back().back() == ' ') lines.back().pop_back();
    lines.emplace_back(" ");
    first_capacity = capacity;
  }
  WordPacker packer(first_capacity, capacity);
  for (std::string_view cluster : grapheme_clusters(text)) packer.add(cluster);
  const std::vector<std::string> words = packer.finish();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) lines.emplace_back(" ");
    lines.back() += encoded_word(words[i]);
  }
}

// Pieces of plain text to fold: a fold may go before each piece but the first, and each such
// piece starts with the space that becomes the folding white space. Folding only inserts CRLF
// (RFC 5322 section 3.2.2), so the last space of a run is chosen and the text unfolds unchanged.
std::vector<std::string_view> fold_pieces(std::string_view text) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == ' ' && text[i + 1] != ' ') {
      pieces.push_back(text.substr(start, i - start));
      start = i;
    }
  }
  pieces.push_back(text.substr(start));
  return pieces;
}

// Appends the pieces to lines.back(). A piece that would not fit starts a new line instead, its
// leading space becoming the folding white space; the first piece only when `fold_first` (not
// when lines.back() is still just "Name: "). Returns false when some line still ends up longer
// than max_line, because a piece alone is too long.
bool append_folded(HeaderLines& lines, const std::vector<std::string_view>& pieces, bool fold_first) {
  bool within = true;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool may_fold = (i > 0 || fold_first) && !pieces[i].empty() && pieces[i].front() == ' ';
    if (may_fold && lines.back().size() + pieces[i].size() > max_line) {
      lines.emplace_back(pieces[i]);
    } else {
      lines.back() += pieces[i];
    }
    within = within && lines.back().size() <= max_line;
  }
  return within;
}

// RFC 5322 section 3.2.5: phrase = 1*word, here atoms separated by single spaces.
bool is_atom_phrase(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  char previous = 0;
  for (char c : s) {
    if (c == ' ' ? previous == ' ' : !is_atext(static_cast<unsigned char>(c))) return false;
    previous = c;
  }
  return true;
}

// RFC 5322 section 3.2.4: a quoted-string, with '"' and '\' written as quoted-pairs.
std::string quoted_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string percent_encoded(std::string_view bytes) {
  std::string out;
  for (unsigned char c : as_bytes(bytes)) {
    if (is_attribute_char(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += upper_hex[c >> 4];
      out += upper_hex[c & 0x0F];
    }
  }
  return out;
}

// RFC 2231 section 3: `name*0<star>=<first>; name*1<star>=<second>...`, each parameter at most
// max_parameter characters where the pieces allow. The first segment carries `head` (the
// charset and language of an extended value); pieces are never cut.
std::vector<std::string> continuations(std::string_view parameter, bool extended, std::string_view head,
                                       const std::vector<std::string>& pieces, std::string_view quote) {
  std::vector<std::string> out;
  std::string segment;
  auto name = [&](std::size_t n) {
    return std::string(parameter) + "*" + std::to_string(n) + (extended ? "*=" : "=") + std::string(quote);
  };
  segment = name(0) + std::string(head);
  bool empty = true;
  for (const std::string& piece : pieces) {
    if (!empty && segment.size() + piece.size() + quote.size() > max_parameter) {
      out.push_back(segment + std::string(quote));
      segment = name(out.size());
    }
    segment += piece;
    empty = false;
  }
  out.push_back(segment + std::string(quote));
  return out;
}

// Each UTF-8 character of the name, percent-encoded, so no continuation splits a character.
std::vector<std::string> percent_encoded_characters(std::string_view name) {
  std::vector<std::string> out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  const auto length = static_cast<int32_t>(name.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    U8_FWD_1(bytes, i, length);
    out.push_back(percent_encoded(name.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start))));
  }
  return out;
}

std::string format_date(const char* pattern, std::chrono::system_clock::time_point when, icu::TimeZone* zone) {
  std::unique_ptr<icu::TimeZone> owned(zone);
  UErrorCode status = U_ZERO_ERROR;
  // en_US_POSIX: English day and month names and ASCII digits, whatever the user's locale.
  icu::SimpleDateFormat format(icu::UnicodeString(pattern), icu::Locale("en_US_POSIX"), status);
  if (U_FAILURE(status)) throw Error(ExitCode::software, std::string("ICU date format failed: ") + u_errorName(status));
  format.adoptTimeZone(owned.release());
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(when.time_since_epoch()).count();
  icu::UnicodeString out;
  format.format(static_cast<UDate>(ms), out);
  return text::to_utf8(out);
}

}  // namespace

HeaderLines unstructured_field(std::string_view name, std::string_view value) {
  check_field_name(name);
  check_text("header field value", value);
  HeaderLines lines{std::string(name) + ": "};
  // Leading or trailing spaces would be lost to unfolding and trimming; encoded they are kept.
  const bool plain = is_printable_ascii(value) && !looks_encoded(value) &&
                     (value.empty() || (value.front() != ' ' && value.back() != ' '));
  if (plain && append_folded(lines, fold_pieces(value), false)) return lines;
  // Mixed Marathi and English is encoded whole: one rule, and no spacing subtleties between
  // encoded-words and plain words (RFC 2047 section 6.2) to get wrong.
  lines = {std::string(name) + ": "};
  append_encoded_words(lines, value);
  return lines;
}

HeaderLines mailbox_field(std::string_view name, std::string_view display_name, std::string_view address) {
  check_field_name(name);
  // The configuration is checked with the same two functions, so what `check` accepts is sent.
  if (auto problem = net::header_text_problem(display_name)) throw std::invalid_argument("display name: " + *problem);
  if (!net::is_ascii_address(address))
    throw std::invalid_argument("'" + std::string(address) + "' is not an ASCII email address");
  HeaderLines lines{std::string(name) + ": "};
  if (display_name.empty()) {
    lines.back() += address;
    return lines;
  }
  const std::string angle_address = " <" + std::string(address) + ">";
  bool written = false;
  if (is_printable_ascii(display_name) && !looks_encoded(display_name)) {
    const std::string phrase = is_atom_phrase(display_name) ? std::string(display_name) : quoted_string(display_name);
    written = append_folded(lines, fold_pieces(phrase), false);
    if (!written) lines = {std::string(name) + ": "};
  }
  if (!written) append_encoded_words(lines, display_name);
  // Only the address itself may overflow a line, when it is longer than one.
  append_folded(lines, {angle_address}, true);
  return lines;
}

std::vector<std::string> filename_parameters(std::string_view parameter, std::string_view file_name) {
  if (parameter.empty()) throw std::invalid_argument("an empty parameter name");
  for (unsigned char c : as_bytes(parameter))
    if (!is_attribute_char(c))
      throw std::invalid_argument("parameter name '" + std::string(parameter) + "' holds a character RFC 2231 forbids");
  // The same check plan.cpp makes when an --attach file is named, so none is refused only here.
  if (auto problem = net::header_text_problem(file_name)) throw std::invalid_argument("file name: " + *problem);

  const bool plain = is_printable_ascii(file_name) && file_name.find_first_of("\"\\") == std::string_view::npos;
  if (plain) {
    std::string whole = std::string(parameter) + "=\"" + std::string(file_name) + "\"";
    if (whole.size() <= max_parameter) return {whole};
    std::vector<std::string> characters;
    for (char c : file_name) characters.emplace_back(1, c);
    return continuations(parameter, false, "", characters, "\"");
  }
  const std::vector<std::string> characters = percent_encoded_characters(file_name);
  std::string whole = std::string(parameter) + "*=UTF-8''";
  for (const std::string& c : characters) whole += c;
  if (whole.size() <= max_parameter) return {whole};
  return continuations(parameter, true, "UTF-8''", characters, "");
}

std::string date_field(std::chrono::system_clock::time_point when, const std::string& time_zone) {
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(text::from_utf8(time_zone)));
  // ICU answers an unknown ID with "Etc/Unknown", which behaves as GMT: a silent wrong offset.
  if (*zone == icu::TimeZone::getUnknown()) throw std::invalid_argument("'" + time_zone + "' is not an IANA time zone");
  // RFC 5322 section 3.3: day-name "," day month year hour ":" minute ":" second zone.
  return "Date: " + format_date("EEE, dd MMM yyyy HH:mm:ss xx", when, zone.release());
}

std::string new_message_id(std::string_view label, std::string_view domain) {
  if (!net::is_dot_atom_text(domain))
    throw std::invalid_argument("'" + std::string(domain) + "' is not a domain a Message-ID can end with");
  unsigned char random[8];
  if (RAND_bytes(random, sizeof random) != 1)
    throw Error(ExitCode::software, "the system random number generator failed; cannot make a Message-ID");
  std::string id =
      "<" + format_date("yyyyMMdd'T'HHmmss", std::chrono::system_clock::now(), icu::TimeZone::getGMT()->clone()) + ".";
  for (unsigned char c : random) {
    id += lower_hex[c >> 4];
    id += lower_hex[c & 0x0F];
  }
  // The label must stay a dot-atom-text (RFC 5322 section 3.6.4): no empty atom between dots.
  std::string kept;
  for (char c : label) {
    if (!is_alnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') continue;
    if (c == '.' && (kept.empty() || kept.back() == '.')) continue;
    kept += c;
  }
  while (!kept.empty() && kept.back() == '.') kept.pop_back();
  if (!kept.empty()) id += "." + kept;
  return id + "@" + std::string(domain) + ">";
}

}  // namespace samvad::email
