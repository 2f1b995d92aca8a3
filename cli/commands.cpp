#include "commands.hpp"

#include "signals.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <samvad/app/due.hpp>
#include <samvad/schedule/schedule.hpp>

#include <samvad/config/credentials.hpp>
#include <samvad/core/version.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/retract.hpp>
#include <samvad/email/channel.hpp>
#include <samvad/net/http.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/localize.hpp>
#include <samvad/text/timestamp.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::cli {

namespace {

bool interactive() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1; }

// Asks on the terminal; without one the caller must have passed --yes.
bool confirm(Terminal& term, const std::string& question, bool yes) {
  if (yes) return true;
  if (!interactive())
    throw Error(ExitCode::usage, "not running on a terminal, so samvad cannot ask for confirmation; pass --yes to go ahead (as cron lines do)");
  std::cout << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  bool ok = answer == "y" || answer == "Y" || answer == "yes";
  if (!ok) term.out() << "nothing was sent\n";
  return ok;
}

twitter::HttpFactory http_factory() {
  net::global_init();
  return [](const config::TwitterAccount& account) {
    net::HttpOptions options;
    options.ca_file = account.ca_file;
    options.user_agent = std::string("samvad/") + samvad::version;
    return net::make_curl_client(options);
  };
}

delivery::ChannelFactory channel_factory() {
  auto http = http_factory();
  return [http](const std::string& channel) -> std::unique_ptr<delivery::Channel> {
    if (channel == "twitter") return twitter::make_channel(http);
    if (channel == "email") return email::make_channel();
    return nullptr;
  };
}

// Backoff between retries; SAMVAD_BACKOFF_MS shortens it for tests and benchmarks.
delivery::RetryPolicy retry_policy(int max_wait_seconds) {
  delivery::RetryPolicy policy;
  policy.max_wait = std::chrono::seconds(max_wait_seconds);
  if (const char* ms = std::getenv("SAMVAD_BACKOFF_MS"); ms && *ms) policy.backoff_base = std::chrono::milliseconds(std::atoll(ms));
  return policy;
}

std::string delivery_label(const delivery::DeliveryReport& r) {
  return r.department + " " + r.channel + (r.language == "*" ? "" : " " + r.language);
}

class TerminalObserver : public delivery::Observer {
 public:
  explicit TerminalObserver(Terminal& term) : term_(term) {}
  void settled(const delivery::DeliveryReport& r) override {
    if (term_.options().json) return;
    std::string mark = r.status == "delivered" || r.status == "retracted" ? term_.green("✓")
                       : r.status == "failed"                             ? term_.red("✗")
                                                                          : "…";
    std::string line = mark + " " + delivery_label(r) + ": " + r.status;
    if (r.channel == "email") {
      line += " (" + std::to_string(r.delivered) + " of " + std::to_string(r.recipients) + " recipients";
      if (!r.rejected.empty()) line += ", " + std::to_string(r.rejected.size()) + " refused by the server";
      if (!r.deferred.empty()) line += ", " + std::to_string(r.deferred.size()) + " deferred";
      line += ")";
    } else {
      std::string ids;
      for (const auto& id : r.remote_ids) ids += (ids.empty() ? "" : " ") + id;
      if (!ids.empty()) line += " (" + ids + ")";
    }
    if (r.error) line += " — " + *r.error;
    // Problems reach the user even with -q, so cron mails them.
    if (r.status == "delivered" || r.status == "retracted") term_.out() << line << "\n";
    else std::cerr << line << "\n";
  }
  void note(const std::string& line) override { term_.detail(line); }

 private:
  Terminal& term_;
};

std::filesystem::path store_path(const app::Paths& paths) { return store::Store::default_path(paths.state); }

