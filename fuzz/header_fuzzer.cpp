// Email header fields: unstructured_field, mailbox_field and filename_parameters. The input is
// the value alone (a Subject, a display name, a file name), or "name NUL value [NUL address]".
// std::invalid_argument is the expected refusal (CR, LF, invalid UTF-8, a bad name). Checked on
// every result, as header_encoding.hpp promises: no line holds CR or LF, none is longer than
// 998 octets (RFC 5322 section 2.1.1), continuation lines start with a space and hold more than
// white space; unstructured lines keep to 76 octets and unfold and decode back to the value;
// file name parameters keep to 70 characters and decode back to the name.
#include <stdexcept>

#include <unicode/utf8.h>

#include <samvad/email/header_encoding.hpp>

#include "support.hpp"

namespace {

using samvad::fuzz::broken;

constexpr std::string_view word_open = "=?UTF-8?B?";
constexpr std::string_view word_close = "?=";

bool is_utf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

std::string base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) broken("base64 of length " + std::to_string(text.size()) + " in an encoded-word");
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    for (int k = 0; k < 4; ++k) v[k] = text[i + k] == '=' ? 0 : value(text[i + k]);
    for (int k = 0; k < 4; ++k)
      if (v[k] < 0) broken("not base64 in an encoded-word: '" + std::string(text) + "'");
    const uint32_t bits = uint32_t(v[0]) << 18 | uint32_t(v[1]) << 12 | uint32_t(v[2]) << 6 | uint32_t(v[3]);
    out += static_cast<char>(bits >> 16);
    if (text[i + 2] != '=') out += static_cast<char>(bits >> 8 & 0xFF);
    if (text[i + 3] != '=') out += static_cast<char>(bits & 0xFF);
  }
  return out;
}

void check_lines(const samvad::email::HeaderLines& lines, std::string_view name, const char* what) {
  if (lines.empty()) broken(std::string(what) + ": no lines");
  if (lines.front().compare(0, name.size() + 1, std::string(name) + ":") != 0)
    broken(std::string(what) + ": the first line does not start with the field name and ':'");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::string where = std::string(what) + " line " + std::to_string(i + 1);
    if (line.find_first_of("\r\n") != std::string::npos) broken(where + " contains CR or LF");
    if (line.size() > 998) broken(where + " is " + std::to_string(line.size()) + " octets, over 998");
    if (i > 0 && (line.empty() || line.front() != ' ')) broken(where + " does not start with folding white space");
    if (i > 0 && line.find_first_not_of(" \t") == std::string::npos) broken(where + " is only white space");
  }
}

// RFC 5322 unfolding (the lines are joined; each fold's space stays), then RFC 2047 decoding of
// a value that is either plain text or encoded-words separated by folding white space.
void check_unstructured(const samvad::email::HeaderLines& lines, std::string_view name, std::string_view value) {
  check_lines(lines, name, "unstructured_field");
  std::string unfolded;
  for (const auto& line : lines) {
    if (name.size() <= 75 && line.size() > 76)
      broken("unstructured_field line of " + std::to_string(line.size()) + " octets, over 76");
    unfolded += line;
  }
  const std::string body = unfolded.substr(name.size() + 1);
  const std::size_t first = body.find_first_not_of(' ');
  if (first != std::string::npos && body.compare(first, word_open.size(), word_open) == 0) {
    std::string decoded;
    for (std::string_view word : samvad::fuzz::split(std::string_view(body).substr(first), ' ')) {
      if (word.empty()) continue;  // runs of folding white space between words
      if (word.size() > 75) broken("encoded-word longer than 75 characters: " + std::string(word));
      if (word.substr(0, word_open.size()) != word_open || word.size() < word_open.size() + word_close.size() ||
          word.substr(word.size() - word_close.size()) != word_close)
        broken("not an encoded-word among encoded-words: '" + std::string(word) + "'");
      const std::string octets =
          base64_decode(word.substr(word_open.size(), word.size() - word_open.size() - word_close.size()));
      if (!is_utf8(octets)) broken("an encoded-word splits a UTF-8 character: " + std::string(word));
      decoded += octets;
    }
    if (decoded != value) broken("unstructured_field does not decode back to the value");
  } else if (body.empty() ? !value.empty() : (body.front() != ' ' || body.substr(1) != value)) {
    broken("unstructured_field does not unfold back to the value");
  }
}

