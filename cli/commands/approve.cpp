// `samvad approve`: shows what awaits approval exactly as it was recorded, and once confirmed
// sends it; or approves a schedule entry's content so run-due posts its occurrences.
#include <memory>

#include <samvad/app/approval.hpp>
#include <samvad/app/budget.hpp>
#include <samvad/app/run_due.hpp>
#include <samvad/core/operator.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/text/timestamp.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct ApproveOptions {
  std::optional<std::string> id;
  std::optional<std::string> entry;  // --schedule ENTRY
  bool yes = false;
  app::SendOptions send;
};

// What will be sent, as recorded: every text on a terminal with the summary, the texts otherwise.
void show(Terminal& term, const app::Workspace& ws, const app::ApprovalTarget& target) {
  if (term.options().json) return;
  const auto& a = target.approval;
  term.out() << term.bold("announcement " + a.announcement_id + " (" + a.kind + "), submitted by " + a.submitted_by +
                          " at " + text::format_timestamp(a.submitted_at, ws.config.organization.timezone))
             << "\n";
  if (interactive())
    print_confirmation(term, target.plan, target.reconciliation, target.cost, true);
  else
    print_plan(term, target.plan, target.reconciliation);
}

int approve_announcement(Terminal& term, const app::Paths& paths, ApproveOptions& options) {
  app::check_send_options(options.send);
  const auto ws = app::open_workspace(paths);
  const auto target = app::open_approval(ws, *options.id);
  const delivery::Plan& plan = target.plan;
  auto credentials = app::credentials_for(plan, ws);
  app::require_credentials(plan, credentials, ws);
  app::check_budgets(ws, target.cost);
  show(term, ws, target);
  if (!confirm(term,
               "Approve announcement " + plan.announcement.id + " and send it (" +
                   std::to_string(plan.deliveries.size()) + " deliveries)?",
               options.yes))
    return to_int(ExitCode::ok);
  app::approve(ws, target);
  term.detail("approved by " + operator_name());
  catch_stop_signals();
  options.send.sleep = interruptible_sleep;
  options.send.stopping = stop_requested;
  TerminalObserver observer(term);
  auto report = app::send_plan(ws, credentials, plan, options.send, services(), observer);
  app::record_approved_reply(ws, target.approval);
  print_report(term, report);
  return to_int(stopped_code(report.exit_code()));
}

const schedule::Entry& find_entry(const schedule::Schedule& schedule, const std::string& id) {
  if (const auto* entry = schedule.find(id)) return *entry;
  std::vector<std::string> ids;
  for (const auto& e : schedule.entries) ids.push_back(e.id);
  throw Error(ExitCode::usage, "no entry '" + shown(id) + "' in " + schedule.path.string() + did_you_mean(id, ids) +
                                   "; expected an entry id (see 'samvad schedule')");
}

int approve_entry(Terminal& term, const app::Paths& paths, const ApproveOptions& options) {
  const auto ws = app::open_workspace(paths);
  const auto schedule = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  const schedule::Entry& entry = find_entry(schedule, *options.entry);
  const auto plan =
      app::schedule_entry_plan(ws, entry, app::command_now(std::nullopt, ws.config.organization.timezone));
  if (!term.options().json) {
    term.out() << term.bold("schedule entry " + entry.id + " (template " + entry.template_name +
                            "), as its next occurrence would post it:")
               << "\n";
    print_plan(term, plan, delivery::reconcile(plan, {}, false));
  }
  if (!confirm(term, "Approve the content of schedule entry " + entry.id + "?", options.yes)) return 0;
  const auto approved = app::approve_schedule_entry(ws, entry);
  if (term.options().json) {
    term.json({{"entry", entry.id},
               {"template", entry.template_name},
               {"digest", approved.digest},
               {"operator", approved.approved_by},
               {"at", text::format_iso8601(approved.approved_at, ws.config.organization.timezone)}});
    return 0;
  }
  term.out() << "schedule entry " << entry.id << ": approved by " << approved.approved_by
             << "; run-due posts its occurrences while its template and variables stay as they are\n";
  return 0;
}

int run(Terminal& term, const app::Paths& paths, ApproveOptions& options) {
  if (options.id.has_value() == options.entry.has_value())
    throw Error(ExitCode::usage,
                "approve what? expected an announcement ID (see 'samvad pending') or --schedule "
                "ENTRY, not both");
  return options.entry ? approve_entry(term, paths, options) : approve_announcement(term, paths, options);
}

}  // namespace

Command approve_command() {
  return {"approve", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<ApproveOptions>();
            auto* cmd = app.add_subcommand("approve",
                                           "show what awaits approval as it was recorded and send it; or approve a "
                                           "schedule entry's content for run-due");
            cmd->add_option("id", o->id, "announcement id (see 'samvad pending')");
            cmd->add_option("--schedule", o->entry, "approve this schedule.yaml entry's template and variables")
                ->type_name("ENTRY");
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
            add_send_options(cmd, o->send);
            set_footer(cmd, globals,
                       {"samvad approve --schedule property-tax-weekly --yes",
                        "samvad approve --schedule water-cut-nigdi-2026-12-03 --yes --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
