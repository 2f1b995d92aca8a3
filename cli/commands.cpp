#include "commands.hpp"

#include "signals.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <set>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <samvad/core/text.hpp>
#include <samvad/app/due.hpp>
#include <samvad/schedule/schedule.hpp>

#include <samvad/config/credentials.hpp>
#include <samvad/core/version.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/retract.hpp>
#include <samvad/email/channel.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/net/http.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/localize.hpp>
#include <samvad/text/timestamp.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::cli {

channel::HttpFactory http_factory() {
  net::global_init();
  return [](const std::optional<std::string>& ca_file) {
    net::HttpOptions options;
    options.ca_file = ca_file;
    options.user_agent = std::string("samvad/") + samvad::version;
    return net::make_curl_client(options);
  };
}

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


channel::Services services() { return channel::Services{http_factory()}; }

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
    using store::DeliveryStatus;
    const bool settled = r.status == DeliveryStatus::delivered || r.status == DeliveryStatus::retracted;
    std::string mark = settled                             ? term_.green("✓")
                       : r.status == DeliveryStatus::failed ? term_.red("✗")
                                                                          : "…";
    std::string line = mark + " " + delivery_label(r) + (r.account.empty() ? "" : " " + r.account) + ": " + store::to_string(r.status);
    if (const channel::Spec* spec = registry::find(r.channel); spec && spec->outcome_text)
      if (auto outcome = spec->outcome_text(r); !outcome.empty()) line += " " + outcome;
    if (r.error) line += " — " + escape_for_terminal(*r.error);  // X's or the mail server's words
    // Problems reach the user even with -q, so cron mails them.
    if (settled) term_.out() << line << "\n";
    else std::cerr << line << "\n";
  }
  void note(const std::string& line) override { term_.detail(line); }

 private:
  Terminal& term_;
};

// The store of a command that can run without a valid configuration (status, history): the
// configuration's state: when it loads, else --state, $SAMVAD_STATE or the per-user default.
std::filesystem::path readable_store_path(Terminal& term, const app::Paths& paths) {
  try {
    return app::open_workspace(paths).state.path;
  } catch (const Error& e) {
    auto location = app::locate_state(paths, nullptr);
    if (location.source == app::StateLocation::Source::user_default &&
        std::filesystem::exists(config::find_config_path(paths.config)))
      term.warning(Diagnostic{e.code(), "the configuration could not be read, so its state: (if any) is not used; reading " +
                                            location.path.string(), std::nullopt});
    return location.path;
  }
}

std::string delivery_heading(const store::PlannedDelivery& d) {
  return d.department + " " + d.channel + (d.language == "*" ? "" : " " + d.language);
}

// What the rerun of a recorded delivery does, in words; "" for a new delivery.
std::string fate_note(const delivery::Decision& decision) {
  using delivery::Fate;
  if (!decision.recorded) return "";
  const auto& r = *decision.recorded;
  switch (decision.fate) {
    case Fate::done:
      return r.status == store::DeliveryStatus::retracted ? "retracted earlier; not sent again" : "already delivered; not sent again";
    case Fate::failed:
      return "failed earlier (" + r.last_error + "); not sent: add --retry-failed to send it again";
    case Fate::retry: return "failed earlier; sent again (--retry-failed)";
    case Fate::replace: return "replaces the content recorded earlier, none of which was sent";
    case Fate::send: {
      std::size_t sent = 0;
      for (const auto& p : r.parts) sent += p.status == store::PartStatus::delivered ? 1 : 0;
      return sent == 0 ? "recorded earlier, not sent yet" : "resumes: " + std::to_string(sent) + " of " +
                                                                std::to_string(r.parts.size()) + " already sent";
    }
    case Fate::conflict: return "conflict";
  }
  return "";
}

