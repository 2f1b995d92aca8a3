// `samvad history` as a library call: what was announced, when, to whom and how it went, from
// the store; readable without a valid configuration (times then in the default zone).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

struct HistoryRequest {
  std::optional<std::string> department;  // -d: only announcements to it
  std::optional<std::string> since;       // --since YYYY-MM-DD, in the organization's zone
  int limit = 20;                         // --limit, 1 or more
};

struct History {
  std::string timezone = "Asia/Kolkata";  // the organization's, when the configuration loads
  std::optional<config::Config> config;   // absent when it does not
  bool store_exists = false;              // false: nothing has been posted yet
  std::vector<store::HistoryEntry> entries;
};

// --since YYYY-MM-DD: the first instant of that day in `timezone`; nullopt without one. Throws
// 64 for a text that is no date or a year samvad does not take on the command line.
std::optional<store::Clock::time_point> since_time(const std::optional<std::string>& since,
                                                   const std::string& timezone);

// Throws 64 for a --limit below 1, a --since that is no date (or out of range) and a department
// that is neither configured nor in the store (with a suggestion). `warn` hears where the store
// is read from when the configuration cannot say (as readable_store), before anything throws.
History history(const Paths& paths, const HistoryRequest& request, const std::function<void(const Diagnostic&)>& warn);

// `history --json`: one object per announcement with its deliveries.
nlohmann::json to_json(const History& history);

}  // namespace samvad::app
