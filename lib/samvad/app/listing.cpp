#include <samvad/app/listing.hpp>

#include <samvad/registry/channels.hpp>
#include <samvad/twitter/settings.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace samvad::app {

namespace {
nlohmann::json localized_json(const Localized& l) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [lang, text] : l.text) j[lang] = text;
  return j;
}
}  // namespace

std::vector<DepartmentRow> department_rows(const config::Config& config) {
  std::vector<DepartmentRow> rows;
  for (const auto& d : config.departments) {
    DepartmentRow row{d.id, d.channels(), d.languages, {}, "-"};
    for (const auto& l : d.languages)
      if (const std::string* n = d.name.find(l)) row.names.push_back(*n);
    if (const twitter::Account* account = twitter::account_of(d)) row.account = "@" + account->handle;
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::json departments_json(const config::Config& config) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : config.departments) {
    nlohmann::json j{{"id", d.id},
                     {"name", localized_json(d.name)},
                     {"channels", d.channels()},
                     {"languages", d.languages},
                     {"hashtags", d.hashtags}};
    for (const auto& spec : registry::channels())
      if (spec.department_json) spec.department_json(d, j);
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json template_json(const templates::Template& t) {
  nlohmann::json vars = nlohmann::json::array();
  for (const auto& v : t.variables) {
    nlohmann::json example = nullptr;
    if (v.example && v.example->common) example = *v.example->common;
    else if (v.example) example = localized_json(Localized{v.example->by_language});
    vars.push_back({{"name", v.name},
                    {"type", templates::to_string(v.type)},
                    {"required", v.required},
                    {"description", v.description},
                    {"example", example}});
  }
  return {{"name", t.name}, {"kind", t.kind}, {"title", localized_json(t.title)}, {"variables", vars}};
}

nlohmann::json templates_json(const std::vector<templates::Template>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : all) out.push_back(template_json(t));
  return out;
}

std::vector<LanguageCode> display_languages(const templates::Template& tmpl, const config::Config& config) {
  const std::vector<LanguageCode> written = tmpl.languages();
  std::vector<LanguageCode> out;
  for (const auto& lang : config.organization.languages)
    if (std::find(written.begin(), written.end(), lang) != written.end()) out.push_back(lang);
  for (const auto& lang : written)
    if (std::find(out.begin(), out.end(), lang) == out.end()) out.push_back(lang);
  return out;
}

namespace {
// Single quotes unless every byte is one a shell leaves alone (UTF-8 letters included).
std::string shell_quoted(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("@%+=:,./_-").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

std::vector<std::string> example_arguments(const templates::VariableSpec& spec, const std::vector<LanguageCode>& languages) {
  std::vector<std::string> out;
  if (!spec.example) return out;
  if (spec.example->common) out.push_back("--var " + spec.name + "=" + shell_quoted(*spec.example->common));
  for (const auto& lang : languages)
    if (auto it = spec.example->by_language.find(lang); it != spec.example->by_language.end())
      out.push_back("--var " + spec.name + "." + lang + "=" + shell_quoted(it->second));
  return out;
}

}  // namespace samvad::app
