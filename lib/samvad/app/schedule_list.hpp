// `samvad schedule` as a library call: the occurrences of schedule.yaml around a moment, each
// with what became of it (from the store) or what run-due will do with it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/due.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/schedule/schedule.hpp>

namespace samvad::app {

struct ScheduleRequest {
  int days = 7;                    // --days ahead, 0 to 366
  std::optional<std::string> now;  // --now YYYY-MM-DDTHH:MM (default: the current time)
  std::string catch_up = "2h";     // --catch-up, as run-due's
};

// The occurrences point into `schedule`: a ScheduleList is moved, never copied.
struct ScheduleList {
  schedule::Schedule schedule;
  std::string zone;
  schedule::LocalTime now;
  std::vector<OccurrenceStatus> occurrences;  // schedule_overview's, in time order
};

// Throws 64 for --days out of range or an unreadable --catch-up, and as the workspace and the
// schedule load. Reads the store when there is one; writes nothing.
ScheduleList list_schedule(const Paths& paths, const ScheduleRequest& request);

// `schedule --json`: [{"time","entry","template","announcement","status","detail"}].
nlohmann::json to_json(const ScheduleList& list);

}  // namespace samvad::app