// Every text the announcement sends, delivery by delivery, with what a rerun does to each.
void print_plan(Terminal& term, std::ostream& out, const delivery::Plan& plan,
                const delivery::Reconciliation& reconciliation) {
  out << term.bold("announcement " + plan.announcement.id) << "\n";
  for (const auto& decision : reconciliation.decisions) {
    const auto& d = plan.deliveries[decision.planned];
    const std::string note = fate_note(decision);
    if (decision.fate == delivery::Fate::done || decision.fate == delivery::Fate::failed) {
      out << term.bold(delivery_heading(d)) << " — " << note << "\n";
      continue;
    }
    const channel::Spec* spec = registry::find(d.channel);
    out << term.bold(delivery_heading(d)) << (spec && spec->heading ? spec->heading(d) : std::string());
    if (!note.empty()) out << " — " << note;
    out << "\n";
    std::vector<bool> sent;
    for (std::size_t i = 0; i < d.part_payloads.size(); ++i)
      sent.push_back(decision.recorded && decision.fate != delivery::Fate::replace && i < decision.recorded->parts.size() &&
                     decision.recorded->parts[i].status == store::PartStatus::delivered);
    if (spec && spec->show)
      for (const auto& line : spec->show(d, sent)) out << line << "\n";
  }
  for (const auto& m : plan.media) out << "image " << m.file.string() << " (alt: " << m.alt_for("") << ")\n";
  for (const auto& s : plan.skipped) out << term.dim("skipped " + s) << "\n";
}

void print_plan(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation) {
  print_plan(term, term.out(), plan, reconciliation);
}

// One screen to answer the prompt from: per department the X account with its languages and
// thread lengths, and the list address with its recipients; what a rerun leaves out says so.
std::vector<std::string> summary_lines(Terminal& term, const delivery::Plan& plan,
                                       const delivery::Reconciliation& reconciliation) {
  std::vector<std::string> departments;
  std::size_t width = 0;
  for (const auto& d : plan.deliveries) {
    if (std::find(departments.begin(), departments.end(), d.department) == departments.end()) departments.push_back(d.department);
    width = std::max(width, d.department.size());
  }
  std::vector<std::string> lines{term.bold("announcement " + plan.announcement.id + ":")};
  for (const auto& dep : departments) {
    // One line per channel heading: its deliveries' items joined.
    std::vector<std::pair<std::string, std::string>> heads;
    for (const auto& decision : reconciliation.decisions) {
      const auto& d = plan.deliveries[decision.planned];
      const channel::Spec* spec = registry::find(d.channel);
      if (d.department != dep || !spec || !spec->summary) continue;
      std::string state;
      if (decision.fate == delivery::Fate::done) state = " (already sent)";
      else if (decision.fate == delivery::Fate::failed) state = " (failed earlier, not sent)";
      else if (decision.fate == delivery::Fate::retry) state = " (sent again)";
      std::size_t recipients = 0;
      if (decision.recorded && decision.fate != delivery::Fate::replace) recipients = decision.recorded->recipients.size();
      else
        for (const auto& b : d.part_recipients) recipients += b.size();
      const channel::SummaryLine line = spec->summary(d, recipients);
      auto it = std::find_if(heads.begin(), heads.end(), [&](const auto& h) { return h.first == line.heading; });
      if (it == heads.end()) heads.emplace_back(line.heading, line.item + state);
      else it->second += ", " + line.item + state;
    }
    std::string pad(width - dep.size() + 2, ' ');
    bool first = true;
    for (const auto& [heading, items] : heads) {
      lines.push_back("  " + (first ? dep + pad : std::string(width + 2, ' ')) + heading + ": " + items);
      first = false;
    }
  }
  if (!plan.media.empty()) {
    std::string images;
    for (const auto& m : plan.media) images += (images.empty() ? "" : ", ") + m.file.filename().string();
    lines.push_back("  images: " + images);
  }
  if (!plan.skipped.empty()) lines.push_back(term.dim("  skipped: " + std::to_string(plan.skipped.size()) + " (" + plan.skipped.front() +
                                                      (plan.skipped.size() > 1 ? ", ..." : "") + ")"));
  return lines;
}

// Rows of a terminal a text takes, wrapped at `columns` (characters, not bytes).
std::size_t rows_of(const std::string& text, std::size_t columns) {
  std::size_t rows = 0, col = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++rows;
      col = 0;
    } else if ((c & 0xC0) != 0x80 && ++col > columns) {
      ++rows;
      col = 1;
    }
  }
  return rows + (col > 0 ? 1 : 0);
}

