#include <samvad/app/check.hpp>

#include <algorithm>
#include <cstdlib>

#include <samvad/app/compose.hpp>
#include <samvad/app/due.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/text.hpp>
#include <samvad/inbox/route.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>
#include <samvad/templates/plausibility.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::app {

ExitCode CheckReport::exit_code(bool strict) const {
  if (!problems.empty()) return problems.front().code;
  if (strict && !warnings.empty()) return warnings.front().code;
  return ExitCode::ok;
}

namespace {

void add_all(std::vector<Diagnostic>& into, const Error& e) {
  into.insert(into.end(), e.diagnostics().begin(), e.diagnostics().end());
}

// "Never twice" holds per store: a command using another store than the one the configuration
// names does not see what was posted through it, and would post it again.
void check_state(const Workspace& ws, CheckReport& report) {
  const auto& cfg = ws.config;
  report.checked.push_back("delivery store: " + ws.state.path.shown() + " (" + to_string(ws.state.source) + ")");
  if (!cfg.state || ws.state.source == StateLocation::Source::config) return;
  const store::Location named(*cfg.state);
  std::error_code ec;
  const bool same = ws.state.path.is_server() || named.is_server()
                        ? ws.state.path.text == named.text
                        : std::filesystem::weakly_canonical(ws.state.path.file(), ec) ==
                              std::filesystem::weakly_canonical(named.file(), ec);
  if (same) return;
  report.warnings.push_back(Diagnostic{
      ExitCode::config,
      "the delivery store in use, " + ws.state.path.shown() + " (from " + to_string(ws.state.source) +
          "), is not the one " + cfg.path.string() + " names (" + named.shown() +
          "): announcements recorded there are not seen here, so they could be posted twice; expected no --state or "
          "$SAMVAD_STATE, or the same path",
      cfg.state_where});
}

std::optional<config::Credentials> check_credentials(const Workspace& ws, CheckReport& report) {
  try {
    config::Credentials credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
    auto problems = registry::check_credentials(credentials, ws.config);
    report.problems.insert(report.problems.end(), problems.begin(), problems.end());
    report.summary.credentials_checked = true;
    if (problems.empty()) report.checked.push_back(ws.credentials_path.string() + ": credentials for every channel");
    return credentials;
  } catch (const Error& e) {
    add_all(report.problems, e);
    return std::nullopt;
  }
}

// What each channel can tell beyond the configuration (its files; with --online, its service).
void check_channels(const Workspace& ws, const config::Credentials* credentials, const channel::Services* online,
                    CheckReport& report) {
  channel::CheckFindings findings;
  for (const auto& spec : registry::channels()) {
    if (spec.check) spec.check(ws.config, findings);
    if (online && credentials && spec.check_online) spec.check_online(ws.config, *credentials, *online, findings);
  }
  report.checked.insert(report.checked.end(), findings.checked.begin(), findings.checked.end());
  report.problems.insert(report.problems.end(), findings.problems.begin(), findings.problems.end());
  report.warnings.insert(report.warnings.end(), findings.warnings.begin(), findings.warnings.end());
  report.notes.insert(report.notes.end(), findings.notes.begin(), findings.notes.end());
  report.summary.subscribers = findings.counts["subscribers"];
  report.summary.accounts_checked = findings.counts["accounts_checked"];
}

// The inbox's routing: keywords that are valid (the configuration checked them) but do not
// route as their author likely meant.
void check_inbox(const Workspace& ws, CheckReport& report) {
  std::size_t keywords = 0;
  for (const auto& d : ws.config.departments)
    for (const auto& [lang, list] : d.inbox.keywords) keywords += list.size();
  if (keywords > 0) report.checked.push_back("inbox routing: " + std::to_string(keywords) + " keywords");
  for (auto& w : inbox::routing_warnings(ws.config)) report.warnings.push_back(std::move(w));
}

// The template rendered for every department with its example values; then what each channel has
// to say of the renders (check_template: a post with a URL costs more on X).
void render_for_departments(const Workspace& ws, const templates::Template& tmpl,
                            const templates::ResolvedVariables& vars, CheckReport& report) {
  std::vector<std::pair<const config::Department*, templates::Message>> renders;
  for (const auto& dept : ws.config.departments) {
    try {
      renders.emplace_back(&dept, templates::render(tmpl, ws.config, dept, vars));
      ++report.summary.renders;
      for (const auto& t : renders.back().second.tweets)
        if (t.parts.size() > 1) ++report.summary.threads;
      for (auto& d : refused_by_channels(tmpl, dept, renders.back().second, {}))
        report.problems.push_back(std::move(d));
    } catch (const Error& e) {
      for (auto d : e.diagnostics()) {
        d.message = "template " + tmpl.name + " for department " + dept.id + ": " + d.message;
        if (!d.where) d.where = SourceLocation{tmpl.path.string(), 0, 0};
        report.problems.push_back(std::move(d));
      }
    }
  }
  std::vector<channel::Rendered> rendered;
  for (const auto& [dept, message] : renders) rendered.push_back(channel::Rendered{*dept, message});
  channel::CheckFindings findings;
  for (const auto& spec : registry::channels())
    if (spec.check_template) spec.check_template(tmpl, rendered, findings);
  report.notes.insert(report.notes.end(), findings.notes.begin(), findings.notes.end());
  report.warnings.insert(report.warnings.end(), findings.warnings.begin(), findings.warnings.end());
  report.problems.insert(report.problems.end(), findings.problems.begin(), findings.problems.end());
}

void check_templates(const Workspace& ws, CheckReport& report) {
  std::vector<templates::Template> all;
  try {
    all = templates::load_templates(ws.templates_dir);
  } catch (const Error& e) {
    add_all(report.problems, e);
    return;
  }
  report.summary.templates = all.size();
  std::size_t problems_before = report.problems.size();
  for (const auto& tmpl : all) {
    report.warnings.insert(report.warnings.end(), tmpl.warnings.begin(), tmpl.warnings.end());
    std::vector<Diagnostic> warnings;
    templates::ResolvedVariables vars;
    try {
      vars = templates::resolve_variables(tmpl, templates::Variables{}, /*use_examples=*/true, warnings);
    } catch (const Error& e) {
      // A template whose examples do not cover its required variables cannot be checked.
      for (auto d : e.diagnostics()) {
        d.message = "template " + tmpl.name + ": " + d.message + " (add an example: to the variable so check can render it)";
        if (!d.where) d.where = SourceLocation{tmpl.path.string(), 0, 0};
        report.problems.push_back(std::move(d));
      }
      continue;
    }
    // An example is shown by `templates NAME` and used by --example: a Latin example for
    // Marathi text or a `from` after its `to` teaches the wrong thing. Dates are not judged:
    // an example is written once and stays valid as an example.
    auto hints = templates::plausibility_warnings(tmpl, vars, tmpl.languages(), std::nullopt);
    for (auto& d : hints) {
      d.message = "template " + tmpl.name + ": example: " + d.message;
      report.warnings.push_back(std::move(d));
    }
    render_for_departments(ws, tmpl, vars, report);
  }
  if (report.problems.size() == problems_before)
    report.checked.push_back(ws.templates_dir.string() + ": " + std::to_string(all.size()) + " templates, " +
                             std::to_string(report.summary.renders) + " renders with example values (" +
                             std::to_string(report.summary.threads) + " threads)");
}

// The occurrences of `entry` that check composes: the next one and the last one before its end
// (until, expires, or a year ahead), since the variables are fixed and dates in them pass while
// the entry runs; when every occurrence has passed, the last one. Composing one occurrence as
// run-due will, dates are judged against its day, not today's.
std::vector<schedule::LocalTime> occurrences_to_check(const schedule::Entry& entry, const schedule::LocalTime& now,
                                                      const std::string& zone) {
  schedule::LocalTime horizon = schedule::to_local(schedule::to_instant(now, zone) + std::chrono::hours(24 * 366), zone);
  if (entry.expires && *entry.expires < horizon) horizon = *entry.expires;
  auto upcoming = entry.occurrences(now, horizon);
  if (!upcoming.empty() && entry.expires && upcoming.back() >= *entry.expires) upcoming.pop_back();
  if (upcoming.empty()) {
    if (!entry.at.empty() && entry.at.back() < now) return {entry.at.back()};
    return {now};
  }
  if (upcoming.size() == 1) return {upcoming.front()};
  return {upcoming.front(), upcoming.back()};
}

// Every occurrence to check of each entry renders (warnings once each, the first failure of an
// entry only: the others fail the same way), and each cron rule comes round.
void check_schedule_entries(const Workspace& ws, const schedule::Schedule& sched, const schedule::LocalTime& now,
                            CheckReport& report) {
  const std::string& zone = ws.config.organization.timezone;
  for (const auto& entry : sched.entries) {
    std::vector<std::string> seen;  // the same warning from two occurrences is shown once
    for (const auto& occurrence : occurrences_to_check(entry, now, zone)) {
      try {
        Composed composed = compose(ws, compose_request(entry, occurrence));
        for (auto d : composed.warnings) {
          d.message = "schedule entry " + entry.id + ": " + d.message;
          if (!d.where) d.where = entry.where;
          if (std::find(seen.begin(), seen.end(), d.message) != seen.end()) continue;
          seen.push_back(d.message);
          report.warnings.push_back(std::move(d));
        }
      } catch (const Error& e) {
        for (auto d : e.diagnostics()) {
          d.message = "schedule entry " + entry.id + ": " + d.message;
          if (!d.where) d.where = entry.where;
          report.problems.push_back(std::move(d));
        }
        break;
      }
    }
    if (entry.cron && !entry.cron->next_after(now))
      report.problems.push_back(Diagnostic{ExitCode::config,
                                           "schedule entry " + entry.id + ": cron '" + shown(entry.cron->text()) +
                                               "' never matches; expected a rule that comes round",
                                           entry.where});
  }
}

// One-off times that have passed and that run-due will not post any more; the one it would
// still post (inside the catch-up window, decided as run-due decides) is fine.
void check_passed_times(const Workspace& ws, const schedule::Schedule& sched, const schedule::LocalTime& now,
                        CheckReport& report) {
  std::optional<store::Store> st;
  try {
    if (ws.state.path.exists()) st.emplace(store::Store::open(ws.state.path));
  } catch (const Error&) {
    // Without a readable store every past time counts as not posted.
  }
  const auto due = due_now(sched, st ? &*st : nullptr, now, schedule::kDefaultCatchUp, ws.config.organization.timezone);
  for (const auto& entry : sched.entries) {
    for (const auto& t : entry.at) {
      if (t > now) continue;
      const std::string id = entry.announcement_id(t);
      if (st && (st->occurrence(id) || st->announcement(id))) continue;
      const bool still_posted = std::any_of(due.begin(), due.end(), [&](const DueItem& item) {
        return item.entry == &entry && item.occurrence == t && item.action == DueItem::Action::post;
      });
      if (still_posted) continue;
      report.warnings.push_back(Diagnostic{ExitCode::data,
                                           "schedule entry " + entry.id + ": " + schedule::to_iso(t) +
                                               " has passed and was never posted; expected future times (run-due posts a "
                                               "time at most " + std::to_string(schedule::kDefaultCatchUp.count() / 60) +
                                               " minutes late, never later)",
                                           entry.where});
    }
  }
}

// schedule.yaml, when there is one (a missing file is a problem only when named explicitly):
// every entry's template renders for its departments with its variables, and no one-off
// time has passed without having been posted.
void check_schedule(const Paths& paths, const Workspace& ws, const std::optional<std::string>& now_text,
                    CheckReport& report) {
  const char* env = std::getenv("SAMVAD_SCHEDULE");
  const bool named = (paths.schedule && !paths.schedule->empty()) || (env && *env);
  const auto path = schedule::find_schedule_path(paths.schedule, ws.config);
  if (!named && !std::filesystem::exists(path)) return;
  schedule::Schedule sched;
  try {
    sched = schedule::load_schedule(path, ws.config);
  } catch (const Error& e) {
    add_all(report.problems, e);
    return;
  }
  schedule::LocalTime now = schedule::to_local(std::chrono::system_clock::now(), ws.config.organization.timezone);
  if (now_text) now = schedule::parse_command_time(*now_text);
  const std::size_t before = report.problems.size();
  check_schedule_entries(ws, sched, now, report);
  check_passed_times(ws, sched, now, report);
  report.summary.schedule_entries = sched.entries.size();
  if (report.problems.size() == before)
    report.checked.push_back(path.string() + ": " + std::to_string(sched.entries.size()) + " scheduled notices");
}

}  // namespace

