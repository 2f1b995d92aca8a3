#include <samvad/registry/channels.hpp>

#include <algorithm>

#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/email/spec.hpp>
#include <samvad/feed/spec.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/twitter/spec.hpp>

namespace samvad::registry {

namespace {

std::vector<channel::Spec> list() {
  std::vector<channel::Spec> all{
      twitter::spec(),
      email::spec(),
      feed::spec(),
  };
  // {{feed.url}} and the like are names templates may use once the channel is here.
  for (const auto& spec : all)
    if (spec.template_values) templates::add_context_root(spec.name);
  return all;
}

}  // namespace

const std::vector<channel::Spec>& channels() {
  static const std::vector<channel::Spec> all = list();
  return all;
}

const channel::Spec* find(std::string_view name) {
  for (const auto& s : channels())
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& s : channels()) out.push_back(s.name);
  return out;
}

std::string listing(const std::vector<std::string>& items, const std::string& last_joiner) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? last_joiner : ", ") + items[i];
  return out;
}

std::vector<std::string> select(const std::vector<std::string>& requested) {
  if (requested.empty()) return names();
  std::vector<std::string> out;
  for (const auto& c : requested) {
    if (!find(c))
      throw Error(ExitCode::usage,
                  "unknown channel '" + shown(c) + "'" + did_you_mean(c, names()) + "; expected " + listing(names()));
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

config::SectionReaders section_readers() {
  config::SectionReaders out;
  for (const auto& s : channels()) out.push_back(s.section_reader());
  return out;
}

config::Config load_config(const std::filesystem::path& path) { return config::load_config(path, section_readers()); }

std::vector<config::CredentialSection> credential_sections() {
  // The store's, not a channel's: the password of a PostgreSQL store (state: in departments.yaml).
  std::vector<config::CredentialSection> all{{"state", {"password"}, true, false}};
  for (const auto& c : channels()) all.insert(all.end(), c.credential_sections.begin(), c.credential_sections.end());
  return all;
}

config::Credentials load_credentials(const std::filesystem::path& path,
                                     const std::vector<std::string>& department_ids) {
  return config::load_credentials(path, credential_sections(), department_ids);
}

config::Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                                      const std::vector<std::string>& department_ids) {
  return config::parse_credentials(yaml_text, path, credential_sections(), department_ids);
}

config::Config parse_config(const std::string& yaml_text, const std::filesystem::path& path) {
  return config::parse_config(yaml_text, path, section_readers());
}

std::vector<Diagnostic> check_credentials(const config::Credentials& credentials, const config::Department& department,
                                          const std::string& channel) {
  const channel::Spec* spec = find(channel);
  if (!spec || !department.uses(channel) || !spec->check_credentials) return {};
  return spec->check_credentials(credentials, department);
}

std::vector<Diagnostic> check_credentials(const config::Credentials& credentials, const config::Config& config) {
  std::vector<Diagnostic> problems = config::check_credentials_cover(credentials, config);
  for (const auto& d : config.departments)
    for (const auto& s : channels()) {
      auto more = check_credentials(credentials, d, s.name);
      problems.insert(problems.end(), more.begin(), more.end());
    }
  return problems;
}

}  // namespace samvad::registry