// Before the prompt: every text in full when they fit on the screen with the summary (or with
// --full), then the summary, so what is decided on is what is in view.
void print_confirmation(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation,
                        bool full) {
  std::size_t height = 24, columns = 80;
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
    height = ws.ws_row;
    columns = ws.ws_col;
  }
  std::ostringstream texts;
  print_plan(term, texts, plan, reconciliation);
  const auto summary = summary_lines(term, plan, reconciliation);
  std::size_t summary_rows = 1;  // the prompt
  for (const auto& l : summary) summary_rows += rows_of(l, columns);
  const std::size_t text_rows = rows_of(texts.str(), columns);
  if (full || text_rows + summary_rows + 1 <= height) {
    term.out() << texts.str() << "\n";
  } else {
    term.out() << term.dim("(the texts take " + std::to_string(text_rows) +
                           " lines; --full shows them here, 'samvad preview' too)")
               << "\n";
  }
  for (const auto& l : summary) term.out() << l << "\n";
}

void print_report(Terminal& term, const delivery::RunReport& report) {
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return;
  }
  std::size_t delivered = 0;
  for (const auto& d : report.deliveries) delivered += d.status == store::DeliveryStatus::delivered ? 1 : 0;
  std::string line = "announcement " + report.announcement_id + ": " + report.status + " (" + std::to_string(delivered) +
                     " of " + std::to_string(report.deliveries.size()) + " deliveries delivered)";
  if (report.exit_code() == ExitCode::ok) term.out() << line << "\n";
  else std::cerr << line << "\n";
  if (report.exit_code() == ExitCode::temp_fail)
    std::cerr << "samvad: run the same command again to finish it: what was sent is recorded and is not sent twice\n";
  else if (report.exit_code() == ExitCode::unavailable)
    std::cerr << "samvad: failed deliveries are not sent again by a rerun; after fixing the cause, add --retry-failed\n";
}

// credentials.yaml, when a planned delivery's channel needs secrets (a notice feed needs none, so
// a feed-only post works without the file).
bool needs_credentials(const delivery::Plan& plan) {
  for (const auto& d : plan.deliveries)
    if (const channel::Spec* spec = registry::find(d.channel); spec && spec->check_credentials) return true;
  return false;
}

config::Credentials no_credentials(const app::Workspace& ws) {
  config::Credentials none;
  none.path = ws.credentials_path;
  return none;
}

config::Credentials credentials_for(const delivery::Plan& plan, const app::Workspace& ws) {
  if (needs_credentials(plan)) return config::load_credentials(ws.credentials_path, ws.config.department_ids());
  return no_credentials(ws);
}

// Every planned delivery's channel has what it needs from credentials.yaml (78 listing each).
void require_credentials(const delivery::Plan& plan, const config::Credentials& credentials, const app::Workspace& ws) {
  Diagnostics missing;
  std::set<std::string> checked;
  for (const auto& d : plan.deliveries) {
    const auto* department = ws.config.find_department(d.department);
    if (!department || !checked.insert(d.department + "\x1f" + d.channel).second) continue;
    for (auto& problem : registry::check_credentials(credentials, *department, d.channel)) missing.add(std::move(problem));
  }
  missing.throw_if_any();
}

