// `samvad departments`.
#include <iostream>

#include <samvad/app/listing.hpp>
#include <samvad/twitter/settings.hpp>

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
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : ws.config.departments) {
    std::string channels, languages, names;
    for (const auto& c : d.channels()) channels += (channels.empty() ? "" : ",") + c;
    for (const auto& l : d.languages) {
      languages += (languages.empty() ? "" : ",") + l;
      if (const std::string* n = d.name.find(l)) names += (names.empty() ? "" : " / ") + *n;
    }
    const samvad::twitter::Account* account = samvad::twitter::account_of(d);
    rows.push_back({d.id, channels.empty() ? "-" : channels, languages, account ? "@" + account->handle : "-", names});
  }
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
