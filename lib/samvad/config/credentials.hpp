// credentials.yaml: every secret samvad uses, kept apart from departments.yaml, refused when
// other users could read it (as ssh refuses a private key), and never printed.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/secret.hpp>

namespace samvad::config {

// One credential: its section's secrets, by key (every key the section declares is present).
struct SecretSet {
  std::map<std::string, Secret> values;
  SourceLocation where;
  const Secret& at(const std::string& key) const;
};

// A section of credentials.yaml that a channel reads (channel::Spec::credential_sections):
// `name` with exactly `keys`, each a non-empty secret; at the top level (shared by every
// department), under departments.<id> (that department's own, overriding a shared one), or both.
struct CredentialSection {
  std::string name;               // "smtp"
  std::vector<std::string> keys;  // {"username", "password"}
  bool shared = true;
  bool per_department = true;
};

struct DepartmentCredentials {
  std::map<std::string, SecretSet> sections;
  SourceLocation where;
};

struct Credentials {
  std::filesystem::path path;
  std::map<std::string, SecretSet> shared;  // top-level sections
  std::map<std::string, DepartmentCredentials> departments;

  const SecretSet* shared_section(const std::string& name) const;
  const SecretSet* own_section(const std::string& department, const std::string& name) const;
  // The department's own section, else the shared one.
  const SecretSet* section_for(const std::string& department, const std::string& name) const;
};

// Where credentials.yaml is: --credentials, else $SAMVAD_CREDENTIALS, else beside the config.
std::filesystem::path find_credentials_path(const std::optional<std::string>& flag, const Config& config);

// Refuses (ExitCode::permission, with the chmod fix) a file that group or others can access.
void check_private_file(const std::filesystem::path& path);

// Loads and validates the `sections` the channels read (registry::load_credentials passes every
// registered channel's); errors name file:line:column but never quote the file's values, nor a
// key under departments: unless it is one of `department_ids` (departments.yaml's, public):
// any other key may be a secret that lost its colon.
// Missing file: ExitCode::no_input; bad permissions: ExitCode::permission; invalid: ExitCode::config.
Credentials load_credentials(const std::filesystem::path& path, const std::vector<CredentialSection>& sections,
                             const std::vector<std::string>& department_ids = {});
Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                              const std::vector<CredentialSection>& sections,
                              const std::vector<std::string>& department_ids = {});

// Credentials for departments that are not configured are typos: returns them. What each
// department's channels need is each channel's own check (registry::check_credentials).
std::vector<Diagnostic> check_credentials_cover(const Credentials& credentials, const Config& config);

}  // namespace samvad::config
