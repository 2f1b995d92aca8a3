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

struct TwitterApp {
  Secret consumer_key;
  Secret consumer_secret;
};

struct TwitterToken {
  Secret access_token;
  Secret access_token_secret;
};

struct SmtpLogin {
  Secret username;
  Secret password;
};

struct DepartmentCredentials {
  std::optional<TwitterToken> twitter;
  std::optional<TwitterApp> twitter_app;  // overrides the corporation's app
  std::optional<SmtpLogin> smtp;          // overrides the shared login; required with a server of its own
  SourceLocation where;
};

struct Credentials {
  std::filesystem::path path;
  std::optional<TwitterApp> twitter_app;
  std::optional<SmtpLogin> smtp;
  std::map<std::string, DepartmentCredentials> departments;

  // What a department's channels will sign and log in with, after overrides.
  const TwitterApp* twitter_app_for(const std::string& department) const;
  const TwitterToken* twitter_token_for(const std::string& department) const;
  // The department's own login, else the shared one, but the shared one only for the shared
  // server (email.smtp_url): for a department with a server of its own, nullptr (no AUTH).
  const SmtpLogin* smtp_for(const std::string& department, bool own_server) const;
};

// Where credentials.yaml is: --credentials, else $SAMVAD_CREDENTIALS, else beside the config.
std::filesystem::path find_credentials_path(const std::optional<std::string>& flag, const Config& config);

// Refuses (ExitCode::permission, with the chmod fix) a file that group or others can access.
void check_private_file(const std::filesystem::path& path);

// Loads and validates; errors name file:line:column but never quote the file's values, nor a
// key under departments: unless it is one of `department_ids` (departments.yaml's, public):
// any other key may be a secret that lost its colon.
// Missing file: ExitCode::no_input; bad permissions: ExitCode::permission; invalid: ExitCode::config.
Credentials load_credentials(const std::filesystem::path& path, const std::vector<std::string>& department_ids = {});
Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                              const std::vector<std::string>& department_ids = {});

// Credentials for departments that are not configured are typos: returns them. What each
// department's channels need is each channel's own check (registry::check_credentials).
std::vector<Diagnostic> check_credentials_cover(const Credentials& credentials, const Config& config);

}  // namespace samvad::config
