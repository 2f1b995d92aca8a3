// `samvad stats` as a library call: per department, how citizens were answered (inbox figures)
// and what was announced, over a period.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/inbox/stats.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

struct StatsRequest {
  std::vector<std::string> departments;  // -d; empty: all
  std::optional<std::string> since;      // --since YYYY-MM-DD; default: 30 days before now
};

struct DepartmentStats {
  std::string department;
  inbox::Responsiveness inbox;
  std::size_t announcements = 0;      // announced in the period (replies and digests not counted)
  std::size_t failed_deliveries = 0;  // of those announcements' deliveries to the department
  // What the store recorded as spent in the period on each channel that bills (registry order).
  struct Spend {
    std::string field;  // Spec::spend_field: "x_spend_usd"
    std::string title;  // "X"
    long long micro_usd = 0;
  };
  std::vector<Spend> spend;
};

struct Stats {
  std::string timezone;
  store::Clock::time_point since;
  store::Clock::time_point until;
  std::vector<DepartmentStats> departments;  // in departments.yaml order
};

// Throws 64 for an unknown department or a --since that is no date. An absent store is a
// period with nothing in it.
Stats stats(const Workspace& workspace, const StatsRequest& request, store::Clock::time_point now);

nlohmann::json to_json(const Stats& stats);

}  // namespace samvad::app
