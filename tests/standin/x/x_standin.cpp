#include "x_standin.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <unicode/normalizer2.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <samvad/text/entities.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/text/url_extract.hpp>

namespace samvad::standin {

using json = nlohmann::json;
using httplib::Request;
using httplib::Response;

namespace {

constexpr const char* json_type = "application/json; charset=utf-8";
constexpr long long twitter_epoch_ms = 1288834974657;         // where X's snowflake ids count from
constexpr long long max_clock_skew_s = 300;                   // X refuses timestamps further off than this
constexpr std::size_t simple_upload_limit = 5 * 1024 * 1024;  // images above this need chunked upload
constexpr long long media_expires_after_secs = 86400;
constexpr std::size_t max_alt_text = 1000;  // characters

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
long long now_s() { return now_ms() / 1000; }

void send_json(Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), json_type);
}

// The "problem" shape X API v2 uses for request-level errors.
json problem(int status, const std::string& title, const std::string& detail, const std::string& type = "about:blank") {
  return json{{"title", title}, {"detail", detail}, {"type", type}, {"status", status}};
}

std::string title_for(int status) {
  switch (status) {
    case 400:
      return "Invalid Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found Error";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

// X's 400 for a request whose parameters it rejects: a top-level problem plus the specifics.
void invalid_request(Response& res, const std::string& message) {
  json body = problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                      "https://api.twitter.com/2/problems/invalid-request");
  body["errors"] = json::array({json{{"message", message}}});
  send_json(res, 400, body);
}

void forbidden(Response& res, const std::string& detail) { send_json(res, 403, problem(403, "Forbidden", detail)); }

void not_found(Response& res, const std::string& detail) {
  send_json(res, 404, problem(404, "Not Found Error", detail, "https://api.twitter.com/2/problems/resource-not-found"));
}

bool content_type_is(const Request& req, const char* type) {
  return req.get_header_value("Content-Type").starts_with(type);
}
bool is_json(const Request& req) { return content_type_is(req, "application/json"); }
bool is_form(const Request& req) { return content_type_is(req, "application/x-www-form-urlencoded"); }

std::optional<long long> to_integer(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(s);
}

std::size_t utf8_length(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// X keeps (and compares, and returns) post text in NFC.
std::string nfc(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return s;
  icu::UnicodeString normalized = normalizer->normalize(icu::UnicodeString::fromUTF8(s), status);
  if (U_FAILURE(status)) return s;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// X returns post text with exactly these three escaped.
std::string escape_html(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

bool has_scheme(std::string_view url) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  const std::string head = lower(url.substr(0, 8));
  return head.starts_with("http://") || head.starts_with("https://");
}

// A t.co link: "https://t.co/" and ten letters or digits, 23 characters as X counts every URL.
std::string tco_link(unsigned long long n) {
  static constexpr char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // Scrambled so consecutive links do not look alike; an odd multiplier keeps them distinct.
  unsigned long long v = n * 0x9E3779B97F4A7C15ULL;
  std::string code;
  for (int i = 0; i < 10; ++i) {
    code += digits[v % 62];
    v /= 62;
  }
  return "https://t.co/" + code;
}

// A multipart part's bytes, whether sent as a file or as a plain field.
std::optional<std::string> multipart_value(const Request& req, const char* name) {
  if (!req.has_file(name)) return std::nullopt;
  return req.get_file_value(name).content;
}

// Closes the connection `req` arrived on without writing a byte of answer, as a crashed proxy or
// a network cut would. cpp-httplib 0.11 hands handlers no socket, so the stand-in finds it by the
// connection's two ends among its own descriptors, then shuts it down; httplib's later write fails
// and it closes the descriptor itself (SIGPIPE is ignored in main). The client sees the
// connection end with no response: libcurl reports CURLE_GOT_NOTHING ("Empty reply from server").
bool drop_connection(const Request& req) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const int fd = std::atoi(entry.path().filename().c_str());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    sockaddr_in local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 || local.sin_family != AF_INET)
      continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
    char peer_addr[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, peer_addr, sizeof peer_addr);
    if (ntohs(local.sin_port) == req.local_port && ntohs(peer.sin_port) == req.remote_port &&
        req.remote_addr == peer_addr)
      return ::shutdown(fd, SHUT_RDWR) == 0;
  }
  return false;
}

}  // namespace

XStandin::XStandin(Options options) : options_(std::move(options)) {}

