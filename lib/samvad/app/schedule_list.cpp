#include <samvad/app/schedule_list.hpp>

#include <samvad/app/run_due.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

ScheduleList list_schedule(const Paths& paths, const ScheduleRequest& request) {
  if (request.days < 0 || request.days > 366) throw Error(ExitCode::usage, "--days must be 0 to 366");
  const auto catch_up = schedule::parse_catch_up(request.catch_up);
  auto ws = open_workspace(paths);
  ScheduleList out;
  out.zone = ws.config.organization.timezone;
  out.now = command_now(request.now, out.zone);
  out.schedule = schedule::load_schedule(schedule::find_schedule_path(paths.schedule, ws.config), ws.config);
  std::optional<store::Store> st;
  if (ws.state.path.exists()) st.emplace(store::Store::open(ws.state.path));
  out.occurrences = schedule_overview(out.schedule, st ? &*st : nullptr, out.now, request.days, out.zone, catch_up);
  return out;
}

nlohmann::json to_json(const ScheduleList& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : list.occurrences)
    out.push_back({{"time", schedule::to_iso8601(o.occurrence, list.zone)},
                   {"entry", o.entry->id},
                   {"template", o.entry->template_name},
                   {"announcement", o.announcement_id},
                   {"status", o.status},
                   {"detail", o.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.detail)}});
  return out;
}

}  // namespace samvad::app
