// Faults a test queues on the X stand-in (POST /_standin/faults) so the next matching API
// requests fail the ways the real X API fails: an error status, a rate limit, latency, or a
// connection that closes without an answer (before or after the request took effect).
#pragma once

#include <deque>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace samvad::standin {

struct Fault {
  // Which requests it hits. `path` matches the request path exactly; a trailing "*" makes it a
  // prefix ("/2/media/upload*"). When `method` is given, `path` also matches its sub-paths, so
  // {"method":"DELETE","path":"/2/tweets"} hits DELETE /2/tweets/123 while {"path":"/2/tweets"}
  // hits only requests to /2/tweets itself (creating posts), never a delete.
  std::optional<std::string> method;
  std::string path;
  // When given, the request's query string as sent (after "?", not decoded) must contain it:
  // {"path":"/2/users/1001/mentions","query_contains":"pagination_token"} hits only later pages.
  std::optional<std::string> query_contains;

  // What happens: `status` or `action` (not both), either of them after `latency_ms` if given.
  std::optional<int> latency_ms;      // wait before answering
  std::optional<int> status;          // answer this status with an X-shaped body, without acting
  std::optional<std::string> detail;  // the body's "detail" (default: the status's title)
  std::optional<long long> reset_in;  // with 429: x-rate-limit-reset = now + reset_in seconds (default 900)
  // With 429: the account's (user) or the app's 24-hour cap is used up and resets this many
  // seconds from now (x-*-limit-24hour-remaining: 0, x-*-limit-24hour-reset), as X says when a
  // daily cap, not the 15-minute window, refuses the request.
  std::optional<long long> user_24h_reset_in;
  std::optional<long long> app_24h_reset_in;
  // "drop_after_create": act on the request (e.g. create the post), then close the connection
  // without a byte of answer; "drop": close it without acting.
  std::optional<std::string> action;

  int times = 1;  // how many matching requests it hits

  // Throws std::invalid_argument saying what is wrong.
  static Fault from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;
  bool matches(const std::string& request_method, const std::string& request_path,
               const std::string& request_query = {}) const;
};

// The queue: the first matching fault hits a request and uses up one of its `times`.
class FaultQueue {
 public:
  void add(Fault fault) { faults_.push_back(std::move(fault)); }
  std::optional<Fault> take(const std::string& method, const std::string& path, const std::string& query = {});
  void clear() { faults_.clear(); }
  nlohmann::json to_json() const;

 private:
  std::deque<Fault> faults_;
};

}  // namespace samvad::standin
