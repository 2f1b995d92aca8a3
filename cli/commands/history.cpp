// `samvad history`: what was announced, when, to whom, and how it went.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/timestamp.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct HistoryOptions {
  std::optional<std::string> department, since;
  int limit = 20;
};

int run(Terminal& term, const app::Paths& paths, const std::optional<std::string>& department,
        const std::optional<std::string>& since, int limit) {
  if (limit < 1) throw Error(ExitCode::usage, "--limit must be at least 1");
  std::string timezone = "Asia/Kolkata";
  std::optional<config::Config> config;
  std::filesystem::path path;
  try {
    auto ws = app::open_workspace(paths);
    timezone = ws.config.organization.timezone;
    path = ws.state.path;
    config = std::move(ws.config);
  } catch (const Error&) {
    // History is readable without a valid configuration; times are then shown in the default zone.
    path = readable_store_path(term, paths);
  }
  std::optional<store::Clock::time_point> from;
  if (since) {
    auto date = text::parse_iso_date(*since);
    if (!date) throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date as YYYY-MM-DD");
    if (date->year < schedule::kFirstCommandYear || date->year > schedule::kLastCommandYear)
      throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date in the years " +
                                       std::to_string(schedule::kFirstCommandYear) + " to " +
                                       std::to_string(schedule::kLastCommandYear));
    from = text::start_of_day(*date, timezone);
  }
  if (!std::filesystem::exists(path)) {
    if (department && config) app::select_departments(*config, {*department}, false);
    if (term.options().json)
      term.json(nlohmann::json::array());
    else
      term.out() << "nothing has been posted yet\n";
    return 0;
  }
  auto st = store::Store::open(path);
  auto entries = st.history(department, from, limit);
  // A department that is neither configured nor in the store is a typo, not an empty history;
  // one removed from the configuration still shows what was sent to it.
  if (department && entries.empty() && config && !config->find_department(*department))
    app::select_departments(*config, {*department}, false);
  if (term.options().json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) {
      nlohmann::json deliveries = nlohmann::json::array();
      for (const auto& d : e.items) {
        std::vector<std::string> languages;
        if (d.language != "*")
          languages = {d.language};
        else if (const config::Department* dep = config ? config->find_department(d.department) : nullptr;
                 dep && registry::find(d.channel) && !registry::find(d.channel)->takes_text)
          languages = dep->languages;
        deliveries.push_back({{"department", d.department},
                              {"channel", d.channel},
                              {"language", d.language == "*" ? nlohmann::json(nullptr) : nlohmann::json(d.language)},
                              {"languages", languages},
                              {"status", store::to_string(d.status)}});
      }
      out.push_back({{"announcement", e.announcement.id},
                     {"time", text::format_iso8601(e.announcement.created_at, timezone)},
                     {"template", e.announcement.template_name.empty() ? nlohmann::json(nullptr)
                                                                       : nlohmann::json(e.announcement.template_name)},
                     {"departments", e.departments},
                     {"deliveries", deliveries},
                     {"delivery_count", e.deliveries},
                     {"status", e.status}});
    }
    term.json(out);
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    std::string deps;
    for (const auto& d : e.departments) deps += (deps.empty() ? "" : ",") + d;
    rows.push_back({text::format_timestamp(e.announcement.created_at, timezone), e.announcement.id,
                    e.announcement.template_name.empty() ? "(text)" : e.announcement.template_name, e.status, deps});
  }
  term.table({"TIME", "ANNOUNCEMENT", "TEMPLATE", "STATUS", "DEPARTMENTS"}, rows);
  return 0;
}

}  // namespace

Command history_command() {
  return {"history", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<HistoryOptions>();
            auto* cmd = app.add_subcommand("history", "announcements with time, template, departments and status");
            cmd->add_option("-d,--department", o->department, "only announcements to this department");
            cmd->add_option("--since", o->since, "only announcements on or after YYYY-MM-DD");
            cmd->add_option("--limit", o->limit, "at most this many")->default_val(20);
            set_footer(cmd, globals, {"samvad history", "samvad history -d water-supply --since 2026-12-01 --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) {
                            return run(term, paths, o->department, o->since, o->limit);
                          }};
          }};
}

}  // namespace samvad::cli
