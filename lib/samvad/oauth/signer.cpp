#include <samvad/oauth/signer.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <samvad/core/error.hpp>
#include <samvad/net/url.hpp>

namespace samvad::oauth {

namespace {

constexpr char upper_hex[] = "0123456789ABCDEF";
constexpr char lower_hex[] = "0123456789abcdef";

bool is_unreserved(unsigned char c) {
  // Spelled out rather than std::isalnum, whose answer depends on the locale.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string hex_bytes(const unsigned char* data, std::size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(lower_hex[data[i] >> 4]);
    out.push_back(lower_hex[data[i] & 0x0F]);
  }
  return out;
}

// A form value: "+" means space (HTML form encoding), then %XX.
std::string form_decode(std::string_view s) {
  std::string plus_as_space(s);
  std::replace(plus_as_space.begin(), plus_as_space.end(), '+', ' ');
  return percent_decode(plus_as_space);
}

}  // namespace

std::string percent_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(upper_hex[c >> 4]);
      out.push_back(upper_hex[c & 0x0F]);
    }
  }
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    // A stray "%" is kept as it is: lenient, like browsers, rather than losing the byte.
    out.push_back(s[i]);
  }
  return out;
}

Nonce fresh_nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw Error(ExitCode::software, "the system random number generator failed; cannot sign requests");
  Nonce n;
  n.nonce = hex_bytes(bytes, sizeof bytes);
  n.timestamp = static_cast<long long>(std::time(nullptr));
  return n;
}

// The URL is read by the parser that hands it to libcurl (net::parse_url), so what is signed is
// what goes on the wire: the same scheme, host, port and path (dot segments resolved as libcurl
// resolves them, percent-encoding kept byte for byte).
std::string base_string_uri(const std::string& url) {
  const auto p = net::parse_url(url);
  if (!p) return {};  // nothing valid to sign; the transport refuses such a URL anyway
  const std::string host = p->host.find(':') != std::string::npos ? "[" + p->host + "]" : p->host;
  // Section 3.4.1.2: the default port of the scheme is left out, any other is kept.
  const bool default_port =
      !p->port || (p->scheme == "http" && *p->port == 80) || (p->scheme == "https" && *p->port == 443);
  std::string out = p->scheme + "://" + host;
  if (!default_port) out += ":" + std::to_string(*p->port);
  return out + p->path;
}

Params query_params(const std::string& url) {
  const auto p = net::parse_url(url);
  return p && p->query ? parse_form(*p->query) : Params{};
}

Params protocol_params(const Keys& keys, const Nonce& nonce) {
  Params p{
      {"oauth_consumer_key", keys.consumer_key},
      {"oauth_nonce", nonce.nonce},
      {"oauth_signature_method", "HMAC-SHA1"},
      {"oauth_timestamp", std::to_string(nonce.timestamp)},
      // Optional in RFC 5849 but sent by X's own examples; harmless and keeps us close to them.
      {"oauth_version", "1.0"},
  };
  if (!keys.token.empty()) p.emplace_back("oauth_token", keys.token);
  p.insert(p.end(), nonce.extra_oauth.begin(), nonce.extra_oauth.end());
  std::sort(p.begin(), p.end());
  return p;
}

std::string normalized_parameters(const Params& params) {
  // Section 3.4.1.3.2: encode first, then sort by encoded name and encoded value (byte order).
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [name, value] : params) encoded.emplace_back(percent_encode(name), percent_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string signature_base_string(const Request& request, const Params& oauth_params) {
  Params all = query_params(request.url);
  all.insert(all.end(), request.form.begin(), request.form.end());
  for (const auto& param : oauth_params)
    if (param.first != "oauth_signature" && param.first != "realm") all.push_back(param);  // section 3.4.1.3.1
  std::string method = request.method;
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return method + "&" + percent_encode(base_string_uri(request.url)) + "&" + percent_encode(normalized_parameters(all));
}

std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret) {
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), digest,
           &digest_len) == nullptr)
    throw Error(ExitCode::software, "HMAC-SHA1 failed in OpenSSL");
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(digest_len));
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n));
}

std::string authorization_header(const Request& request, const Keys& keys, const Nonce& nonce) {
  Params params = protocol_params(keys, nonce);
  const std::string base = signature_base_string(request, params);
  params.emplace_back("oauth_signature", hmac_sha1_signature(base, keys.consumer_secret, keys.token_secret));
  std::sort(params.begin(), params.end());
  std::string out = "OAuth ";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ", ";
    out += percent_encode(params[i].first) + "=\"" + percent_encode(params[i].second) + "\"";
  }
  return out;
}

std::optional<Params> parse_authorization_header(std::string_view value) {
  // Line breaks are accepted like spaces: RFC 5849 prints its example headers folded over lines.
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const auto skip_space = [&] {
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  };
  skip_space();
  // The auth-scheme is case-insensitive (RFC 7235 section 2.1).
  if (value.size() < 6 || to_lower(std::string(value.substr(0, 5))) != "oauth" || !is_space(value[5]))
    return std::nullopt;
  value.remove_prefix(6);
  Params params;
  while (true) {
    skip_space();
    if (value.empty()) break;
    const auto eq = value.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    std::string_view name = value.substr(0, eq);
    while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
    value.remove_prefix(eq + 1);
    skip_space();
    // Section 3.5.1: every value is quoted and percent-encoded, so it cannot contain a quote.
    if (value.empty() || value.front() != '"') return std::nullopt;
    const auto close = value.find('"', 1);
    if (close == std::string_view::npos) return std::nullopt;
    params.emplace_back(percent_decode(name), percent_decode(value.substr(1, close - 1)));
    value.remove_prefix(close + 1);
    skip_space();
    if (value.empty()) break;
    if (value.front() != ',') return std::nullopt;
    value.remove_prefix(1);
  }
  if (params.empty()) return std::nullopt;
  return params;
}

Params parse_form(std::string_view body) {
  Params params;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    // "c2" with no "=" is a name with an empty value (RFC 5849 section 3.4.1.3.1 example).
    if (eq == std::string_view::npos)
      params.emplace_back(form_decode(pair), "");
    else
      params.emplace_back(form_decode(pair.substr(0, eq)), form_decode(pair.substr(eq + 1)));
  }
  return params;
}

std::string encode_form(const Params& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

}  // namespace samvad::oauth
