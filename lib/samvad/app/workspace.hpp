// What every command starts from: where departments.yaml, credentials.yaml and the templates
// are (from the global options and the environment), and the loaded configuration.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/store/location.hpp>

namespace samvad::app {

// The global command-line options that name files.
struct Paths {
  std::optional<std::string> config;       // -c/--config
  std::optional<std::string> credentials;  // --credentials
  std::optional<std::string> templates;    // --templates
  std::optional<std::string> state;        // --state: the delivery store
  std::optional<std::string> schedule;     // --schedule: schedule.yaml
};

// Where the delivery store is and who chose it: the one truth for "never twice" is the store
// that every operator on a machine shares, so commands say when they use another.
struct StateLocation {
  enum class Source { flag, environment, config, user_default };
  store::Location path;  // a file, or a PostgreSQL server's URL
  Source source = Source::user_default;
};

std::string to_string(StateLocation::Source source);  // "--state", "$SAMVAD_STATE", "departments.yaml state:", ...

// --state, else $SAMVAD_STATE, else departments.yaml `state:` (when `config` is given), else
// the per-user default ($XDG_STATE_HOME/samvad/state.db, else ~/.local/state/samvad/state.db).
StateLocation locate_state(const Paths& paths, const config::Config* config);

struct Workspace {
  config::Config config;
  std::filesystem::path templates_dir;
  std::filesystem::path credentials_path;
  StateLocation state;
};

// Loads departments.yaml and resolves the other paths; throws Error on bad configuration.
Workspace open_workspace(const Paths& paths);

// The departments a command acts on: `-d` ids in the order given (unknown ids are a usage
// error with a suggestion), or all of them with --all. Exactly one of the two must be used.
std::vector<const config::Department*> select_departments(const config::Config& config,
                                                          const std::vector<std::string>& ids, bool all);

}  // namespace samvad::app
