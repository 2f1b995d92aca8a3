// The libcurl client against servers on 127.0.0.1 written here with raw sockets, so each test can
// misbehave exactly as needed: answer, close without answering, never answer, never read, or
// speak TLS with a certificate only a given CA file vouches for.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <samvad/net/http.hpp>

#include "support/process.hpp"

using namespace samvad::net;
using namespace std::chrono_literals;

namespace {

int listening_socket(int backlog, int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, backlog) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  port = ntohs(addr.sin_port);
  return fd;
}

// A server on 127.0.0.1 that runs `handler` on a thread of its own for every connection.
class LoopbackServer {
 public:
  using Handler = std::function<void(int fd, LoopbackServer& server)>;

  explicit LoopbackServer(Handler handler) : handler_(std::move(handler)) {
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the test run
    listen_fd_ = listening_socket(16, port_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : workers_) t.join();
    ::close(listen_fd_);
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string url(const std::string& path = "/", const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  bool stopping() const { return stop_; }
  int connections() const { return connections_; }
  void record(std::string request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
  }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Lets a handler hold its connection open until the test has seen the client give up.
  void release() { released_ = true; }
  void wait_for_release() const {
    auto limit = std::chrono::steady_clock::now() + 20s;
    while (!released_ && !stop_ && std::chrono::steady_clock::now() < limit) std::this_thread::sleep_for(5ms);
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      workers_.emplace_back([this, fd] {
        handler_(fd, *this);
        ::close(fd);
      });
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> released_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Bytes still expected once `data` holds a complete head; npos while the head is incomplete.
size_t request_length(const std::string& data) {
  auto head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::string::npos;
  std::string head = lower(data.substr(0, head_end + 2));
  size_t length = 0;
  if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
    length = std::stoul(head.substr(at + 17, head.find("\r\n", at + 2) - at - 17));
  return head_end + 4 + length;
}

// One HTTP/1.1 request (head and Content-Length body); empty when the peer closed first.
std::string read_request(int fd, const LoopbackServer& server) {
  std::string data;
  auto limit = std::chrono::steady_clock::now() + 10s;
  while (!server.stopping() && std::chrono::steady_clock::now() < limit) {
    if (size_t need = request_length(data); need != std::string::npos && data.size() >= need) return data;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buffer[65536];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return {};
    data.append(buffer, static_cast<size_t>(n));
  }
  return {};
}

void write_all(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string answer(int status, const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n" + body;
}

// Answers every request on a connection with `response` until the client closes it.
LoopbackServer::Handler keep_answering(std::string response) {
  return [response](int fd, LoopbackServer& server) {
    while (true) {
      std::string request = read_request(fd, server);
      if (request.empty()) return;
      server.record(request);
      write_all(fd, response);
    }
  };
}

HttpOptions quick(std::chrono::milliseconds total = 5000ms) {
  HttpOptions o;
  o.connect_timeout = 2000ms;
  o.total_timeout = total;
  o.user_agent = "samvad-test/1";
  return o;
}

const std::string secret_authorization =
    "OAuth oauth_consumer_key=\"ck-visible-secret\", oauth_token=\"tok-visible-secret\", "
    "oauth_signature=\"c2lnbmF0dXJl%2Bsecret\"";

HttpRequest signed_post(const std::string& url, std::string body = "{\"text\":\"hello\"}") {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.headers = {{"Authorization", secret_authorization}, {"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

void require_no_secret(const TransportError& e) {
  CHECK(e.message.find(secret_authorization) == std::string::npos);
  CHECK(e.message.find("ck-visible-secret") == std::string::npos);
  CHECK(e.message.find("tok-visible-secret") == std::string::npos);
  CHECK(e.message.find("c2lnbmF0dXJl") == std::string::npos);
}

// A port with nothing listening on it (bound, then released).
int unused_port() {
  int port = 0;
  int fd = listening_socket(1, port);
  ::close(fd);
  return port;
}

}  // namespace

TEST_CASE("plain http to a host that is not loopback is refused before any network access", "[net]") {
  auto client = make_curl_client(quick());
  for (const char* url : {"http://api.x.com/2/tweets", "http://localhost.example.invalid/", "http://10.0.0.1/"}) {
    auto result = client->send(signed_post(url));
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == TransportError::Kind::other);
    CHECK_FALSE(result.error().maybe_delivered);
    CHECK_THAT(result.error().message, Catch::Contains("refusing plain http://"));
    require_no_secret(result.error());
  }
  auto ftp = client->send(signed_post("ftp://example.invalid/file"));
  REQUIRE_FALSE(ftp);
  CHECK_THAT(ftp.error().message, Catch::Contains("scheme ftp:// is not supported"));
  auto nonsense = client->send(signed_post("not a url"));
  REQUIRE_FALSE(nonsense);
  CHECK_FALSE(nonsense.error().maybe_delivered);
}

TEST_CASE("a header that would split the request is refused without quoting its value", "[net]") {
  auto client = make_curl_client(quick());
  auto request = signed_post("http://127.0.0.1:9/");
  request.headers[0].second = secret_authorization + "\r\nX-Injected: yes";
  auto result = client->send(request);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::other);
  CHECK_FALSE(result.error().maybe_delivered);
  CHECK_THAT(result.error().message, Catch::Contains("Authorization"));
  require_no_secret(result.error());
}

TEST_CASE("an answer carries its status, body and lower-cased header names", "[net]") {
  LoopbackServer server(keep_answering(answer(201, "{\"data\":{\"id\":\"1\"}}", "X-Rate-Limit-Reset: 1700000000\r\n")));
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post(server.url("/2/tweets")));
  REQUIRE(result);
  CHECK(result->status == 201);
  CHECK(result->body == "{\"data\":{\"id\":\"1\"}}");
  CHECK(result->header("x-rate-limit-reset") == "1700000000");
  CHECK(result->header("content-type") == "application/json");
  CHECK_FALSE(result->header("X-Rate-Limit-Reset"));

  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK_THAT(requests[0], Catch::StartsWith("POST /2/tweets HTTP/1.1\r\n"));
  CHECK_THAT(requests[0], Catch::Contains("User-Agent: samvad-test/1\r\n"));
  CHECK_THAT(requests[0], Catch::Contains("Authorization: " + secret_authorization + "\r\n"));
  CHECK_THAT(requests[0], Catch::EndsWith("\r\n\r\n{\"text\":\"hello\"}"));
  CHECK_THAT(lower(requests[0]), !Catch::Contains("expect:"));
}

TEST_CASE("multipart fields go out with their names, file names and content types", "[net]") {
  LoopbackServer server(keep_answering(answer(200, "{}")));
  auto client = make_curl_client(quick());
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/2/media/upload");
  request.multipart = {MultipartField{"media", std::string("\x89PNG\0\x01", 6), "a.png", "image/png"},
                       MultipartField{"media_category", "tweet_image", std::nullopt, std::nullopt}};
  auto result = client->send(request);
  REQUIRE(result);
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  const std::string& r = requests[0];
  CHECK_THAT(r, Catch::Contains("Content-Type: multipart/form-data; boundary="));
  CHECK_THAT(r, Catch::Contains("Content-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\n"
                                "Content-Type: image/png\r\n\r\n" +
                                std::string("\x89PNG\0\x01", 6) + "\r\n"));
  CHECK_THAT(r, Catch::Contains("Content-Disposition: form-data; name=\"media_category\"\r\n\r\ntweet_image\r\n"));
}

TEST_CASE("DELETE and GET use their own methods", "[net]") {
  LoopbackServer server(keep_answering(answer(200, "{}")));
  auto client = make_curl_client(quick());
  HttpRequest del;
  del.method = "DELETE";
  del.url = server.url("/2/tweets/7");
  REQUIRE(client->send(del));
  HttpRequest get;
  get.url = server.url("/2/users/me?x=1");
  REQUIRE(client->send(get));
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK_THAT(requests[0], Catch::StartsWith("DELETE /2/tweets/7 HTTP/1.1\r\n"));
  CHECK_THAT(requests[1], Catch::StartsWith("GET /2/users/me?x=1 HTTP/1.1\r\n"));
}

TEST_CASE("a redirect is returned, not followed, so credentials stay with the API host", "[net]") {
  LoopbackServer elsewhere(keep_answering(answer(200, "{}")));
  LoopbackServer server(keep_answering(answer(302, "", "Location: " + elsewhere.url("/stolen") + "\r\n")));
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post(server.url("/2/tweets")));
  REQUIRE(result);
  CHECK(result->status == 302);
  CHECK(elsewhere.requests().empty());
}

TEST_CASE("GETs share a kept-alive connection, a POST always opens a fresh one", "[net]") {
  LoopbackServer server(keep_answering(answer(200, "{}")));
  auto client = make_curl_client(quick());
  HttpRequest get;
  get.url = server.url("/2/users/me");
  REQUIRE(client->send(get));
  REQUIRE(client->send(get));
  CHECK(server.connections() == 1);
  // libcurl silently re-sends a request whose reused connection closes without an answer; for a
  // POST that could publish twice, so POSTs never ride on an old connection.
  REQUIRE(client->send(signed_post(server.url("/2/tweets"))));
  CHECK(server.connections() == 2);
  CHECK(server.requests().size() == 3);
}

TEST_CASE("nothing listening: a connect error, and the request was certainly not delivered", "[net]") {
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post("http://127.0.0.1:" + std::to_string(unused_port()) + "/2/tweets"));
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::connect);
  CHECK_FALSE(result.error().maybe_delivered);
  CHECK_THAT(result.error().message, Catch::Contains("POST http://127.0.0.1:"));
  require_no_secret(result.error());
}

TEST_CASE("a connection closed after the request arrived may have delivered it", "[net]") {
  LoopbackServer server([](int fd, LoopbackServer& s) { s.record(read_request(fd, s)); });
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post(server.url("/2/tweets")));
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::receive);
  CHECK(result.error().maybe_delivered);
  require_no_secret(result.error());
  REQUIRE(server.requests().size() == 1);
  CHECK_FALSE(server.requests()[0].empty());
}

