#include <samvad/net/url.hpp>

#include <algorithm>
#include <memory>

#include <arpa/inet.h>
#include <curl/curl.h>

namespace samvad::net {

namespace {
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

std::optional<std::string> get_part(CURLU* u, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(u, part, &raw, 0) != CURLUE_OK || raw == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return std::string(raw);
}

// ASCII only: a byte of a UTF-8 (IDN) host must not be changed by a locale's tolower.
std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}
}  // namespace

std::optional<UrlParts> parse_url(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return std::nullopt;
  // Without CURLU_GUESS_SCHEME or CURLU_DEFAULT_SCHEME: a URL must say its scheme.
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) return std::nullopt;
  UrlParts parts;
  auto scheme = get_part(u.get(), CURLUPART_SCHEME);
  auto host = get_part(u.get(), CURLUPART_HOST);
  if (!scheme || !host || host->empty()) return std::nullopt;
  parts.scheme = ascii_lower(*scheme);
  // Host names are case-insensitive (RFC 4343): one spelling for comparisons and for libcurl.
  const std::string lower_host = ascii_lower(*host);
  if (lower_host != *host && curl_url_set(u.get(), CURLUPART_HOST, lower_host.c_str(), 0) != CURLUE_OK) return std::nullopt;
  parts.host = lower_host;
  if (parts.host.size() > 2 && parts.host.front() == '[' && parts.host.back() == ']')
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  if (auto port = get_part(u.get(), CURLUPART_PORT)) parts.port = std::stoi(*port);
  parts.path = get_part(u.get(), CURLUPART_PATH).value_or("/");
  if (parts.path.empty()) parts.path = "/";
  parts.query = get_part(u.get(), CURLUPART_QUERY);
  parts.has_userinfo = get_part(u.get(), CURLUPART_USER).has_value() || get_part(u.get(), CURLUPART_PASSWORD).has_value();
  // Without the fragment: it never goes on the wire, and libcurl would only strip it again.
  if (curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0) != CURLUE_OK) return std::nullopt;
  auto whole = get_part(u.get(), CURLUPART_URL);
  if (!whole) return std::nullopt;
  parts.url = *whole;
  return parts;
}

bool is_web_url(const std::string& url) {
  auto p = parse_url(url);
  return p && (p->scheme == "http" || p->scheme == "https");
}

bool is_postgres_url(std::string_view text) {
  return text.starts_with("postgresql://") || text.starts_with("postgres://");
}

bool is_loopback_host(const std::string& host) {
  const std::string h = ascii_lower(host);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool is_loopback_url(const std::string& url) {
  auto p = parse_url(url);
  return p && is_loopback_host(p->host);
}

std::string host_of(const std::string& url) {
  auto p = parse_url(url);
  return p ? p->host : std::string();
}

std::optional<std::string> check_endpoint(const std::string& url, const std::vector<std::string>& schemes,
                                          const std::vector<std::string>& loopback_only_schemes) {
  std::string expected;
  for (const auto& s : schemes) expected += (expected.empty() ? "" : " or ") + s + "://";
  auto p = parse_url(url);
  // The text is not quoted when it may hold a password ("smtp://user:secret@host").
  if (!p)
    return (url.find('@') == std::string::npos ? "'" + url + "'" : std::string("the URL")) +
           " is not a URL with a host; expected " + expected + "host[:port]";
  if (p->has_userinfo)
    return "the URL holds a user name or password; expected " + expected + "host[:port] without one (a login goes in "
           "credentials.yaml, which is kept private, never in a URL)";
  if (std::find(schemes.begin(), schemes.end(), p->scheme) != schemes.end()) return std::nullopt;
  if (std::find(loopback_only_schemes.begin(), loopback_only_schemes.end(), p->scheme) != loopback_only_schemes.end()) {
    if (is_loopback_host(p->host)) return std::nullopt;
    return p->scheme + ":// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); expected " + expected +
           " for " + p->host;
  }
  return "scheme " + p->scheme + ":// is not supported here; expected " + expected;
}

std::optional<MailtoParts> parse_mailto(const std::string& uri) {
  constexpr std::string_view scheme = "mailto:";
  if (uri.size() <= scheme.size() || ascii_lower(uri.substr(0, scheme.size())) != scheme) return std::nullopt;
  if (!is_uri_text(uri)) return std::nullopt;
  MailtoParts parts;
  const std::string rest = uri.substr(scheme.size());
  const auto question = rest.find('?');
  const std::string encoded = rest.substr(0, question);
  if (question != std::string::npos) parts.query = rest.substr(question + 1);
  // RFC 6068 section 2: '%', '/', '?' and '#' in the address come percent-encoded.
  int length = 0;
  char* decoded = curl_easy_unescape(nullptr, encoded.c_str(), static_cast<int>(encoded.size()), &length);
  if (decoded == nullptr) return std::nullopt;
  std::unique_ptr<char, CurlStringDeleter> owned(decoded);
  parts.address.assign(decoded, static_cast<std::size_t>(length));
  parts.url = std::string(scheme) + rest;
  return parts;
}

bool is_uri_text(std::string_view text) {
  static constexpr std::string_view marks = "-._~:/?#[]@!$&'()*+,;=%";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           marks.find(c) != std::string_view::npos;
  });
}

}  // namespace samvad::net