void print_email_plan(Terminal& term, const store::PlannedDelivery& d) {
  auto& out = term.out();
  const email::EmailMessage m = email::message_from_json(d.content);
  std::size_t recipients = 0;
  for (const auto& b : d.part_recipients) recipients += b.size();
  out << term.bold(d.department + " email") << " — " << recipients << " recipients in " << d.part_recipients.size()
      << (d.part_recipients.size() == 1 ? " batch" : " batches") << "\n";
  out << "From: " << (m.from_name.empty() ? "" : m.from_name + " ") << "<" << m.from_address << ">\n";
  out << "To: " << (m.to ? *m.to : "undisclosed-recipients (subscribers are never shown to each other)") << "\n";
  out << "Subject: " << m.subject << "\n";
  for (const auto& a : m.attachments) out << "Attachment: " << a.name << " (" << a.content_type << ", " << a.size << " bytes)\n";
  out << "\n" << m.text << "\n";
}

void print_plan(Terminal& term, const delivery::Plan& plan) {
  auto& out = term.out();
  out << term.bold("announcement " + plan.announcement.id) << "\n";
  for (const auto& d : plan.deliveries) {
    if (d.channel == "email") {
      print_email_plan(term, d);
      continue;
    }
    std::string heading = d.department + " " + d.channel;
    if (d.language != "*") heading += " " + d.language;
    out << term.bold(heading);
    if (d.part_payloads.size() > 1) out << " — thread of " << d.part_payloads.size();
    out << "\n";
    for (const auto& p : d.part_payloads) out << term.dim("[" + std::to_string(text::measure_tweet(p).weighted_length) + "/280]") << " " << p << "\n";
  }
  for (const auto& m : plan.media) out << "image " << m.file.string() << " (alt: " << m.alt_for("") << ")\n";
  for (const auto& s : plan.skipped) out << term.dim("skipped " + s) << "\n";
}

nlohmann::json plan_json(const delivery::Plan& plan) {
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& d : plan.deliveries) {
    if (d.channel == "email") {
      const email::EmailMessage m = email::message_from_json(d.content);
      nlohmann::json batches = nlohmann::json::array();
      std::size_t recipients = 0;
      for (const auto& b : d.part_recipients) {
        batches.push_back(b.size());
        recipients += b.size();
      }
      nlohmann::json attachments = nlohmann::json::array();
      for (const auto& a : m.attachments)
        attachments.push_back({{"name", a.name}, {"content_type", a.content_type}, {"size", a.size}});
      deliveries.push_back({{"department", d.department}, {"channel", d.channel}, {"language", d.language},
                            {"subject", m.subject}, {"from", m.from_address}, {"to", m.to ? nlohmann::json(*m.to) : nlohmann::json(nullptr)},
                            {"recipients", recipients}, {"batches", batches}, {"attachments", attachments}});
      continue;
    }
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : d.part_payloads) parts.push_back({{"text", p}, {"weighted_length", text::measure_tweet(p).weighted_length}});
    deliveries.push_back({{"department", d.department}, {"channel", d.channel}, {"language", d.language}, {"parts", parts}});
  }
  return {{"announcement", plan.announcement.id}, {"dry_run", true}, {"deliveries", deliveries}, {"skipped", plan.skipped}};
}

void print_report(Terminal& term, const delivery::RunReport& report) {
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return;
  }
  std::size_t delivered = 0;
  for (const auto& d : report.deliveries) delivered += d.status == "delivered" ? 1 : 0;
  std::string line = "announcement " + report.announcement_id + ": " + report.status + " (" + std::to_string(delivered) +
                     " of " + std::to_string(report.deliveries.size()) + " deliveries delivered)";
  if (report.exit_code() == ExitCode::ok) term.out() << line << "\n";
  else std::cerr << line << "\n";
}

// Every planned X delivery needs the app keys and the department's token (78 listing each).
void require_credentials(const delivery::Plan& plan, const config::Credentials& credentials, const app::Workspace& ws) {
  Diagnostics missing;
  for (const auto& d : plan.deliveries) {
    if (d.channel != "twitter") continue;
    if (!credentials.twitter_app_for(d.department) || !credentials.twitter_token_for(d.department))
      missing.add(ExitCode::config, "no X credentials for department " + d.department + " in " + ws.credentials_path.string() +
                                        "; expected twitter_app and departments." + d.department + ".twitter (samvad authorize " +
                                        d.department + ")");
  }
  missing.throw_if_any();
}

