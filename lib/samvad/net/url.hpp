// URL checks shared by configuration and transports, using libcurl's URL parser (CURLU),
// so samvad accepts exactly the URLs its transport will later use.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace samvad::net {

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // without [] for IPv6
  std::optional<int> port;
  std::string path;
};

std::optional<UrlParts> parse_url(const std::string& url);

// An http:// or https:// URL with a host.
bool is_web_url(const std::string& url);

// The host is localhost, in 127.0.0.0/8, or ::1: traffic that never leaves this machine.
bool is_loopback_host(const std::string& host);
bool is_loopback_url(const std::string& url);
std::string host_of(const std::string& url);

// nullopt when `url` parses, has a host, and its scheme is in `schemes`, or in
// `loopback_only_schemes` with a loopback host (plain http to a local stand-in, never to the
// internet). Otherwise what is wrong and what was expected.
std::optional<std::string> check_endpoint(const std::string& url, const std::vector<std::string>& schemes,
                                          const std::vector<std::string>& loopback_only_schemes);

}  // namespace samvad::net
