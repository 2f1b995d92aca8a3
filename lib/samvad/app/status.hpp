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

namespace samvad::app {

// The configuration's state: when it loads, else --state, $SAMVAD_STATE or the per-user
// default; with a warning when a configuration exists but could not be read, so its state: is
// not the one used.
struct ReadableStore {
  store::Location path;
  std::optional<Diagnostic> warning;
};
ReadableStore readable_store(const Paths& paths);

struct StatusResult {
  std::string announcement;  // the one asked for, else the latest
  delivery::RunReport report;
};

// The store at `store` (from readable_store). Throws 66 when there is no store, nothing posted
// yet, or no such announcement. Deliveries recorded before samvad kept the account are named
// from the configuration when it loads.
StatusResult status(const Paths& paths, const store::Location& store, const std::optional<std::string>& id);

}  // namespace samvad::app