void XStandin::install(httplib::Server& server) {
  // The control API: for tests, never signed, never recorded.
  server.Get("/_standin/requests", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    send_json(res, 200, json(requests_));
  });
  server.Get("/_standin/posts", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    json out = json::array();
    for (const auto& p : posts_) out.push_back(to_json(p));
    send_json(res, 200, out);
  });
  // Seeds a post as if the account had written it earlier (no checks but the account).
  server.Post("/_standin/posts", [this](const Request& req, Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("user_id") || !body["user_id"].is_string() || !body.contains("text") ||
        !body["text"].is_string())
      return send_json(res, 400, json{{"error", "expected {\"user_id\": \"...\", \"text\": \"...\"}"}});
    std::lock_guard lock(mutex_);
    if (!account_by_id(body["user_id"])) return send_json(res, 400, json{{"error", "unknown user_id"}});
    Post post = new_post(body["user_id"], body["text"]);
    if (body.contains("reply_to") && body["reply_to"].is_string()) post.reply_to = body["reply_to"].get<std::string>();
    place(post);
    posts_.push_back(post);
    send_json(res, 201, to_json(post));
  });
  server.Get("/_standin/media", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    json out = json::array();
    for (const auto& [id, m] : media_) out.push_back(to_json(m));
    send_json(res, 200, out);
  });
  server.Get("/_standin/accounts", [this](const Request&, Response& res) {
    json out = json::array();
    for (const auto& a : options_.config.accounts)
      out.push_back(json{{"user_id", a.user_id},
                         {"username", a.username},
                         {"name", a.name},
                         {"access_token", a.access_token},
                         {"access_token_secret", a.access_token_secret}});
    send_json(res, 200, out);
  });
  server.Get("/_standin/faults", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    send_json(res, 200, faults_.to_json());
  });
  server.Post("/_standin/faults", [this](const Request& req, Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return send_json(res, 400, json{{"error", "the body is not JSON"}});
    std::vector<Fault> parsed;
    try {
      for (const auto& item : body.is_array() ? body : json::array({body})) parsed.push_back(Fault::from_json(item));
    } catch (const std::invalid_argument& e) {
      return send_json(res, 400, json{{"error", e.what()}});
    }
    std::lock_guard lock(mutex_);
    for (auto& f : parsed) faults_.add(std::move(f));
    send_json(res, 200, json{{"queued", parsed.size()}, {"faults", faults_.to_json()}});
  });
  server.Get("/_standin/settings", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    send_json(res, 200, json{{"reply_needs_mention", reply_needs_mention_}});
  });
  server.Post("/_standin/settings", [this](const Request& req, Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) return send_json(res, 400, json{{"error", "expected a JSON object of settings"}});
    for (const auto& [key, value] : body.items()) {
      if (key != "reply_needs_mention") return send_json(res, 400, json{{"error", "unknown setting \"" + key + "\""}});
      if (!value.is_boolean()) return send_json(res, 400, json{{"error", "\"" + key + "\" must be true or false"}});
    }
    std::lock_guard lock(mutex_);
    if (body.contains("reply_needs_mention")) reply_needs_mention_ = body["reply_needs_mention"].get<bool>();
    send_json(res, 200, json{{"reply_needs_mention", reply_needs_mention_}});
  });
  server.Post("/_standin/reset", [this](const Request&, Response& res) {
    std::lock_guard lock(mutex_);
    reply_needs_mention_ = false;
    posts_.clear();
    citizens_.clear();
    media_.clear();
    request_tokens_.clear();
    used_nonces_.clear();
    faults_.clear();
    requests_.clear();
    next_seq_ = 1;  // ids keep growing, so none is ever reused
    send_json(res, 200, json{{"reset", true}});
  });

  route(server, "POST", "/2/tweets", Auth::access, &XStandin::create_post);
  route(server, "DELETE", R"(/2/tweets/(\d+))", Auth::access, &XStandin::delete_post);
  route(server, "GET", "/2/users/me", Auth::access, &XStandin::users_me);
  route(server, "GET", R"(/2/users/(\d+)/tweets)", Auth::access, &XStandin::user_posts);
  install_mentions(server);
  route(server, "POST", "/2/media/upload", Auth::access, &XStandin::media_upload);
  route(server, "GET", "/2/media/upload", Auth::access, &XStandin::media_status);
  route(server, "POST", "/2/media/upload/initialize", Auth::access, &XStandin::media_initialize);
  route(server, "POST", R"(/2/media/upload/(\d+)/append)", Auth::access, &XStandin::media_append);
  route(server, "POST", R"(/2/media/upload/(\d+)/finalize)", Auth::access, &XStandin::media_finalize);
  route(server, "POST", "/2/media/metadata", Auth::access, &XStandin::media_metadata);
  route(server, "POST", "/oauth/request_token", Auth::consumer_only, &XStandin::request_token);
  route(server, "POST", "/oauth/access_token", Auth::request_token, &XStandin::access_token);

  // What the user's browser shows: not an API call, so not signed.
  server.Get("/oauth/authorize", [this](const Request& req, Response& res) {
    json entry = describe(req);
    bool known = false;
    {
      std::lock_guard lock(mutex_);
      known = request_tokens_.contains(req.get_param_value("oauth_token"));
    }
    if (!known) {
      res.status = 404;
      res.set_content("<!doctype html><title>X stand-in</title><p>This page is no longer valid.</p>\n",
                      "text/html; charset=utf-8");
    } else {
      res.status = 200;
      res.set_content(
          "<!doctype html><title>X stand-in: authorize app</title>\n"
          "<p>You've granted access to the app. Enter this PIN to complete the authorization process.</p>\n"
          "<p><code id=\"oauth_pin\">" +
              options_.config.pin + "</code></p>\n",
          "text/html; charset=utf-8");
    }
    record(std::move(entry), res);
  });

  // Anything else: recorded (so a test sees a client calling a wrong path) and answered as X does.
  const auto unknown = [this](const Request& req, Response& res) {
    json entry = describe(req);
    not_found(res, "The stand-in has no endpoint " + req.method + " " + req.path + ".");
    record(std::move(entry), res);
  };
  server.Get(".*", unknown);
  server.Post(".*", unknown);
  server.Put(".*", unknown);
  server.Delete(".*", unknown);
}

void XStandin::route(httplib::Server& server, const std::string& method, const std::string& pattern, Auth auth,
                     ApiHandler handler) {
  auto serve_it = [this, auth, handler](const Request& req, Response& res) { serve(req, res, auth, handler); };
  if (method == "GET")
    server.Get(pattern, serve_it);
  else if (method == "POST")
    server.Post(pattern, serve_it);
  else if (method == "DELETE")
    server.Delete(pattern, serve_it);
}

void XStandin::serve(const Request& req, Response& res, Auth auth, ApiHandler handler) {
  json entry = describe(req);
  if (options_.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options_.latency_ms));

  Caller caller;
  if (const auto failure = authenticate(req, auth, caller)) {
    entry["auth"] = *failure;
    // X's body says only "Unauthorized"; the reason goes in a header X does not send, for debugging.
    res.set_header("x-standin-auth-failure", *failure);
    send_json(res, 401, problem(401, "Unauthorized", "Unauthorized"));
    return record(std::move(entry), res);
  }
  entry["auth"] = "ok";
  if (caller.account) entry["user_id"] = caller.account->user_id;

  std::optional<Fault> fault;
  {
    std::lock_guard lock(mutex_);
    const auto question = req.target.find('?');
    fault = faults_.take(req.method, req.path, question == std::string::npos ? "" : req.target.substr(question + 1));
  }
  if (fault) {
    entry["fault"] = fault->to_json();
    if (fault->latency_ms) std::this_thread::sleep_for(std::chrono::milliseconds(*fault->latency_ms));
    if (fault->status) {
      const int status = *fault->status;
      if (status == 429) {
        res.set_header("x-rate-limit-limit", "100");
        res.set_header("x-rate-limit-remaining", "0");
        res.set_header("x-rate-limit-reset", std::to_string(now_s() + fault->reset_in.value_or(900)));
        // X's 24-hour caps (per account: "user", per app) for POST /2/tweets on the Basic tier.
        const auto day_cap = [&](const char* who, const char* limit, const std::optional<long long>& reset_in) {
          if (!reset_in) return;
          const std::string prefix = std::string("x-") + who + "-limit-24hour-";
          res.set_header(prefix + "limit", limit);
          res.set_header(prefix + "remaining", "0");
          res.set_header(prefix + "reset", std::to_string(now_s() + *reset_in));
        };
        day_cap("user", "100", fault->user_24h_reset_in);
        day_cap("app", "1667", fault->app_24h_reset_in);
      }
      send_json(res, status, problem(status, title_for(status), fault->detail.value_or(title_for(status))));
      return record(std::move(entry), res);
    }
    if (fault->action == "drop") return drop(std::move(entry), req, res);
  }

  if (req.path.starts_with("/2/")) {
    // Every X API v2 answer carries the caller's rate limit window.
    res.set_header("x-rate-limit-limit", "100");
    res.set_header("x-rate-limit-remaining", "99");
    res.set_header("x-rate-limit-reset", std::to_string(now_s() + 900));
  }
  (this->*handler)(req, res, caller);
  if (fault && fault->action == "drop_after_create") return drop(std::move(entry), req, res);
  record(std::move(entry), res);
}

