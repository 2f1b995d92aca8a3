#include <samvad/config/config.hpp>

#include <cstdlib>
#include <regex>

#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/net/url.hpp>

namespace samvad::config {

std::vector<std::string> Department::channels() const {
  std::vector<std::string> out;
  for (const auto& c : channel_settings) out.push_back(c.name);
  return out;
}

const ChannelSettings* Config::organization_settings_of(std::string_view channel) const {
  for (const auto& c : organization_channels)
    if (c.name == channel) return c.settings.get();
  return nullptr;
}

const ChannelSettings* Department::settings_of(std::string_view channel) const {
  for (const auto& c : channel_settings)
    if (c.name == channel) return c.settings.get();
  return nullptr;
}

std::optional<std::string> read_file_path(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                          const std::filesystem::path& dir) {
  auto v = reader.string(node, what);
  if (!v) return std::nullopt;
  std::filesystem::path p(*v);
  if (p.is_relative()) p = dir / p;
  return p.lexically_normal().string();
}

const Department* Config::find_department(std::string_view id) const {
  for (const auto& d : departments)
    if (d.id == id) return &d;
  return nullptr;
}

const ApprovalSettings* Config::approvals_for(const Department& department) const {
  if (department.approvals) return &*department.approvals;
  return approvals ? &*approvals : nullptr;
}

std::vector<std::string> Config::department_ids() const {
  std::vector<std::string> ids;
  for (const auto& d : departments) ids.push_back(d.id);
  return ids;
}

std::filesystem::path find_config_path(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SAMVAD_CONFIG"); env && *env) return env;
  return "departments.yaml";
}

namespace {

const std::vector<std::string> kTopKeys{"organization", "state", "approvals", "departments"};
const std::vector<std::string> kOrganizationKeys{"name", "short_name", "website", "timezone", "languages"};
const std::vector<std::string> kDepartmentKeys{"name", "hashtags", "languages"};

// The allowed keys and the channels' keys after them.
std::vector<std::string> with_channels(std::vector<std::string> keys, const SectionReaders& sections) {
  for (const auto& s : sections) keys.push_back(s->key());
  return keys;
}

class ConfigReader {
 public:
  ConfigReader(const std::filesystem::path& path, Diagnostics& diags, SectionReaders sections)
      : path_(path),
        dir_(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path()),
        r_(path.string(), ExitCode::config, diags),
        sections_(std::move(sections)) {}

  Config read(const YAML::Node& root) {
    Config config;
    config.path = path_;
    config.dir = dir_;
    if (root.IsNull()) {
      r_.error(root, "the file is empty; expected organization: and departments:");
      return config;
    }
    auto top = r_.map(root, "the top level", with_channels(kTopKeys, sections_));
    if (auto org = r_.required(root, top, "organization", "the top level")) config.organization = organization(*org);
    if (auto* s = find_entry(top, "state")) state(s->value, config);
    if (auto* a = find_entry(top, "approvals")) config.approvals = read_approvals(r_, a->value, "approvals");
    for (auto& section : sections_)
      if (auto* block = find_entry(top, section->key())) section->read_defaults(r_, block->value, dir_);
    if (auto deps = r_.required(root, top, "departments", "the top level")) {
      for (auto& entry : r_.open_map(*deps, "departments")) {
        if (auto d = department(entry, config.organization)) config.departments.push_back(std::move(*d));
      }
      if (deps->IsMap() && deps->size() == 0) r_.error(*deps, "departments is empty; expected at least one department");
    }
    for (auto& section : sections_)
      if (auto settings = section->organization_settings())
        config.organization_channels.push_back(Department::Channel{section->key(), std::move(settings)});
    return config;
  }

 private:
  Organization organization(const YAML::Node& node) {
    Organization org;
    auto e = r_.map(node, "organization", kOrganizationKeys);
    if (auto n = r_.required(node, e, "name", "organization")) {
      if (auto name = r_.localized(*n, "organization.name")) org.name = *name;
    }
    if (auto* s = find_entry(e, "short_name"))
      if (auto v = r_.string(s->value, "organization.short_name")) org.short_name = *v;
    if (auto* w = find_entry(e, "website")) {
      if (auto v = r_.string(w->value, "organization.website")) {
        if (!net::is_web_url(*v)) r_.error(w->value, "organization.website is not an http(s) URL; expected like https://www.example.org");
        org.website = *v;
      }
    }
    if (auto* tz = find_entry(e, "timezone")) {
      if (auto v = r_.string(tz->value, "organization.timezone")) {
        if (!is_known_timezone(*v))
          r_.error(tz->value, "organization.timezone '" + shown(*v) + "' is not a known time zone; expected an IANA name like Asia/Kolkata");
        org.timezone = *v;
      }
    }
    if (auto* l = find_entry(e, "languages")) {
      if (auto langs = languages(l->value, "organization.languages")) org.languages = *langs;
    }
    return org;
  }

