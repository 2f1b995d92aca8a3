// `samvad departments`.
#include <iostream>

#include <samvad/app/listing.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const samvad::app::Paths& paths) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("config: " + ws.config.path.string());
  if (term.options().json) {
    term.json(samvad::app::departments_json(ws.config));
    return 0;
  }
  auto join = [](const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
  };
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : samvad::app::department_rows(ws.config))
    rows.push_back({d.id, d.channels.empty() ? "-" : join(d.channels, ","), join(d.languages, ","), d.account,
                    join(d.names, " / ")});
  term.table({"ID", "CHANNELS", "LANGUAGES", "TWITTER", "NAME"}, rows);
  return 0;
}

}  // namespace

Command departments_command() {
  return {"departments", [](CLI::App& app, const std::string& globals) {
            auto* cmd = app.add_subcommand("departments", "list the configured departments");
            set_footer(cmd, globals, {"samvad departments", "samvad departments --json"});
            return Runner{cmd, run};
          }};
}

}  // namespace samvad::cli