delivery::RunReport send_plan(Terminal& term, const app::Workspace& ws, const config::Credentials& credentials,
                              const delivery::Plan& plan, int jobs, int max_wait_seconds, bool retry_failed) {
  delivery::EngineOptions engine;
  engine.retry_failed = retry_failed;
  engine.store_path = ws.state.path;
  engine.jobs = jobs;
  engine.retry = retry_policy(max_wait_seconds);
  engine.sleep = interruptible_sleep;
  engine.stopping = stop_requested;
  term.detail("state: " + engine.store_path.string());
  TerminalObserver observer(term);
  return delivery::run(plan, ws.config, credentials, services(), engine, observer);
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
    plan = delivery::plan_text(*options.text, ws.config, departments, channels, media, options.id);
  } else {
    app::ComposeRequest request = options.compose;
    request.channels = channels;
    request.media = media;
    request.attachments = attachments;
    request.id = options.id;
    auto composed = app::compose(ws, request);
    warnings = composed.warnings;
    plan = delivery::plan_template(app::template_request(composed), ws.config, channels, media, attachments, options.id);
  }
  warnings.insert(warnings.end(), plan.warnings.begin(), plan.warnings.end());
  term.warnings(warnings);
  if (plan.deliveries.empty())
    throw Error(ExitCode::usage, "nothing to send: none of the chosen departments has a channel this announcement uses (" +
                                     std::to_string(plan.skipped.size()) + " skipped)");
  // Before anything is shown: what the store already holds under this id decides what a run
  // would really send (and a changed content is refused here, not after the prompt).
  auto reconciliation = delivery::reconcile_with_store(plan, ws.state.path, options.retry_failed);
  term.warnings(reconciliation.notes);
  if (options.dry_run) {
    if (term.options().json) term.json(delivery::plan_json(plan, reconciliation, ws.config));
    else print_plan(term, plan, reconciliation);
    return 0;
  }

  auto credentials = credentials_for(plan, ws);
  require_credentials(plan, credentials, ws);

  if (!options.yes && reconciliation.sends_anything()) {
    if (interactive()) print_confirmation(term, plan, reconciliation, options.full);
    if (!confirm(term, "Post announcement " + plan.announcement.id + " (" + std::to_string(plan.deliveries.size()) + " deliveries)?", false))
      return to_int(ExitCode::ok);
  }

  catch_stop_signals();
  auto report = send_plan(term, ws, credentials, plan, options.jobs, options.max_wait_seconds, options.retry_failed);
  print_report(term, report);
  return to_int(stopped_code(report.exit_code()));
}

