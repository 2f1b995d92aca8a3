// HTTP over libcurl for the X API: one request at a time per client, TLS always verified,
// connect and total timeouts on every request, and transport failures returned as values that
// say whether the request may have reached the server (the "ambiguous" case).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/core/result.hpp>

namespace samvad::net {

struct MultipartField {
  std::string name;
  std::string data;                         // bytes
  std::optional<std::string> filename;      // set for file parts
  std::optional<std::string> content_type;  // e.g. image/png
};

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Authorization", "OAuth ..."}
  std::string body;                                          // with a Content-Type header
  std::vector<MultipartField> multipart;                     // when non-empty: multipart/form-data, body unused
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::chrono::milliseconds elapsed{0};

  std::optional<std::string> header(const std::string& lower_case_name) const;
};

struct TransportError {
  enum class Kind {
    resolve,  // DNS failed: nothing was sent
    connect,  // no connection: nothing was sent
    tls,      // the TLS handshake failed (not over the certificate): nothing was sent
    // The server's certificate could not be verified, or the trust anchors (ca_file) could not be
    // loaded: nothing was sent, and trying again cannot help until the configuration changes.
    certificate,
    timeout,  // the connect or total timeout passed
    send,     // failed while sending
    receive,  // the request went out, no (complete) answer came back
    other,
  };
  Kind kind = Kind::other;
  std::string message;  // libcurl's explanation; never contains header values
  // True when some of the request may have reached the server, so a POST may have taken
  // effect: the caller must treat the outcome as unknown, not as "not sent".
  bool maybe_delivered = false;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  // Extra trust anchors (PEM), added to the system's roots rather than replacing them; a file
  // that cannot be loaded fails the handshake. Verification is never turned off.
  std::optional<std::string> ca_file;
  std::string user_agent;  // "samvad/<version>"
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse, TransportError> send(const HttpRequest& request) = 0;
};

// The libcurl implementation: owns one easy handle (reused, so connections are kept alive).
// Not thread-safe; use one per thread. Plain http:// is refused unless the host is loopback.
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

// curl_global_init, once per process, before any thread starts (libcurl requires it).
void global_init();

}  // namespace samvad::net
