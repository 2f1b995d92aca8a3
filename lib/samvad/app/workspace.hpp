// What every command starts from: where departments.yaml, credentials.yaml and the templates
// are (from the global options and the environment), and the loaded configuration.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>

namespace samvad::app {

// The global command-line options that name files.
struct Paths {
  std::optional<std::string> config;       // -c/--config
  std::optional<std::string> credentials;  // --credentials
  std::optional<std::string> templates;    // --templates
  std::optional<std::string> state;        // --state: the delivery store
  std::optional<std::string> schedule;     // --schedule: schedule.yaml
};

struct Workspace {
  config::Config config;
  std::filesystem::path templates_dir;
  std::filesystem::path credentials_path;
};

// Loads departments.yaml and resolves the other paths; throws Error on bad configuration.
Workspace open_workspace(const Paths& paths);

// The departments a command acts on: `-d` ids in the order given (unknown ids are a usage
// error with a suggestion), or all of them with --all. Exactly one of the two must be used.
std::vector<const config::Department*> select_departments(const config::Config& config,
                                                          const std::vector<std::string>& ids, bool all);

}  // namespace samvad::app