CheckReport check(const Paths& paths, const std::optional<std::string>& now, const channel::Services* online) {
  if (now) schedule::parse_command_time(*now);  // 64 before anything is checked
  CheckReport report;
  Workspace ws;
  try {
    ws = open_workspace(paths);
  } catch (const Error& e) {
    add_all(report.problems, e);
    return report;  // without departments nothing else can be checked against them
  }
  report.summary.departments = ws.config.departments.size();
  report.checked.push_back(ws.config.path.string() + ": " + std::to_string(ws.config.departments.size()) + " departments");
  check_state(ws, report);
  auto credentials = check_credentials(ws, report);
  check_channels(ws, credentials ? &*credentials : nullptr, online, report);
  check_inbox(ws, report);
  check_templates(ws, report);
  check_schedule(paths, ws, now, report);
  return report;
}

nlohmann::json to_json(const Diagnostic& d) {
  nlohmann::json j{{"message", d.message}, {"exit_code", to_int(d.code)}};
  if (d.where) {
    j["file"] = d.where->file;
    j["line"] = d.where->line > 0 ? nlohmann::json(d.where->line) : nlohmann::json(nullptr);
    j["column"] = d.where->column > 0 ? nlohmann::json(d.where->column) : nlohmann::json(nullptr);
  }
  return j;
}

nlohmann::json to_json(const CheckReport& report, bool strict) {
  nlohmann::json problems = nlohmann::json::array(), warnings = nlohmann::json::array(),
                 notes = nlohmann::json::array();
  for (const auto& p : report.problems) problems.push_back(to_json(p));
  for (const auto& w : report.warnings) warnings.push_back(to_json(w));
  for (const auto& n : report.notes) notes.push_back(to_json(n));
  ExitCode code = report.exit_code(strict);
  return {{"ok", code == ExitCode::ok},
          {"exit_code", to_int(code)},
          {"checked", report.checked},
          {"problems", problems},
          {"warnings", warnings},
          {"notes", notes},
          {"summary",
           {{"departments", report.summary.departments},
            {"templates", report.summary.templates},
            {"renders", report.summary.renders},
            {"threads", report.summary.threads},
            {"subscribers", report.summary.subscribers},
            {"schedule_entries", report.summary.schedule_entries},
            {"credentials_checked", report.summary.credentials_checked},
            {"accounts_checked", report.summary.accounts_checked}}}};
}

}  // namespace samvad::app
