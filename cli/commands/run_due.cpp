// `samvad run-due`: cron's command. Posts every scheduled occurrence that is due, each once.
#include <memory>

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
  app::DueRequest due;
  bool yes = false;
  app::SendOptions send;
};

void show(Terminal& term, const std::vector<app::PreparedOccurrence>& prepared) {
  for (const auto& p : prepared) {
    term.out() << term.bold(app::to_string(p.item->action) + " " + p.item->announcement_id) << " (entry "
               << p.item->entry->id << ", " << schedule::to_iso(p.item->occurrence) << ")\n";
    if (p.error) {
      term.out() << "  not posted: " << p.error->what() << "\n";
      continue;
    }
    if (!p.plan) {  // superseded or skipped
      term.out() << "  " << p.item->reason << "\n";
      continue;
    }
    if (p.approval == app::OccurrenceApproval::held)
      term.out() << "  would be held for approval, not posted: " << app::held_reason(*p.item) << "\n";
    print_plan(term, *p.plan, *p.reconciliation);
  }
}

// Each occurrence's line as it settles: passed-over ones as warnings, reports, errors.
class ProgressPrinter : public app::DueProgress {
 public:
  explicit ProgressPrinter(Terminal& term) : term_(term) {}
  void passed_over(const app::DueItem& item) override {
    term_.warning(Diagnostic{ExitCode::data,
                             item.announcement_id + " " + app::to_string(item.action) + ": " + item.reason,
                             item.entry->where});
  }
  void posted(const app::DueItem&, const delivery::RunReport& report) override {
    if (!term_.options().json) print_report(term_, report);
  }
  void failed(const app::DueItem&, const Error& e) override { term_.error(e); }

 private:
  Terminal& term_;
};

int post_all(Terminal& term, const app::DueRun& due, const app::SendOptions& send) {
  TerminalObserver observer(term);
  ProgressPrinter progress(term);
  auto result = app::post_due(due, send, services(), observer, progress);
  if (term.options().json) term.json(app::due_json(due, result));
  return to_int(stopped_code(result.code));
}

int run(Terminal& term, const app::Paths& paths, RunDueOptions& options) {
  app::check_send_options(options.send);
  options.due.retry_failed = options.send.retry_failed;
  app::DueRun due = app::open_due_run(paths, options.due);
  if (!options.yes && !options.due.dry_run && !interactive())
    throw Error(ExitCode::usage,
                "not running on a terminal, so samvad cannot ask for confirmation; pass --yes (as cron lines do)");
  app::collect_due(due);
  term.detail("schedule: " + due.schedule.path.string() + ", now " + schedule::to_iso(due.now) + " " + due.zone());
  if (due.items.empty()) {
    if (term.options().json)
      term.json(app::due_json(due));
    else
      term.out() << "nothing due at " << schedule::to_iso(due.now) << "\n";
    return 0;
  }
  for (const auto& p : due.prepared) term.warnings(p.warnings);
  if (options.due.dry_run) {
    if (term.options().json)
      term.json(app::due_json(due));
    else
      show(term, due.prepared);
    return to_int(app::dry_run_code(due));
  }
  if (!options.yes) {
    show(term, due.prepared);
    if (!confirm(term, "Go ahead?", false)) return 0;
  }
  catch_stop_signals();
  options.send.sleep = interruptible_sleep;
  options.send.stopping = stop_requested;
  return post_all(term, due, options.send);
}

}  // namespace

Command run_due_command() {
  return {"run-due", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<RunDueOptions>();
            auto* cmd = app.add_subcommand(
                "run-due", "post every scheduled notice whose time has come (for cron); never twice, never late");
            cmd->add_option("--now", o->due.now,
                            "the moment to act for, YYYY-MM-DDTHH:MM in the organization's time zone (default: now)");
            cmd->add_option("--catch-up", o->due.catch_up,
                            "how late an occurrence may still be posted, e.g. 2h, 90m, 1d")
                ->default_val("2h");
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
            cmd->add_flag("--dry-run", o->due.dry_run,
                          "show what is due, the content it would post and what approvals would hold; send and "
                          "record nothing");
            cmd->add_flag("--retry-failed", o->send.retry_failed,
                          "send failed deliveries of the due occurrences again");
            add_send_options(cmd, o->send);
            set_footer(cmd, globals, {"samvad -q run-due --yes", "samvad run-due --catch-up 6h --yes --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