std::optional<std::string> XStandin::authenticate(const Request& req, Auth auth, Caller& caller) {
  const std::string header = req.get_header_value("Authorization");
  if (header.empty()) return "no Authorization header";
  const auto params = oauth::parse_authorization_header(header);
  if (!params) return "the Authorization header is not a well-formed OAuth header";
  std::map<std::string, std::string> p;
  for (const auto& [name, value] : *params)
    if (!p.emplace(name, value).second) return "parameter " + name + " appears twice";
  const auto get = [&p](const char* name) -> std::optional<std::string> {
    const auto it = p.find(name);
    return it == p.end() ? std::nullopt : std::optional<std::string>(it->second);
  };

  const Config& config = options_.config;
  if (get("oauth_consumer_key") != config.consumer_key) return "unknown oauth_consumer_key";
  if (get("oauth_signature_method") != "HMAC-SHA1") return "oauth_signature_method is not HMAC-SHA1";
  if (const auto version = get("oauth_version"); version && *version != "1.0") return "oauth_version is not 1.0";
  const auto nonce = get("oauth_nonce");
  if (!nonce || nonce->empty()) return "no oauth_nonce";
  const auto signature = get("oauth_signature");
  if (!signature) return "no oauth_signature";
  const auto timestamp = to_integer(get("oauth_timestamp").value_or(""));
  if (!timestamp) return "no valid oauth_timestamp";
  if (std::llabs(*timestamp - now_s()) > max_clock_skew_s) return "oauth_timestamp is more than 300 s from now";

  const auto token = get("oauth_token");
  std::string token_secret;
  {
    std::lock_guard lock(mutex_);
    switch (auth) {
      case Auth::consumer_only:
        if (token && !token->empty()) return "a request token request takes no oauth_token";
        if (!get("oauth_callback")) return "no oauth_callback";
        break;
      case Auth::request_token: {
        const auto it = token ? request_tokens_.find(*token) : request_tokens_.end();
        if (it == request_tokens_.end()) return "oauth_token is not a pending request token";
        token_secret = it->second;
        break;
      }
      case Auth::access: {
        const auto it = std::find_if(config.accounts.begin(), config.accounts.end(),
                                     [&](const Account& a) { return token && a.access_token == *token; });
        if (it == config.accounts.end()) return "oauth_token is not an access token of any account";
        token_secret = it->access_token_secret;
        caller.account = *it;
        break;
      }
    }
  }

  // Sign what the client addressed: its Host header and the request target byte for byte.
  const std::string host =
      req.has_header("Host") ? req.get_header_value("Host") : "127.0.0.1:" + std::to_string(req.local_port);
  const oauth::Request signed_request{req.method, (options_.tls ? "https://" : "http://") + host + req.target,
                                      is_form(req) ? oauth::parse_form(req.body) : oauth::Params{}};
  const std::string expected = oauth::hmac_sha1_signature(oauth::signature_base_string(signed_request, *params),
                                                          config.consumer_secret, token_secret);
  if (expected.size() != signature->size() || CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0)
    return "oauth_signature does not match";

  {
    // Checked after the signature, so a forged request cannot burn a genuine client's nonce.
    std::lock_guard lock(mutex_);
    if (!used_nonces_.insert(config.consumer_key + " " + *nonce).second) return "oauth_nonce was used before";
  }
  caller.token = token.value_or("");
  caller.oauth = *params;
  return std::nullopt;
}

json XStandin::describe(const Request& req) const {
  json e{{"time_ms", now_ms()},  {"method", req.method}, {"path", req.path},
         {"target", req.target}, {"user_id", nullptr},   {"auth", "none"}};
  json query = json::object();
  // query_params reads absolute URLs (net::parse_url); the host does not matter here.
  for (const auto& [name, value] : oauth::query_params("http://127.0.0.1" + req.target)) query[name] = value;
  e["query"] = query;
  if (const auto type = req.get_header_value("Content-Type"); !type.empty()) e["content_type"] = type;
  if (const auto header = oauth::parse_authorization_header(req.get_header_value("Authorization"))) {
    json o = json::object();
    for (const auto& [name, value] : *header)
      if (name != "oauth_signature") o[name] = value;
    e["oauth"] = o;
  }
  if (req.is_multipart_form_data()) {
    json parts = json::object();
    for (const auto& [name, part] : req.files) {
      json d{{"size", part.content.size()}};
      if (!part.filename.empty()) d["filename"] = part.filename;
      if (!part.content_type.empty()) d["content_type"] = part.content_type;
      if (part.filename.empty() && part.content.size() <= 256) d["value"] = part.content;
      parts[name] = d;
    }
    e["multipart"] = parts;
  } else if (is_json(req)) {
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
      e["body_text"] = req.body;
    else
      e["json"] = body;
  } else if (is_form(req)) {
    json form = json::object();
    for (const auto& [name, value] : oauth::parse_form(req.body)) form[name] = value;
    e["form"] = form;
  } else if (!req.body.empty()) {
    e["body_size"] = req.body.size();
  }
  return e;
}

void XStandin::drop(json entry, const Request& req, const Response& res) {
  // Recorded first, so the log lists it before whatever the client does once the connection ends.
  record(std::move(entry), res, true);
  if (!drop_connection(req))
    std::cerr << "x-standin: could not find the connection of " << req.method << " " << req.path << " to drop\n";
}

void XStandin::record(json entry, const Response& res, bool dropped) {
  entry["status"] = dropped ? json(nullptr) : json(res.status);
  entry["dropped"] = dropped;
  if (options_.verbose)
    std::cerr << "x-standin: " << entry["method"].get<std::string>() << " " << entry["target"].get<std::string>()
              << " -> " << (dropped ? "dropped" : std::to_string(res.status)) << " ("
              << entry["auth"].get<std::string>() << ")\n";
  std::lock_guard lock(mutex_);
  entry["seq"] = next_seq_++;
  requests_.push_back(std::move(entry));
}

// ---- posts ------------------------------------------------------------------------------------

