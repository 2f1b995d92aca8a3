// `samvad history`: what was announced, when, to whom, and how it went.
#include <iostream>
#include <memory>

#include <samvad/app/history.hpp>
#include <samvad/text/timestamp.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const app::Paths& paths, const app::HistoryRequest& request) {
  auto history = app::history(paths, request, [&](const Diagnostic& warning) { term.warning(warning); });
  if (term.options().json) {
    term.json(app::to_json(history));
    return 0;
  }
  if (!history.store_exists) {
    term.out() << "nothing has been posted yet\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : history.entries) {
    std::string deps;
    for (const auto& d : e.departments) deps += (deps.empty() ? "" : ",") + d;
    // Who decided or took it back, and when (a submission is the recording itself).
    std::string decided;
    for (const auto& ev : e.events)
      if (ev.action != "submitted")
        decided += (decided.empty() ? "" : "; ") + ev.action + " by " + ev.operator_name + " " +
                   text::format_timestamp(ev.at, history.timezone);
    rows.push_back({text::format_timestamp(e.announcement.created_at, history.timezone), e.announcement.id,
                    e.announcement.template_name.empty() ? "(text)" : e.announcement.template_name, e.status, deps,
                    e.announcement.operator_name.empty() ? "-" : e.announcement.operator_name,
                    decided.empty() ? "-" : decided});
  }
  term.table(
      {"TIME", "ANNOUNCEMENT", "TEMPLATE", "STATUS", "DEPARTMENTS", "OPERATOR", "APPROVED / REJECTED / RETRACTED"},
      rows);
  return 0;
}

}  // namespace

Command history_command() {
  return {"history", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<app::HistoryRequest>();
            auto* cmd = app.add_subcommand("history", "announcements with time, template, departments and status");
            cmd->add_option("-d,--department", o->department, "only announcements to this department");
            cmd->add_option("--since", o->since, "only announcements on or after YYYY-MM-DD");
            cmd->add_option("--limit", o->limit, "at most this many")->default_val(20);
            set_footer(cmd, globals, {"samvad history", "samvad history -d water-supply --since 2026-12-01 --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