namespace {

schedule::LocalTime parse_now(const std::optional<std::string>& now, const std::string& zone) {
  if (!now) return schedule::to_local(std::chrono::system_clock::now(), zone);
  return schedule::parse_command_time(*now);  // a wall-clock time in `zone`
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

namespace {

// One due occurrence made ready before anything is asked or sent: rendered and planned (so
// the confirmation and --dry-run show the content), or the error that stops it.
struct PreparedOccurrence {
  const app::DueItem* item = nullptr;
  std::optional<delivery::Plan> plan;
  std::optional<delivery::Reconciliation> reconciliation;
  std::optional<Error> error;
};

PreparedOccurrence prepare(Terminal& term, const app::Workspace& ws, const app::DueItem& item, bool retry_failed) {
  PreparedOccurrence p;
  p.item = &item;
  if (item.action == app::DueItem::Action::superseded || item.action == app::DueItem::Action::skipped) return p;
  try {
    auto composed = app::compose(ws, app::compose_request(*item.entry, item.occurrence));
    term.warnings(composed.warnings);
    p.plan = delivery::plan_template(app::template_request(composed), ws.config, delivery::select_channels(item.entry->channels),
                                     {}, {}, item.announcement_id);
    term.warnings(p.plan->warnings);
    p.reconciliation = delivery::reconcile_with_store(*p.plan, ws.state.path, retry_failed);
    term.warnings(p.reconciliation->notes);
  } catch (const Error& e) {
    p.error = e;
  }
  return p;
}

nlohmann::json occurrence_json(const app::DueItem& item, const std::string& zone) {
  const bool has_reason = !item.reason.empty() && item.action != app::DueItem::Action::post;
  return nlohmann::json{{"entry", item.entry->id},
                        {"occurrence", schedule::to_iso8601(item.occurrence, zone)},
                        {"announcement", item.announcement_id},
                        {"action", app::to_string(item.action)},
                        {"reason", has_reason ? nlohmann::json(item.reason) : nlohmann::json(nullptr)},
                        {"report", nullptr},
                        {"error", nullptr}};
}

}  // namespace

int run_due(Terminal& term, const app::Paths& paths, const RunDueOptions& options) {
  if (options.jobs < 1 || options.jobs > 64) throw Error(ExitCode::usage, "--jobs must be 1 to 64");
  const auto catch_up = schedule::parse_catch_up(options.catch_up);
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = parse_now(options.now, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  if (!options.yes && !options.dry_run && !interactive())
    throw Error(ExitCode::usage, "not running on a terminal, so samvad cannot ask for confirmation; pass --yes (as cron lines do)");

  const auto state = ws.state.path;
  // A dry run changes nothing, so it neither waits for nor blocks a real run.
  std::optional<RunDueLock> lock;
  if (!options.dry_run) lock.emplace(state);
  std::vector<app::DueItem> items;
  {
    std::optional<store::Store> st;
    if (!options.dry_run || std::filesystem::exists(state)) st.emplace(store::Store::open(state));
    items = app::due_now(sched, st ? &*st : nullptr, now, catch_up, zone, options.retry_failed);
  }
  term.detail("schedule: " + sched.path.string() + ", now " + schedule::to_iso(now) + " " + zone);
  nlohmann::json results = nlohmann::json::array();
  if (items.empty()) {
    if (term.options().json) term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)}, {"dry_run", options.dry_run}, {"occurrences", results}});
    else term.out() << "nothing due at " << schedule::to_iso(now) << "\n";
    return 0;
  }

  std::vector<PreparedOccurrence> prepared;
  for (const auto& item : items) prepared.push_back(prepare(term, ws, item, options.retry_failed));
  auto show = [&] {
    for (const auto& p : prepared) {
      term.out() << term.bold(app::to_string(p.item->action) + " " + p.item->announcement_id) << " (entry " << p.item->entry->id
                 << ", " << schedule::to_iso(p.item->occurrence) << ")\n";
      if (p.error) term.out() << "  not posted: " << p.error->what() << "\n";
      else if (p.plan) print_plan(term, *p.plan, *p.reconciliation);
      else term.out() << "  " << p.item->reason << "\n";
    }
  };
  if (options.dry_run) {
    ExitCode code = ExitCode::ok;
    if (term.options().json) {
      for (const auto& p : prepared) {
        nlohmann::json j = occurrence_json(*p.item, zone);
        if (p.plan) j["plan"] = delivery::plan_json(*p.plan, *p.reconciliation, ws.config);
        j["error"] = p.error ? nlohmann::json(p.error->what()) : nlohmann::json(nullptr);
        results.push_back(std::move(j));
      }
      term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)}, {"dry_run", true}, {"occurrences", results}});
    } else {
      show();
    }
    for (const auto& p : prepared)
      if (p.error) code = worse(code, p.error->code());
    return to_int(code);
  }
  if (!options.yes) {
    show();
    if (!confirm(term, "Go ahead?", false)) return 0;
  }

  catch_stop_signals();
  std::optional<config::Credentials> credentials;
  ExitCode code = ExitCode::ok;
  for (auto& p : prepared) {
    const app::DueItem& item = *p.item;
    nlohmann::json result = occurrence_json(item, zone);
    if (item.action == app::DueItem::Action::superseded || item.action == app::DueItem::Action::skipped) {
      auto st = store::Store::open(state);
      st.record_occurrence(store::OccurrenceRecord{item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence),
                                                   app::to_string(item.action), item.reason, {}});
      term.warning(Diagnostic{ExitCode::data, item.announcement_id + " " + app::to_string(item.action) + ": " + item.reason,
                              item.entry->where});
      results.push_back(std::move(result));
      continue;
    }
    if (stop_requested()) {
      code = worse(code, ExitCode::temp_fail);
      continue;
    }
    try {
      if (p.error) throw *p.error;
      if (!credentials && needs_credentials(*p.plan))
        credentials = config::load_credentials(ws.credentials_path, ws.config.department_ids());
      const config::Credentials none = no_credentials(ws);
      const config::Credentials& keys = credentials ? *credentials : none;
      require_credentials(*p.plan, keys, ws);
      {
        auto st = store::Store::open(state);
        st.record_occurrence(store::OccurrenceRecord{item.announcement_id, item.entry->id, schedule::to_iso(item.occurrence),
                                                     "posted", "", {}});
      }
      auto report = send_plan(term, ws, keys, *p.plan, options.jobs, options.max_wait_seconds, options.retry_failed);
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
  if (term.options().json)
    term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)}, {"dry_run", false}, {"occurrences", results}});
  return to_int(stopped_code(code));
}

