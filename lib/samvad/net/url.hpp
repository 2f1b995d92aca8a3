// The one URL parser of samvad: every URL it checks, compares, signs or hands to libcurl goes
// through libcurl's own parser (CURLU), so samvad accepts exactly the URLs its transport will
// later use, and a scheme or host is compared in one spelling whatever case it was written in
// (RFC 3986 section 3.1: schemes are case-insensitive; "SMTP://" is smtp://).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace samvad::net {

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // ASCII letters in lower case, without [] for IPv6
  std::optional<int> port;
  std::string path;                  // "/" at least
  std::optional<std::string> query;  // without '?'
  bool has_userinfo = false;         // "user:password@" before the host
  // The URL as libcurl is given it: scheme and host in lower case, dot segments resolved, no
  // fragment. Hand this, not the text as written, to libcurl and to the OAuth signer.
  std::string url;
};

std::optional<UrlParts> parse_url(const std::string& url);

// An http:// or https:// URL with a host.
bool is_web_url(const std::string& url);

// A PostgreSQL connection URI (libpq's): postgresql:// or postgres://. Wherever samvad takes its
// store's location, such a text names a server and anything else a file.
bool is_postgres_url(std::string_view text);

// The host is localhost, in 127.0.0.0/8, or ::1: traffic that never leaves this machine.
bool is_loopback_host(const std::string& host);
bool is_loopback_url(const std::string& url);
std::string host_of(const std::string& url);

// nullopt when `url` parses, has a host and no user name or password (those belong in
// credentials.yaml), and its scheme is in `schemes`, or in `loopback_only_schemes` with a
// loopback host (plain http to a local stand-in, never to the internet). Otherwise what is wrong
// and what was expected.
std::optional<std::string> check_endpoint(const std::string& url, const std::vector<std::string>& schemes,
                                          const std::vector<std::string>& loopback_only_schemes);

// A mailto: URI (RFC 6068), which CURLU does not take (it has no host): "mailto:" in any case,
// then the address, percent-decoded, and the header fields after '?'.
struct MailtoParts {
  std::string address;
  std::optional<std::string> query;  // without '?'
  std::string url;                   // "mailto:" in lower case and the rest as written
};
std::optional<MailtoParts> parse_mailto(const std::string& uri);

// Only characters RFC 3986 allows in a URI (unreserved, reserved and '%'): nothing that could
// end an angle-bracketed header value, a space, a control character or a non-ASCII byte.
bool is_uri_text(std::string_view text);

}  // namespace samvad::net
