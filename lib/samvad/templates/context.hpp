// The names a template text sees while it is rendered in one language: its variables
// (dates, times and numbers already formatted for every language by ICU), the department,
// the organization, the title and the language. Built as JSON so the same context can be
// shown to users (a preview) and turned into mustache data.
#pragma once

#include <string>
#include <vector>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include <samvad/config/config.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::templates {

// One variable's value as the text sees it when rendering `lang`:
//   text, url -> "the string"
//   date      -> {iso, <each language>, local, weekday: {<each language>, local}}
//   time      -> {iso, <each language>, local}
//   number    -> {value, <each language>, local}
// where `local` is the rendering in `lang`. `value` must already be valid for `type`.
nlohmann::json variable_context(VariableType type, const std::string& value, const std::vector<LanguageCode>& languages,
                                const LanguageCode& lang);

// {id, name: {<lang>.., local}, hashtags: [..], hashtags_text: "#A #B", handle (only with twitter)}
nlohmann::json department_context(const config::Department& department, const LanguageCode& lang);
// {name: {<lang>.., local}, short_name, website (only when set)}
nlohmann::json organization_context(const config::Organization& organization, const LanguageCode& lang);

// Everything a text of `tmpl` sees when rendered in `lang` for `department`.
nlohmann::json render_context(const Template& tmpl, const config::Config& config, const config::Department& department,
                              const ResolvedVariables& vars, const LanguageCode& lang);

// organization.languages followed by the department's own, without repeats: the languages
// dates, times and numbers are formatted in.
std::vector<LanguageCode> formatting_languages(const config::Config& config, const config::Department& department);

// JSON objects, lists and strings become mustache data; numbers become their digits,
// true/false stay booleans, null is false.
kainjow::mustache::data to_mustache_data(const nlohmann::json& value);

}  // namespace samvad::templates
