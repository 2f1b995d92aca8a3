#include <samvad/app/inbox_sync.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include <samvad/app/budget.hpp>
#include <samvad/app/post.hpp>
#include <samvad/app/run_due.hpp>
#include <samvad/delivery/cost.hpp>
#include <samvad/inbox/route.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

namespace {

struct Job {
  const config::Department* department = nullptr;
  const channel::Spec* spec = nullptr;
};

std::vector<const channel::Spec*> listening_channels() {
  std::vector<const channel::Spec*> out;
  for (const auto& spec : registry::channels())
    if (spec.listener) out.push_back(&spec);
  return out;
}

// Every department with an account that listens, or those asked for (each must have one).
std::vector<Job> jobs_for(const config::Config& config, const std::vector<std::string>& ids, bool all) {
  const auto channels = listening_channels();
  std::vector<Job> jobs;
  Diagnostics problems;
  for (const config::Department* d : select_departments(config, ids, all || ids.empty())) {
    const std::size_t before = jobs.size();
    for (const auto* spec : channels)
      if (d->uses(spec->name)) jobs.push_back(Job{d, spec});
    if (jobs.size() == before && !ids.empty()) {
      std::vector<std::string> titles;
      for (const auto* spec : channels) titles.push_back(spec->title);
      problems.add(ExitCode::usage, "department " + d->id + " has no account samvad can listen to; expected an " +
                                        registry::listing(titles) + " account in " + config.path.string());
    }
  }
  problems.throw_if_any();
  return jobs;
}

// A catch-all account's items go to the department their keywords name.
void route_items(const config::Config& config, const config::Department& department,
                 std::vector<store::InboxItem>& items) {
  for (auto& item : items) {
    item.heard_by = item.department = department.id;
    if (!department.inbox.catch_all) continue;
    if (auto route = inbox::route(config, item.text)) {
      item.department = route->department;
      item.routed_by = "keyword " + route->keyword;
    }
  }
}

// A month's budget already spent refuses the sync (65) before anything is read: reading bills.
void check_listen_budget(const Workspace& ws, const store::Store& st, const channel::Spec& spec,
                         const config::Department& department) {
  const channel::Cost least = spec.listen_cost(department);
  if (least.empty()) return;
  delivery::CostEstimate estimate;
  estimate.departments.push_back({department.id, {{spec.name, least}}});
  estimate.total.push_back({spec.name, least});
  delivery::check_budgets(estimate, ws.config, &st,
                          month_of(std::chrono::system_clock::now(), ws.config.organization.timezone));
}

void record_failure(const channel::Heard& heard, const std::string& timezone, SyncedAccount& out) {
  if (heard.stopped) {
    out.code = ExitCode::temp_fail;
    out.error = "stopped before everything was read; the next sync resumes";
    return;
  }
  if (!heard.failure) return;
  const channel::Failure& f = *heard.failure;
  out.code = f.kind == channel::FailureKind::rejected ? ExitCode::unavailable : ExitCode::temp_fail;
  out.error = f.detail;
  if (f.retry_at) out.error += "; the limit resets at " + text::format_timestamp(*f.retry_at, timezone);
  if (out.code == ExitCode::temp_fail) out.error += "; the next sync resumes from where this one stopped";
}

SyncedAccount sync_one(const Workspace& ws, const config::Credentials& credentials, const Job& job,
                       const channel::Services& services, const channel::RetryPolicy& policy,
                       const std::function<bool(std::chrono::milliseconds)>& sleep) {
  const config::Department& department = *job.department;
  SyncedAccount out;
  out.department = department.id;
  out.channel = job.spec->name;
  try {
    if (auto missing = registry::check_credentials(credentials, department, job.spec->name); !missing.empty())
      throw Error(std::move(missing));
    store::Store st = store::Store::open(ws.state.path);
    if (job.spec->listen_cost) check_listen_budget(ws, st, *job.spec, department);
    auto listener = job.spec->listener(services);
    const channel::ListenContext context{department, credentials, policy, sleep, {}, &st};
    channel::Heard heard = listener->listen(st.listen_state(job.spec->name, department.id), context);
    route_items(ws.config, department, heard.items);
    for (const auto& item : st.record_heard(heard.items)) {
      ++out.heard;
      if (item.department != item.heard_by) ++out.routed;
    }
    out.answered = st.record_own_posts(job.spec->name, heard.own_posts).size();
    st.set_listen_state(job.spec->name, department.id, heard.next);
    out.reads = heard.reads;
    record_failure(heard, ws.config.organization.timezone, out);
  } catch (const Error& e) {
    out.code = e.code();
    out.error = e.what();
  } catch (const std::exception& e) {  // a worker thread must not end the process
    out.code = ExitCode::software;
    out.error = e.what();
  }
  return out;
}

std::string status_of(const SyncedAccount& a) {
  if (a.code == ExitCode::ok) return "synced";
  return a.code == ExitCode::temp_fail ? "deferred" : "failed";
}

}  // namespace

ExitCode InboxSyncReport::exit_code() const {
  ExitCode code = ExitCode::ok;
  for (const auto& a : accounts) code = worse(code, a.code);
  return code;
}

InboxSyncReport sync_inbox(const Workspace& ws, const InboxSyncRequest& request, const channel::Services& services) {
  if (request.jobs < 1 || request.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  const std::vector<Job> jobs = jobs_for(ws.config, request.departments, request.all);
  const auto credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
  const channel::RetryPolicy policy = retry_policy(request.max_wait_seconds);
  InboxSyncReport report;
  report.accounts.resize(jobs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++)
      report.accounts[i] = sync_one(ws, credentials, jobs[i], services, policy, request.sleep);
  };
  std::vector<std::thread> workers;
  const auto count = std::min<std::size_t>(static_cast<std::size_t>(request.jobs), jobs.size());
  for (std::size_t i = 1; i < count; ++i) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  return report;
}

nlohmann::json to_json(const InboxSyncReport& report) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& a : report.accounts) {
    nlohmann::json j{{"department", a.department}, {"channel", a.channel},
                     {"status", status_of(a)},     {"heard", a.heard},
                     {"routed", a.routed},         {"answered", a.answered},
                     {"reads", a.reads},           {"exit_code", static_cast<int>(a.code)}};
    j["error"] = a.error.empty() ? nlohmann::json() : nlohmann::json(a.error);
    accounts.push_back(std::move(j));
  }
  return nlohmann::json{{"accounts", accounts}, {"exit_code", static_cast<int>(report.exit_code())}};
}

}  // namespace samvad::app
