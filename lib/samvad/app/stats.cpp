#include <samvad/app/stats.hpp>

#include <filesystem>
#include <map>

#include <samvad/app/history.hpp>
#include <samvad/channel/cost.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::app {

namespace {

// Announcements the corporation made, not answers to one citizen or a head's digest.
bool is_announcement(const std::string& id) { return !id.starts_with("reply-") && !id.starts_with("digest-"); }

void count_announcements(const store::Store& st, store::Clock::time_point since,
                         std::map<std::string, DepartmentStats*>& by_id) {
  for (const auto& entry : st.history(std::nullopt, since, 0)) {
    if (!is_announcement(entry.announcement.id)) continue;
    for (const auto& d : entry.departments)
      if (auto it = by_id.find(d); it != by_id.end()) ++it->second->announcements;
    for (const auto& item : entry.items)
      if (item.status == store::DeliveryStatus::failed)
        if (auto it = by_id.find(item.department); it != by_id.end()) ++it->second->failed_deliveries;
  }
}

template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

}  // namespace

Stats stats(const Workspace& ws, const StatsRequest& request, store::Clock::time_point now) {
  Stats out;
  out.timezone = ws.config.organization.timezone;
  out.until = now;
  out.since = request.since ? *since_time(request.since, out.timezone) : now - std::chrono::hours(24 * 30);
  const auto chosen = request.departments.empty() ? std::vector<const config::Department*>{}
                                                  : select_departments(ws.config, request.departments, false);
  std::map<std::string, DepartmentStats*> by_id;
  out.departments.reserve(ws.config.departments.size());
  for (const auto& d : ws.config.departments) {
    if (!chosen.empty() && std::find(chosen.begin(), chosen.end(), &d) == chosen.end()) continue;
    out.departments.push_back(DepartmentStats{d.id, {}, 0, 0, {}});
  }
  for (auto& d : out.departments) by_id[d.department] = &d;
  if (!ws.state.path.exists()) return out;
  const auto st = store::Store::open(ws.state.path);
  for (auto& d : out.departments) {
    store::InboxQuery query{{d.department}, {}, out.since};
    d.inbox = inbox::responsiveness(st.inbox_items(query), now);
  }
  count_announcements(st, out.since, by_id);
  for (auto& d : out.departments)
    for (const auto& spec : registry::channels())
      if (!spec.spend_field.empty())
        d.spend.push_back({spec.spend_field, spec.title, st.spend(spec.name, d.department, out.since, now)});
  return out;
}

nlohmann::json to_json(const Stats& stats) {
  nlohmann::json departments = nlohmann::json::array();
  for (const auto& d : stats.departments) {
    const auto& r = d.inbox;
    nlohmann::json j{{"department", d.department},
                     {"mentions", r.mentions},
                     {"answered", r.answered},
                     {"answered_within_24h", r.answered_within_24h},
                     {"answered_within_24h_percent", or_null(r.answered_within_24h_percent)},
                     {"median_response_seconds", or_null(r.median_response_seconds)},
                     {"p90_response_seconds", or_null(r.p90_response_seconds)},
                     {"open", r.open},
                     {"open_over_24h", r.open_over_24h},
                     {"announcements", d.announcements},
                     {"failed_deliveries", d.failed_deliveries}};
    for (const auto& s : d.spend) j[s.field] = channel::usd_number(s.micro_usd);
    departments.push_back(std::move(j));
  }
  return nlohmann::json{{"since", text::format_iso8601(stats.since, stats.timezone)},
                        {"until", text::format_iso8601(stats.until, stats.timezone)},
                        {"departments", departments}};
}

}  // namespace samvad::app
