// Shared by the store tests: announcements to record, a raw SQLite connection for looking at
// (or tampering with) a file behind the store's back, and child processes that play another
// samvad (a claim holder, a racer, a user without write permission).
#pragma once

#include <cerrno>
#include <chrono>
#include <csignal>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <grp.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <samvad/store/store.hpp>

namespace samvad::test {

inline store::Clock::time_point at_minute(int minute) {
  // A fixed day (2024-05-01T00:00Z), whole milliseconds as the store keeps them.
  return store::Clock::time_point(std::chrono::milliseconds(1714521600000LL) + std::chrono::minutes(minute));
}

inline store::Announcement announcement(const std::string& id, int minute = 0) {
  return store::Announcement{id, "water-cut", R"({"departments":["water-supply"]})", at_minute(minute),
                             "clerk@water-desk"};
}

inline store::PlannedDelivery planned(const std::string& department, const std::string& channel,
                                      const std::string& language, std::vector<std::string> parts) {
  return store::PlannedDelivery{department, channel, language, std::move(parts), {}, {}};
}

// A connection of our own, for what the store does not expose (pragmas, tampering).
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(sql + ": " + msg);
    }
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sql);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }
  long long integer(const std::string& sql) { return std::stoll(text(sql)); }

 private:
  sqlite3* db_ = nullptr;
};

// Sets (or unsets) an environment variable for one test and restores it afterwards.
class EnvVar {
 public:
  EnvVar(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  ~EnvVar() { set(old_); }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  void set(const std::optional<std::string>& v) {
    if (v) {
      ::setenv(name_, v->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

// Exit codes of run_in_child beyond what `body` returns.
inline constexpr int kChildThrew = 120;
inline constexpr int kChildCannotDropRoot = 121;

struct ChildResult {
  int exit_code = -1;
  std::string message;  // what the child reported (an exception's text)
};

// Runs `body` in a forked child and returns its exit code; an Error it throws becomes its
// exit code (73, 78, ...) with the message passed back. With as_nobody, a child running as
// root first becomes uid/gid 65534, because root ignores file permissions and only an
// ordinary user can show what samvad does with a file it may not write. The parent must not
// have a store open: an SQLite connection must not be used across fork().
inline ChildResult run_in_child(const std::function<int()>& body, bool as_nobody = false) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(pipe_fds[0]);
    auto report = [&](const std::string& s) { [[maybe_unused]] auto n = ::write(pipe_fds[1], s.data(), s.size()); };
    if (as_nobody && ::geteuid() == 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(kChildCannotDropRoot);
    }
    int code = kChildThrew;
    try {
      code = body();
    } catch (const Error& e) {
      report(e.what());
      code = to_int(e.code());
    } catch (const std::exception& e) {
      report(e.what());
    }
    ::_exit(code);
  }
  ::close(pipe_fds[1]);
  ChildResult r;
  char buf[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    r.message.append(buf, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// Another process that stays alive until told to exit: a live claim holder.
class SleepingChild {
 public:
  SleepingChild() {
    if (::pipe(pipe_) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(pipe_[1]);
      char c;
      while (::read(pipe_[0], &c, 1) < 0 && errno == EINTR) {
      }
      ::_exit(0);
    }
    ::close(pipe_[0]);
  }
  ~SleepingChild() {
    if (pipe_[1] >= 0) ::close(pipe_[1]);
    reap();
  }
  SleepingChild(const SleepingChild&) = delete;
  SleepingChild& operator=(const SleepingChild&) = delete;

  pid_t pid() const { return pid_; }
  // Lets it exit; it stays a zombie until reap().
  void let_exit() {
    ::close(pipe_[1]);
    pipe_[1] = -1;
  }
  void reap() {
    if (pid_ <= 0) return;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  int pipe_[2] = {-1, -1};
  pid_t pid_ = -1;
};

}  // namespace samvad::test
