#include <samvad/app/status.hpp>

#include <samvad/config/config.hpp>
#include <samvad/core/text.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/store/store.hpp>
#include <samvad/text/timestamp.hpp>
#include <samvad/twitter/settings.hpp>

namespace samvad::app {

ReadableStore readable_store(const Paths& paths) {
  try {
    return {open_workspace(paths).state.path, std::nullopt};
  } catch (const Error& e) {
    auto location = locate_state(paths, nullptr);
    ReadableStore out{location.path, std::nullopt};
    if (location.source == StateLocation::Source::user_default &&
        std::filesystem::exists(config::find_config_path(paths.config)))
      out.warning = Diagnostic{
          e.code(),
          "the configuration could not be read, so its state: (if any) is not used; reading " + location.path.shown(),
          std::nullopt};
    return out;
  }
}

const store::Location& existing_store(const store::Location& location) {
  if (!location.exists())
    throw Error(ExitCode::no_input, "no delivery store at " + location.shown() +
                                        " yet; expected one after the first 'samvad post' (or name it with --state)");
  return location;
}

namespace {

// Deliveries recorded before samvad kept the account: named from the configuration.
void name_accounts(delivery::RunReport& report, const config::Config& config) {
  for (auto& d : report.deliveries) {
    const config::Department* dep = config.find_department(d.department);
    if (!d.account.empty() || !dep) continue;
    if (const auto* account = twitter::account_of(*dep); account && d.channel == twitter::kChannel)
      d.account = "@" + account->handle;
    if (const auto* list = email::list_of(*dep); list && list->list && d.channel == email::kChannel)
      d.account = *list->list;
  }
}

}  // namespace

StatusResult status(const Paths& paths, const store::Location& store, const std::optional<std::string>& id) {
  auto st = store::Store::open(existing_store(store));
  StatusResult out;
  out.announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (out.announcement.empty())
    throw Error(ExitCode::no_input, "nothing has been posted yet (" + store.shown() + " is empty)");
  if (!st.announcement(out.announcement))
    throw Error(ExitCode::no_input, "no announcement '" + shown(out.announcement) + "' in " + store.shown() +
                                        "; expected an id from 'samvad history'");
  out.report = delivery::report_of(out.announcement, st.deliveries(out.announcement));
  out.record = *st.announcement(out.announcement);
  out.approval = st.approval(out.announcement);
  out.events = st.events(out.announcement);
  if (out.approval) out.report.status = store::approval_status(out.approval->state, out.report.status);
  try {
    auto ws = open_workspace(paths);
    delivery::name_languages(out.report, ws.config);
    name_accounts(out.report, ws.config);
    out.report.time_zone = ws.config.organization.timezone;
    out.time_zone = ws.config.organization.timezone;
  } catch (const Error&) {
    // Without a readable configuration the recorded accounts are all there is.
  }
  return out;
}

namespace {

nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

nlohmann::json approval_json(const store::Approval& a, const std::string& zone) {
  return {{"state", store::to_string(a.state)},
          {"kind", a.kind},
          {"submitted_by", a.submitted_by},
          {"submitted_at", text::format_iso8601(a.submitted_at, zone)},
          {"decided_by", text_or_null(a.decided_by)},
          {"decided_at", a.decided_at ? nlohmann::json(text::format_iso8601(*a.decided_at, zone)) : nlohmann::json()},
          {"reason", text_or_null(a.reason)}};
}

}  // namespace

nlohmann::json to_json(const StatusResult& status) {
  nlohmann::json j = delivery::to_json(status.report);
  j["operator"] = text_or_null(status.record.operator_name);
  j["recorded_at"] = text::format_iso8601(status.record.created_at, status.time_zone);
  j["approval"] = status.approval ? approval_json(*status.approval, status.time_zone) : nlohmann::json(nullptr);
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : status.events)
    events.push_back({{"action", e.action},
                      {"operator", e.operator_name},
                      {"at", text::format_iso8601(e.at, status.time_zone)},
                      {"detail", text_or_null(e.detail)}});
  j["events"] = events;
  return j;
}

std::string describe(const store::AnnouncementEvent& e, const std::string& time_zone) {
  std::string line = e.action + " by " + e.operator_name + " at " + text::format_timestamp(e.at, time_zone);
  if (!e.detail.empty()) line += " (" + e.detail + ")";
  return line;
}

}  // namespace samvad::app
