#include <samvad/templates/context.hpp>

#include <algorithm>

#include <samvad/text/localize.hpp>

namespace samvad::templates {

namespace {

nlohmann::json localized_context(const Localized& text, const LanguageCode& lang) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [code, value] : text.text) out[code] = value;
  if (const std::string* local = text.find(lang)) out["local"] = *local;
  return out;
}

template <typename Format>
nlohmann::json per_language(const std::vector<LanguageCode>& languages, const LanguageCode& lang, Format format) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& code : languages) out[code] = format(code);
  out["local"] = format(lang);
  return out;
}

}  // namespace

nlohmann::json variable_context(VariableType type, const std::string& value, const std::vector<LanguageCode>& languages,
                                const LanguageCode& lang) {
  switch (type) {
    case VariableType::text:
    case VariableType::url:
      return value;
    case VariableType::date: {
      auto date = text::parse_iso_date(value);
      if (!date) throw Error(ExitCode::software, "internal error: unchecked date value");
      nlohmann::json out = per_language(languages, lang, [&](const LanguageCode& l) { return text::format_date(*date, l); });
      out["iso"] = text::format_iso_date(*date);
      out["weekday"] = per_language(languages, lang, [&](const LanguageCode& l) { return text::format_weekday(*date, l); });
      return out;
    }
    case VariableType::time: {
      auto time = text::parse_time(value);
      if (!time) throw Error(ExitCode::software, "internal error: unchecked time value");
      nlohmann::json out = per_language(languages, lang, [&](const LanguageCode& l) { return text::format_time(*time, l); });
      out["iso"] = text::format_iso_time(*time);
      return out;
    }
    case VariableType::number: {
      nlohmann::json out = per_language(languages, lang, [&](const LanguageCode& l) { return text::format_number(value, l); });
      out["value"] = value;
      return out;
    }
  }
  return value;
}

nlohmann::json department_context(const config::Department& department, const LanguageCode& lang) {
  nlohmann::json out = nlohmann::json::object();
  out["id"] = department.id;
  out["name"] = localized_context(department.name, lang);
  out["hashtags"] = department.hashtags;
  std::string hashtags_text;
  for (const auto& tag : department.hashtags) hashtags_text += (hashtags_text.empty() ? "#" : " #") + tag;
  out["hashtags_text"] = hashtags_text;
  // What its channels give (the X handle); absent rather than empty, so
  // {{#department.handle}} .. {{/department.handle}} works.
  for (const auto& [name, value] : department.template_values)
    if (!value.empty() && !out.contains(name)) out[name] = value;
  return out;
}

nlohmann::json organization_context(const config::Organization& organization, const LanguageCode& lang) {
  nlohmann::json out = nlohmann::json::object();
  out["name"] = localized_context(organization.name, lang);
  out["short_name"] = organization.short_name;
  if (!organization.website.empty()) out["website"] = organization.website;
  return out;
}

std::vector<LanguageCode> formatting_languages(const config::Config& config, const config::Department& department) {
  std::vector<LanguageCode> out = config.organization.languages;
  for (const auto& lang : department.languages)
    if (std::find(out.begin(), out.end(), lang) == out.end()) out.push_back(lang);
  return out;
}

nlohmann::json render_context(const Template& tmpl, const config::Config& config, const config::Department& department,
                              const ResolvedVariables& vars, const LanguageCode& lang) {
  std::vector<LanguageCode> languages = formatting_languages(config, department);
  if (std::find(languages.begin(), languages.end(), lang) == languages.end()) languages.push_back(lang);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& spec : tmpl.variables) {
    const ResolvedValue* resolved = vars.find(spec.name);
    if (resolved == nullptr) continue;
    const std::string* value = resolved->value.for_language(lang);
    if (value == nullptr) continue;
    out[spec.name] = variable_context(spec.type, *value, languages, lang);
  }
  out["department"] = department_context(department, lang);
  out["organization"] = organization_context(config.organization, lang);
  if (const std::string* title = tmpl.title.find(lang)) out["title"] = *title;
  out["lang"] = lang;
  if (auto it = vars.channel_values.find(department.id); it != vars.channel_values.end())
    for (const auto& [channel, values] : it->second)
      for (const auto& [key, value] : values) out[channel][key] = value;
  if (vars.occurrence.size() == 16 && vars.occurrence[10] == 'T') {
    out["occurrence"] = {{"iso", vars.occurrence},
                         {"date", variable_context(VariableType::date, vars.occurrence.substr(0, 10), languages, lang)},
                         {"time", variable_context(VariableType::time, vars.occurrence.substr(11), languages, lang)}};
  }
  return out;
}

kainjow::mustache::data to_mustache_data(const nlohmann::json& value) {
  using kainjow::mustache::data;
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      data out{data::type::object};
      for (const auto& [key, child] : value.items()) out.set(key, to_mustache_data(child));
      return out;
    }
    case nlohmann::json::value_t::array: {
      data out{data::type::list};
      for (const auto& child : value) out.push_back(to_mustache_data(child));
      return out;
    }
    case nlohmann::json::value_t::string:
      return data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return data{value.get<bool>()};
    case nlohmann::json::value_t::null:
      return data{false};
    default:
      return data{value.dump()};
  }
}

}  // namespace samvad::templates
