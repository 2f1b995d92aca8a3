// `samvad schedule`: upcoming scheduled notices and what became of past ones.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include <samvad/app/due.hpp>
#include <samvad/app/run_due.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct ScheduleOptions {
  int days = 7;
  std::optional<std::string> now;
  std::string catch_up = "2h";
};

int run(Terminal& term, const app::Paths& paths, int days, const std::optional<std::string>& now_text,
        const std::string& catch_up_text) {
  if (days < 0 || days > 366) throw Error(ExitCode::usage, "--days must be 0 to 366");
  const auto catch_up = schedule::parse_catch_up(catch_up_text);
  auto ws = app::open_workspace(paths);
  const std::string& zone = ws.config.organization.timezone;
  const schedule::LocalTime now = app::command_now(now_text, zone);
  auto sched = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  const auto state = ws.state.path;
  std::optional<store::Store> st;
  if (std::filesystem::exists(state)) st.emplace(store::Store::open(state));
  auto overview = app::schedule_overview(sched, st ? &*st : nullptr, now, days, zone, catch_up);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : overview)
      out.push_back({{"time", schedule::to_iso8601(o.occurrence, zone)},
                     {"entry", o.entry->id},
                     {"template", o.entry->template_name},
                     {"announcement", o.announcement_id},
                     {"status", o.status},
                     {"detail", o.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.detail)}});
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& o : overview) {
    std::string deps;
    if (o.entry->all) deps = "all";
    for (const auto& d : o.entry->departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({schedule::to_iso(o.occurrence), o.entry->id, o.entry->template_name, deps,
                    o.status + (o.detail.empty() ? "" : " (" + o.detail + ")")});
  }
  term.out() << term.bold("schedule " + sched.path.string() + " (" + zone + "), now " + schedule::to_iso(now)) << "\n";
  term.table({"TIME", "ENTRY", "TEMPLATE", "DEPARTMENTS", "STATUS"}, rows);
  return 0;
}

}  // namespace

Command schedule_command() {
  return {"schedule", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<ScheduleOptions>();
            auto* cmd = app.add_subcommand("schedule", "upcoming scheduled notices and what happened to past ones");
            cmd->add_option("--days", o->days, "how far ahead to list, days")->default_val(7);
            cmd->add_option("--now", o->now, "list as of YYYY-MM-DDTHH:MM (default: now)");
            cmd->add_option("--catch-up", o->catch_up,
                            "how late run-due may still post an occurrence (as run-due's --catch-up)")
                ->default_val("2h");
            set_footer(cmd, globals, {"samvad schedule", "samvad schedule --days 30 --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) {
                            return run(term, paths, o->days, o->now, o->catch_up);
                          }};
          }};
}

}  // namespace samvad::cli
