// departments.yaml as a validated model: the organization, channel defaults and every
// department with its defaults already applied, so later layers never look at YAML.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/core/localized.hpp>

namespace samvad::config {

struct Organization {
  Localized name;
  std::string short_name;
  std::string website;
  std::string timezone = "Asia/Kolkata";
  std::vector<LanguageCode> languages{"mr", "en"};
};

struct TwitterAccount {
  std::string handle;  // without '@'
  std::string api_base = "https://api.x.com";  // scheme and host in lower case, no trailing '/'
  std::optional<std::string> ca_file;  // absolute path
};

struct EmailSender {
  std::string address;
  Localized name;
};

enum class SmtpTls { starttls, none };

struct EmailList {
  std::string smtp_url;  // as libcurl is given it (net::UrlParts::url): scheme and host in lower case
  // The department names a server other than email.smtp_url's: the shared login never goes
  // there (credentials.hpp: smtp_login_problem). Where its smtp_url was written.
  bool own_smtp_server = false;
  std::optional<SourceLocation> smtp_url_where;
  EmailSender from;
  int batch_size = 50;
  SmtpTls tls = SmtpTls::starttls;
  std::optional<std::string> ca_file;                  // absolute path
  std::optional<std::string> list;                     // the list address
  std::optional<std::filesystem::path> subscribers;    // absolute path
  std::optional<SourceLocation> subscribers_where;     // where the path was written
  std::optional<std::string> unsubscribe;              // https:// or mailto: URL (scheme in lower case)
};

struct Department {
  std::string id;
  Localized name;
  std::vector<std::string> hashtags;  // without '#'
  std::vector<LanguageCode> languages;
  std::optional<TwitterAccount> twitter;
  std::optional<EmailList> email;
  SourceLocation where;

  std::vector<std::string> channels() const;  // "twitter", "email" in that order
};

struct Config {
  std::filesystem::path path;  // departments.yaml as given
  std::filesystem::path dir;   // its folder: relative paths are resolved against it
  Organization organization;
  std::vector<Department> departments;  // in file order
  // state: the delivery store every operator and cron on this machine should share (absolute,
  // resolved against `dir`); used when neither --state nor $SAMVAD_STATE names another.
  std::optional<std::filesystem::path> state;
  std::optional<SourceLocation> state_where;

  const Department* find_department(std::string_view id) const;
  std::vector<std::string> department_ids() const;
};

// Loads and validates departments.yaml; throws Error (exit 66 missing, 78 invalid) listing
// every problem with file:line:column.
Config load_config(const std::filesystem::path& path);
Config parse_config(const std::string& yaml_text, const std::filesystem::path& path);

// Where departments.yaml is: --config, else $SAMVAD_CONFIG, else ./departments.yaml.
std::filesystem::path find_config_path(const std::optional<std::string>& flag);

}  // namespace samvad::config
