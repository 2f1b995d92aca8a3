#include <samvad/app/status.hpp>

#include <samvad/config/config.hpp>
#include <samvad/core/text.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/store/store.hpp>
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
  if (!store.exists())
    throw Error(ExitCode::no_input,
                "no delivery store at " + store.shown() + " yet; expected one after the first 'samvad post'");
  auto st = store::Store::open(store);
  StatusResult out;
  out.announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (out.announcement.empty())
    throw Error(ExitCode::no_input, "nothing has been posted yet (" + store.shown() + " is empty)");
  if (!st.announcement(out.announcement))
    throw Error(ExitCode::no_input, "no announcement '" + shown(out.announcement) + "' in " + store.shown() +
                                        "; expected an id from 'samvad history'");
  out.report = delivery::report_of(out.announcement, st.deliveries(out.announcement));
  try {
    auto ws = open_workspace(paths);
    delivery::name_languages(out.report, ws.config);
    name_accounts(out.report, ws.config);
    out.report.time_zone = ws.config.organization.timezone;
  } catch (const Error&) {
    // Without a readable configuration the recorded accounts are all there is.
  }
  return out;
}

}  // namespace samvad::app
