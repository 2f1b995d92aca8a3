// `samvad run-due`: cron's command. Posts every scheduled occurrence that is due, each once.
#include <memory>

#include <nlohmann/json.hpp>

#include <samvad/app/run_due.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct RunDueOptions {
  std::optional<std::string> now;  // --now YYYY-MM-DDTHH:MM (tests, back-fills)
  std::string catch_up = "2h";     // --catch-up DURATION
  bool yes = false;
  bool dry_run = false;
  app::SendOptions send;
};

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

void show(Terminal& term, const std::vector<app::PreparedOccurrence>& prepared) {
  for (const auto& p : prepared) {
    term.out() << term.bold(app::to_string(p.item->action) + " " + p.item->announcement_id) << " (entry "
               << p.item->entry->id << ", " << schedule::to_iso(p.item->occurrence) << ")\n";
    if (p.error)
      term.out() << "  not posted: " << p.error->what() << "\n";
    else if (p.plan)
      print_plan(term, *p.plan, *p.reconciliation);
    else
      term.out() << "  " << p.item->reason << "\n";
  }
}

int dry_run(Terminal& term, const app::Workspace& ws, const std::vector<app::PreparedOccurrence>& prepared,
            const schedule::LocalTime& now) {
  const std::string& zone = ws.config.organization.timezone;
  ExitCode code = ExitCode::ok;
  if (term.options().json) {
    nlohmann::json results = nlohmann::json::array();
    for (const auto& p : prepared) {
      nlohmann::json j = occurrence_json(*p.item, zone);
      if (p.plan) j["plan"] = delivery::plan_json(*p.plan, *p.reconciliation, ws.config);
      j["error"] = p.error ? nlohmann::json(p.error->what()) : nlohmann::json(nullptr);
      results.push_back(std::move(j));
    }
    term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)}, {"dry_run", true}, {"occurrences", results}});
  } else {
    show(term, prepared);
  }
  for (const auto& p : prepared)
    if (p.error) code = app::worse(code, p.error->code());
  return to_int(code);
}

// Each occurrence in turn: passed-over ones recorded, due ones posted; a signal stops the rest.
int post_all(Terminal& term, const app::Workspace& ws, const std::vector<app::PreparedOccurrence>& prepared,
             const schedule::LocalTime& now, const app::SendOptions& send) {
  const std::string& zone = ws.config.organization.timezone;
  nlohmann::json results = nlohmann::json::array();
  std::optional<config::Credentials> credentials;
  ExitCode code = ExitCode::ok;
  TerminalObserver observer(term);
  for (const auto& p : prepared) {
    const app::DueItem& item = *p.item;
    nlohmann::json result = occurrence_json(item, zone);
    if (item.action == app::DueItem::Action::superseded || item.action == app::DueItem::Action::skipped) {
      app::record_passed_over(ws, item);
      term.warning(Diagnostic{ExitCode::data,
                              item.announcement_id + " " + app::to_string(item.action) + ": " + item.reason,
                              item.entry->where});
      results.push_back(std::move(result));
      continue;
    }
    if (stop_requested()) {
      code = app::worse(code, ExitCode::temp_fail);
      continue;
    }
    try {
      auto report = app::post_occurrence(ws, p, credentials, send, services(), observer);
      if (!term.options().json) print_report(term, report);
      result["report"] = delivery::to_json(report);
      code = app::worse(code, report.exit_code());
    } catch (const Error& e) {
      term.error(e);
      result["error"] = e.what();
      code = app::worse(code, e.code());
    }
    results.push_back(std::move(result));
  }
  if (term.options().json)
    term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)}, {"dry_run", false}, {"occurrences", results}});
  return to_int(stopped_code(code));
}

int run(Terminal& term, const app::Paths& paths, RunDueOptions& options) {
  app::check_send_options(options.send);
  const auto catch_up = schedule::parse_catch_up(options.catch_up);
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = app::command_now(options.now, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  if (!options.yes && !options.dry_run && !interactive())
    throw Error(ExitCode::usage,
                "not running on a terminal, so samvad cannot ask for confirmation; pass --yes (as cron lines do)");

  // A dry run changes nothing, so it neither waits for nor blocks a real run.
  std::optional<app::RunDueLock> lock;
  if (!options.dry_run) lock.emplace(ws.state.path);
  std::vector<app::DueItem> items;
  {
    std::optional<store::Store> st;
    if (!options.dry_run || std::filesystem::exists(ws.state.path)) st.emplace(store::Store::open(ws.state.path));
    items = app::due_now(sched, st ? &*st : nullptr, now, catch_up, zone, options.send.retry_failed);
  }
  term.detail("schedule: " + sched.path.string() + ", now " + schedule::to_iso(now) + " " + zone);
  if (items.empty()) {
    if (term.options().json)
      term.json(nlohmann::json{{"now", schedule::to_iso8601(now, zone)},
                               {"dry_run", options.dry_run},
                               {"occurrences", nlohmann::json::array()}});
    else
      term.out() << "nothing due at " << schedule::to_iso(now) << "\n";
    return 0;
  }

  std::vector<app::PreparedOccurrence> prepared;
  for (const auto& item : items) {
    prepared.push_back(app::prepare_occurrence(ws, item, options.send.retry_failed));
    term.warnings(prepared.back().warnings);
  }
  if (options.dry_run) return dry_run(term, ws, prepared, now);
  if (!options.yes) {
    show(term, prepared);
    if (!confirm(term, "Go ahead?", false)) return 0;
  }
  catch_stop_signals();
  options.send.sleep = interruptible_sleep;
  options.send.stopping = stop_requested;
  return post_all(term, ws, prepared, now, options.send);
}

}  // namespace

Command run_due_command() {
  return {"run-due", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<RunDueOptions>();
            auto* cmd = app.add_subcommand(
                "run-due", "post every scheduled notice whose time has come (for cron); never twice, never late");
            cmd->add_option("--now", o->now,
                            "the moment to act for, YYYY-MM-DDTHH:MM in the organization's time zone (default: now)");
            cmd->add_option("--catch-up", o->catch_up, "how late an occurrence may still be posted, e.g. 2h, 90m, 1d")
                ->default_val("2h");
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
            cmd->add_flag("--dry-run", o->dry_run,
                          "show what is due and the content it would post; send and record nothing");
            cmd->add_flag("--retry-failed", o->send.retry_failed,
                          "send failed deliveries of the due occurrences again");
            cmd->add_option("--max-wait", o->send.max_wait_seconds,
                            "longest wait for an X rate limit before deferring, seconds")
                ->default_val(60);
            cmd->add_option("--jobs", o->send.jobs, "departments posted at once")->default_val(8);
            set_footer(cmd, globals, {"samvad -q run-due --yes", "samvad run-due --catch-up 6h --yes --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
