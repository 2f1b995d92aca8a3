#include <samvad/app/workspace.hpp>

#include <algorithm>

#include <samvad/config/credentials.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/core/text.hpp>

namespace samvad::app {

Workspace open_workspace(const Paths& paths) {
  Workspace ws;
  ws.config = config::load_config(config::find_config_path(paths.config));
  ws.templates_dir = templates::templates_dir(paths.templates, ws.config);
  ws.credentials_path = config::find_credentials_path(paths.credentials, ws.config);
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
