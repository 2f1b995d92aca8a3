#include <samvad/app/run_due.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <samvad/app/approval.hpp>
#include <samvad/app/budget.hpp>
#include <samvad/delivery/report.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/postgres.hpp>
#include <samvad/store/server_claims.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

RunDueLock::RunDueLock(const store::Location& state) {
  if (state.is_server()) {
    server_ = store::try_server_lock(state, store::kRunDueLock);
    if (!server_)
      throw Error(ExitCode::temp_fail, "another samvad run-due is active on " + state.shown() +
                                           " (on this or another machine); this one stops");
    return;
  }
  path_ = state.text + ".run-due.lock";
  std::error_code folder_error;
  std::filesystem::create_directories(path_.parent_path(), folder_error);
  fd_ = folder_error ? -1 : ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw Error(ExitCode::cant_create, "cannot create the lock file " + path_.string() + ": " +
                                           (folder_error ? folder_error.message() : std::strerror(errno)) +
                                           "; expected a writable folder for the state");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string holder(32, '\0');
    holder.resize(static_cast<std::size_t>(std::max<ssize_t>(0, ::pread(fd_, holder.data(), holder.size(), 0))));
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    ::close(fd_);
    throw Error(ExitCode::temp_fail, "another samvad run-due is active on " + state.text +
                                         (holder.empty() ? "" : " (pid " + holder + ")") + "; this one stops");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

RunDueLock::~RunDueLock() {
  if (fd_ >= 0) ::close(fd_);
}

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
    p.kind = composed.tmpl.kind;
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

OccurrenceApproval occurrence_approval(const Workspace& ws, const PreparedOccurrence& p) {
  if (!p.plan || !approval_policy(ws.config, p.kind, *p.plan).required) return OccurrenceApproval::not_needed;
  if (ws.state.path.exists()) {  // a dry run before the first post makes no store
    const auto held = store::Store::open(ws.state.path).approval(p.item->announcement_id);
    if (held && held->state == store::ApprovalState::approved) return OccurrenceApproval::approved;
  }
  return schedule_content_approved(ws, *p.item->entry) ? OccurrenceApproval::content_approved
                                                       : OccurrenceApproval::held;
}

std::string held_reason(const DueItem& item) {
  return "the template or variables of schedule entry " + item.entry->id +
         " changed since they were approved, or were never approved; expected 'samvad approve --schedule " +
         item.entry->id + "' (its content from now on) or 'samvad approve " + item.announcement_id +
         "' (this occurrence)";
}

std::string to_string(OccurrenceApproval approval) {
  switch (approval) {
    case OccurrenceApproval::not_needed:
      return "not-needed";
    case OccurrenceApproval::approved:
      return "approved";
    case OccurrenceApproval::content_approved:
      return "content-approved";
    case OccurrenceApproval::held:
      return "held";
  }
  return "held";
}

void require_occurrence_approval(const Workspace& ws, const PreparedOccurrence& p) {
  const DueItem& item = *p.item;
  const OccurrenceApproval approval = occurrence_approval(ws, p);
  if (approval == OccurrenceApproval::not_needed || approval == OccurrenceApproval::approved) return;
  const PreparedPost post{*p.plan, *p.reconciliation, {}, {}, p.kind};
  if (approval == OccurrenceApproval::content_approved) {
    submit_for_approval(ws, post);  // 65 when this occurrence was rejected
    auto st = store::Store::open(ws.state.path);
    const auto entry = st.schedule_approval(item.entry->id);
    st.decide_approval(item.announcement_id, store::ApprovalState::approved, entry->approved_by,
                       "its schedule entry's content as approved", store::Clock::now());
    return;
  }
  store::Store::open(ws.state.path)
      .record_occurrence(store::OccurrenceRecord{
          item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence), "posted", "", {}});
  // Recorded as posted so each run looks at it again (its status says it awaits approval).
  submit_for_approval(ws, post);
  throw Error(ExitCode::temp_fail,
              "occurrence " + item.announcement_id + " awaits approval, nothing was sent for it: " + held_reason(item));
}

delivery::RunReport post_occurrence(const Workspace& ws, const PreparedOccurrence& p,
                                    std::optional<config::Credentials>& credentials, const SendOptions& options,
                                    const channel::Services& services, delivery::Observer& observer) {
  if (p.error) throw *p.error;
  const DueItem& item = *p.item;
  if (!credentials && needs_credentials(*p.plan))
    credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
  const config::Credentials none = no_credentials(ws);
  const config::Credentials& keys = credentials ? *credentials : none;
  require_credentials(*p.plan, keys, ws);
  // Held against the spend of earlier occurrences of this run too: they are recorded by now.
  check_budgets(ws, delivery::estimate_cost(*p.plan, ws.config, &*p.reconciliation));
  require_occurrence_approval(ws, p);
  {
    auto st = store::Store::open(ws.state.path);
    st.record_occurrence(store::OccurrenceRecord{
        item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence), "posted", "", {}});
  }
  return send_plan(ws, keys, *p.plan, options, services, observer);
}

