#include <samvad/net/http.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <utility>

#include <curl/curl.h>

#include <samvad/net/curl.hpp>
#include <samvad/net/url.hpp>

namespace samvad::net {

std::optional<std::string> HttpResponse::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

namespace {

// X API answers are a few kilobytes; a runaway body must not exhaust memory.
constexpr std::size_t max_response_body = 16 * 1024 * 1024;

// What the callbacks fill in while one transfer runs.
struct Transfer {
  HttpResponse response;
  bool body_too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (transfer->response.body.size() + n > max_response_body) {
    transfer->body_too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, n);
  return n;
}

std::string trim(std::string s) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && space(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string line(data, n);
  // Every status line starts a new header block (100 Continue, then the final answer): only the
  // final response's headers are the ones the caller asks about.
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->response.headers.clear();
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return n;  // the blank line that ends the block
  std::string name = lower(trim(line.substr(0, colon)));
  std::string value = trim(line.substr(colon + 1));
  if (name.empty()) return n;
  auto [it, inserted] = transfer->response.headers.emplace(name, value);
  // RFC 9110 section 5.3: repeated fields combine into one comma-separated list.
  if (!inserted) it->second += ", " + value;
  return n;
}

// RFC 9110 token characters: what a method or header name may consist of. Anything else (a CR
// or LF above all) could smuggle a second header or request into the stream.
bool is_token(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool is_field_value(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// The URL without query or fragment, for messages: enough to say where, nothing that could be a
// parameter value.
std::string describe(const std::string& url) {
  auto parts = parse_url(url);
  if (!parts) return "the request URL";
  std::string host = parts->host.find(':') != std::string::npos ? "[" + parts->host + "]" : parts->host;
  return parts->scheme + "://" + host + (parts->port ? ":" + std::to_string(*parts->port) : "") + parts->path;
}

// libcurl's messages do not quote request headers, but a message travels far (logs, reports,
// the terminal), so every header value, and every long piece of one (an OAuth header is a list of
// secrets), is blanked out should it ever appear.
std::string redact(std::string message, const HttpRequest& request) {
  auto blank = [&message](const std::string& secret) {
    if (secret.size() < 8) return;
    for (auto pos = message.find(secret); pos != std::string::npos; pos = message.find(secret, pos))
      message.replace(pos, secret.size(), "<redacted>");
  };
  for (const auto& [name, value] : request.headers) {
    blank(value);
    std::string piece;
    for (char c : value + ",") {
      if (c == ',' || c == ' ' || c == '"' || c == '=') {
        blank(piece);
        piece.clear();
      } else {
        piece += c;
      }
    }
  }
  return message;
}

TransportError refusal(std::string message) {
  return TransportError{TransportError::Kind::other, std::move(message), false};
}

// Whether a request that failed with `code` may have reached the server: never, surely, or
// depending on how much of it was written (`all` of it, or `any` byte).
enum class Reached { no, yes, all, any };

struct Classified {
  TransportError::Kind kind;
  Reached reached;
};

Classified classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {TransportError::Kind::resolve, Reached::no};
    case CURLE_COULDNT_CONNECT:
      return {TransportError::Kind::connect, Reached::no};
    // The handshake comes before the first request byte.
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
      return {TransportError::Kind::tls, Reached::no};
    // Whom to trust is configuration: an unknown CA, a wrong host name or an unreadable
    // ca_file fails the same way on every try.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
      return {TransportError::Kind::certificate, Reached::no};
    case CURLE_OPERATION_TIMEDOUT:
      return {TransportError::Kind::timeout, Reached::all};
    case CURLE_SEND_ERROR:
      return {TransportError::Kind::send, Reached::all};
    // The request went out and the answer did not come back whole: the server may have acted.
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
      return {TransportError::Kind::receive, Reached::yes};
    case CURLE_WRITE_ERROR:  // our own body limit: an answer was arriving, so it arrived
      return {TransportError::Kind::receive, Reached::yes};
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return {TransportError::Kind::other, Reached::no};
    default:
      return {TransportError::Kind::other, Reached::any};
  }
}

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(HttpOptions options) : options_(std::move(options)) {}

  Result<HttpResponse, TransportError> send(const HttpRequest& request) override {
    if (auto why = check(request)) return fail(refusal(*why));
    if (handle_.get() == nullptr) return fail(refusal("libcurl could not create a transfer handle"));
    CURL* h = handle_.get();
    // Options are per request; the connection cache, DNS cache and TLS sessions survive the reset.
    curl_easy_reset(h);

    Transfer transfer;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    HeaderList headers;
    Mime mime(h);
    // Declared after everything the handle points into, so it runs first: no option outlives what
    // it points to (the error buffer, header list and MIME tree die with this call).
    struct ResetOnExit {
      CURL* h;
      ~ResetOnExit() { curl_easy_reset(h); }
    } reset_on_exit{h};
    const bool ok = set_connection(h, request, transfer, error_buffer) && set_headers(h, request, headers) &&
                    set_method(h, request, mime);
    if (!ok)
      return fail(refusal("could not set up the request to " + describe(request.url) + " (libcurl refused an option)"));

    auto started = std::chrono::steady_clock::now();
    CURLcode code = curl_easy_perform(h);
    transfer.response.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (code == CURLE_OK) {
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &transfer.response.status);
      return std::move(transfer.response);
    }
    return fail(failure(code, error_buffer, transfer, request));
  }

