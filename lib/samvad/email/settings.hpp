// The email channel's part of departments.yaml: a top-level `email:` block with defaults (SMTP
// server, sender, batches, TLS) and each department's own `email:` with its list.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/channel_settings.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>

namespace samvad::email {

inline constexpr const char* kChannel = "email";

struct Sender {
  std::string address;
  Localized name;
};

enum class SmtpTls { starttls, none };

struct ListSettings : config::ChannelSettings {
  std::string smtp_url;  // as libcurl is given it (net::UrlParts::url): scheme and host in lower case
  // The department names a server other than email.smtp_url's: the shared login never goes
  // there (smtp_login_problem). Where its smtp_url was written.
  bool own_smtp_server = false;
  std::optional<SourceLocation> smtp_url_where;
  Sender from;
  int batch_size = 50;
  SmtpTls tls = SmtpTls::starttls;
  std::optional<std::string> ca_file;                // absolute path
  std::optional<std::string> list;                   // the list address
  std::vector<std::string> direct;                   // more addresses given in full (a digest's heads), never from YAML
  std::optional<std::filesystem::path> subscribers;  // absolute path
  std::optional<SourceLocation> subscribers_where;   // where the path was written
  std::optional<std::string> unsubscribe;            // https:// or mailto: URL (scheme in lower case)
};

// The department's email list; nullptr when it has none.
inline const ListSettings* list_of(const config::Department& department) {
  return department.settings<ListSettings>(kChannel);
}

std::unique_ptr<config::SectionReader> make_section_reader();

// What a department's email logs in with: its own login, else the shared one, but the shared one
// only for the shared server (email.smtp_url): for a department with a server of its own,
// nullptr (no AUTH).
// credentials.yaml: the SMTP login, shared (for email.smtp_url's server) or a department's own.
inline constexpr const char* kLoginSection = "smtp";
std::vector<config::CredentialSection> credential_sections();

const config::SecretSet* smtp_login_for(const config::Credentials& credentials, const config::Department& department);

// A department whose email goes to an SMTP server of its own must have its own login when there
// is a shared one: the shared login is never sent to another host (ExitCode::config, placed at
// the department's smtp_url).
std::optional<Diagnostic> smtp_login_problem(const config::Credentials& credentials,
                                             const config::Department& department);

}  // namespace samvad::email
