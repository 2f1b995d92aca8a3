// `samvad reject`: refuses an announcement that awaits approval; it is never sent.
#include <memory>

#include <samvad/app/approval.hpp>
#include <samvad/text/timestamp.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct RejectOptions {
  std::string id;
  std::string reason;
};

int run(Terminal& term, const app::Paths& paths, const RejectOptions& options) {
  const auto ws = app::open_workspace(paths);
  const auto rejected = app::reject(ws, options.id, options.reason);
  const std::string at =
      rejected.decided_at ? text::format_iso8601(*rejected.decided_at, ws.config.organization.timezone) : "";
  if (term.options().json) {
    term.json({{"announcement", rejected.announcement_id},
               {"status", "rejected"},
               {"operator", rejected.decided_by},
               {"at", at},
               {"reason", rejected.reason}});
    return 0;
  }
  term.out() << "announcement " << rejected.announcement_id << ": rejected by " << rejected.decided_by
             << "; it will never be sent\n";
  return 0;
}

}  // namespace

Command reject_command() {
  return {"reject", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<RejectOptions>();
            auto* cmd = app.add_subcommand("reject", "refuse an announcement that awaits approval; it is never sent");
            cmd->add_option("id", o->id, "announcement id (see 'samvad pending')")->required();
            cmd->add_option("--reason", o->reason, "why, for the one who submitted it (required)")->required();
            set_footer(cmd, globals, {"samvad reject text-bc5f16fad440 --reason \"the time changed: 4 pm\""});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
