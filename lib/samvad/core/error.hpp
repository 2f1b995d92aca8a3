// Errors every layer of samvad reports: a sysexits exit code plus diagnostics that name
// the file, line and column of the problem and say what was expected.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace samvad {

// sysexits.h values, the contract with scripts and cron (documented in README.md).
enum class ExitCode : int {
  ok = 0,
  usage = 64,        // EX_USAGE: bad command line
  data = 65,         // EX_DATAERR: bad variables or rendered content
  no_input = 66,     // EX_NOINPUT: a named file does not exist
  unavailable = 69,  // EX_UNAVAILABLE: the remote service refused
  software = 70,     // EX_SOFTWARE: a bug in samvad
  cant_create = 73,  // EX_CANTCREAT: cannot create the state store
  temp_fail = 75,    // EX_TEMPFAIL: try again later
  permission = 77,   // EX_NOPERM: unsafe file permissions
  config = 78,       // EX_CONFIG: bad configuration
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

// A position in a source file; line and column are 1-based, 0 means "unknown".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:column", "file:line" or "file", as much as is known.
  std::string to_string() const;
};

struct Diagnostic {
  ExitCode code = ExitCode::data;
  std::string message;  // "what is wrong; what was expected"
  std::optional<SourceLocation> where;

  // "file:line:column: message" (or just the message when there is no location), with control
  // characters and bytes that are not UTF-8 escaped (escape_for_terminal, core/text.hpp).
  std::string to_string() const;
};

// A failure that stops the current command. Carries every problem found, not just the
// first, so a user can fix them all in one go; the exit code is the first diagnostic's.
class Error : public std::runtime_error {
 public:
  explicit Error(Diagnostic diagnostic);
  explicit Error(std::vector<Diagnostic> diagnostics);
  Error(ExitCode code, std::string message, std::optional<SourceLocation> where = std::nullopt);

  ExitCode code() const { return diagnostics_.front().code; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Collects problems while loading so one run reports all of them.
class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void add(ExitCode code, std::string message, std::optional<SourceLocation> where = std::nullopt) {
    items_.push_back(Diagnostic{code, std::move(message), std::move(where)});
  }
  void merge(const std::vector<Diagnostic>& more) { items_.insert(items_.end(), more.begin(), more.end()); }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Throws Error with everything collected, if anything was.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace samvad