int run_schedule(Terminal& term, const app::Paths& paths, int days, const std::optional<std::string>& now_text,
                 const std::string& catch_up_text) {
  if (days < 0 || days > 366) throw Error(ExitCode::usage, "--days must be 0 to 366");
  const auto catch_up = schedule::parse_catch_up(catch_up_text);
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = parse_now(now_text, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  const auto state = ws.state.path;
  std::optional<store::Store> st;
  if (std::filesystem::exists(state)) st.emplace(store::Store::open(state));
  auto overview = app::schedule_overview(sched, st ? &*st : nullptr, now, days, zone, catch_up);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : overview)
      out.push_back({{"time", schedule::to_iso8601(o.occurrence, zone)}, {"entry", o.entry->id}, {"template", o.entry->template_name},
                     {"announcement", o.announcement_id}, {"status", o.status},
                     {"detail", o.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.detail)}});
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : overview) {
    std::string deps;
    if (o.entry->all) deps = "all";
    for (const auto& d : o.entry->departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({schedule::to_iso(o.occurrence), o.entry->id, o.entry->template_name, deps,
                    o.status + (o.detail.empty() ? "" : " (" + o.detail + ")")});
  }
  term.out() << term.bold("schedule " + sched.path.string() + " (" + zone + "), now " + schedule::to_iso(now)) << "\n";
  term.table({"TIME", "ENTRY", "TEMPLATE", "DEPARTMENTS", "STATUS"}, rows);
  return 0;
}

int run_status(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  auto path = readable_store_path(term, paths);
  if (!std::filesystem::exists(path))
    throw Error(ExitCode::no_input, "no delivery store at " + path.string() + " yet; expected one after the first 'samvad post'");
  auto st = store::Store::open(path);
  std::string announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (announcement.empty()) throw Error(ExitCode::no_input, "nothing has been posted yet (" + path.string() + " is empty)");
  if (!st.announcement(announcement))
    throw Error(ExitCode::no_input, "no announcement '" + shown(announcement) + "' in " + path.string() + "; expected an id from 'samvad history'");
  auto report = delivery::report_of(announcement, st.deliveries(announcement));
  // Deliveries recorded before samvad kept the account: name it from the configuration.
  try {
    auto ws = app::open_workspace(paths);
    delivery::name_languages(report, ws.config);
    for (auto& d : report.deliveries) {
      const config::Department* dep = ws.config.find_department(d.department);
      if (!d.account.empty() || !dep) continue;
      if (const auto* account = twitter::account_of(*dep); account && d.channel == twitter::kChannel) d.account = "@" + account->handle;
      if (const auto* list = email::list_of(*dep); list && list->list && d.channel == email::kChannel) d.account = *list->list;
    }
  } catch (const Error&) {
    // Without a readable configuration the recorded accounts are all there is.
  }
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.deliveries) {
    std::string ids;
    if (const channel::Spec* spec = registry::find(d.channel); spec && spec->outcome_text) ids = spec->outcome_text(d);
    rows.push_back({d.department, d.channel, d.language, d.account.empty() ? "-" : d.account, store::to_string(d.status),
                    std::to_string(d.attempts), d.error ? escape_for_terminal(*d.error) : ids});
  }
  term.out() << term.bold("announcement " + announcement + ": " + report.status) << "\n";
  term.table({"DEPARTMENT", "CHANNEL", "LANG", "ACCOUNT", "STATUS", "ATTEMPTS", "POSTS / ERROR"}, rows);
  return 0;
}