void XStandin::create_post(const Request& req, Response& res, const Caller& caller) {
  const json body = json::parse(req.body, nullptr, false);
  if (!is_json(req) || !body.is_object()) return invalid_request(res, "The request body must be a JSON object.");
  std::string text;
  if (body.contains("text")) {
    if (!body["text"].is_string()) return invalid_request(res, "$.text must be a string.");
    text = nfc(body["text"]);
  }
  std::optional<std::string> reply_to;
  if (body.contains("reply")) {
    const json& reply = body["reply"];
    if (!reply.is_object() || !reply.contains("in_reply_to_tweet_id") || !reply["in_reply_to_tweet_id"].is_string())
      return invalid_request(res, "$.reply.in_reply_to_tweet_id must be a string.");
    reply_to = reply["in_reply_to_tweet_id"].get<std::string>();
  }
  std::vector<std::string> media_ids;
  if (body.contains("media")) {
    const json& media = body["media"];
    if (!media.is_object() || !media.contains("media_ids") || !media["media_ids"].is_array())
      return invalid_request(res, "$.media.media_ids must be an array.");
    for (const auto& id : media["media_ids"]) {
      if (!id.is_string()) return invalid_request(res, "$.media.media_ids must contain strings.");
      media_ids.push_back(id);
    }
    if (media_ids.empty() || media_ids.size() > 4)
      return invalid_request(res, "$.media.media_ids must have between 1 and 4 items.");
  }
  const text::TweetLength length = text::measure_tweet(text);
  if (length.weighted_length == 0 && media_ids.empty())
    return invalid_request(res, "Tweet text is empty and there is no media.");
  if (length.weighted_length > 280)
    return invalid_request(
        res, "Tweet text is too long (weighted length " + std::to_string(length.weighted_length) + ", at most 280).");
  if (length.weighted_length > 0 && !length.valid)
    return invalid_request(res, "Tweet text contains invalid characters.");

  const std::string& user_id = caller.account->user_id;
  std::lock_guard lock(mutex_);
  if (reply_to) {
    const Post* target = find_post(*reply_to);
    if (!target || target->deleted)
      return forbidden(res, "You attempted to reply to a Tweet that is deleted or not visible to you.");
    // X's words (February 2026) for a self-serve app replying where it was not invited.
    if (reply_needs_mention_ &&
        std::find(target->mentions.begin(), target->mentions.end(), user_id) == target->mentions.end())
      return forbidden(res,
                       "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
                       "engaged by the author of the post you are replying to.");
  }
  for (const auto& id : media_ids) {
    const auto it = media_.find(id);
    if (it == media_.end() || it->second.user_id != user_id || it->second.state != "succeeded")
      return invalid_request(res, "Your media IDs are invalid.");
  }
  if (!text.empty()) {
    for (const auto& p : posts_)
      if (!p.deleted && p.user_id == user_id && p.text == text)
        return send_json(res, 403,
                         json{{"detail", "You are not allowed to create a Tweet with duplicate content."},
                              {"type", "about:blank"},
                              {"title", "Forbidden"},
                              {"status", 403}});
  }
  Post post = new_post(user_id, text);
  post.reply_to = reply_to;
  post.media_ids = media_ids;
  place(post);
  posts_.push_back(post);
  send_json(res, 201, json{{"data", api_view(post, false)}});
}

void XStandin::delete_post(const Request& req, Response& res, const Caller& caller) {
  const std::string id = req.matches[1];
  std::lock_guard lock(mutex_);
  Post* post = find_post(id);
  if (!post || post->deleted) return not_found(res, "Could not find tweet with id: [" + id + "].");
  if (post->user_id != caller.account->user_id) return forbidden(res, "You are not allowed to delete this Tweet.");
  post->deleted = true;
  send_json(res, 200, json{{"data", {{"deleted", true}}}});
}

void XStandin::users_me(const Request&, Response& res, const Caller& caller) {
  const Account& a = *caller.account;
  send_json(res, 200, json{{"data", {{"id", a.user_id}, {"name", a.name}, {"username", a.username}}}});
}

void XStandin::user_posts(const Request& req, Response& res, const Caller& caller) {
  const std::string id = req.matches[1];
  if (id != caller.account->user_id)
    return forbidden(res, "The stand-in lists only the authenticated account's own posts.");
  const auto query = timeline_query(req, res);
  if (!query) return;
  std::lock_guard lock(mutex_);
  std::vector<const Post*> posts;
  for (auto it = posts_.rbegin(); it != posts_.rend(); ++it)
    if (!it->deleted && it->user_id == id) posts.push_back(&*it);
  send_json(res, 200, timeline_page(posts, *query));
}

// ---- mentions and timelines -------------------------------------------------------------------

namespace {

constexpr std::size_t mentions_kept = 800;  // X returns only an account's 800 newest mentions

// The tweet.fields and user.fields X knows (others are refused 400, as X refuses them); of the
// tweet fields the stand-in fills in entities and those timeline_view sets.
constexpr std::string_view x_tweet_fields =
    "attachments,author_id,card_uri,context_annotations,conversation_id,created_at,edit_controls,"
    "edit_history_tweet_ids,entities,geo,id,in_reply_to_user_id,lang,non_public_metrics,note_tweet,organic_metrics,"
    "possibly_sensitive,promoted_metrics,public_metrics,referenced_tweets,reply_settings,source,text,withheld";
constexpr std::string_view x_user_fields =
    "created_at,description,entities,id,location,most_recent_tweet_id,name,pinned_tweet_id,profile_image_url,"
    "protected,public_metrics,url,username,verified,verified_type,withheld";

bool listed(std::string_view list, const std::string& item) {
  return ("," + std::string(list) + ",").find("," + item + ",") != std::string::npos;
}

std::optional<unsigned long long> parse_id(std::string_view s, int base = 10) {
  unsigned long long id = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), id, base);
  if (s.empty() || error != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return id;
}

// meta.next_token: opaque to clients (X's are too); here the id the next page starts below.
constexpr std::string_view page_token_prefix = "sv";
std::string page_token(unsigned long long before_id) {
  char digits[32];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), before_id, 36).ptr;
  return std::string(page_token_prefix) + std::string(digits, end);
}
std::optional<unsigned long long> from_page_token(std::string_view token) {
  if (!token.starts_with(page_token_prefix)) return std::nullopt;
  return parse_id(token.substr(page_token_prefix.size()), 36);
}

