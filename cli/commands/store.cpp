// `samvad store info` and `samvad store copy --to URL`: the delivery store itself.
#include <iostream>
#include <memory>

#include <samvad/app/store_admin.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct StoreOptions {
  CLI::App* info_cmd = nullptr;
  CLI::App* copy_cmd = nullptr;
  std::string to;
};

int info(Terminal& term, const app::Paths& paths) {
  const auto info = app::store_info(paths);
  if (term.options().json) {
    term.json(app::to_json(info));
    return 0;
  }
  term.out() << "store: " << info.location << " (" << info.backend << ", schema " << info.schema_version << ")\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [table, count] : info.rows) rows.push_back({table, std::to_string(count)});
  term.table({"TABLE", "ROWS"}, rows);
  return 0;
}

int copy(Terminal& term, const app::Paths& paths, const StoreOptions& o) {
  const auto report = app::store_copy(paths, o.to);
  if (term.options().json) {
    term.json(app::to_json(report));
    return 0;
  }
  long long copied = 0, present = 0;
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : report.tables) {
    rows.push_back({t.table, std::to_string(t.copied), std::to_string(t.present)});
    copied += t.copied;
    present += t.present;
  }
  term.table({"TABLE", "COPIED", "ALREADY THERE"}, rows);
  term.out() << "copied " << copied << " rows from " << report.from << " to " << report.to << " (" << present
             << " were there already)\n";
  return 0;
}

}  // namespace

Command store_command() {
  return {"store", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<StoreOptions>();
            auto* cmd = app.add_subcommand("store", "the delivery store: what it holds, and moving it to PostgreSQL");
            cmd->require_subcommand(1);
            o->info_cmd = cmd->add_subcommand("info", "the store's backend, location, schema version and row counts");
            set_footer(o->info_cmd, globals,
                       {"samvad store info", "samvad --state postgresql://samvad@db/samvad store info --json"});
            o->copy_cmd = cmd->add_subcommand(
                "copy",
                "copy the SQLite history into a PostgreSQL store (ids and statuses kept; run twice, nothing doubled)");
            o->copy_cmd->add_option("--to", o->to, "the PostgreSQL store's URL")->required();
            set_footer(o->copy_cmd, globals,
                       {"samvad store copy --to 'postgresql://samvad@db.pcmc.example.org/samvad?sslmode=verify-full'"});
            set_footer(cmd, globals, {"samvad store info", "samvad --json store info"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) {
                            return o->copy_cmd->parsed() ? copy(term, paths, *o) : info(term, paths);
                          }};
          }};
}

}  // namespace samvad::cli