  void state(const YAML::Node& node, Config& config) {
    auto v = r_.string(node, "state");
    if (!v) return;
    if (v->empty() || v->back() == '/') {
      r_.error(node, "state is not a file path; expected the delivery store's file, like /var/lib/samvad/state.db");
      return;
    }
    config.state_where = r_.where(node);
    if (net::is_postgres_url(*v)) {  // a server: kept as written
      config.state = *v;
      return;
    }
    std::filesystem::path p(*v);
    if (p.is_relative()) p = std::filesystem::absolute(dir_ / p);
    config.state = p.lexically_normal();
  }

  std::optional<std::vector<LanguageCode>> languages(const YAML::Node& node, const std::string& what) {
    auto list = r_.string_list(node, what);
    if (!list) return std::nullopt;
    if (list->empty()) {
      r_.error(node, what + " is empty; expected at least one language, like [mr, en]");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& code = (*list)[i];
      if (!is_language_code(code)) {
        r_.error(node[i], what + ": '" + shown(code) + "' is not a language code; expected codes like mr or en");
        return std::nullopt;
      }
      if (std::find(list->begin(), list->begin() + static_cast<long>(i), code) != list->begin() + static_cast<long>(i)) {
        r_.error(node[i], what + ": '" + shown(code) + "' is listed twice; expected each language once");
        return std::nullopt;
      }
    }
    return list;
  }

  static bool is_known_timezone(const std::string& id) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool is_system = false;
    icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(id), canonical, is_system, status);
    return U_SUCCESS(status) && is_system;
  }

  std::optional<Department> department(const MapEntry& entry, const Organization& org) {
    static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,62}");
    std::string what = "departments." + entry.key;
    if (!std::regex_match(entry.key, id_pattern)) {
      r_.error(entry.key_node, "department id '" + shown(entry.key) +
                                   "' is not usable on the command line; expected lowercase letters, digits and -");
      return std::nullopt;
    }
    Department d;
    d.id = entry.key;
    d.where = r_.where(entry.key_node);
    d.languages = org.languages;
    auto keys = with_channels(kDepartmentKeys, sections_);
    keys.push_back("inbox");
    keys.push_back("approvals");
    auto e = r_.map(entry.value, what, keys);
    if (auto* l = find_entry(e, "languages")) {
      if (auto langs = languages(l->value, what + ".languages")) d.languages = *langs;
    }
    if (auto n = r_.required(entry.value, e, "name", what)) {
      if (auto name = r_.localized(*n, what + ".name")) {
        d.name = *name;
        for (const auto& lang : d.languages)
          if (!d.name.has(lang))
            r_.error(*n, what + ".name has no '" + lang + "' text; expected a name in each of the department's languages");
      }
    }
    if (auto* h = find_entry(e, "hashtags")) {
      if (auto tags = r_.string_list(h->value, what + ".hashtags")) {
        for (std::size_t i = 0; i < tags->size(); ++i) {
          if (!is_hashtag_text((*tags)[i]))
            r_.error(h->value[i], what + ".hashtags: '" + shown((*tags)[i]) + "' is not a hashtag; expected letters, digits or _ without '#'");
        }
        d.hashtags = *tags;
      }
    }
    if (auto* i = find_entry(e, "inbox")) d.inbox = read_inbox(r_, i->value, what + ".inbox");
    if (auto* a = find_entry(e, "approvals")) d.approvals = read_approvals(r_, a->value, what + ".approvals");
    for (auto& section : sections_) {
      const MapEntry* block = find_entry(e, section->key());
      auto settings = section->read_department(r_, block ? &block->value : nullptr, what + "." + section->key(), dir_);
      if (!settings) continue;
      for (auto& [name, value] : settings->template_values()) d.template_values[name] = value;
      d.channel_settings.push_back(Department::Channel{section->key(), std::move(settings)});
    }
    return d;
  }

  static bool is_hashtag_text(const std::string& tag) {
    if (tag.empty() || tag[0] == '#') return false;
    // Letters and marks of any script (Devanagari hashtags are common), digits and _.
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(tag);
    bool has_letter = false;
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) ||
          (static_cast<uint32_t>(u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY_MASK)) & U_GC_M_MASK) != 0) {
        has_letter = true;
      } else if (!(u_isdigit(c) || c == '_')) {
        return false;
      }
      i += U16_LENGTH(c);
    }
    return has_letter;
  }

  std::filesystem::path path_;
  std::filesystem::path dir_;
  YamlReader r_;
  SectionReaders sections_;
};

}  // namespace

namespace {
Config read_config(const YamlDocument& doc, const std::filesystem::path& path, SectionReaders sections) {
  Diagnostics diags;
  Config config = ConfigReader(path, diags, std::move(sections)).read(doc.root);
  diags.throw_if_any();
  return config;
}
}  // namespace

Config parse_config(const std::string& yaml_text, const std::filesystem::path& path, SectionReaders sections) {
  return read_config(parse_yaml(yaml_text, path.string(), ExitCode::config), path, std::move(sections));
}

Config load_config(const std::filesystem::path& path, SectionReaders sections) {
  return read_config(load_yaml_file(path, FileKind::config, ExitCode::config), path, std::move(sections));
}

}  // namespace samvad::config
