// `samvad inbox sync` as a library call: for each department with an account that listens,
// what was said to it since the last sync, recorded once (routed from a catch-all account by
// keywords), and the account's own replies made from the service's app, counted as answers.
// A failure part-way keeps everything read before it and leaves the cursor where it was, so the
// next sync resumes; departments are read concurrently.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/core/error.hpp>

namespace samvad::app {

struct InboxSyncRequest {
  std::vector<std::string> departments;                  // -d; empty: every department with an account that listens
  bool all = false;                                      // --all (the default): 64 together with -d
  int jobs = 4;                                          // departments read at once, 1-64
  int max_wait_seconds = 60;                             // the longest wait for a rate limit before deferring
  std::function<bool(std::chrono::milliseconds)> sleep;  // default: real sleep
};

// One department's account on one channel after the sync.
struct SyncedAccount {
  std::string department;
  std::string channel;
  std::size_t heard = 0;     // new items recorded
  std::size_t routed = 0;    // of those, given to another department by keywords
  std::size_t answered = 0;  // items newly answered from the service's own app
  std::size_t reads = 0;     // items the service returned
  ExitCode code = ExitCode::ok;
  std::string error;  // why it stopped: deferred (75) until the next sync, or refused
};

struct InboxSyncReport {
  std::vector<SyncedAccount> accounts;  // in departments.yaml order
  ExitCode exit_code() const;           // the worst of the accounts' (a refusal before a deferral)
};

// Throws 64 for an unknown department or one with no account that listens, and --jobs out of
// range; 78 for a broken configuration. A department's missing credentials are its own 78.
InboxSyncReport sync_inbox(const Workspace& workspace, const InboxSyncRequest& request,
                           const channel::Services& services);

nlohmann::json to_json(const InboxSyncReport& report);

}  // namespace samvad::app