std::vector<std::string> comma_list(const std::string& value) {
  std::vector<std::string> items;
  for (std::size_t at = 0; at <= value.size();) {
    const std::size_t comma = std::min(value.find(',', at), value.size());
    items.push_back(value.substr(at, comma - at));
    at = comma + 1;
  }
  return items;
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// X's user names: 1 to 15 of A-Z, a-z, 0-9 and _.
bool valid_username(const std::string& s) {
  return !s.empty() && s.size() <= 15 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

// Times as X writes them, "2026-12-05T08:00:00.000Z": UTC, milliseconds.
std::unique_ptr<icu::SimpleDateFormat> x_time_format(const char* pattern) {
  UErrorCode status = U_ZERO_ERROR;
  auto format =
      std::make_unique<icu::SimpleDateFormat>(icu::UnicodeString(pattern), icu::Locale("en_US_POSIX"), status);
  if (U_FAILURE(status)) return nullptr;
  format->adoptTimeZone(icu::TimeZone::createTimeZone("Etc/UTC"));
  format->setLenient(false);
  return format;
}

std::string x_time(long long ms) {
  const auto format = x_time_format("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  if (!format) return "";
  icu::UnicodeString out;
  format->format(static_cast<UDate>(ms), out);
  std::string utf8;
  return out.toUTF8String(utf8);
}

// X's shape, or the same without milliseconds.
std::optional<long long> parse_x_time(const std::string& s) {
  for (const char* pattern : {"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"}) {
    const auto format = x_time_format(pattern);
    if (!format) return std::nullopt;
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(s);
    icu::ParsePosition position(0);
    const UDate when = format->parse(text, position);
    if (position.getErrorIndex() < 0 && position.getIndex() == text.length()) return static_cast<long long>(when);
  }
  return std::nullopt;
}

// What POST /_standin/mentions asks for, checked.
struct MentionRequest {
  std::string text;
  std::string lang = "und";
  std::optional<long long> created_ms;
  std::optional<std::string> reply_to;
  std::optional<std::string> author_account;  // or a citizen:
  std::optional<std::string> id;              // a fixed id (for help examples that name one); else from the clock
  std::string username;
  std::string name;
};

std::optional<std::string> optional_string_field(const json& body, const char* key, std::string& error) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_string() || body[key].get<std::string>().empty())
    error = std::string("\"") + key + "\" must be a non-empty string";
  return body[key].is_string() ? std::optional<std::string>(body[key].get<std::string>()) : std::nullopt;
}

// nullopt and `error` set when the body is not what the endpoint takes.
std::optional<MentionRequest> read_mention_request(const json& body, std::string& error) {
  if (!body.is_object()) {
    error = "expected a JSON object";
    return std::nullopt;
  }
  MentionRequest m;
  const auto text = optional_string_field(body, "text", error);
  if (!text) error = "\"text\" must be a non-empty string";
  m.text = text.value_or("");
  m.lang = optional_string_field(body, "lang", error).value_or("und");
  m.reply_to = optional_string_field(body, "reply_to", error);
  m.author_account = optional_string_field(body, "author_account", error);
  m.id = optional_string_field(body, "id", error);
  if (m.id && m.id->find_first_not_of("0123456789") != std::string::npos) error = "\"id\" must be decimal digits";
  if (const auto when = optional_string_field(body, "created_at", error)) {
    m.created_ms = parse_x_time(*when);
    if (!m.created_ms) error = "\"created_at\" must be written as X writes times, 2026-12-05T08:00:00.000Z";
  }
  if (m.author_account.has_value() == body.contains("author"))
    error = "give either \"author\": {\"username\", \"name\"} or \"author_account\": a configured user_id";
  if (body.contains("author")) {
    const json& author = body["author"];
    if (author.is_object() && author.contains("username") && author["username"].is_string())
      m.username = author["username"];
    if (author.is_object() && author.contains("name") && author["name"].is_string()) m.name = author["name"];
    if (!valid_username(m.username)) error = "\"author\".\"username\" must be 1 to 15 of A-Z, a-z, 0-9 and _";
  }
  if (!error.empty()) return std::nullopt;
  return m;
}

}  // namespace

void XStandin::install_mentions(httplib::Server& server) {
  route(server, "GET", R"(/2/users/(\d+)/mentions)", Auth::access, &XStandin::user_mentions);
  server.Post("/_standin/mentions", [this](const Request& req, Response& res) { add_mention(req, res); });
  server.Get("/_standin/mentions", [this](const Request& req, Response& res) { list_mentions(req, res); });
}

void XStandin::user_mentions(const Request& req, Response& res, const Caller& caller) {
  const std::string id = req.matches[1];
  if (id != caller.account->user_id)
    return forbidden(res, "The stand-in lists only the authenticated account's own mentions.");
  const auto query = timeline_query(req, res);
  if (!query) return;
  std::lock_guard lock(mutex_);
  std::vector<const Post*> mentions;
  for (auto it = posts_.rbegin(); it != posts_.rend() && mentions.size() < mentions_kept; ++it)
    if (!it->deleted && std::find(it->mentions.begin(), it->mentions.end(), id) != it->mentions.end())
      mentions.push_back(&*it);
  send_json(res, 200, timeline_page(mentions, *query));
}

std::optional<XStandin::TimelineQuery> XStandin::timeline_query(const Request& req, Response& res) {
  TimelineQuery query;
  const auto refuse = [&res](const std::string& name, const std::string& value, const std::string& why) {
    invalid_request(res, "The `" + name + "` query parameter value [" + value + "] " + why);
    return std::nullopt;
  };
  if (req.has_param("max_results")) {
    const auto n = to_integer(req.get_param_value("max_results"));
    if (!n || *n < 5 || *n > 100)
      return refuse("max_results", req.get_param_value("max_results"), "is not between 5 and 100");
    query.max_results = *n;
  }
  if (req.has_param("since_id")) {
    query.since_id = parse_id(req.get_param_value("since_id"));
    if (!query.since_id) return refuse("since_id", req.get_param_value("since_id"), "is not a valid Tweet ID");
  }
  if (req.has_param("pagination_token")) {
    query.before_id = from_page_token(req.get_param_value("pagination_token"));
    if (!query.before_id) return refuse("pagination_token", req.get_param_value("pagination_token"), "is not valid");
  }
  for (const auto& [name, value] : oauth::query_params("http://127.0.0.1" + req.target)) {
    for (const auto& item : comma_list(value)) {
      if (name == "tweet.fields" && !listed(x_tweet_fields, item))
        return refuse(name, item, "is not one of the tweet fields X knows");
      if (name == "user.fields" && !listed(x_user_fields, item))
        return refuse(name, item, "is not one of the user fields X knows");
      if (name == "expansions" && item != "author_id")
        return refuse(name, item, "is not an expansion the stand-in makes (only author_id)");
      if (name == "tweet.fields") query.tweet_fields.insert(item);
      if (name == "expansions") query.expand_authors = true;
    }
  }
  return query;
}

