// `samvad status`: the deliveries of one announcement.
#include <iostream>
#include <memory>
#include <tuple>

#include <samvad/app/status.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/text/timestamp.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  const auto result = app::status(paths, readable_store_path(term, paths), id);
  const auto& [announcement, report] = std::tie(result.announcement, result.report);
  if (term.options().json) {
    term.json(app::to_json(result));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.deliveries) {
    std::string ids;
    if (const channel::Spec* spec = registry::find(d.channel); spec && spec->outcome_text) ids = spec->outcome_text(d);
    rows.push_back({d.department, d.channel, d.language, d.account.empty() ? "-" : d.account,
                    store::to_string(d.status), std::to_string(d.attempts),
                    d.error ? escape_for_terminal(*d.error) : ids});
  }
  term.out() << term.bold("announcement " + announcement + ": " + report.status) << "\n";
  if (!result.record.operator_name.empty())
    term.out() << "recorded by " << escape_for_terminal(result.record.operator_name) << " at "
               << text::format_timestamp(result.record.created_at, result.time_zone) << "\n";
  for (const auto& e : result.events) term.out() << escape_for_terminal(app::describe(e, result.time_zone)) << "\n";
  term.table({"DEPARTMENT", "CHANNEL", "LANG", "ACCOUNT", "STATUS", "ATTEMPTS", "POSTS / ERROR"}, rows);
  return 0;
}

}  // namespace

Command status_command() {
  return {"status", [](CLI::App& app, const std::string& globals) {
            auto id = std::make_shared<std::optional<std::string>>();
            auto* cmd = app.add_subcommand("status", "the deliveries of one announcement (default: the latest)");
            cmd->add_option("id", *id, "announcement id");
            set_footer(cmd, globals, {"samvad status", "samvad status water-supply-interruption-5ec4b2a6c49c --json"});
            return Runner{cmd, [id](Terminal& term, const app::Paths& paths) { return run(term, paths, *id); }};
          }};
}

}  // namespace samvad::cli
