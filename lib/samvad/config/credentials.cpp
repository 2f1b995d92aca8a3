#include <samvad/config/credentials.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <sys/stat.h>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/suggest.hpp>

namespace samvad::config {

const Secret& SecretSet::at(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) throw Error(ExitCode::software, "a credential has no key '" + key + "'", where);
  return it->second;
}

const SecretSet* Credentials::shared_section(const std::string& name) const {
  auto it = shared.find(name);
  return it == shared.end() ? nullptr : &it->second;
}

const SecretSet* Credentials::own_section(const std::string& department, const std::string& name) const {
  auto d = departments.find(department);
  if (d == departments.end()) return nullptr;
  auto it = d->second.sections.find(name);
  return it == d->second.sections.end() ? nullptr : &it->second;
}

const SecretSet* Credentials::section_for(const std::string& department, const std::string& name) const {
  if (const SecretSet* own = own_section(department, name)) return own;
  return shared_section(name);
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

class CredentialsReader {
 public:
  CredentialsReader(const std::filesystem::path& path, const std::vector<CredentialSection>& sections,
                    const std::vector<std::string>& department_ids, Diagnostics& diags)
      : r_(path.string(), ExitCode::config, diags), sections_(sections), department_ids_(department_ids) {
    r_.hold_secrets();
  }

  Credentials read(const YAML::Node& root, const std::filesystem::path& path) {
    Credentials c;
    c.path = path;
    if (root.IsNull()) return c;
    std::vector<std::string> top_keys;
    for (const auto& s : sections_)
      if (s.shared) top_keys.push_back(s.name);
    top_keys.push_back("departments");
    auto top = r_.map(root, "the top level", top_keys);
    for (const auto& section : sections_)
      if (auto* e = section.shared ? find_entry(top, section.name) : nullptr)
        if (auto set = read_set(e->value, section.name, section.keys)) c.shared[section.name] = std::move(*set);
    if (auto* d = find_entry(top, "departments"))
      for (auto& e : r_.open_map(d->value, "departments")) c.departments[e.key] = read_department(e);
    return c;
  }

 private:
  DepartmentCredentials read_department(const MapEntry& e) {
    // A key that is not a department's id may be a secret that lost its colon: it is
    // placed by its line, never quoted.
    const bool known = std::find(department_ids_.begin(), department_ids_.end(), e.key) != department_ids_.end();
    const std::string what = known ? "departments." + e.key
                                   : "departments.<entry on line " + std::to_string(r_.where(e.key_node).line) + ">";
    DepartmentCredentials dc;
    dc.where = r_.where(e.key_node);
    std::vector<std::string> allowed;
    for (const auto& s : sections_)
      if (s.per_department) allowed.push_back(s.name);
    auto keys = r_.map(e.value, what, allowed);
    for (const auto& section : sections_)
      if (auto* entry = section.per_department ? find_entry(keys, section.name) : nullptr)
        if (auto set = read_set(entry->value, what + "." + section.name, section.keys))
          dc.sections[section.name] = std::move(*set);
    return dc;
  }

  // A credential: its secrets under the section's fixed keys, every one required.
  std::optional<SecretSet> read_set(const YAML::Node& node, const std::string& what,
                                    const std::vector<std::string>& keys) {
    auto e = r_.map(node, what, keys);
    SecretSet set;
    set.where = r_.where(node);
    bool complete = true;
    for (const auto& key : keys) {
      std::optional<std::string> value;
      if (auto n = r_.required(node, e, key, what)) value = secret(*n, what + "." + key);
      if (value)
        set.values.emplace(key, Secret(std::move(*value)));
      else
        complete = false;
    }
    if (!complete) return std::nullopt;
    return set;
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
  const std::vector<CredentialSection>& sections_;
  const std::vector<std::string>& department_ids_;
};

}  // namespace

Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                              const std::vector<CredentialSection>& sections,
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
  Credentials c = CredentialsReader(path, sections, department_ids, diags).read(doc.root, path);
  diags.throw_if_any();
  return c;
}

Credentials load_credentials(const std::filesystem::path& path, const std::vector<CredentialSection>& sections,
                             const std::vector<std::string>& department_ids) {
  check_private_file(path);
  return parse_credentials(read_whole_file_or_throw(path, FileKind::credentials), path, sections, department_ids);
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