json XStandin::timeline_page(const std::vector<const Post*>& newest_first, const TimelineQuery& query) const {
  json data = json::array();
  json users = json::array();
  std::set<std::string> authors;
  bool more = false;
  for (const Post* post : newest_first) {
    const unsigned long long id = parse_id(post->id).value_or(0);
    if (query.since_id && id <= *query.since_id) break;  // newest first: the rest are older still
    if (query.before_id && id >= *query.before_id) continue;
    if (static_cast<long long>(data.size()) == query.max_results) {
      more = true;
      break;
    }
    data.push_back(timeline_view(*post, query.tweet_fields));
    if (query.expand_authors && authors.insert(post->user_id).second) users.push_back(user_json(post->user_id));
  }
  json body{{"meta", {{"result_count", data.size()}}}};
  if (data.empty()) return body;
  body["meta"]["newest_id"] = data.front()["id"];
  body["meta"]["oldest_id"] = data.back()["id"];
  if (more) body["meta"]["next_token"] = page_token(parse_id(data.back()["id"].get<std::string>()).value_or(0));
  body["data"] = data;
  if (!users.empty()) body["includes"] = json{{"users", users}};
  return body;
}

json XStandin::timeline_view(const Post& post, const std::set<std::string>& fields) {
  json view = api_view(post, fields.contains("entities"));
  if (fields.contains("created_at")) view["created_at"] = x_time(post.created_ms);
  if (fields.contains("conversation_id")) view["conversation_id"] = post.conversation_id;
  if (fields.contains("author_id")) view["author_id"] = post.user_id;
  if (fields.contains("lang")) view["lang"] = post.lang;
  // X leaves both out of a post that replies to nothing.
  if (fields.contains("in_reply_to_user_id") && post.in_reply_to_user_id)
    view["in_reply_to_user_id"] = *post.in_reply_to_user_id;
  if (fields.contains("referenced_tweets") && post.reply_to)
    view["referenced_tweets"] = json::array({json{{"type", "replied_to"}, {"id", *post.reply_to}}});
  return view;
}

void XStandin::place(Post& post) {
  post.conversation_id = post.id;
  post.in_reply_to_user_id.reset();
  post.mentions.clear();
  const auto mention = [&post](const std::string& user_id) {
    if (std::find(post.mentions.begin(), post.mentions.end(), user_id) == post.mentions.end())
      post.mentions.push_back(user_id);
  };
  if (const Post* target = post.reply_to ? find_post(*post.reply_to) : nullptr) {
    post.conversation_id = target->conversation_id.empty() ? target->id : target->conversation_id;
    post.in_reply_to_user_id = target->user_id;
    // On X a reply is addressed to the author of the post it answers, so it is among their mentions.
    if (target->user_id != post.user_id && account_by_id(target->user_id)) mention(target->user_id);
  }
  // twitter-text's mentions: "@name" not inside a word or an e-mail address, ending where the
  // name's characters [A-Za-z0-9_] end (so a Marathi suffix, "@PCMCWaterSupplyला", still mentions).
  for (const auto& span : text::extract_mentions(post.text)) {
    std::string name = post.text.substr(span.begin, span.end - span.begin);
    name.erase(0, name.starts_with("@") ? 1 : std::string_view("\uFF20").size());  // "@" or the full-width "＠"
    if (name.find('/') != std::string::npos) continue;  // "@owner/list" names a list, not a user
    for (const auto& a : options_.config.accounts)
      if (lower_ascii(a.username) == lower_ascii(name)) mention(a.user_id);
  }
}

const XStandin::Citizen& XStandin::citizen(const std::string& username, const std::string& name) {
  for (auto& c : citizens_) {
    if (lower_ascii(c.username) != lower_ascii(username)) continue;
    if (!name.empty()) c.name = name;  // X shows a user's current display name
    return c;
  }
  citizens_.push_back(Citizen{next_id(), username, name.empty() ? username : name});
  return citizens_.back();
}

json XStandin::user_json(const std::string& user_id) const {
  if (const Account* a = account_by_id(user_id))
    return json{{"id", a->user_id}, {"name", a->name}, {"username", a->username}};
  for (const auto& c : citizens_)
    if (c.id == user_id) return json{{"id", c.id}, {"name", c.name}, {"username", c.username}};
  return json{{"id", user_id}};
}

void XStandin::add_mention(const Request& req, Response& res) {
  std::string error;
  const auto m = read_mention_request(json::parse(req.body, nullptr, false), error);
  if (!m) return send_json(res, 400, json{{"error", error}});
  std::lock_guard lock(mutex_);
  if (m->author_account && !account_by_id(*m->author_account))
    return send_json(res, 400,
                     json{{"error", "\"author_account\" " + *m->author_account + " is not a configured account"}});
  for (const auto& a : options_.config.accounts)
    if (!m->author_account && lower_ascii(a.username) == lower_ascii(m->username))
      return send_json(res, 400,
                       json{{"error", "@" + m->username + " is a configured account: use \"author_account\""}});
  if (m->reply_to) {
    const Post* target = find_post(*m->reply_to);
    if (!target || target->deleted)
      return send_json(res, 400, json{{"error", "\"reply_to\" " + *m->reply_to + " is not a post the stand-in holds"}});
  }
  if (m->id && find_post(*m->id)) return send_json(res, 400, json{{"error", "\"id\" " + *m->id + " is taken"}});
  // The id comes from the clock now, whatever created_at says: ids grow in creation order (unless
  // the test fixes one).
  Post post = new_post(m->author_account ? *m->author_account : citizen(m->username, m->name).id, m->text);
  if (m->id) post.id = *m->id;
  post.reply_to = m->reply_to;
  post.lang = m->lang;
  if (m->created_ms) post.created_ms = *m->created_ms;
  place(post);
  posts_.push_back(post);
  send_json(res, 201, json{{"data", {{"id", post.id}, {"conversation_id", post.conversation_id}}}});
}

void XStandin::list_mentions(const Request& req, Response& res) {
  const std::string user_id = req.get_param_value("user_id");
  std::lock_guard lock(mutex_);
  if (!account_by_id(user_id))
    return send_json(res, 400, json{{"error", "user_id must be the id of a configured account"}});
  json out = json::array();
  for (auto it = posts_.rbegin(); it != posts_.rend(); ++it) {
    if (std::find(it->mentions.begin(), it->mentions.end(), user_id) == it->mentions.end()) continue;
    json entry = to_json(*it);
    entry["author"] = user_json(it->user_id);
    out.push_back(std::move(entry));
  }
  send_json(res, 200, out);
}

// ---- media ------------------------------------------------------------------------------------

