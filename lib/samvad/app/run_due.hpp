// `samvad run-due` as library calls: one run per store at a time (a lock), what is due made
// ready (rendered and planned) before anything is asked or sent, and each occurrence recorded and
// posted. The CLI asks, prints, and stops on a signal.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <samvad/app/due.hpp>
#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/schedule/cron.hpp>

namespace samvad::app {

// One run-due at a time per store: an exclusive lock on a file beside it, released by the kernel
// when the process ends however it ends (no stale lock after a crash or SIGKILL). Throws 75 when
// another run holds it (naming its pid), 73 when the lock file cannot be made.
class RunDueLock {
 public:
  explicit RunDueLock(const std::filesystem::path& state);
  ~RunDueLock();
  RunDueLock(const RunDueLock&) = delete;
  RunDueLock& operator=(const RunDueLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The moment a command acts for: --now (a wall-clock time in `zone`), else the current time.
schedule::LocalTime command_now(const std::optional<std::string>& now, const std::string& zone);

// The worse of two exit codes for a run of several announcements: a bad entry or a refusal needs
// a person (65/66/78, 69) more than a deferral that the next run finishes (75).
ExitCode worse(ExitCode a, ExitCode b);

// One due occurrence made ready: rendered and planned (so the confirmation and --dry-run show the
// content), or the error that stops it. Superseded and skipped ones carry neither.
struct PreparedOccurrence {
  const DueItem* item = nullptr;
  std::optional<delivery::Plan> plan;
  std::optional<delivery::Reconciliation> reconciliation;
  std::optional<Error> error;
  std::vector<Diagnostic> warnings;
};
PreparedOccurrence prepare_occurrence(const Workspace& workspace, const DueItem& item, bool retry_failed);

// Records a superseded or skipped occurrence (the first record of an announcement stays).
void record_passed_over(const Workspace& workspace, const DueItem& item);

// Posts a prepared occurrence: credentials (loaded once, when a channel needs them), the record
// that it was posted, then the deliveries. Throws Error for what stops it before sending.
delivery::RunReport post_occurrence(const Workspace& workspace, const PreparedOccurrence& occurrence,
                                    std::optional<config::Credentials>& credentials, const SendOptions& options,
                                    const channel::Services& services, delivery::Observer& observer);

}  // namespace samvad::app
