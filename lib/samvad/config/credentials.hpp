// credentials.yaml: every secret samvad uses, kept apart from departments.yaml, refused when
// other users could read it (as ssh refuses a private key), and never printed.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

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
  std::optional<SmtpLogin> smtp;          // overrides the shared login
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
  const SmtpLogin* smtp_for(const std::string& department) const;
};

// Where credentials.yaml is: --credentials, else $SAMVAD_CREDENTIALS, else beside the config.
std::filesystem::path find_credentials_path(const std::optional<std::string>& flag, const Config& config);

// Refuses (ExitCode::permission, with the chmod fix) a file that group or others can access.
void check_private_file(const std::filesystem::path& path);

// Loads and validates; errors name file:line:column but never a secret's value.
// Missing file: ExitCode::no_input; bad permissions: ExitCode::permission; invalid: ExitCode::config.
Credentials load_credentials(const std::filesystem::path& path);
Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path);

// Cross-checks credentials against the departments: every department with a twitter channel
// has an app and a token; credentials for unknown departments are typos. Returns the problems.
std::vector<Diagnostic> check_credentials_cover(const Credentials& credentials, const Config& config);

}  // namespace samvad::config
