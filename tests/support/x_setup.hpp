// The sample configuration pointed at a running X API stand-in: one stand-in account per
// department with an X handle, a credentials.yaml holding their tokens, and a private state
// store, so tests drive `samvad post` end to end over real HTTP on loopback.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/smtp_standin_process.hpp"
#include "standin/standin_process.hpp"
#include "support/sample_setup.hpp"

namespace samvad::test {

struct XAccount {
  std::string department;
  std::string user_id;
  std::string handle;
};

class XSetup {
 public:
  // https: the stand-in serves TLS with a throwaway CA's certificate (standin.ca_file()), which
  // the configuration does not trust until a test adds it as twitter.ca_file.
  enum class Transport { http, https };

  // `extra_args` for the stand-in, e.g. {"--latency-ms", "200"}.
  explicit XSetup(const std::vector<std::string>& extra_args = {}, Transport transport = Transport::http);

  SampleSetup sample;
  StandinProcess standin;
  SmtpStandinProcess smtp;
  std::vector<XAccount> accounts;

  static constexpr const char* kSmtpUser = "samvad-e2e-mailer";
  static constexpr const char* kSmtpPassword = "smtp-pw-Kd9-secret";

  // Starts the SMTP stand-in (STARTTLS, AUTH with kSmtpUser/kSmtpPassword unless `options` say
  // otherwise) and points every department's email at it: smtp_url, its throwaway CA as
  // email.ca_file, the login in credentials.yaml. Without this, email goes nowhere reachable.
  void with_email(SmtpStandinProcess::Options options = default_smtp_options());
  static SmtpStandinProcess::Options default_smtp_options();

  // Every address in the stand-in's recorded envelopes, one entry per copy received.
  std::vector<std::string> received_by() const;

  std::filesystem::path state() const { return sample.dir() / "state" / "state.db"; }
  // From now on the store is the PostgreSQL database at `url` (--state URL), its password in
  // credentials.yaml (state: {password: ...}).
  void with_postgres_state(const std::string& url, const std::string& password);
  // What --state names: state(), or the URL given to with_postgres_state.
  std::string state_location() const { return state_url_.empty() ? state().string() : state_url_; }
  const XAccount& account(const std::string& department) const;

  // samvad -c ... --state ... ARGS, with short retry backoff.
  ProcessResult run(std::vector<std::string> args, ProcessOptions options = {}) const;
  std::unique_ptr<BackgroundProcess> start(std::vector<std::string> args, ProcessOptions options = {}) const;
  // The same on a terminal of rows x columns, typing `answers` at their prompts.
  TerminalRun run_in_terminal(std::vector<std::string> args, int rows, int columns,
                              const std::vector<std::pair<std::string, std::string>>& answers) const;

  // The stand-in's posts that are not deleted, for one department's account (all when empty).
  std::vector<nlohmann::json> live_posts(const std::string& department = {}) const;
  // Secrets written to credentials.yaml, for leak checks.
  std::vector<std::string> secrets() const;

 private:
  std::string credentials_;
  std::string state_url_;
  std::string state_password_;
  std::vector<std::string> with_globals(std::vector<std::string> args) const;
  ProcessOptions with_env(ProcessOptions options) const;
};

}  // namespace samvad::test
