#include <samvad/app/history.hpp>

#include <samvad/app/status.hpp>
#include <samvad/core/text.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

std::optional<store::Clock::time_point> since_time(const std::optional<std::string>& since,
                                                   const std::string& timezone) {
  if (!since) return std::nullopt;
  auto date = text::parse_iso_date(*since);
  if (!date) throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date as YYYY-MM-DD");
  if (date->year < schedule::kFirstCommandYear || date->year > schedule::kLastCommandYear)
    throw Error(ExitCode::usage, "--since '" + shown(*since) + "': expected a date in the years " +
                                     std::to_string(schedule::kFirstCommandYear) + " to " +
                                     std::to_string(schedule::kLastCommandYear));
  return text::start_of_day(*date, timezone);
}

History history(const Paths& paths, const HistoryRequest& request, const std::function<void(const Diagnostic&)>& warn) {
  if (request.limit < 1) throw Error(ExitCode::usage, "--limit must be at least 1");
  History out;
  store::Location path;
  try {
    auto ws = open_workspace(paths);
    out.timezone = ws.config.organization.timezone;
    path = ws.state.path;
    out.config = std::move(ws.config);
  } catch (const Error&) {
    // History is readable without a valid configuration; times are then shown in the default zone.
    auto store = readable_store(paths);
    if (store.warning && warn) warn(*store.warning);
    path = store.path;
  }
  const auto from = since_time(request.since, out.timezone);
  const auto& department = request.department;
  out.store_exists = path.exists();
  if (out.store_exists) out.entries = store::Store::open(path).history(department, from, request.limit);
  // A department that is neither configured nor in the store is a typo, not an empty history;
  // one removed from the configuration still shows what was sent to it.
  if (department && out.entries.empty() && out.config && !out.config->find_department(*department))
    select_departments(*out.config, {*department}, false);
  return out;
}

namespace {

nlohmann::json delivery_json(const store::HistoryDelivery& d, const std::optional<config::Config>& config) {
  std::vector<std::string> languages;
  if (d.language != "*")
    languages = {d.language};
  else if (const config::Department* dep = config ? config->find_department(d.department) : nullptr;
           dep && registry::find(d.channel) && !registry::find(d.channel)->takes_text)
    languages = dep->languages;
  return {{"department", d.department},
          {"channel", d.channel},
          {"language", d.language == "*" ? nlohmann::json(nullptr) : nlohmann::json(d.language)},
          {"languages", languages},
          {"status", store::to_string(d.status)}};
}

}  // namespace

nlohmann::json to_json(const History& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : history.entries) {
    nlohmann::json deliveries = nlohmann::json::array();
    for (const auto& d : e.items) deliveries.push_back(delivery_json(d, history.config));
    const auto& template_name = e.announcement.template_name;
    nlohmann::json events = nlohmann::json::array();
    for (const auto& ev : e.events)
      events.push_back({{"action", ev.action},
                        {"operator", ev.operator_name},
                        {"at", text::format_iso8601(ev.at, history.timezone)},
                        {"detail", ev.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(ev.detail)}});
    out.push_back({{"announcement", e.announcement.id},
                   {"time", text::format_iso8601(e.announcement.created_at, history.timezone)},
                   {"template", template_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(template_name)},
                   {"operator", e.announcement.operator_name.empty() ? nlohmann::json(nullptr)
                                                                     : nlohmann::json(e.announcement.operator_name)},
                   {"departments", e.departments},
                   {"deliveries", deliveries},
                   {"delivery_count", e.deliveries},
                   {"status", e.status},
                   {"approval", e.approval ? nlohmann::json(store::to_string(*e.approval)) : nlohmann::json(nullptr)},
                   {"events", events}});
  }
  return out;
}

}  // namespace samvad::app
