// `samvad run-due` as library calls: one run per store at a time (a lock), what is due made
// ready (rendered and planned) before anything is asked or sent, and each occurrence recorded and
// posted. The CLI asks, prints, and stops on a signal.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/app/due.hpp>
#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/core/error.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/schedule/cron.hpp>
#include <samvad/schedule/schedule.hpp>

#include <nlohmann/json.hpp>

namespace samvad::app {

// One run-due at a time per store: an exclusive lock on a file beside it, released by the kernel
// when the process ends however it ends (no stale lock after a crash or SIGKILL). Throws 75 when
// another run holds it (naming its pid), 73 when the lock file cannot be made. On a PostgreSQL
// store, whose run-dues may be on several machines, the lock is the server's (an advisory lock of
// a connection of its own, ended with the process) and 75 names no pid.
class RunDueLock {
 public:
  explicit RunDueLock(const store::Location& state);
  ~RunDueLock();
  RunDueLock(const RunDueLock&) = delete;
  RunDueLock& operator=(const RunDueLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::unique_ptr<store::Database> server_;
};

// The moment a command acts for: --now (a wall-clock time in `zone`), else the current time.
schedule::LocalTime command_now(const std::optional<std::string>& now, const std::string& zone);

// The worse of two exit codes for a run of several announcements: a bad entry or a refusal needs
// a person (65/66/78, 69) more than a deferral that the next run finishes (75).
ExitCode worse(ExitCode a, ExitCode b);

// Where an occurrence stands with approvals, from the configuration and the store (read only):
// its template's kind needs none; the occurrence itself was approved (samvad approve ID); its
// entry's current content is the approved one (samvad approve --schedule); or it would be held.
enum class OccurrenceApproval { not_needed, approved, content_approved, held };

// One due occurrence made ready: rendered and planned (so the confirmation and --dry-run show the
// content), or the error that stops it. Superseded and skipped ones carry neither.
struct PreparedOccurrence {
  const DueItem* item = nullptr;
  std::optional<delivery::Plan> plan;
  std::optional<delivery::Reconciliation> reconciliation;
  std::optional<Error> error;
  std::vector<Diagnostic> warnings;
  std::string kind;  // the template's, for approvals
  // As it stood when the run began (what a dry run shows); posting asks again.
  OccurrenceApproval approval = OccurrenceApproval::not_needed;
};

OccurrenceApproval occurrence_approval(const Workspace& workspace, const PreparedOccurrence& occurrence);
// "not-needed", "approved", "content-approved", "held": run-due --json's "approval".
std::string to_string(OccurrenceApproval approval);
// Why a held occurrence was not sent, and what would send it.
std::string held_reason(const DueItem& item);
PreparedOccurrence prepare_occurrence(const Workspace& workspace, const DueItem& item, bool retry_failed);

// Records a superseded or skipped occurrence (the first record of an announcement stays).
void record_passed_over(const Workspace& workspace, const DueItem& item);

// An occurrence whose template's kind needs approval goes out only when its content is the one
// approved for its entry (samvad approve --schedule) or the occurrence itself was approved
// (samvad approve ID). Otherwise it is recorded, held for approval, and Error(75) says so.
void require_occurrence_approval(const Workspace& workspace, const PreparedOccurrence& occurrence);

// Posts a prepared occurrence: credentials (loaded once, when a channel needs them), the monthly
// budgets (65 when it would exceed one: not recorded, so a later run may still post it), its
// approval (require_occurrence_approval), the record that it was posted, then the deliveries. Throws Error for what
// stops it before sending.
delivery::RunReport post_occurrence(const Workspace& workspace, const PreparedOccurrence& occurrence,
                                    std::optional<config::Credentials>& credentials, const SendOptions& options,
                                    const channel::Services& services, delivery::Observer& observer);

// What one run-due asks for (its options).
struct DueRequest {
  std::optional<std::string> now;  // --now YYYY-MM-DDTHH:MM (tests, back-fills)
  std::string catch_up = "2h";     // --catch-up DURATION
  bool dry_run = false;            // --dry-run: the lock is not taken, nothing is written
  bool retry_failed = false;       // --retry-failed
};

// One run-due from its start to its end: the workspace, schedule and moment it acts for, then
// (collect_due) the lock of a real run and what is due, made ready. `prepared` points into
// `items`, and the items into `schedule`: a DueRun is moved, never copied.
struct DueRun {
  DueRequest request;
  Workspace workspace;
  schedule::Schedule schedule;
  schedule::LocalTime now;
  std::chrono::seconds catch_up{};
  std::unique_ptr<RunDueLock> lock;  // held by a real run until the DueRun is gone
  std::vector<DueItem> items;
  std::vector<PreparedOccurrence> prepared;

  const std::string& zone() const { return workspace.config.organization.timezone; }
};

// The catch-up window (64 when unreadable), the workspace, the moment and the schedule. Nothing
// is locked or read from the store yet, so the caller can still refuse to run (e.g. no terminal
// to ask on) without touching a real run's lock.
DueRun open_due_run(const Paths& paths, const DueRequest& request);

// Takes the lock (a real run only), reads what is due from the store and makes each occurrence
// ready (prepare_occurrence). A dry run without a store yet reads nothing.
void collect_due(DueRun& run);

// What the run-due loop tells its caller as each occurrence settles.
class DueProgress {
 public:
  virtual ~DueProgress() = default;
  virtual void passed_over(const DueItem&) {}                         // recorded superseded or skipped
  virtual void posted(const DueItem&, const delivery::RunReport&) {}  // its deliveries ran
  virtual void failed(const DueItem&, const Error&) {}                // stopped before sending
};

struct OccurrenceResult {
  const DueItem* item = nullptr;
  std::optional<delivery::RunReport> report;  // posted
  std::optional<Error> error;                 // failed
};

struct DueResult {
  std::vector<OccurrenceResult> occurrences;  // those left for the next run (a stop) are not listed
  ExitCode code = ExitCode::ok;               // the worst of them; 75 when a stop left some
};

// Each occurrence in turn: passed-over ones recorded, due ones posted (credentials loaded once,
// when a channel needs them); once `options.stopping` says so, the rest are left for the next run.
DueResult post_due(const DueRun& run, const SendOptions& options, const channel::Services& services,
                   delivery::Observer& observer, DueProgress& progress);

// The worst error of the occurrences a dry run could not make ready (0 when none).
ExitCode dry_run_code(const DueRun& run);

// `run-due --json`: {"now", "dry_run", "occurrences"}; with no argument the occurrences are those
// of a dry run (each with its plan) or none when nothing is due.
nlohmann::json due_json(const DueRun& run);
nlohmann::json due_json(const DueRun& run, const DueResult& result);

}  // namespace samvad::app
