// `samvad check`: loads and validates everything a post would use — configuration, credentials
// (present, expandable, private; values never shown), subscriber files, every template rendered
// for every department with its example values — and lists every problem, not just the first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/core/error.hpp>

namespace samvad::app {

struct CheckSummary {
  std::size_t departments = 0;
  std::size_t templates = 0;
  std::size_t renders = 0;       // template × department combinations rendered
  std::size_t threads = 0;       // rendered tweets that became threads
  std::size_t subscribers = 0;   // valid, distinct addresses over all subscriber files
  std::size_t schedule_entries = 0;  // entries of schedule.yaml checked (0 without one)
  bool credentials_checked = false;
  std::size_t accounts_checked = 0;  // --online: tokens confirmed with X
};

struct CheckReport {
  std::vector<std::string> checked;    // "departments.yaml: 9 departments" lines, in order
  std::vector<Diagnostic> problems;    // in the order found: config, credentials, subscribers, templates
  std::vector<Diagnostic> warnings;    // invalid subscriber lines and other skipped input, values that look wrong
  std::vector<Diagnostic> notes;       // worth knowing, never a failure (a post with a URL costs more on X)
  CheckSummary summary;

  // 0 when there are no problems (and, with `strict`, no warnings); else the first problem's code.
  ExitCode exit_code(bool strict) const;
};

// `now`: the moment schedule times are compared with (default: the current time).
// `online` (check --online): asks X, with GET /2/users/me, whose account each department's
// token belongs to, and reports a token of another account (78), one X refuses (69) and a
// department X could not be asked about (75).
CheckReport check(const Paths& paths, const std::optional<std::string>& now = std::nullopt,
                  const channel::Services* online = nullptr);

nlohmann::json to_json(const CheckReport& report, bool strict);
nlohmann::json to_json(const Diagnostic& diagnostic);

}  // namespace samvad::app
