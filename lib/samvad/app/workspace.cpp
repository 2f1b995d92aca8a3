#include <samvad/app/workspace.hpp>

#include <samvad/registry/channels.hpp>

#include <samvad/app/approval.hpp>

#include <algorithm>
#include <cstdlib>

#include <samvad/config/credentials.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/store/store.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/core/text.hpp>

namespace samvad::app {

std::string to_string(StateLocation::Source source) {
  switch (source) {
    case StateLocation::Source::flag: return "--state";
    case StateLocation::Source::environment: return "$SAMVAD_STATE";
    case StateLocation::Source::config: return "state: in the configuration";
    case StateLocation::Source::user_default: return "the per-user default";
  }
  return "?";
}

StateLocation locate_state(const Paths& paths, const config::Config* config) {
  if (paths.state && !paths.state->empty()) return {*paths.state, StateLocation::Source::flag};
  if (const char* env = std::getenv("SAMVAD_STATE"); env && *env) return {env, StateLocation::Source::environment};
  if (config && config->state) return {*config->state, StateLocation::Source::config};
  return {store::Store::default_path(std::nullopt), StateLocation::Source::user_default};
}

Workspace open_workspace(const Paths& paths) {
  Workspace ws;
  ws.config = registry::load_config(config::find_config_path(paths.config));
  check_approval_kinds(ws.config);
  ws.templates_dir = templates::templates_dir(paths.templates, ws.config);
  ws.credentials_path = config::find_credentials_path(paths.credentials, ws.config);
  ws.state = locate_state(paths, &ws.config);
  if (ws.state.path.is_server() && std::filesystem::exists(ws.credentials_path)) {
    const auto credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
    if (const auto* state = credentials.shared_section("state")) ws.state.path.password = state->at("password");
  }
  return ws;
}

std::vector<const config::Department*> select_departments(const config::Config& config,
                                                          const std::vector<std::string>& ids, bool all) {
  if (all && !ids.empty()) throw Error(ExitCode::usage, "use either -d DEPT or --all, not both");
  if (!all && ids.empty())
    throw Error(ExitCode::usage, "no department given; expected -d DEPT (repeatable) or --all (see 'samvad departments')");
  std::vector<const config::Department*> out;
  if (all) {
    for (const auto& d : config.departments) out.push_back(&d);
    return out;
  }
  Diagnostics problems;
  for (const auto& id : ids) {
    const config::Department* d = config.find_department(id);
    if (!d) {
      problems.add(ExitCode::usage, "unknown department '" + shown(id) + "'" + did_you_mean(id, config.department_ids()) +
                                        "; expected one of the ids in " + config.path.string() + " (see 'samvad departments')");
      continue;
    }
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  }
  problems.throw_if_any();
  return out;
}

}  // namespace samvad::app
