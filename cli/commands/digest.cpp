// `samvad digest`: each department head's email of what citizens said and what is still open
// (for cron, after `samvad inbox sync`).
#include <memory>

#include <samvad/app/digest.hpp>
#include <samvad/app/run_due.hpp>
#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct DigestOptions {
  app::DigestRequest request;
  bool yes = false;
  app::SendOptions send;
};

std::string to_line(const app::PreparedDigest& d) {
  std::string to;
  for (const auto& a : d.department->inbox.digest_to) to += (to.empty() ? "" : ", ") + a;
  return d.department->id + " → " + to + ": " + std::to_string(d.figures.open) + " open (" +
         std::to_string(d.figures.open_over_24h) + " over 24 h), " + std::to_string(d.figures.new_items) + " new";
}

int run(Terminal& term, const app::Paths& paths, DigestOptions& o) {
  app::check_send_options(o.send);
  const auto ws = app::open_workspace(paths);
  auto digests = app::prepare_digests(ws, o.request, store::Clock::now());
  bool any = false;
  for (const auto& d : digests) {
    if (!d.plan) {
      term.detail(d.department->id + ": no digest, " + d.skipped);
      continue;
    }
    any = true;
    if (!o.yes && interactive())
      term.out() << to_line(d) << (d.resumes ? " (resuming today's digest as recorded)" : "") << "\n";
  }
  if (any && !o.yes && !confirm(term, "Send these digests?", false)) return 0;
  catch_stop_signals();
  o.send.sleep = interruptible_sleep;
  o.send.stopping = stop_requested;
  ExitCode code = ExitCode::ok;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : digests) {
    std::optional<delivery::RunReport> report;
    if (d.plan) {
      const app::Workspace& with = *d.sending;
      const auto credentials = app::credentials_for(*d.plan, with);
      app::require_credentials(*d.plan, credentials, with);
      TerminalObserver observer(term);
      report = app::send_plan(with, credentials, *d.plan, o.send, services(), observer);
      code = app::worse(code, report->exit_code());
    }
    out.push_back(app::to_json(d, report));
  }
  if (term.options().json)
    term.json(out);
  else if (!any)
    term.out() << "no digest to send: nothing open and nothing new (or sent already today)\n";
  return to_int(stopped_code(code));
}

}  // namespace

Command digest_command() {
  return {"digest", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<DigestOptions>();
            auto* cmd = app.add_subcommand(
                "digest", "email each department head what citizens said and what is still open; once a day");
            one_value_per_use(cmd->add_option("-d,--department", o->request.departments, "department id (repeatable)"))
                ->delimiter(',');
            cmd->add_flag("--all", o->request.all, "every department with inbox.digest_to (the default)");
            cmd->add_option("--since", o->request.since, "what counts as new: the last DURATION, e.g. 24h, 7d")
                ->default_val("24h");
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation (required when not on a terminal)");
            set_footer(cmd, globals, {"samvad digest --yes", "samvad -q inbox sync && samvad -q digest --yes"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
