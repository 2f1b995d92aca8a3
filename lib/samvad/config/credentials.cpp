#include <samvad/config/credentials.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/suggest.hpp>

namespace samvad::config {

const TwitterApp* Credentials::twitter_app_for(const std::string& department) const {
  auto it = departments.find(department);
  if (it != departments.end() && it->second.twitter_app) return &*it->second.twitter_app;
  return twitter_app ? &*twitter_app : nullptr;
}

const TwitterToken* Credentials::twitter_token_for(const std::string& department) const {
  auto it = departments.find(department);
  return it != departments.end() && it->second.twitter ? &*it->second.twitter : nullptr;
}

const SmtpLogin* Credentials::smtp_for(const std::string& department, bool own_server) const {
  auto it = departments.find(department);
  if (it != departments.end() && it->second.smtp) return &*it->second.smtp;
  // The shared login is the shared server's: another host never sees it, even if it asks.
  if (own_server) return nullptr;
  return smtp ? &*smtp : nullptr;
}

std::filesystem::path find_credentials_path(const std::optional<std::string>& flag, const Config& config) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SAMVAD_CREDENTIALS"); env && *env) return env;
  return config.dir / "credentials.yaml";
}

void check_private_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw Error(ExitCode::no_input, "no such file; expected the credentials file (copy credentials.yaml.example)",
                SourceLocation{path.string(), 0, 0});
  }
  // A directory or a FIFO is not a file with the wrong mode: say what it is (66).
  if (!S_ISREG(st.st_mode)) read_whole_file_or_throw(path, FileKind::credentials);
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error(ExitCode::permission,
                std::string("permissions ") + mode +
                    " are too open: other users could read these secrets; expected the file to be private to you. Fix: chmod 600 " +
                    path.string(),
                SourceLocation{path.string(), 0, 0});
  }
}

namespace {

const std::vector<std::string> kTopKeys{"twitter_app", "departments", "smtp"};
const std::vector<std::string> kAppKeys{"consumer_key", "consumer_secret"};
const std::vector<std::string> kTokenKeys{"access_token", "access_token_secret"};
const std::vector<std::string> kSmtpKeys{"username", "password"};
const std::vector<std::string> kDepartmentKeys{"twitter", "twitter_app", "smtp"};

class CredentialsReader {
 public:
  CredentialsReader(const std::filesystem::path& path, const std::vector<std::string>& department_ids, Diagnostics& diags)
      : r_(path.string(), ExitCode::config, diags), department_ids_(department_ids) {
    r_.hold_secrets();
  }

  Credentials read(const YAML::Node& root, const std::filesystem::path& path) {
    Credentials c;
    c.path = path;
    if (root.IsNull()) return c;
    auto top = r_.map(root, "the top level", kTopKeys);
    if (auto* a = find_entry(top, "twitter_app")) c.twitter_app = pair<TwitterApp>(a->value, "twitter_app", kAppKeys);
    if (auto* s = find_entry(top, "smtp")) c.smtp = pair<SmtpLogin>(s->value, "smtp", kSmtpKeys);
    if (auto* d = find_entry(top, "departments")) {
      for (auto& e : r_.open_map(d->value, "departments")) {
        // A key that is not a department's id may be a secret that lost its colon: it is
        // placed by its line, never quoted.
        const bool known = std::find(department_ids_.begin(), department_ids_.end(), e.key) != department_ids_.end();
        std::string what = known ? "departments." + e.key
                                 : "departments.<entry on line " + std::to_string(r_.where(e.key_node).line) + ">";
        DepartmentCredentials dc;
        dc.where = r_.where(e.key_node);
        auto keys = r_.map(e.value, what, kDepartmentKeys);
        if (auto* t = find_entry(keys, "twitter")) dc.twitter = pair<TwitterToken>(t->value, what + ".twitter", kTokenKeys);
        if (auto* a = find_entry(keys, "twitter_app")) dc.twitter_app = pair<TwitterApp>(a->value, what + ".twitter_app", kAppKeys);
        if (auto* s = find_entry(keys, "smtp")) dc.smtp = pair<SmtpLogin>(s->value, what + ".smtp", kSmtpKeys);
        c.departments[e.key] = std::move(dc);
      }
    }
    return c;
  }

 private:
  // Every credential is two secrets under two fixed keys.
  template <typename T>
  std::optional<T> pair(const YAML::Node& node, const std::string& what, const std::vector<std::string>& keys) {
    auto e = r_.map(node, what, keys);
    std::optional<std::string> first, second;
    if (auto n = r_.required(node, e, keys[0], what)) first = secret(*n, what + "." + keys[0]);
    if (auto n = r_.required(node, e, keys[1], what)) second = secret(*n, what + "." + keys[1]);
    if (!first || !second) return std::nullopt;
    return T{Secret(std::move(*first)), Secret(std::move(*second))};
  }

  std::optional<std::string> secret(const YAML::Node& node, const std::string& what) {
    auto v = r_.string(node, what);
    if (v && v->empty()) {
      r_.error(node, what + " is empty; expected the secret, or ${VARIABLE} naming where it is");
      return std::nullopt;
    }
    return v;
  }

  YamlReader r_;
  const std::vector<std::string>& department_ids_;
};

}  // namespace

Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                              const std::vector<std::string>& department_ids) {
  YamlDocument doc;
  try {
    doc = parse_yaml(yaml_text, path.string(), ExitCode::config);
  } catch (const Error& e) {
    // yaml-cpp's message can quote the text near the problem; keep only the position.
    auto where = e.diagnostics().front().where;
    throw Error(ExitCode::config, "invalid YAML; expected well-formed YAML (the text is not shown because it holds secrets)", where);
  }
  Diagnostics diags;
  Credentials c = CredentialsReader(path, department_ids, diags).read(doc.root, path);
  diags.throw_if_any();
  return c;
}

Credentials load_credentials(const std::filesystem::path& path, const std::vector<std::string>& department_ids) {
  check_private_file(path);
  return parse_credentials(read_whole_file_or_throw(path, FileKind::credentials), path, department_ids);
}

std::vector<Diagnostic> check_credentials_cover(const Credentials& credentials, const Config& config) {
  std::vector<Diagnostic> problems;
  std::vector<std::string> ids = config.department_ids();
  for (const auto& [id, dc] : credentials.departments) {
    // Not quoted: a key that is no department's id may be a secret that lost its colon.
    if (!config.find_department(id))
      problems.push_back(Diagnostic{ExitCode::config,
                                    "this entry of departments is not a department in " + config.path.string() +
                                        did_you_mean(id, ids) + "; expected one of the configured department ids",
                                    dc.where});
  }
  return problems;
}

}  // namespace samvad::config
