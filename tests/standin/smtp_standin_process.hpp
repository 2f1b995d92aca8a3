// Runs samvad-smtp-standin (the SMTP stand-in, tests/standin/smtp: a real SMTP server on loopback
// built on Debian's aiosmtpd) as a child process for one test and talks to its /_standin control
// API. RAII: the destructor stops the process. Arguments, the control API, the message analysis
// and the fault rules are described in tests/standin/README.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/standin_child.hpp"

namespace samvad::test {

struct SmtpStandinOptions {
  std::string tls = "starttls";               // --tls: "starttls" (required before MAIL/AUTH), "implicit", "none"
  std::optional<std::string> user, password;  // --auth USER:PASSWORD when `user` is set (password "" if unset)
  int max_recipients = 0;                     // --max-recipients: 452 beyond N accepted RCPTs (0: no limit)
  int latency_ms = 0;                         // --latency-ms: wait before answering DATA
  std::vector<std::string> extra_args;        // more arguments, e.g. {"--verbose"}
};

class SmtpStandinProcess {
 public:
  using Options = SmtpStandinOptions;

  SmtpStandinProcess();
  ~SmtpStandinProcess();  // stop()
  SmtpStandinProcess(const SmtpStandinProcess&) = delete;
  SmtpStandinProcess& operator=(const SmtpStandinProcess&) = delete;

  // Starts `/usr/bin/python3 samvad-smtp-standin` on free loopback ports, its certificates in a
  // temporary folder owned by this object, and waits up to 10 s for its "listening on" line.
  // Throws std::runtime_error, quoting the stand-in's stderr, when it does not come up.
  void start(const Options& options = {});

  // SIGTERM, then waits (SIGKILL after 5 s). Returns the exit status: 0 for a clean stop,
  // 128+signal when it had to be killed, -1 when it was not running.
  int stop();
  bool running() const { return child_.running(); }

  int port() const { return port_; }                  // the SMTP port
  int control_port() const { return control_port_; }  // the HTTP control API's port
  std::string smtp_url() const;                       // "smtp://127.0.0.1:PORT"; "smtps://..." for implicit TLS
  std::string control_url() const;                    // "http://127.0.0.1:CONTROL_PORT"
  // The throwaway CA that signed the server certificate (for 127.0.0.1 and localhost): what a
  // client must trust. Throws std::logic_error when not started or started with tls "none".
  std::filesystem::path ca_file() const;
  std::string stderr_text() const;  // what the stand-in wrote to stderr so far

  // Requests to control_url() + path; throw std::runtime_error unless the answer is 2xx JSON.
  nlohmann::json get(const std::string& path) const;  // get("/_standin/faults")
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body) const;

  // Shorthands for the control API.
  nlohmann::json messages() const { return get("/_standin/messages"); }  // every message, oldest first
  nlohmann::json rcpts() const { return get("/_standin/rcpts"); }        // every RCPT TO with its reply
  nlohmann::json connections() const { return get("/_standin/connections"); }
  void add_faults(const nlohmann::json& faults) const { post_json("/_standin/faults", faults); }  // one or an array
  void reset() const { post_json("/_standin/reset", nlohmann::json::object()); }

  // The exact bytes of a recorded message (its "raw_b64", decoded).
  static std::string raw_message(const nlohmann::json& message);

 private:
  standin_detail::Child child_;
  std::string tls_;
  int port_ = 0;
  int control_port_ = 0;
};

}  // namespace samvad::test
