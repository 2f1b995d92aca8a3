#include "support/process.hpp"

#include <array>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <pty.h>
#include <regex>
#include <sys/ioctl.h>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace samvad::test {

namespace {
void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the child closed its stdin early; what it read is what counts
    }
    done += static_cast<std::size_t>(n);
  }
}
}  // namespace

namespace {
std::vector<std::string> child_environment(const ProcessOptions& options) {
  // A clean environment so the developer's own SAMVAD_* variables never leak into a test.
  std::vector<std::string> env_strings{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"};
  for (const char* keep : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "HOME", "TMPDIR"})
    if (const char* v = std::getenv(keep)) env_strings.push_back(std::string(keep) + "=" + v);
  for (const auto& [k, v] : options.env) env_strings.push_back(k + "=" + v);
  return env_strings;
}

[[noreturn]] void exec_child(const std::vector<std::string>& argv, const std::vector<std::string>& env_strings) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(args[0], args.data(), envp.data());
  ::_exit(127);
}

int decode_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }
}  // namespace

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  std::string pattern = (std::filesystem::temp_directory_path() / "samvad-bg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  out_ = std::filesystem::path(pattern) / "out";
  err_ = std::filesystem::path(pattern) / "err";
  auto env_strings = child_environment(options);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    if (options.cwd && ::chdir(options.cwd->c_str()) != 0) ::_exit(127);
    exec_child(argv, env_strings);
  }
}

BackgroundProcess::~BackgroundProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(out_.parent_path(), ec);
}

void BackgroundProcess::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

ProcessResult BackgroundProcess::wait() {
  ProcessResult r;
  if (!reaped_) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    r.exit_code = decode_status(status);
  }
  r.out = read_file(out_);
  r.err = read_file(err_);
  return r;
}

std::unique_ptr<BackgroundProcess> start_samvad(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{SAMVAD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<BackgroundProcess>(argv, options);
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0 || ::pipe(in_pipe) != 0) throw std::runtime_error("pipe failed");

  auto env_strings = child_environment(options);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    if (options.cwd && ::chdir(options.cwd->c_str()) != 0) ::_exit(127);
    exec_child(argv, env_strings);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (options.stdin_text) write_all(in_pipe[1], *options.stdin_text);
  ::close(in_pipe[1]);

  ProcessResult result;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[8192];
  while (open_fds > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_status(status);
  return result;
}

ProcessResult run_samvad(const std::vector<std::string>& args, const ProcessOptions& options) {
  std::vector<std::string> argv{SAMVAD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

ProcessResult run_in_terminal(const std::vector<std::string>& argv, const std::string& input, const ProcessOptions& options,
                              int timeout_ms) {
  auto env_strings = child_environment(options);
  int terminal = -1;
  pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    if (options.cwd && ::chdir(options.cwd->c_str()) != 0) ::_exit(127);
    exec_child(argv, env_strings);
  }
  // The terminal's line discipline keeps what is typed until the program reads it.
  write_all(terminal, input);
  ProcessResult result;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool killed = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd fd{terminal, POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO: the program and everything it started closed the terminal
    result.out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(terminal);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = killed ? 128 + SIGKILL : decode_status(status);
  return result;
}

namespace {
// The rows a terminal of rows x columns shows after `text`: colours removed, CR LF as one line
// end, long lines wrapped (a character is a column: Devanagari marks make this an upper bound).
std::vector<std::string> last_rows(const std::string& text, int rows, int columns) {
  static const std::regex ansi("\x1b\\[[0-9;]*[A-Za-z]");
  std::string plain = std::regex_replace(text, ansi, "");
  std::vector<std::string> lines{""};
  int column = 0;
  for (char c : plain) {
    if (c == '\r') continue;
    if (c == '\n') {
      lines.emplace_back();
      column = 0;
      continue;
    }
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++column > columns) {
      lines.emplace_back();
      column = 1;
    }
    lines.back() += c;
  }
  if (lines.size() > static_cast<std::size_t>(rows)) lines.erase(lines.begin(), lines.end() - rows);
  return lines;
}
}  // namespace

TerminalRun run_in_terminal(const std::vector<std::string>& argv, const ProcessOptions& options, int rows, int columns,
                            const std::vector<std::pair<std::string, std::string>>& answers) {
  const auto env_strings = child_environment(options);
  winsize size{};
  size.ws_row = static_cast<unsigned short>(rows);
  size.ws_col = static_cast<unsigned short>(columns);
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) throw std::runtime_error(std::string("forkpty: ") + std::strerror(errno));
  if (pid == 0) {
    if (options.cwd && ::chdir(options.cwd->c_str()) != 0) ::_exit(127);
    exec_child(argv, env_strings);
  }
  TerminalRun run;
  std::size_t next_answer = 0;
  std::size_t searched_from = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    pollfd p{master, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    if (ready > 0) {
      char buf[4096];
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;  // EIO: the child closed the terminal
      run.transcript.append(buf, static_cast<std::size_t>(n));
    }
    if (next_answer < answers.size()) {
      auto at = run.transcript.find(answers[next_answer].first, searched_from);
      if (at != std::string::npos) {
        if (next_answer == 0) run.screen = last_rows(run.transcript, rows, columns);
        searched_from = at + answers[next_answer].first.size();
        write_all(master, answers[next_answer].second);
        ++next_answer;
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      break;
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit_code = decode_status(status);
  if (answers.empty()) run.screen = last_rows(run.transcript, rows, columns);
  return run;
}

TerminalRun run_samvad_in_terminal(const std::vector<std::string>& args, const ProcessOptions& options, int rows, int columns,
                                   const std::vector<std::pair<std::string, std::string>>& answers) {
  std::vector<std::string> argv{SAMVAD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_in_terminal(argv, options, rows, columns, answers);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "samvad-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& relative, const std::string& content, unsigned mode) const {
  std::filesystem::path p = path_ / relative;
  std::filesystem::create_directories(p.parent_path());
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(p.c_str(), mode);
  return p;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path source_dir() { return SAMVAD_SOURCE_DIR; }

}  // namespace samvad::test