void XStandin::media_upload(const Request& req, Response& res, const Caller& caller) {
  if (!req.is_multipart_form_data()) return invalid_request(res, "Media upload must be multipart/form-data.");
  if (req.has_file("command"))
    return invalid_request(res,
                           "The v1.1-style command parameter is not used with /2/media/upload; use "
                           "/2/media/upload/initialize, /append and /finalize.");
  const auto bytes = multipart_value(req, "media");
  if (!bytes || bytes->empty()) return invalid_request(res, "The media field is required.");
  if (bytes->size() > simple_upload_limit)
    return invalid_request(res, "Media larger than 5 MB must be uploaded in chunks.");
  Media m;
  m.user_id = caller.account->user_id;
  m.media_category = multipart_value(req, "media_category").value_or("tweet_image");
  m.media_type = multipart_value(req, "media_type").value_or(req.get_file_value("media").content_type);
  m.size = bytes->size();
  m.total_bytes = static_cast<long long>(m.size);
  m.state = "succeeded";
  m.created_ms = now_ms();
  std::lock_guard lock(mutex_);
  m.id = next_id();
  m.media_key = "3_" + m.id;
  media_[m.id] = m;
  send_json(res, 200, json{{"data", media_data(m)}});
}

void XStandin::media_status(const Request& req, Response& res, const Caller& caller) {
  if (req.get_param_value("command") != "STATUS") return invalid_request(res, "command must be STATUS.");
  std::lock_guard lock(mutex_);
  Media* m = own_media(req.get_param_value("media_id"), caller);
  if (!m) return invalid_request(res, "media_id is not a media of this account.");
  if (m->state == "uploading") return invalid_request(res, "The upload has not been finalized.");
  // Processing advances one step per STATUS call: pending -> in_progress -> succeeded.
  if (m->state == "pending")
    m->state = "in_progress";
  else if (m->state == "in_progress")
    m->state = "succeeded";
  json data = media_data(*m);
  data["processing_info"] = m->state == "succeeded"
                                ? json{{"state", "succeeded"}, {"progress_percent", 100}}
                                : json{{"state", m->state}, {"check_after_secs", 1}, {"progress_percent", 50}};
  send_json(res, 200, json{{"data", data}});
}

void XStandin::media_initialize(const Request& req, Response& res, const Caller& caller) {
  const json body = json::parse(req.body, nullptr, false);
  if (!is_json(req) || !body.is_object()) return invalid_request(res, "The request body must be a JSON object.");
  if (!body.contains("media_type") || !body["media_type"].is_string())
    return invalid_request(res, "$.media_type must be a string.");
  if (!body.contains("total_bytes") || !body["total_bytes"].is_number_integer() ||
      body["total_bytes"].get<long long>() <= 0)
    return invalid_request(res, "$.total_bytes must be a positive integer.");
  Media m;
  m.user_id = caller.account->user_id;
  m.media_type = body["media_type"];
  m.media_category = body.value("media_category", std::string("tweet_image"));
  m.chunked = true;
  m.total_bytes = body["total_bytes"];
  m.state = "uploading";
  m.created_ms = now_ms();
  std::lock_guard lock(mutex_);
  m.id = next_id();
  // X's media_key prefix names the kind: 3 image, 16 animated GIF, 7 video.
  const bool gif = m.media_category == "tweet_gif" || m.media_type == "image/gif";
  const bool video =
      m.media_category == "tweet_video" || m.media_category == "amplify_video" || m.media_type.starts_with("video/");
  m.media_key = (video ? "7_" : gif ? "16_" : "3_") + m.id;
  media_[m.id] = m;
  send_json(
      res, 200,
      json{{"data", {{"id", m.id}, {"media_key", m.media_key}, {"expires_after_secs", media_expires_after_secs}}}});
}

void XStandin::media_append(const Request& req, Response& res, const Caller& caller) {
  if (!req.is_multipart_form_data()) return invalid_request(res, "Append must be multipart/form-data.");
  const auto bytes = multipart_value(req, "media");
  if (!bytes) return invalid_request(res, "The media field is required.");
  const auto index = to_integer(multipart_value(req, "segment_index").value_or(""));
  if (!index || *index > 999) return invalid_request(res, "segment_index must be an integer from 0 to 999.");
  std::lock_guard lock(mutex_);
  Media* m = own_media(req.matches[1], caller);
  if (!m) return invalid_request(res, "The media id is not an upload of this account.");
  if (m->state != "uploading") return invalid_request(res, "The upload was already finalized.");
  m->segments[*index] = bytes->size();  // a repeated segment replaces the earlier one
  send_json(res, 200, json{{"data", {{"expires_at", now_s() + media_expires_after_secs}}}});
}

void XStandin::media_finalize(const Request& req, Response& res, const Caller& caller) {
  std::lock_guard lock(mutex_);
  Media* m = own_media(req.matches[1], caller);
  if (!m) return invalid_request(res, "The media id is not an upload of this account.");
  if (m->state != "uploading") return invalid_request(res, "The upload was already finalized.");
  std::size_t total = 0;
  long long expected_index = 0;
  for (const auto& [index, size] : m->segments) {
    if (index != expected_index++)
      return invalid_request(res, "Segment " + std::to_string(expected_index - 1) + " is missing.");
    total += size;
  }
  if (static_cast<long long>(total) != m->total_bytes)
    return invalid_request(res, "File size mismatch: appended " + std::to_string(total) + " bytes, total_bytes was " +
                                    std::to_string(m->total_bytes) + ".");
  m->size = total;
  // X processes videos, animated GIFs and large files asynchronously (STATUS polling).
  const bool needs_processing = m->media_type == "image/gif" || m->media_type.starts_with("video/") ||
                                m->media_category == "tweet_gif" || m->media_category == "tweet_video" ||
                                m->media_category == "amplify_video" || total > simple_upload_limit;
  m->state = needs_processing ? "pending" : "succeeded";
  json data = media_data(*m);
  if (needs_processing) data["processing_info"] = json{{"state", "pending"}, {"check_after_secs", 1}};
  send_json(res, 200, json{{"data", data}});
}

void XStandin::media_metadata(const Request& req, Response& res, const Caller& caller) {
  const json body = json::parse(req.body, nullptr, false);
  if (!is_json(req) || !body.is_object()) return invalid_request(res, "The request body must be a JSON object.");
  if (!body.contains("id") || !body["id"].is_string()) return invalid_request(res, "$.id must be a string.");
  const json* text = nullptr;
  if (body.contains("metadata") && body["metadata"].is_object() && body["metadata"].contains("alt_text") &&
      body["metadata"]["alt_text"].is_object() && body["metadata"]["alt_text"].contains("text"))
    text = &body["metadata"]["alt_text"]["text"];
  if (!text || !text->is_string()) return invalid_request(res, "$.metadata.alt_text.text must be a string.");
  if (utf8_length(text->get<std::string>()) > max_alt_text)
    return invalid_request(res, "$.metadata.alt_text.text must be at most 1000 characters.");
  std::lock_guard lock(mutex_);
  Media* m = own_media(body["id"], caller);
  if (!m) return invalid_request(res, "The media id is not a media of this account.");
  m->alt_text = text->get<std::string>();
  send_json(res, 200, json{{"data", {{"associated_metadata", true}}}});
}