TEST_CASE("an answer cut short may have delivered the request", "[net]") {
  LoopbackServer server([](int fd, LoopbackServer& s) {
    s.record(read_request(fd, s));
    write_all(fd, "HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\n{\"data\":");
  });
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post(server.url("/2/tweets")));
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::receive);
  CHECK(result.error().maybe_delivered);
}

TEST_CASE("a server that takes the request and never answers: a timeout that may have delivered it", "[net]") {
  LoopbackServer server([](int fd, LoopbackServer& s) {
    s.record(read_request(fd, s));
    s.wait_for_release();
  });
  auto client = make_curl_client(quick(400ms));
  auto result = client->send(signed_post(server.url("/2/tweets")));
  server.release();
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::timeout);
  CHECK(result.error().maybe_delivered);
  require_no_secret(result.error());
}

TEST_CASE("a timeout before the whole body was written: the request cannot have taken effect", "[net]") {
  // The server never reads, so the socket buffers fill long before 64 MB have gone out.
  LoopbackServer server([](int, LoopbackServer& s) { s.wait_for_release(); });
  auto client = make_curl_client(quick(500ms));
  auto result = client->send(signed_post(server.url("/2/media/upload"), std::string(64 * 1024 * 1024, 'x')));
  server.release();
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::timeout);
  CHECK_FALSE(result.error().maybe_delivered);
}

