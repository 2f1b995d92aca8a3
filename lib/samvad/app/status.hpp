// `samvad status` as a library call: the deliveries of one announcement as the store recorded
// them, each named with its account and languages. Also where the commands that read the store
// without needing a valid configuration (status, history) find it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <samvad/app/workspace.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/report.hpp>
#include <samvad/store/store.hpp>

#include <nlohmann/json.hpp>

namespace samvad::app {

// The configuration's state: when it loads, else --state, $SAMVAD_STATE or the per-user
// default; with a warning when a configuration exists but could not be read, so its state: is
// not the one used.
struct ReadableStore {
  store::Location path;
  std::optional<Diagnostic> warning;
};
ReadableStore readable_store(const Paths& paths);
// `location` when there is a store to read there; throws 66 naming it otherwise.
const store::Location& existing_store(const store::Location& location);

struct StatusResult {
  std::string announcement;  // the one asked for, else the latest
  delivery::RunReport report;
  store::Announcement record;                    // who recorded it and when
  std::optional<store::Approval> approval;       // when it needed one
  std::vector<store::AnnouncementEvent> events;  // approved, rejected, retracted: by whom, when
  std::string time_zone = "Asia/Kolkata";        // the organization's, when the configuration loads
};

// The store at `store` (from readable_store). Throws 66 when there is no store, nothing posted
// yet, or no such announcement. Deliveries recorded before samvad kept the account are named
// from the configuration when it loads.
StatusResult status(const Paths& paths, const store::Location& store, const std::optional<std::string>& id);

// `status --json`: the report in the shape of post's, with "operator" (who recorded it),
// "approval" (null, or its state, kind and who submitted and decided it) and "events".
nlohmann::json to_json(const StatusResult& status);
// "approved by asha at 2026-12-05 10:02": one line per event, for people.
std::string describe(const store::AnnouncementEvent& event, const std::string& time_zone);

}  // namespace samvad::app
