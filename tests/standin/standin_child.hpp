// What the stand-in fixtures (StandinProcess for X, SmtpStandinProcess for SMTP) share: a stand-in
// run as a child process with its own temporary folder, and the libcurl requests to its JSON
// control API. Internal to tests/standin.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace samvad::test::standin_detail {

class Child {
 public:
  Child() = default;
  ~Child();  // stop()
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // A fresh temporary folder for the next run (the previous one is removed): for the stand-in's
  // input files, what it writes, and its stderr (stderr.txt).
  const TempDir& make_dir();

  // Starts argv (argv[0] an absolute path) with stdout on a pipe and stderr in dir/stderr.txt; the
  // child gets SIGTERM when the test process dies. Returns its stdout up to and with the first
  // '\n', read for at most `timeout` (less when it exited or timed out). Needs make_dir() first.
  std::string start(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Stops it (see stop()) and throws std::runtime_error "<what> did not start (exit status N,
  // stdout "...")": <its stderr>", for a first line that does not say it is listening.
  [[noreturn]] void fail(const std::string& what, const std::string& first_line);

  // SIGTERM, then waits (SIGKILL after 5 s). Returns the exit status: 0 for a clean stop,
  // 128+signal when it had to be killed, -1 when it was not running.
  int stop();
  bool running() const { return pid_ > 0; }

  const std::filesystem::path& dir() const;  // make_dir()'s folder
  std::string stderr_text() const;           // what it wrote to stderr so far ("" before a start)

 private:
  std::unique_ptr<TempDir> dir_;
  pid_t pid_ = -1;
};

// Unsigned requests to a control API (`body` sent as application/json); they throw
// std::runtime_error unless the answer is 2xx JSON. `ca_file` (PEM): whom to trust for https.
nlohmann::json control_get(const std::string& url, const std::filesystem::path& ca_file = {});
nlohmann::json control_post(const std::string& url, const nlohmann::json& body, const std::filesystem::path& ca_file = {});

}  // namespace samvad::test::standin_detail