TEST_CASE("a connect timeout: nothing was sent", "[net]") {
  // A listener whose accept queue is full drops new SYNs, so connecting hangs until the timeout.
  int port = 0;
  int listener = listening_socket(0, port);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(fd);
  }
  std::this_thread::sleep_for(100ms);
  HttpOptions options = quick();
  options.connect_timeout = 300ms;
  auto client = make_curl_client(options);
  auto result = client->send(signed_post("http://127.0.0.1:" + std::to_string(port) + "/2/tweets"));
  for (int fd : fillers) ::close(fd);
  ::close(listener);
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::timeout);
  CHECK_FALSE(result.error().maybe_delivered);
}

// ---- TLS ----

namespace {

struct TlsIdentity {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string cert_pem;
  TlsIdentity() {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("samvad test"), -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (auto [nid, value] :
         {std::pair{NID_subject_alt_name, "IP:127.0.0.1"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha256());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    cert_pem.assign(data, static_cast<size_t>(n));
    BIO_free(bio);
  }
  ~TlsIdentity() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;
};

// Answers one request per connection over TLS with `identity`; records what it read.
LoopbackServer::Handler tls_answering(const TlsIdentity& identity, std::string response) {
  return [&identity, response](int fd, LoopbackServer& server) {
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx, identity.cert);
    SSL_CTX_use_PrivateKey(ctx, identity.key);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      std::string data;
      char buffer[16384];
      while (true) {
        if (size_t need = request_length(data); need != std::string::npos && data.size() >= need) break;
        int n = SSL_read(ssl, buffer, sizeof buffer);
        if (n <= 0) break;
        data.append(buffer, static_cast<size_t>(n));
      }
      server.record(data);
      SSL_write(ssl, response.data(), static_cast<int>(response.size()));
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
  };
}

}  // namespace

TEST_CASE("TLS is verified: an unknown certificate fails before the request is sent", "[net]") {
  TlsIdentity identity;
  LoopbackServer server(tls_answering(identity, answer(200, "{\"ok\":true}")));
  auto client = make_curl_client(quick());
  auto result = client->send(signed_post(server.url("/2/tweets", "https")));
  REQUIRE_FALSE(result);
  CHECK(result.error().kind == TransportError::Kind::certificate);
  CHECK_FALSE(result.error().maybe_delivered);
  require_no_secret(result.error());
  CHECK(server.requests().empty());
}

TEST_CASE("ca_file adds a trust anchor for a private endpoint", "[net]") {
  TlsIdentity identity;
  samvad::test::TempDir dir;
  LoopbackServer server(tls_answering(identity, answer(200, "{\"ok\":true}")));
  HttpOptions options = quick();
  options.ca_file = dir.write("ca.pem", identity.cert_pem).string();
  auto client = make_curl_client(options);
  auto result = client->send(signed_post(server.url("/2/tweets", "https")));
  REQUIRE(result);
  CHECK(result->status == 200);
  CHECK(result->body == "{\"ok\":true}");
  REQUIRE(server.requests().size() == 1);
  CHECK_THAT(server.requests()[0], Catch::StartsWith("POST /2/tweets HTTP/1.1\r\n"));

  SECTION("a CA file that is not PEM is a TLS failure, not a silent fallback") {
    HttpOptions broken = quick();
    broken.ca_file = dir.write("broken.pem", "not a certificate").string();
    auto result2 = make_curl_client(broken)->send(signed_post(server.url("/2/tweets", "https")));
    REQUIRE_FALSE(result2);
    CHECK(result2.error().kind == TransportError::Kind::certificate);
    CHECK_FALSE(result2.error().maybe_delivered);
  }
}
