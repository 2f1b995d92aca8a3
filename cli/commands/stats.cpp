// `samvad stats`: how each department answered citizens, and what it announced, over a period.
#include <cstdio>
#include <memory>

#include <samvad/app/stats.hpp>
#include <samvad/channel/cost.hpp>
#include <samvad/text/timestamp.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

// "45m", "3h 20m", "2d 4h": a response time people read at a glance.
std::string duration(const std::optional<long long>& seconds) {
  if (!seconds) return "-";
  const long long m = *seconds / 60;
  if (m < 60) return std::to_string(m) + "m";
  if (m < 24 * 60) return std::to_string(m / 60) + "h " + std::to_string(m % 60) + "m";
  return std::to_string(m / (24 * 60)) + "d " + std::to_string(m / 60 % 24) + "h";
}

std::string fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

int run(Terminal& term, const app::Paths& paths, const app::StatsRequest& request) {
  const auto ws = app::open_workspace(paths);
  const auto figures = app::stats(ws, request, store::Clock::now());
  if (term.options().json) {
    term.json(app::to_json(figures));
    return 0;
  }
  term.out() << term.bold("from " + text::format_timestamp(figures.since, figures.timezone) + " to " +
                          text::format_timestamp(figures.until, figures.timezone))
             << "\n";
  std::vector<std::string> header{"DEPARTMENT", "MENTIONS", "ANSWERED",  "IN 24H",    "MEDIAN",
                                  "P90",        "OPEN",     "OPEN >24H", "ANNOUNCED", "FAILED"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : figures.departments) {
    const auto& r = d.inbox;
    rows.push_back({d.department, std::to_string(r.mentions), std::to_string(r.answered),
                    r.answered_within_24h_percent ? fixed(*r.answered_within_24h_percent, 0) + "%" : "-",
                    duration(r.median_response_seconds), duration(r.p90_response_seconds), std::to_string(r.open),
                    std::to_string(r.open_over_24h), std::to_string(d.announcements),
                    std::to_string(d.failed_deliveries)});
    for (const auto& s : d.spend) rows.back().push_back(channel::usd(s.micro_usd));
  }
  if (!figures.departments.empty())
    for (const auto& s : figures.departments.front().spend) header.push_back(s.title + " SPEND");
  term.table(header, rows);
  return 0;
}

}  // namespace

Command stats_command() {
  return {"stats", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<app::StatsRequest>();
            auto* cmd = app.add_subcommand("stats", "how fast each department answers citizens, and what it announced");
            one_value_per_use(cmd->add_option("-d,--department", o->departments, "only this department (repeatable)"))
                ->delimiter(',');
            cmd->add_option("--since", o->since, "from YYYY-MM-DD (default: the last 30 days)");
            set_footer(cmd, globals, {"samvad stats", "samvad stats --since 2026-12-01 -d water-supply --json"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