delivery::RunReport send_plan(Terminal& term, const app::Paths& paths, const app::Workspace& ws,
                              const config::Credentials& credentials, const delivery::Plan& plan, int jobs, int max_wait_seconds) {
  delivery::EngineOptions engine;
  engine.store_path = store_path(paths);
  engine.jobs = jobs;
  engine.retry = retry_policy(max_wait_seconds);
  engine.sleep = interruptible_sleep;
  engine.stopping = stop_requested;
  term.detail("state: " + engine.store_path.string());
  TerminalObserver observer(term);
  return delivery::run(plan, ws.config, credentials, channel_factory(), engine, observer);
}

// A run cut short by SIGINT/SIGTERM exits 75 (run again) unless everything was delivered anyway.
ExitCode stopped_code(ExitCode code) {
  if (!stop_requested() || code == ExitCode::ok || code == ExitCode::unavailable) return code;
  std::cerr << "samvad: stopped by a signal; what was not sent is recorded and the next run sends it\n";
  return ExitCode::temp_fail;
}

}  // namespace

int run_post(Terminal& term, const app::Paths& paths, const PostOptions& options) {
  if (options.text && !options.compose.template_name.empty())
    throw Error(ExitCode::usage, "give either a TEMPLATE or --text, not both");
  if (!options.text && options.compose.template_name.empty())
    throw Error(ExitCode::usage, "nothing to post; expected a TEMPLATE name or --text TEXT");
  if (options.jobs < 1 || options.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  if (options.max_wait_seconds < 0) throw Error(ExitCode::usage, "--max-wait must be 0 or more seconds");

  auto ws = app::open_workspace(paths);
  auto channels = delivery::select_channels(options.channels);
  auto media = delivery::check_media(options.media, options.alts);
  auto attachments = delivery::check_attachments(options.attachments);
  delivery::Plan plan;
  std::vector<Diagnostic> warnings;
  if (options.text) {
    if (!attachments.empty()) throw Error(ExitCode::usage, "--attach goes with a template's email; --text posts to X only");
    auto departments = app::select_departments(ws.config, options.compose.departments, options.compose.all);
    plan = delivery::plan_text(*options.text, departments, channels, media, options.id);
  } else {
    auto composed = app::compose(ws, options.compose);
    warnings = composed.warnings;
    plan = delivery::plan_template(composed, ws.config.organization, channels, media, attachments, options.id);
  }
  warnings.insert(warnings.end(), plan.warnings.begin(), plan.warnings.end());
  term.warnings(warnings);
  if (plan.deliveries.empty())
    throw Error(ExitCode::usage, "nothing to send: none of the chosen departments has a channel this announcement uses (" +
                                     std::to_string(plan.skipped.size()) + " skipped)");
  if (options.dry_run) {
    if (term.options().json) term.json(plan_json(plan));
    else print_plan(term, plan);
    return 0;
  }

  auto credentials = config::load_credentials(ws.credentials_path);
  require_credentials(plan, credentials, ws);

  if (!options.yes) {
    if (interactive()) print_plan(term, plan);
    if (!confirm(term, "Post announcement " + plan.announcement.id + " (" + std::to_string(plan.deliveries.size()) + " deliveries)?", false))
      return to_int(ExitCode::ok);
  }

  catch_stop_signals();
  auto report = send_plan(term, paths, ws, credentials, plan, options.jobs, options.max_wait_seconds);
  print_report(term, report);
  return to_int(stopped_code(report.exit_code()));
}

namespace {

schedule::LocalTime parse_now(const std::optional<std::string>& now, const std::string& zone) {
  if (!now) return schedule::to_local(std::chrono::system_clock::now(), zone);
  auto t = schedule::parse_local_time(*now);
  if (!t) throw Error(ExitCode::usage, "--now '" + *now + "': expected YYYY-MM-DDTHH:MM in " + zone);
  return *t;
}

// One run-due at a time per store: an exclusive lock on a file beside it, released by the
// kernel when the process ends however it ends (no stale lock after a crash or SIGKILL).
class RunDueLock {
 public:
  explicit RunDueLock(const std::filesystem::path& state) : path_(state.string() + ".run-due.lock") {
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
  ~RunDueLock() { ::close(fd_); }
  RunDueLock(const RunDueLock&) = delete;
  RunDueLock& operator=(const RunDueLock&) = delete;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The worse of two exit codes for a run of several announcements: a bad entry or a refusal
// needs a person (65/66/78, 69) more than a deferral that the next run finishes (75).
ExitCode worse(ExitCode a, ExitCode b) {
  auto rank = [](ExitCode c) { return c == ExitCode::ok ? 0 : c == ExitCode::temp_fail ? 1 : c == ExitCode::unavailable ? 2 : 3; };
  return rank(b) > rank(a) ? b : a;
}

}  // namespace

int run_due(Terminal& term, const app::Paths& paths, const RunDueOptions& options) {
  if (options.jobs < 1 || options.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  auto catch_up = schedule::parse_duration(options.catch_up);
  if (!catch_up) throw Error(ExitCode::usage, "--catch-up '" + options.catch_up + "': expected a duration like 2h, 90m or 1d");
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = parse_now(options.now, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  if (!options.yes && !interactive())
    throw Error(ExitCode::usage, "not running on a terminal, so samvad cannot ask for confirmation; pass --yes (as cron lines do)");

  const auto state = store_path(paths);
  RunDueLock lock(state);
  std::vector<app::DueItem> items;
  {
    auto st = store::Store::open(state);
    items = app::due_now(sched, st, now, *catch_up, zone);
  }
  term.detail("schedule: " + sched.path.string() + ", now " + schedule::to_iso(now) + " " + zone);
  nlohmann::json results = nlohmann::json::array();
  if (items.empty()) {
    if (term.options().json) term.json(nlohmann::json{{"now", schedule::to_iso(now)}, {"occurrences", results}});
    else term.out() << "nothing due at " << schedule::to_iso(now) << "\n";
    return 0;
  }
  if (!options.yes) {
    for (const auto& item : items) term.out() << app::to_string(item.action) << " " << item.announcement_id << "\n";
    if (!confirm(term, "Go ahead?", false)) return 0;
  }

  catch_stop_signals();
  std::optional<config::Credentials> credentials;
  ExitCode code = ExitCode::ok;
  for (const auto& item : items) {
    nlohmann::json result{{"entry", item.entry->id},
                          {"occurrence", schedule::to_iso(item.occurrence)},
                          {"announcement", item.announcement_id},
                          {"action", app::to_string(item.action)}};
    if (item.action == app::DueItem::Action::superseded || item.action == app::DueItem::Action::skipped) {
      auto st = store::Store::open(state);
      st.record_occurrence(store::OccurrenceRecord{item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence),
                                                   app::to_string(item.action), item.reason, {}});
      term.warning(Diagnostic{ExitCode::data, item.announcement_id + " " + app::to_string(item.action) + ": " + item.reason,
                              item.entry->where});
      result["reason"] = item.reason;
      results.push_back(std::move(result));
      continue;
    }
    if (stop_requested()) {
      code = worse(code, ExitCode::temp_fail);
      continue;
    }
    try {
      auto composed = app::compose(ws, app::compose_request(*item.entry, item.occurrence));
      term.warnings(composed.warnings);
      auto plan = delivery::plan_template(composed, ws.config.organization, delivery::select_channels(item.entry->channels),
                                          {}, {}, item.announcement_id);
      term.warnings(plan.warnings);
      if (!credentials) credentials = config::load_credentials(ws.credentials_path);
      require_credentials(plan, *credentials, ws);
      {
        auto st = store::Store::open(state);
        st.record_occurrence(store::OccurrenceRecord{item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence),
                                                     "posted", "", {}});
      }
      auto report = send_plan(term, paths, ws, *credentials, plan, options.jobs, options.max_wait_seconds);
      if (!term.options().json) print_report(term, report);
      result["report"] = delivery::to_json(report);
      code = worse(code, report.exit_code());
    } catch (const Error& e) {
      term.error(e);
      result["error"] = e.what();
      code = worse(code, e.code());
    }
    results.push_back(std::move(result));
  }
  if (term.options().json) term.json(nlohmann::json{{"now", schedule::to_iso(now)}, {"occurrences", results}});
  return to_int(stopped_code(code));
}

int run_schedule(Terminal& term, const app::Paths& paths, int days, const std::optional<std::string>& now_text) {
  if (days < 0 || days > 366) throw Error(ExitCode::usage, "--days must be 0 to 366");
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = parse_now(now_text, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  const auto state = store_path(paths);
  std::optional<store::Store> st;
  if (std::filesystem::exists(state)) st.emplace(store::Store::open(state));
  auto overview = app::schedule_overview(sched, st ? &*st : nullptr, now, days, zone);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : overview)
      out.push_back({{"time", schedule::to_iso(o.occurrence)}, {"entry", o.entry->id}, {"template", o.entry->template_name},
                     {"announcement", o.announcement_id}, {"status", o.status}, {"detail", o.detail}});
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : overview) {
    std::string deps;
    if (o.entry->all) deps = "all";
    for (const auto& d : o.entry->departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({schedule::to_iso(o.occurrence), o.entry->id, o.entry->template_name, deps, o.status});
  }
  term.out() << term.bold("schedule " + sched.path.string() + " (" + zone + "), now " + schedule::to_iso(now)) << "\n";
  term.table({"TIME", "ENTRY", "TEMPLATE", "DEPARTMENTS", "STATUS"}, rows);
  return 0;
}

int run_status(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  auto path = store_path(paths);
  if (!std::filesystem::exists(path))
    throw Error(ExitCode::no_input, "no delivery store at " + path.string() + " yet; expected one after the first 'samvad post'");
  auto st = store::Store::open(path);
  std::string announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (announcement.empty()) throw Error(ExitCode::no_input, "nothing has been posted yet (" + path.string() + " is empty)");
  if (!st.announcement(announcement))
    throw Error(ExitCode::no_input, "no announcement '" + announcement + "' in " + path.string() + "; expected an id from 'samvad history'");
  auto report = delivery::report_of(announcement, st.deliveries(announcement));
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.deliveries) {
    std::string ids;
    if (d.channel == "email") {
      ids = std::to_string(d.delivered) + "/" + std::to_string(d.recipients) + " recipients";
      if (!d.rejected.empty()) ids += ", " + std::to_string(d.rejected.size()) + " rejected";
      if (!d.deferred.empty()) ids += ", " + std::to_string(d.deferred.size()) + " deferred";
      ids += ", " + std::to_string(d.remote_ids.size()) + " batch(es) sent";
    } else {
      for (const auto& r : d.remote_ids) ids += (ids.empty() ? "" : " ") + r;
    }
    rows.push_back({d.department, d.channel, d.language, d.status, std::to_string(d.attempts),
                    d.error ? *d.error : ids});
  }
  term.out() << term.bold("announcement " + announcement + ": " + report.status) << "\n";
  term.table({"DEPARTMENT", "CHANNEL", "LANG", "STATUS", "ATTEMPTS", "IDS / ERROR"}, rows);
  return 0;
}

int run_history(Terminal& term, const app::Paths& paths, const std::optional<std::string>& department,
                const std::optional<std::string>& since, int limit) {
  if (limit < 1) throw Error(ExitCode::usage, "--limit must be at least 1");
  std::string timezone = "Asia/Kolkata";
  std::optional<config::Config> config;
  try {
    config = app::open_workspace(paths).config;
    timezone = config->organization.timezone;
  } catch (const Error&) {
    // History is readable without a valid configuration; times are then shown in the default zone.
  }
  std::optional<store::Clock::time_point> from;
  if (since) {
    auto date = text::parse_iso_date(*since);
    if (!date) throw Error(ExitCode::usage, "--since '" + *since + "': expected a date as YYYY-MM-DD");
    from = text::start_of_day(*date, timezone);
  }
  auto path = store_path(paths);
  if (!std::filesystem::exists(path)) {
    if (department && config) app::select_departments(*config, {*department}, false);
    if (term.options().json) term.json(nlohmann::json::array());
    else term.out() << "nothing has been posted yet\n";
    return 0;
  }
  auto st = store::Store::open(path);
  auto entries = st.history(department, from, limit);
  // A department that is neither configured nor in the store is a typo, not an empty history;
  // one removed from the configuration still shows what was sent to it.
  if (department && entries.empty() && config && !config->find_department(*department))
    app::select_departments(*config, {*department}, false);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries)
      out.push_back({{"announcement", e.announcement.id},
                     {"time", text::format_timestamp(e.announcement.created_at, timezone)},
                     {"template", e.announcement.template_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.announcement.template_name)},
                     {"departments", e.departments},
                     {"deliveries", e.deliveries},
                     {"status", e.status}});
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    std::string deps;
    for (const auto& d : e.departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({text::format_timestamp(e.announcement.created_at, timezone), e.announcement.id,
                    e.announcement.template_name.empty() ? "(text)" : e.announcement.template_name, e.status, deps});
  }
  term.table({"TIME", "ANNOUNCEMENT", "TEMPLATE", "STATUS", "DEPARTMENTS"}, rows);
  return 0;
}

