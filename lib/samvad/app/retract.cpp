#include <samvad/app/retract.hpp>

#include <samvad/app/post.hpp>
#include <samvad/app/status.hpp>
#include <samvad/core/operator.hpp>
#include <samvad/delivery/report.hpp>
#include <samvad/registry/channels.hpp>

namespace samvad::app {

RetractTarget open_retract(const Paths& paths) {
  auto ws = open_workspace(paths);
  auto credentials = std::filesystem::exists(ws.credentials_path)
                         ? registry::load_credentials(ws.credentials_path, ws.config.department_ids())
                         : no_credentials(ws);
  auto store = existing_store(ws.state.path);
  return RetractTarget{std::move(ws), std::move(credentials), std::move(store)};
}

delivery::RetractResult retract(const RetractTarget& target, const delivery::RetractRequest& request,
                                const channel::Services& services, delivery::Observer& observer) {
  const auto& config = target.workspace.config;
  auto result = delivery::retract(request, config, target.credentials, target.store, services, observer);
  delivery::name_languages(result.report, config);
  // Who took it back, and how far it got: a retraction is an operator's act like a post.
  std::string detail;
  for (const auto& d : request.departments) detail += (detail.empty() ? "departments " : ",") + d;
  if (result.exit_code != ExitCode::ok) detail += std::string(detail.empty() ? "" : "; ") + "not complete";
  store::Store::open(target.store)
      .record_event(
          store::AnnouncementEvent{request.announcement_id, store::Clock::now(), operator_name(), "retracted", detail});
  return result;
}

}  // namespace samvad::app
