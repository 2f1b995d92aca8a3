// `samvad reply`: answer one citizen's post from the inbox, as the department that holds it
// (preview, confirm, post), exactly once.
#include <memory>

#include <samvad/app/approval.hpp>
#include <samvad/app/budget.hpp>
#include <samvad/app/inbox.hpp>
#include <samvad/app/reply.hpp>
#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct ReplyOptions {
  app::ReplyRequest request;
  bool yes = false;
  bool dry_run = false;
  app::SendOptions send;
};

int run(Terminal& term, const app::Paths& paths, ReplyOptions& options) {
  app::check_send_options(options.send);
  auto ws = app::open_workspace(paths);
  const auto reply = app::prepare_reply(ws, options.request);
  term.warnings(reply.post.warnings);
  const delivery::Plan& plan = reply.post.plan;
  if (options.dry_run) {
    if (term.options().json)
      term.json(delivery::plan_json(plan, reply.post.reconciliation, ws.config));
    else
      print_plan(term, plan, reply.post.reconciliation);
    return 0;
  }
  if (app::approval_policy(ws.config, reply.post.kind, plan).required) {
    const auto held = app::submit_for_approval(ws, reply.post, app::ReplyItem{reply.item.channel, reply.item.id});
    if (held.state == store::ApprovalState::awaiting) return print_held(term, held, plan);
  }
  auto credentials = app::credentials_for(plan, ws);
  app::require_credentials(plan, credentials, ws);
  app::check_budgets(ws, reply.post.cost);
  if (!options.yes && reply.post.reconciliation.sends_anything()) {
    if (interactive()) {
      term.out() << term.bold("@" + shown(reply.item.author.username, 30) + " wrote:") << " "
                 << shown(reply.item.text, 280) << "\n";
      print_confirmation(term, plan, reply.post.reconciliation, reply.post.cost, true);
    }
    if (!confirm(term, "Reply as " + reply.item.department + " (" + reply.language + ")?", false))
      return to_int(ExitCode::ok);
  }
  catch_stop_signals();
  options.send.sleep = interruptible_sleep;
  options.send.stopping = stop_requested;
  TerminalObserver observer(term);
  auto report = app::send_plan(ws, credentials, plan, options.send, services(), observer);
  const auto item = app::record_reply(ws, reply);
  if (term.options().json) {
    auto j = app::to_json(item, ws.config.organization.timezone);
    term.json(nlohmann::json{
        {"item", j}, {"announcement", plan.announcement.id}, {"exit_code", to_int(stopped_code(report.exit_code()))}});
  } else {
    print_report(term, report);
  }
  return to_int(stopped_code(report.exit_code()));
}

}  // namespace

Command reply_command() {
  return {"reply", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<ReplyOptions>();
            auto& r = o->request;
            auto* cmd = app.add_subcommand(
                "reply", "answer a citizen's post from the inbox as the department that holds it; never twice");
            cmd->add_option("id", r.item_id, "the item's id (from samvad inbox)")->required();
            cmd->add_option("template", r.template_name, "a template of kind reply (or use --text)");
            cmd->add_option("--text", r.text, "reply with this text (a thread when too long)");
            one_value_per_use(cmd->add_option("--var", r.var_arguments, "variable: key=value (repeatable)"));
            cmd->add_option("--vars", r.vars_file, "YAML file of variables")->type_name("FILE");
            cmd->add_option("--lang", r.language, "the reply's language (default: the citizen's, if the department's)");
            cmd->add_flag("--dry-run", o->dry_run, "render and plan, print the reply; send and record nothing");
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
            add_send_options(cmd, o->send, false);
            set_footer(
                cmd, globals,
                {"samvad reply 1866240000000000000 reply-complaint-registered --var ticket=WS-2026-0412 --dry-run",
                 "samvad reply 1866240000000000000 --text \"तक्रार नोंदवली आहे, धन्यवाद.\" --yes"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
