// Runs the real samvad binary (or any program) the way a user or cron would: arguments, an
// environment, optional standard input, a working directory; captures stdout, stderr, exit code.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace samvad::test {

struct ProcessResult {
  int exit_code = -1;  // the exit status, or 128+signal when killed by a signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::map<std::string, std::string> env;  // added to a minimal clean environment
  std::optional<std::string> stdin_text;   // closed (/dev/null) when absent
  std::optional<std::filesystem::path> cwd;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Runs the samvad binary built with the tests.
ProcessResult run_samvad(const std::vector<std::string>& args, const ProcessOptions& options = {});

// Runs `argv` on a pseudo-terminal, as a person at a terminal would: its standard input, output
// and error are the terminal, `input` is typed into it (options.stdin_text is not used), and
// `out` gets everything the terminal showed (echo included; `err` stays empty). Killed after
// `timeout_ms` (exit 128+9), so a program still waiting for input never hangs a test.
ProcessResult run_in_terminal(const std::vector<std::string>& argv, const std::string& input,
                              const ProcessOptions& options = {}, int timeout_ms = 10000);

// A process left running in the background (to be killed mid-run, or raced with another),
// its output collected in files until wait().
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~BackgroundProcess();  // kills and reaps the process if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  int pid() const { return pid_; }
  void kill(int signal);
  ProcessResult wait();

 private:
  int pid_ = -1;
  bool reaped_ = false;
  std::filesystem::path out_, err_;
};

// A program run on a pseudo-terminal of a given size, as a clerk at a terminal runs it: stdin,
// stdout and stderr are the terminal. `answers` are typed in order, each once its prompt text
// has appeared in the output. `screen` is what the terminal would show (the last `rows` lines,
// colours stripped) when the first answer was typed, or at the end when there was none.
struct TerminalRun {
  int exit_code = -1;
  std::string transcript;  // everything written to the terminal
  std::vector<std::string> screen;
};
TerminalRun run_in_terminal(const std::vector<std::string>& argv, const ProcessOptions& options, int rows, int columns,
                            const std::vector<std::pair<std::string, std::string>>& answers);
TerminalRun run_samvad_in_terminal(const std::vector<std::string>& args, const ProcessOptions& options, int rows, int columns,
                                   const std::vector<std::pair<std::string, std::string>>& answers);

// Runs samvad in the background.
std::unique_ptr<BackgroundProcess> start_samvad(const std::vector<std::string>& args, const ProcessOptions& options = {});

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative (creating folders) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content, unsigned mode = 0600) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// The repository root, as compiled in by tests/CMakeLists.txt.
std::filesystem::path source_dir();

}  // namespace samvad::test
