// `samvad status`: the deliveries of one announcement.
#include <iostream>
#include <memory>

#include <samvad/app/status.hpp>
#include <samvad/registry/channels.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  auto [announcement, report] = app::status(paths, readable_store_path(term, paths), id);
  if (term.options().json) {
    term.json(delivery::to_json(report));
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
