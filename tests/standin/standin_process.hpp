// Runs samvad-x-standin (the X API stand-in, tests/standin/x) as a child process for one test and
// talks to its /_standin control API. RAII: the destructor stops the process. The stand-in's
// endpoints, control API and fault rules are described in tests/standin/README.md.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "standin/standin_child.hpp"

namespace samvad::test {

class StandinProcess {
 public:
  StandinProcess();
  ~StandinProcess();  // stop()
  StandinProcess(const StandinProcess&) = delete;
  StandinProcess& operator=(const StandinProcess&) = delete;

  // An accounts file for most tests: consumer key "standin-ck" / secret "standin-cs"; accounts
  // 1001 PCMCWaterSupply (token "1001-token" / "1001-secret") and 1002 PCMCElectricity
  // ("1002-token" / "1002-secret"); PIN "1234567"; the PIN flow grants 1001.
  static nlohmann::json default_accounts();

  // Writes `accounts` to a temporary file, starts the stand-in on a free loopback port and waits
  // up to 10 s for its "listening on" line. `extra_args`, e.g. {"--latency-ms", "200"}.
  // Throws std::runtime_error, quoting the stand-in's stderr, when it does not come up.
  void start(const nlohmann::json& accounts = default_accounts(), const std::vector<std::string>& extra_args = {});
  // The same over https, with a certificate from a throwaway CA the stand-in makes at start:
  // base_url() is "https://127.0.0.1:PORT" and ca_file() the CA's certificate (PEM), which no
  // system trusts, so a client verifies the stand-in only when told to trust ca_file().
  void start_tls(const nlohmann::json& accounts = default_accounts(), const std::vector<std::string>& extra_args = {});
  const std::filesystem::path& ca_file() const { return ca_file_; }  // empty without TLS

  // SIGTERM, then waits (SIGKILL after 5 s). Returns the exit status: 0 for a clean stop,
  // 128+signal when it had to be killed, -1 when it was not running.
  int stop();
  bool running() const { return child_.running(); }

  int port() const { return port_; }
  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT", no trailing slash
  std::string stderr_text() const;                           // what the stand-in wrote to stderr so far

  // Unsigned requests to base_url() + path; throw std::runtime_error unless the answer is 2xx JSON.
  nlohmann::json get(const std::string& path) const;  // get("/_standin/posts")
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body) const;

  // Shorthands for the control API.
  nlohmann::json requests() const { return get("/_standin/requests"); }  // every API request, oldest first
  nlohmann::json posts() const { return get("/_standin/posts"); }        // every post, deleted ones too
  nlohmann::json media() const { return get("/_standin/media"); }
  void add_faults(const nlohmann::json& faults) const { post_json("/_standin/faults", faults); }  // one or an array
  void reset() const { post_json("/_standin/reset", nlohmann::json::object()); }

  // POST /_standin/mentions: a post by a citizen ({"author": {"username", "name"}, "text", ...})
  // or by a configured account ("author_account"), as if written on X; returns its id.
  std::string add_mention(const nlohmann::json& mention) const;
  // GET /_standin/mentions?user_id=ID: every post that mentions the account, newest first.
  nlohmann::json mentions(const std::string& user_id) const { return get("/_standin/mentions?user_id=" + user_id); }

 private:
  void launch(const nlohmann::json& accounts, const std::vector<std::string>& extra_args, bool tls);

  standin_detail::Child child_;
  int port_ = 0;
  std::string base_url_;
  std::filesystem::path ca_file_;
};

}  // namespace samvad::test