 private:
  // Where and how to connect, and where the answer goes.
  bool set_connection(CURL* h, const HttpRequest& request, Transfer& transfer, char* error_buffer) const {
    bool ok = true;
    auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
    // The URL as check() read it and the signer signed it (one parser, net::parse_url).
    const std::string url = parse_url(request.url)->url;
    set(curl_easy_setopt(h, CURLOPT_URL, url.c_str()));
    set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https"));
    // An API answer that redirects must not carry the Authorization header to another host.
    set(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L));
    // Signals are process-wide; timeouts in a multi-threaded process must not use SIGALRM.
    set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
    set(verify_tls(h, options_.ca_file));
    set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count())));
    set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count())));
    if (!options_.user_agent.empty()) set(curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str()));
    set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer));
    set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body));
    set(curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer));
    set(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header));
    set(curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer));
    // Plain http is allowed only because loopback traffic never leaves the machine; an
    // environment proxy (http_proxy) would break that promise, and a local stand-in needs none.
    if (is_loopback_url(request.url)) set(curl_easy_setopt(h, CURLOPT_NOPROXY, "*"));
    // libcurl re-sends a request by itself when a reused keep-alive connection closes without an
    // answer (Curl_retry_request). For a GET that is harmless; for a POST the server may have
    // acted before closing, and a silent second send could publish twice. So only GETs reuse
    // connections; everything else opens a fresh one (TLS session resumption keeps that cheap).
    // Such a connection is also closed after its one request rather than left idle in the cache,
    // where it would only hold one of the server's workers until its keep-alive timeout.
    if (request.method != "GET") {
      set(curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L));
      set(curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L));
    }
    return ok;
  }

  static bool set_headers(CURL* h, const HttpRequest& request, HeaderList& headers) {
    bool ok = true;
    for (const auto& [name, value] : request.headers) ok = ok && headers.append(name + ": " + value);
    // "Expect: 100-continue" (libcurl adds it to large bodies) costs a round trip or a one-second
    // wait for servers that ignore it, and X does not need it.
    ok = ok && headers.append("Expect:");
    return ok && curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK;
  }

  // The method and the body: multipart form fields, raw bytes, or none.
  static bool set_method(CURL* h, const HttpRequest& request, Mime& mime) {
    bool ok = true;
    auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
    if (!request.multipart.empty()) {
      ok = mime.get() != nullptr;
      for (const auto& field : request.multipart) {
        curl_mimepart* part = ok ? curl_mime_addpart(mime.get()) : nullptr;
        if (part == nullptr) return false;
        set(curl_mime_name(part, field.name.c_str()));
        set(curl_mime_data(part, field.data.data(), field.data.size()));
        if (field.filename) set(curl_mime_filename(part, field.filename->c_str()));
        if (field.content_type) set(curl_mime_type(part, field.content_type->c_str()));
      }
      set(curl_easy_setopt(h, CURLOPT_MIMEPOST, mime.get()));
      if (request.method != "POST") set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    } else if (request.method == "GET") {
      set(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L));
    } else if (request.method == "POST" || !request.body.empty()) {
      set(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
      set(curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data()));
      if (request.method != "POST") set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    } else {
      set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    }
    return ok;
  }

  std::optional<std::string> check(const HttpRequest& request) const {
    auto parts = parse_url(request.url);
    if (!parts) return "'" + describe(request.url) + "' is not a URL with a host; expected https://host/...";
    if (parts->scheme != "https" && parts->scheme != "http")
      return "scheme " + parts->scheme + ":// is not supported; expected https://";
    if (parts->scheme == "http" && !is_loopback_host(parts->host))
      return "refusing plain http:// to " + parts->host +
             ": credentials would cross the network unencrypted; use https:// (plain http is only for "
             "loopback hosts such as a local stand-in)";
    if (!is_token(request.method)) return "'" + request.method + "' is not an HTTP method";
    for (const auto& [name, value] : request.headers) {
      if (!is_token(name)) return "header name '" + name + "' is not a valid HTTP field name";
      // The value itself is not quoted: it may be a credential.
      if (!is_field_value(value)) return "header " + name + " has a line break or NUL in its value";
    }
    return std::nullopt;
  }

  // Whether the server may have the request: nothing reached it when libcurl failed before the
  // request went out (resolve, connect, TLS), and it cannot have acted on a request whose bytes
  // were not all handed to the socket. Counters below count bytes accepted by the socket (or
  // the TLS layer above it), never fewer than reached the server, so "not all written" is safe.
  TransportError failure(CURLcode code, const char* error_buffer, const Transfer& transfer,
                         const HttpRequest& request) const {
    CURL* h = handle_.get();
    long header_bytes = 0;
    curl_off_t body_bytes = 0;
    curl_off_t body_length = -1;
    curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &header_bytes);
    curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &body_bytes);
    curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_UPLOAD_T, &body_length);
    if (request.multipart.empty()) body_length = static_cast<curl_off_t>(request.body.size());
    const bool sent_any = header_bytes > 0 || body_bytes > 0;
    // An unknown length (-1) counts as "all sent" as soon as anything was: when unsure, assume
    // the request arrived.
    const bool sent_all = sent_any && (body_length <= 0 || body_bytes >= body_length);

    TransportError e;
    const auto [kind, reached] = classify(code);
    e.kind = kind;
    e.maybe_delivered = reached == Reached::all   ? sent_all
                        : reached == Reached::any ? sent_any
                                                  : reached == Reached::yes;
    std::string why = error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    if (transfer.body_too_large) why = "the answer was larger than " + std::to_string(max_response_body) + " bytes";
    e.message = redact(request.method + " " + describe(request.url) + ": " + why, request);
    return e;
  }

  HttpOptions options_;
  EasyHandle handle_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options) {
  global_init();
  return std::make_unique<CurlClient>(options);
}

}  // namespace samvad::net
