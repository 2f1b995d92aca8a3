#include <samvad/net/mail_address.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>

#include <arpa/inet.h>
#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/utf8.h>

#include <samvad/net/url.hpp>

namespace samvad::net {

namespace {

bool is_atext(unsigned char c) {
  if (std::isalnum(c)) return true;
  static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return specials.find(static_cast<char>(c)) != std::string_view::npos;
}

// Dot-string = Atom *("." Atom)
bool is_dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char previous = 0;
  for (char c : s) {
    if (c == '.') {
      if (previous == '.') return false;
    } else if (!is_atext(static_cast<unsigned char>(c))) {
      return false;
    }
    previous = c;
  }
  return true;
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE; qtextSMTP is printable ASCII but " and \,
// quoted-pairSMTP is "\" followed by any printable ASCII.
bool is_quoted_string(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      if (i + 2 >= s.size()) return false;
      unsigned char next = static_cast<unsigned char>(s[++i]);
      if (next < 32 || next > 126) return false;
    } else if (c < 32 || c > 126 || c == '"') {
      return false;
    }
  }
  return true;
}

bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

// UTS #46 processing (ICU) turns an internationalized domain into its A-label form.
std::optional<std::string> ascii_domain(std::string_view domain) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UIDNA, decltype(&uidna_close)> idna(
      uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ, &status), &uidna_close);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out(256, '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  int32_t n = uidna_nameToASCII_UTF8(idna.get(), domain.data(), static_cast<int32_t>(domain.size()), out.data(),
                                     static_cast<int32_t>(out.size()), &info, &status);
  if (U_FAILURE(status) || info.errors != 0 || n <= 0 || n > 253) return std::nullopt;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool is_address_literal(std::string_view d) {
  if (d.size() < 3 || d.front() != '[' || d.back() != ']') return false;
  std::string inner(d.substr(1, d.size() - 2));
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, inner.c_str(), &v4) == 1) return true;
  return inner.rfind("IPv6:", 0) == 0 && inet_pton(AF_INET6, inner.c_str() + 5, &v6) == 1;
}

}  // namespace

std::optional<std::string> normalize_address(std::string_view address) {
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return std::nullopt;
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  if (local.size() > 64) return std::nullopt;
  if (!is_dot_string(local) && !is_quoted_string(local)) return std::nullopt;

  std::string ascii;
  if (is_address_literal(domain)) {
    ascii = std::string(domain);
  } else {
    auto converted = ascii_domain(domain);
    if (!converted) return std::nullopt;
    ascii = *converted;
    // Domain = sub-domain *("." sub-domain), at least two labels for a deliverable address.
    std::size_t start = 0;
    int labels = 0;
    while (true) {
      std::size_t dot = ascii.find('.', start);
      std::string_view label =
          std::string_view(ascii).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (!is_ldh_label(label)) return std::nullopt;
      ++labels;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (labels < 2) return std::nullopt;
  }
  std::string out = std::string(local) + "@" + ascii;
  if (out.size() > 254) return std::nullopt;
  return out;
}

bool is_valid_address(std::string_view address) { return normalize_address(address).has_value(); }

bool is_ascii_address(std::string_view address) {
  const bool ascii = std::all_of(address.begin(), address.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  return ascii && is_valid_address(address);
}

bool is_dot_atom_text(std::string_view text) { return is_dot_string(text); }

std::optional<std::string> header_text_problem(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) return "it is too long";
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return "it is not valid UTF-8";
    if (c == '\r' || c == '\n') return "it contains a line break (CR or LF), which would end the header field";
    if (u_charType(c) == U_CONTROL_CHAR) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return std::string("it contains the control character ") + code + ", which has no place in a header field";
    }
  }
  return std::nullopt;
}

std::optional<std::string> unsubscribe_problem(std::string_view url) {
  const std::string text(url);
  if (!net::is_uri_text(text))
    return "it holds a character a URL cannot (a space, a line break or other control character, a non-ASCII letter, "
           "'<', '>' or '\"'); expected an https:// or mailto: URL in ASCII, other characters percent-encoded";
  if (auto mailto = net::parse_mailto(text)) {
    if (!is_ascii_address(mailto->address))
      return "the mailto: address is not a valid ASCII email address; expected like "
             "mailto:unsubscribe@lists.example.org "
             "(an internationalized domain in its xn-- form)";
    return std::nullopt;
  }
  auto web = net::parse_url(text);
  if (!web || web->scheme != "https")
    return "it is neither an https:// nor a mailto: URL; expected like https://lists.example.org/u/dept";
  if (web->has_userinfo) return "it holds a user name or password; expected an https:// URL without one";
  return std::nullopt;
}

bool is_one_click_unsubscribe(std::string_view url) {
  auto web = net::parse_url(std::string(url));
  return web && web->scheme == "https";
}

std::string recipient_key(std::string_view normalized_address) {
  std::string key(normalized_address);
  std::size_t at = key.rfind('@');
  if (at != std::string::npos)
    std::transform(key.begin() + static_cast<long>(at), key.end(), key.begin() + static_cast<long>(at), ::tolower);
  return key;
}

}  // namespace samvad::net