// ---- PIN-based OAuth ----------------------------------------------------------------------------

void XStandin::request_token(const Request&, Response& res, const Caller&) {
  const std::string token = "req-" + oauth::fresh_nonce().nonce;
  const std::string secret = oauth::fresh_nonce().nonce;
  {
    std::lock_guard lock(mutex_);
    request_tokens_[token] = secret;
  }
  res.status = 200;
  res.set_content(oauth::encode_form(
                      {{"oauth_token", token}, {"oauth_token_secret", secret}, {"oauth_callback_confirmed", "true"}}),
                  "application/x-www-form-urlencoded");
}

void XStandin::access_token(const Request& req, Response& res, const Caller& caller) {
  // The verifier may come in the Authorization header, the form body or the query.
  std::string verifier;
  for (const auto& [name, value] : caller.oauth)
    if (name == "oauth_verifier") verifier = value;
  if (verifier.empty() && is_form(req))
    for (const auto& [name, value] : oauth::parse_form(req.body))
      if (name == "oauth_verifier") verifier = value;
  if (verifier.empty()) verifier = req.get_param_value("oauth_verifier");
  if (verifier != options_.config.pin) {
    res.status = 401;
    res.set_content("Error processing your OAuth request: Invalid oauth_verifier parameter", "text/plain");
    return;
  }
  std::lock_guard lock(mutex_);
  request_tokens_.erase(caller.token);  // a request token is exchanged once
  const Account& a = *account_by_id(options_.config.authorize_as);
  res.status = 200;
  res.set_content(oauth::encode_form({{"oauth_token", a.access_token},
                                      {"oauth_token_secret", a.access_token_secret},
                                      {"user_id", a.user_id},
                                      {"screen_name", a.username}}),
                  "application/x-www-form-urlencoded");
}

// ---- helpers ------------------------------------------------------------------------------------

std::string XStandin::next_id() {
  // Snowflake-like: milliseconds since X's epoch in the high bits, so ids grow with time and
  // sort newest-first as X's do; bumped when two are made in the same millisecond.
  auto id = static_cast<unsigned long long>(now_ms() - twitter_epoch_ms) << 22;
  if (id <= last_id_) id = last_id_ + 1;
  last_id_ = id;
  return std::to_string(id);
}

XStandin::Post XStandin::new_post(const std::string& user_id, const std::string& text) {
  Post post{next_id(), user_id, nfc(text), {}, std::nullopt, {}, false, now_ms(), {}, std::nullopt, {}, "und"};
  for (std::size_t i = text::extract_urls(post.text).size(); i > 0; --i) post.links.push_back(tco_link(++links_made_));
  return post;
}

// X's rendering of a post: every URL twitter-text finds becomes its t.co link (entities.urls says
// which URL each stands for, a scheme-less one with "http://" put before it), and &, < and > are
// escaped. Entity offsets count code points of the text as returned.
json XStandin::api_view(const Post& post, bool entities) {
  std::string out;
  json urls = json::array();
  std::size_t at = 0;
  const auto spans = text::extract_urls(post.text);
  for (std::size_t i = 0; i < spans.size() && i < post.links.size(); ++i) {
    out += escape_html(std::string_view(post.text).substr(at, spans[i].begin - at));
    const std::string url = post.text.substr(spans[i].begin, spans[i].end - spans[i].begin);
    const std::size_t start = utf8_length(out);
    out += post.links[i];
    std::string display = url.substr(has_scheme(url) ? url.find("://") + 3 : 0);
    if (display.starts_with("www.")) display.erase(0, 4);
    urls.push_back(json{{"start", start},
                        {"end", start + utf8_length(post.links[i])},
                        {"url", post.links[i]},
                        {"expanded_url", has_scheme(url) ? url : "http://" + url},
                        {"display_url", display}});
    at = spans[i].end;
  }
  out += escape_html(std::string_view(post.text).substr(at));
  json view{{"edit_history_tweet_ids", {post.id}}, {"id", post.id}, {"text", out}};
  if (entities && !urls.empty()) view["entities"] = json{{"urls", urls}};
  return view;
}

const Account* XStandin::account_by_id(const std::string& user_id) const {
  for (const auto& a : options_.config.accounts)
    if (a.user_id == user_id) return &a;
  return nullptr;
}

XStandin::Post* XStandin::find_post(const std::string& id) {
  for (auto& p : posts_)
    if (p.id == id) return &p;
  return nullptr;
}

XStandin::Media* XStandin::own_media(const std::string& id, const Caller& caller) {
  const auto it = media_.find(id);
  if (it == media_.end() || it->second.user_id != caller.account->user_id) return nullptr;
  return &it->second;
}

json XStandin::media_data(const Media& m) const {
  return json{
      {"id", m.id}, {"media_key", m.media_key}, {"size", m.size}, {"expires_after_secs", media_expires_after_secs}};
}

json XStandin::to_json(const Post& p) {
  return json{{"id", p.id},
              {"user_id", p.user_id},
              {"text", p.text},
              {"links", p.links},
              {"reply_to", p.reply_to ? json(*p.reply_to) : json(nullptr)},
              {"media_ids", p.media_ids},
              {"deleted", p.deleted},
              {"created_at_ms", p.created_ms},
              {"created_at", x_time(p.created_ms)},
              {"conversation_id", p.conversation_id},
              {"in_reply_to_user_id", p.in_reply_to_user_id ? json(*p.in_reply_to_user_id) : json(nullptr)},
              {"mentions", p.mentions},
              {"lang", p.lang}};
}

json XStandin::to_json(const Media& m) {
  return json{{"id", m.id},
              {"media_key", m.media_key},
              {"user_id", m.user_id},
              {"media_type", m.media_type},
              {"media_category", m.media_category},
              {"chunked", m.chunked},
              {"total_bytes", m.total_bytes},
              {"size", m.size},
              {"segments", m.segments.size()},
              {"state", m.state},
              {"alt_text", m.alt_text ? json(*m.alt_text) : json(nullptr)},
              {"created_at_ms", m.created_ms}};
}

}  // namespace samvad::standin