int run_retract(Terminal& term, const app::Paths& paths, const std::string& id, const std::vector<std::string>& departments,
                bool yes) {
  auto ws = app::open_workspace(paths);
  auto credentials = config::load_credentials(ws.credentials_path);
  auto path = store_path(paths);
  if (!std::filesystem::exists(path)) throw Error(ExitCode::no_input, "no delivery store at " + path.string());
  if (!confirm(term, "Delete every post of announcement " + id + (departments.empty() ? "" : " for the chosen departments") + " from X?", yes))
    return 0;
  TerminalObserver observer(term);
  delivery::RetractRequest request{id, departments};
  auto report = delivery::retract(request, ws.config, credentials, path, http_factory(), observer);
  if (term.options().json) term.json(delivery::to_json(report));
  for (const auto& d : report.deliveries) {
    bool chosen = departments.empty() || std::find(departments.begin(), departments.end(), d.department) != departments.end();
    if (chosen && d.channel == "twitter" && d.status != "retracted") return to_int(ExitCode::unavailable);
  }
  if (!term.options().json) term.out() << "announcement " << id << ": retracted\n";
  return 0;
}

int run_authorize(Terminal& term, const app::Paths& paths, const std::string& department_id) {
  auto ws = app::open_workspace(paths);
  auto selected = app::select_departments(ws.config, {department_id}, false);
  auto credentials = config::load_credentials(ws.credentials_path);
  auto result = twitter::authorize(
      *selected.front(), credentials, http_factory(),
      [&](const std::string& url) {
        std::cout << "Sign in to X as @" << selected.front()->twitter->handle << ", then open:\n  " << url
                  << "\nand authorize the app. X then shows a PIN.\n";
      },
      [&] {
        std::cout << "PIN: " << std::flush;
        std::string pin;
        std::getline(std::cin, pin);
        return pin;
      });
  const std::string& handle = selected.front()->twitter->handle;
  auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  if (lower(result.username) != lower(handle))
    term.warning(Diagnostic{ExitCode::config, "the token belongs to @" + result.username + ", but " + ws.config.path.string() +
                                                  " says departments." + department_id + ".twitter.handle is " + handle, {}});
  term.out() << "authorized " << department_id << " as @" << result.username << "; token saved in "
             << ws.credentials_path.string() << "\n";
  return 0;
}

}  // namespace samvad::cli