DueRun open_due_run(const Paths& paths, const DueRequest& request) {
  DueRun run;
  run.request = request;
  run.catch_up = schedule::parse_catch_up(request.catch_up);
  run.workspace = open_workspace(paths);
  run.now = command_now(request.now, run.zone());
  run.schedule =
      schedule::load_schedule(schedule::find_schedule_path(paths.schedule, run.workspace.config), run.workspace.config);
  return run;
}

void collect_due(DueRun& run) {
  const auto& state = run.workspace.state.path;
  // A dry run changes nothing, so it neither waits for nor blocks a real run.
  if (!run.request.dry_run) run.lock = std::make_unique<RunDueLock>(state);
  {
    std::optional<store::Store> st;
    if (!run.request.dry_run || state.exists()) st.emplace(store::Store::open(state));
    run.items = due_now(run.schedule, st ? &*st : nullptr, run.now, run.catch_up, run.zone(), run.request.retry_failed);
  }
  run.prepared.clear();
  run.prepared.reserve(run.items.size());
  for (const auto& item : run.items) {
    run.prepared.push_back(prepare_occurrence(run.workspace, item, run.request.retry_failed));
    PreparedOccurrence& p = run.prepared.back();
    if (!p.error) p.approval = occurrence_approval(run.workspace, p);  // to post or to resume
  }
}

namespace {

bool passed_over(const DueItem& item) {
  return item.action == DueItem::Action::superseded || item.action == DueItem::Action::skipped;
}

}  // namespace

DueResult post_due(const DueRun& run, const SendOptions& options, const channel::Services& services,
                   delivery::Observer& observer, DueProgress& progress) {
  DueResult result;
  std::optional<config::Credentials> credentials;
  for (const auto& p : run.prepared) {
    const DueItem& item = *p.item;
    OccurrenceResult occurrence{&item, std::nullopt, std::nullopt};
    if (passed_over(item)) {
      record_passed_over(run.workspace, item);
      progress.passed_over(item);
      result.occurrences.push_back(std::move(occurrence));
      continue;
    }
    if (options.stopping && options.stopping()) {
      result.code = worse(result.code, ExitCode::temp_fail);
      continue;
    }
    try {
      occurrence.report = post_occurrence(run.workspace, p, credentials, options, services, observer);
      progress.posted(item, *occurrence.report);
      result.code = worse(result.code, occurrence.report->exit_code());
    } catch (const Error& e) {
      progress.failed(item, e);
      occurrence.error = e;
      result.code = worse(result.code, e.code());
    }
    result.occurrences.push_back(std::move(occurrence));
  }
  return result;
}

ExitCode dry_run_code(const DueRun& run) {
  ExitCode code = ExitCode::ok;
  for (const auto& p : run.prepared) {
    if (p.error) code = worse(code, p.error->code());
    if (p.approval == OccurrenceApproval::held) code = worse(code, ExitCode::temp_fail);  // as the run would end
  }
  return code;
}

namespace {

nlohmann::json occurrence_json(const DueItem& item, const std::string& zone) {
  const bool has_reason = !item.reason.empty() && item.action != DueItem::Action::post;
  return nlohmann::json{{"entry", item.entry->id},
                        {"occurrence", schedule::to_iso8601(item.occurrence, zone)},
                        {"announcement", item.announcement_id},
                        {"action", to_string(item.action)},
                        {"reason", has_reason ? nlohmann::json(item.reason) : nlohmann::json(nullptr)},
                        {"report", nullptr},
                        {"error", nullptr}};
}

nlohmann::json run_json(const DueRun& run, nlohmann::json occurrences) {
  return nlohmann::json{{"now", schedule::to_iso8601(run.now, run.zone())},
                        {"dry_run", run.request.dry_run},
                        {"occurrences", std::move(occurrences)}};
}

}  // namespace

nlohmann::json due_json(const DueRun& run) {
  nlohmann::json occurrences = nlohmann::json::array();
  for (const auto& p : run.prepared) {
    nlohmann::json j = occurrence_json(*p.item, run.zone());
    if (p.plan) j["plan"] = delivery::plan_json(*p.plan, *p.reconciliation, run.workspace.config);
    j["approval"] = to_string(p.approval);
    j["error"] = p.error ? nlohmann::json(p.error->what()) : nlohmann::json(nullptr);
    occurrences.push_back(std::move(j));
  }
  return run_json(run, std::move(occurrences));
}

nlohmann::json due_json(const DueRun& run, const DueResult& result) {
  nlohmann::json occurrences = nlohmann::json::array();
  for (const auto& o : result.occurrences) {
    nlohmann::json j = occurrence_json(*o.item, run.zone());
    if (o.report) j["report"] = delivery::to_json(*o.report);
    if (o.error) j["error"] = o.error->what();
    occurrences.push_back(std::move(j));
  }
  return run_json(run, std::move(occurrences));
}

}  // namespace samvad::app
