#include <samvad/app/run_due.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

RunDueLock::RunDueLock(const std::filesystem::path& state) : path_(state.string() + ".run-due.lock") {
  std::filesystem::create_directories(path_.parent_path());
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw Error(ExitCode::cant_create, "cannot create the lock file " + path_.string() + ": " + std::strerror(errno) +
                                           "; expected a writable folder for the state");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string holder(32, '\0');
    holder.resize(static_cast<std::size_t>(std::max<ssize_t>(0, ::pread(fd_, holder.data(), holder.size(), 0))));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    ::close(fd_);
    throw Error(ExitCode::temp_fail, "another samvad run-due is active on " + state.string() +
                                         (holder.empty() ? "" : " (pid " + holder + ")") + "; this one stops");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

RunDueLock::~RunDueLock() { ::close(fd_); }

schedule::LocalTime command_now(const std::optional<std::string>& now, const std::string& zone) {
  if (!now) return schedule::to_local(std::chrono::system_clock::now(), zone);
  return schedule::parse_command_time(*now);
}

ExitCode worse(ExitCode a, ExitCode b) {
  auto rank = [](ExitCode c) {
    return c == ExitCode::ok ? 0 : c == ExitCode::temp_fail ? 1 : c == ExitCode::unavailable ? 2 : 3;
  };
  return rank(b) > rank(a) ? b : a;
}

PreparedOccurrence prepare_occurrence(const Workspace& ws, const DueItem& item, bool retry_failed) {
  PreparedOccurrence p;
  p.item = &item;
  if (item.action == DueItem::Action::superseded || item.action == DueItem::Action::skipped) return p;
  try {
    auto composed = compose(ws, compose_request(*item.entry, item.occurrence));
    p.warnings = composed.warnings;
    p.plan = delivery::plan_template(template_request(composed), ws.config,
                                     delivery::select_channels(item.entry->channels), {}, {}, item.announcement_id);
    p.warnings.insert(p.warnings.end(), p.plan->warnings.begin(), p.plan->warnings.end());
    p.reconciliation = delivery::reconcile_with_store(*p.plan, ws.state.path, retry_failed);
    p.warnings.insert(p.warnings.end(), p.reconciliation->notes.begin(), p.reconciliation->notes.end());
  } catch (const Error& e) {
    p.error = e;
  }
  return p;
}

void record_passed_over(const Workspace& ws, const DueItem& item) {
  auto st = store::Store::open(ws.state.path);
  st.record_occurrence(store::OccurrenceRecord{item.announcement_id,
                                               item.entry->id,
                                               schedule::to_iso(item.occurrence),
                                               to_string(item.action),
                                               item.reason,
                                               {}});
}

delivery::RunReport post_occurrence(const Workspace& ws, const PreparedOccurrence& p,
                                    std::optional<config::Credentials>& credentials, const SendOptions& options,
                                    const channel::Services& services, delivery::Observer& observer) {
  if (p.error) throw *p.error;
  const DueItem& item = *p.item;
  if (!credentials && needs_credentials(*p.plan))
    credentials = config::load_credentials(ws.credentials_path, ws.config.department_ids());
  const config::Credentials none = no_credentials(ws);
  const config::Credentials& keys = credentials ? *credentials : none;
  require_credentials(*p.plan, keys, ws);
  {
    auto st = store::Store::open(ws.state.path);
    st.record_occurrence(store::OccurrenceRecord{
        item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence), "posted", "", {}});
  }
  return send_plan(ws, keys, *p.plan, options, services, observer);
}

}  // namespace samvad::app
