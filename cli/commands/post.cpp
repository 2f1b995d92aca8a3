// `samvad post`: a clerk's one-off post (preview, confirm, post) or a script's (--yes, --json).
#include <memory>

#include <samvad/app/approval.hpp>
#include <samvad/app/budget.hpp>
#include <samvad/app/post.hpp>
#include <samvad/registry/channels.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct PostOptions {
  app::PostRequest request;
  bool dry_run = false;
  bool yes = false;
  bool full = false;  // --full: every text above the confirmation summary
  app::SendOptions send;
};

int run(Terminal& term, const app::Paths& paths, PostOptions& options) {
  options.send.retry_failed = options.request.retry_failed;
  app::check_send_options(options.send);
  auto ws = app::open_workspace(paths);
  app::PreparedPost post = app::prepare_post(ws, options.request);
  term.warnings(post.warnings);
  const delivery::Plan& plan = post.plan;
  if (options.dry_run) {
    if (term.options().json)
      term.json(delivery::plan_json(plan, post.reconciliation, ws.config));
    else
      print_plan(term, plan, post.reconciliation);
    return 0;
  }
  // Held for approval: recorded whole, nothing sent; once approved, a rerun resumes it.
  if (app::approval_policy(ws.config, post.kind, plan).required) {
    const auto held = app::submit_for_approval(ws, post);
    if (held.state == store::ApprovalState::awaiting) return print_held(term, held, plan);
  }

  auto credentials = app::credentials_for(plan, ws);
  app::require_credentials(plan, credentials, ws);
  app::check_budgets(ws, post.cost);
  if (!options.yes && post.reconciliation.sends_anything()) {
    if (interactive()) print_confirmation(term, plan, post.reconciliation, post.cost, options.full);
    if (!confirm(term,
                 "Post announcement " + plan.announcement.id + " (" + std::to_string(plan.deliveries.size()) +
                     " deliveries)?",
                 false))
      return to_int(ExitCode::ok);
  }

  catch_stop_signals();
  options.send.sleep = interruptible_sleep;
  options.send.stopping = stop_requested;
  term.detail("state: " + ws.state.path.shown());
  TerminalObserver observer(term);
  auto report = app::send_plan(ws, credentials, plan, options.send, services(), observer);
  print_report(term, report);
  return to_int(stopped_code(report.exit_code()));
}

}  // namespace

Command post_command() {
  return {
      "post", [](CLI::App& app, const std::string& globals) {
        auto o = std::make_shared<PostOptions>();
        auto& r = o->request;
        auto* cmd = app.add_subcommand("post",
                                       "post an announcement to departments' X accounts, email lists and notice feeds; "
                                       "a rerun resumes and never posts twice");
        cmd->add_option("template", r.compose.template_name, "template name (or use --text)");
        cmd->add_option("--text", r.text, "post this text instead of a template (a thread when too long)");
        one_value_per_use(
            cmd->add_option("-d,--department", r.compose.departments, "department id (repeatable, or comma-separated)"))
            ->delimiter(',');
        cmd->add_flag("--all", r.compose.all, "every department");
        one_value_per_use(
            cmd->add_option("--var", r.compose.var_arguments, "variable: key=value, or key.LANG=value (repeatable)"));
        cmd->add_option("--vars", r.compose.vars_file, "YAML file of variables")->type_name("FILE");
        cmd->add_flag("--example", r.compose.use_examples,
                      "fill every variable not given from the template's examples");
        one_value_per_use(cmd->add_option("--channels", r.channels,
                                          "channels to use: " + registry::listing(registry::names(), ",") +
                                              " (default: every channel; --text: those that take a text)"))
            ->delimiter(',');
        one_value_per_use(
            cmd->add_option("--media", r.media, "image to attach to the first post (repeatable, at most 4)"))
            ->type_name("FILE");
        one_value_per_use(cmd->add_option("--alt", r.alts, "alt text for the --media at the same position (required)"));
        one_value_per_use(cmd->add_option("--attach", r.attachments,
                                          "file to attach to the email, e.g. the PDF circular (repeatable)"))
            ->type_name("FILE");
        cmd->add_option("--id", r.id,
                        "announcement id (default: derived from the template, variables, departments and attachments)");
        cmd->add_flag("--dry-run", o->dry_run, "render and plan, print the deliveries; send and record nothing");
        cmd->add_flag("--full", o->full, "show every text above the confirmation, however long");
        cmd->add_flag("--retry-failed", r.retry_failed,
                      "send failed deliveries of this announcement again (after fixing the cause); delivered ones stay "
                      "as they are");
        cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
        add_send_options(cmd, o->send);
        set_footer(cmd, globals,
                   {"samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --dry-run",
                    "samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --yes",
                    "samvad post --text \"आज दुपारी ३ वाजता पत्रकार परिषद. #PCMC\" -d health,roads --yes"});
        return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
      }};
}

}  // namespace samvad::cli
