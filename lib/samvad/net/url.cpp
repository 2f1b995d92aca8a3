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
  parts.scheme = *scheme;
  std::transform(parts.scheme.begin(), parts.scheme.end(), parts.scheme.begin(), ::tolower);
  parts.host = *host;
  if (parts.host.size() > 2 && parts.host.front() == '[' && parts.host.back() == ']')
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  if (auto port = get_part(u.get(), CURLUPART_PORT)) parts.port = std::stoi(*port);
  parts.path = get_part(u.get(), CURLUPART_PATH).value_or("/");
  return parts;
}

bool is_web_url(const std::string& url) {
  auto p = parse_url(url);
  return p && (p->scheme == "http" || p->scheme == "https");
}

bool is_loopback_host(const std::string& host) {
  std::string h = host;
  std::transform(h.begin(), h.end(), h.begin(), ::tolower);
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
  if (!p) return "'" + url + "' is not a URL with a host; expected " + expected + "host[:port]";
  if (std::find(schemes.begin(), schemes.end(), p->scheme) != schemes.end()) return std::nullopt;
  if (std::find(loopback_only_schemes.begin(), loopback_only_schemes.end(), p->scheme) != loopback_only_schemes.end()) {
    if (is_loopback_host(p->host)) return std::nullopt;
    return p->scheme + ":// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); expected " + expected +
           " for " + p->host;
  }
  return "scheme " + p->scheme + ":// is not supported here; expected " + expected;
}

}  // namespace samvad::net
