// `samvad schedule`: upcoming scheduled notices and what became of past ones.
#include <iostream>
#include <memory>

#include <samvad/app/schedule_list.hpp>
#include <samvad/schedule/schedule.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const app::Paths& paths, const app::ScheduleRequest& request) {
  const auto list = app::list_schedule(paths, request);
  if (term.options().json) {
    term.json(app::to_json(list));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : list.occurrences) {
    std::string deps;
    if (o.entry->all) deps = "all";
    for (const auto& d : o.entry->departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({schedule::to_iso(o.occurrence), o.entry->id, o.entry->template_name, deps,
                    o.status + (o.detail.empty() ? "" : " (" + o.detail + ")")});
  }
  term.out() << term.bold("schedule " + list.schedule.path.string() + " (" + list.zone + "), now " +
                          schedule::to_iso(list.now))
             << "\n";
  term.table({"TIME", "ENTRY", "TEMPLATE", "DEPARTMENTS", "STATUS"}, rows);
  return 0;
}

}  // namespace

Command schedule_command() {
  return {"schedule", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<app::ScheduleRequest>();
            auto* cmd = app.add_subcommand("schedule", "upcoming scheduled notices and what happened to past ones");
            cmd->add_option("--days", o->days, "how far ahead to list, days")->default_val(7);
            cmd->add_option("--now", o->now, "list as of YYYY-MM-DDTHH:MM (default: now)");
            cmd->add_option("--catch-up", o->catch_up,
                            "how late run-due may still post an occurrence (as run-due's --catch-up)")
                ->default_val("2h");
            set_footer(cmd, globals, {"samvad schedule", "samvad schedule --days 30 --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
