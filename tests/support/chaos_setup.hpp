// A generated corporation for chaos runs: N departments, each with an X account on the X API
// stand-in and an email list (a list address plus a subscriber file) on the SMTP stand-in
// (STARTTLS with its throwaway CA, AUTH), small email batches, the sample templates, and a
// state store: a private SQLite file, or a database on a PostgreSQL server (its password in
// credentials.yaml, as a corporation's machines would have it); samvad is run against it with a
// short retry backoff.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/store/location.hpp>

#include "standin/smtp_standin_process.hpp"
#include "standin/standin_process.hpp"
#include "support/process.hpp"

namespace samvad::test {

struct ChaosDepartment {
  std::string id;       // "ward-01"
  std::string user_id;  // its account on the X stand-in
  std::string handle;   // "PCMCWard01"
  std::string list;     // the list address: To: and a recipient
  std::vector<std::string> subscribers;
  std::vector<std::string> recipients() const;  // the list address, then the subscribers
};

struct ChaosOptions {
  int departments = 20;
  int subscribers = 15;     // per department, besides the list address
  int batch_size = 4;       // email.batch_size
  int x_latency_ms = 0;     // the X stand-in's --latency-ms (every API answer)
  int smtp_latency_ms = 0;  // the SMTP stand-in's --latency-ms (before answering DATA)
  // A postgresql:// URL for the store and its password; empty: an SQLite file in dir().
  std::string state_url;
  std::string state_password;
};

class ChaosSetup {
 public:
  explicit ChaosSetup(const ChaosOptions& options = {});

  const ChaosOptions& options() const { return options_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path config() const { return dir() / "departments.yaml"; }
  // Where samvad keeps its deliveries, with the password when it is a server.
  store::Location state() const;

  StandinProcess x;
  SmtpStandinProcess smtp;
  std::vector<ChaosDepartment> departments;

  static constexpr const char* kSmtpUser = "samvad-chaos-mailer";
  static constexpr const char* kSmtpPassword = "smtp-pw-chaos-Vb3";

  // samvad -c ... --state ... ARGS, with SAMVAD_BACKOFF_MS=20.
  ProcessResult run(std::vector<std::string> args) const;
  std::unique_ptr<BackgroundProcess> start(std::vector<std::string> args) const;

  // The X stand-in's posts that are not deleted, of one department's account.
  std::vector<nlohmann::json> live_posts(const ChaosDepartment& department) const;

  // Every message the SMTP stand-in recorded since the start, across clear_smtp_faults(),
  // oldest first (refused ones too: see "reply").
  nlohmann::json messages() const;

  // Waits (up to `timeout`) until the SMTP stand-in has seen every connection close, a killed
  // samvad's included: after that nothing more can be recorded until samvad runs again.
  bool smtp_quiet(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // Empties the SMTP stand-in's fault queue. Its only way is a reset, which also forgets the
  // messages, so they are kept here first; call it only while no samvad runs.
  void clear_smtp_faults();

  // Every secret written to credentials.yaml (the store's password too).
  std::vector<std::string> secrets() const;

 private:
  ChaosOptions options_;
  TempDir dir_;
  nlohmann::json kept_messages_ = nlohmann::json::array();
};

}  // namespace samvad::test