int run_history(Terminal& term, const app::Paths& paths, const std::optional<std::string>& department,
                const std::optional<std::string>& since, int limit) {
  if (limit < 1) throw Error(ExitCode::usage, "--limit must be at least 1");
  std::string timezone = "Asia/Kolkata";
  std::optional<config::Config> config;
  std::filesystem::path path;
  try {
    auto ws = app::open_workspace(paths);
    timezone = ws.config.organization.timezone;
    path = ws.state.path;
    config = std::move(ws.config);
  } catch (const Error&) {
    // History is readable without a valid configuration; times are then shown in the default zone.
    path = readable_store_path(term, paths);
  }
  std::optional<store::Clock::time_point> from;
  if (since) {
    auto date = text::parse_iso_date(*since);
    if (!date) throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date as YYYY-MM-DD");
    if (date->year < schedule::kFirstCommandYear || date->year > schedule::kLastCommandYear)
      throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date in the years " +
                                       std::to_string(schedule::kFirstCommandYear) + " to " + std::to_string(schedule::kLastCommandYear));
    from = text::start_of_day(*date, timezone);
  }
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
    for (const auto& e : entries) {
      nlohmann::json deliveries = nlohmann::json::array();
      for (const auto& d : e.items) {
        std::vector<std::string> languages;
        if (d.language != "*") languages = {d.language};
        else if (const config::Department* dep = config ? config->find_department(d.department) : nullptr;
                 dep && registry::find(d.channel) && !registry::find(d.channel)->takes_text)
          languages = dep->languages;
        deliveries.push_back({{"department", d.department},
                              {"channel", d.channel},
                              {"language", d.language == "*" ? nlohmann::json(nullptr) : nlohmann::json(d.language)},
                              {"languages", languages},
                              {"status", store::to_string(d.status)}});
      }
      out.push_back({{"announcement", e.announcement.id},
                     {"time", text::format_iso8601(e.announcement.created_at, timezone)},
                     {"template", e.announcement.template_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.announcement.template_name)},
                     {"departments", e.departments},
                     {"deliveries", deliveries},
                     {"delivery_count", e.deliveries},
                     {"status", e.status}});
    }
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
  // A channel that needs no secrets (the notice feed) retracts without credentials.yaml; one that
  // does says what it lacks.
  auto credentials = std::filesystem::exists(ws.credentials_path)
                         ? config::load_credentials(ws.credentials_path, ws.config.department_ids())
                         : no_credentials(ws);
  auto path = ws.state.path;
  if (!std::filesystem::exists(path)) throw Error(ExitCode::no_input, "no delivery store at " + path.string());
  if (!confirm(term, "Retract announcement " + id + (departments.empty() ? "" : " for the chosen departments") +
                         " (delete its posts, remove its notice pages, withdraw emails not yet sent)?", yes))
    return 0;
  TerminalObserver observer(term);
  delivery::RetractRequest request{id, departments};
  auto result = delivery::retract(request, ws.config, credentials, path, services(), observer);
  delivery::name_languages(result.report, ws.config);
  if (term.options().json) term.json(delivery::to_json(result.report));
  if (result.exit_code != ExitCode::ok) {
    // The lines above say what is left on X and why; the store says nothing more than was done.
    if (!term.options().json)
      std::cerr << "announcement " << id << ": not retracted completely; "
                << (result.exit_code == ExitCode::temp_fail ? "run the same command again to finish"
                                                            : "X refused something (see above)")
                << "\n";
    return to_int(result.exit_code);
  }
  if (!term.options().json) term.out() << "announcement " << id << ": retracted\n";
  return 0;
}

int run_authorize(Terminal& term, const app::Paths& paths, const std::string& department_id, bool force) {
  auto ws = app::open_workspace(paths);
  auto selected = app::select_departments(ws.config, {department_id}, false);
  auto credentials = config::load_credentials(ws.credentials_path, ws.config.department_ids());
  const config::Department& department = *selected.front();
  auto result = twitter::authorize(
      department, credentials, http_factory(),
      [&](const std::string& url) {
        std::cout << "Sign in to X as @" << (twitter::account_of(department) ? twitter::account_of(department)->handle : std::string("?"))
                  << ", then open:\n  " << url << "\nand authorize the app. X then shows a PIN.\n";
      },
      [&] {
        std::cout << "PIN: " << std::flush;
        // One line, and no more than a PIN could be: standard input may be a pipe that never ends.
        std::string pin;
        for (char c; pin.size() < 64 && std::cin.get(c) && c != '\n';) pin += c;
        return pin;
      },
      force);
  if (!twitter::same_handle(result.username, twitter::account_of(department)->handle))
    term.warning(Diagnostic{ExitCode::config, "saved (--force) a token of @" + result.username + ", but " +
                                                  ws.config.path.string() + " says departments." + department_id +
                                                  ".twitter.handle is " + twitter::account_of(department)->handle, {}});
  term.out() << "authorized " << department_id << " as @" << result.username << "; token saved in "
             << ws.credentials_path.string() << "\n";
  return 0;
}

}  // namespace samvad::cli