std::string percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) broken("truncated %XX in '" + std::string(text) + "'");
    const int high = hex(text[i + 1]), low = hex(text[i + 2]);
    if (high < 0 || low < 0) broken("bad %XX in '" + std::string(text) + "'");
    out += static_cast<char>(high << 4 | low);
    i += 2;
  }
  return out;
}

std::string unquote(std::string_view value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"')
    broken("unquoted value '" + std::string(value) + "'");
  return std::string(value.substr(1, value.size() - 2));
}

// RFC 2231 sections 3 and 4: one parameter or numbered continuations, quoted or extended.
void check_filename(const std::vector<std::string>& parameters, std::string_view parameter,
                    std::string_view file_name) {
  if (parameters.empty()) broken("filename_parameters: none");
  std::string decoded;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const std::string& p = parameters[i];
    if (p.find_first_of("\r\n") != std::string::npos) broken("filename parameter contains CR or LF");
    if (p.size() > 998) broken("filename parameter over 998 octets");
    if (parameter.size() <= 30 && p.size() > 70) broken("filename parameter over 70 characters: " + p);
    const std::size_t equals = p.find('=');
    if (equals == std::string::npos) broken("filename parameter without '=': " + p);
    const std::string attribute = p.substr(0, equals);
    const std::string_view value = std::string_view(p).substr(equals + 1);
    const std::string base(parameter);
    const std::string numbered = base + "*" + std::to_string(i);
    if (parameters.size() == 1 && attribute == base) {
      decoded = unquote(value);
    } else if (parameters.size() == 1 && attribute == base + "*") {
      if (value.substr(0, 7) != "UTF-8''") broken("extended parameter without UTF-8'': " + p);
      decoded = percent_decode(value.substr(7));
    } else if (attribute == numbered) {
      decoded += unquote(value);
    } else if (attribute == numbered + "*") {
      if (i == 0 && value.substr(0, 7) != "UTF-8''") broken("first continuation without UTF-8'': " + p);
      decoded += percent_decode(i == 0 ? value.substr(7) : value);
    } else {
      broken("unexpected parameter " + std::to_string(i) + ": " + p);
    }
  }
  if (decoded != file_name) broken("filename_parameters do not decode back to the file name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  const std::vector<std::string_view> fields = fuzz::split(fuzz::as_text(data, size), '\0');
  // Field and parameter names are constants in samvad; longer ones than these are not worth
  // the 998-octet line they could not fit in.
  const std::string_view name = fields.size() > 1 ? fields[0].substr(0, 100) : "Subject";
  const std::string_view value = fields.size() > 1 ? fields[1] : fields[0];
  const std::string_view address = fields.size() > 2 ? fields[2] : "announcements@example.org";
  const std::string_view parameter = fields.size() > 1 ? fields[0].substr(0, 100) : "filename";

  try {
    check_unstructured(email::unstructured_field(name, value), name, value);
  } catch (const std::invalid_argument&) {
  }
  try {
    const email::HeaderLines lines = email::mailbox_field(name, value, address);
    check_lines(lines, name, "mailbox_field");
    const std::string angle = value.empty() ? std::string(address) : "<" + std::string(address) + ">";
    if (lines.back().size() < angle.size() ||
        lines.back().compare(lines.back().size() - angle.size(), angle.size(), angle) != 0)
      broken("mailbox_field does not end in the address");
  } catch (const std::invalid_argument&) {
  }
  try {
    check_filename(email::filename_parameters(parameter, value), parameter, value);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
