// Values for a template's variables: reading them from --var arguments and --vars files,
// and resolving them against a template (examples, required, types) before rendering.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/error.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variable.hpp>

namespace samvad::templates {

// Values by variable name, as given (not yet checked against any template).
struct Variables {
  std::map<std::string, VariableValue> values;
};

// "key=value" sets the value for every language; "key.mr=value" for one language. Only the
// first '=' separates, so values may contain '='. Throws Error(64) when malformed.
void add_var_argument(Variables& vars, std::string_view arg);

// A YAML mapping of name: value or name: {mr: .., en: ..}, taken as written: "${NAME}" stays
// text and is never filled in from the environment, where secrets live (a value is published).
// Throws Error: 66 when the file is missing, 65 with file:line:column when malformed.
Variables load_vars_file(const std::filesystem::path& file);
Variables parse_vars(const std::string& yaml, const std::string& file_name);
// The same mapping inside another document (a schedule entry's `vars:`), also taken as written
// whatever `reader` does elsewhere; problems go to the reader's diagnostics.
Variables read_vars(config::YamlReader& reader, const YAML::Node& node, std::string_view what);

// `from` overrides `into` (the command line over a vars file): a value for every language
// replaces all of the variable's earlier values; a per-language value replaces that language.
void merge(Variables& into, const Variables& from);

struct ResolvedValue {
  VariableType type = VariableType::text;
  // Checked against `type`. Dates, times and numbers have only `common`.
  VariableValue value;
  bool from_example = false;
};

// Values for exactly the template's declared variables that have one (an optional variable
// without a value is absent, and renders empty / falsy).
struct ResolvedVariables {
  std::map<std::string, ResolvedValue> values;
  // The moment the announcement is for, "2026-12-20T10:00" in the organization's time zone: a
  // scheduled occurrence, or the time of posting. Templates see it as {{occurrence.iso}},
  // {{occurrence.date.mr}}, {{occurrence.time.en}} ..., so a weekly reminder says which day it
  // is (X refuses the same text twice). Empty: not shown.
  std::string occurrence;
  // What the department's channels tell its texts about this announcement, by department id, then
  // channel: {{feed.url}} is channel_values["water-supply"]["feed"]["url"].
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> channel_values;

  const ResolvedValue* find(std::string_view name) const;
};

// Checks `given` against `tmpl` for the languages `tmpl` is written in (Template::languages).
//  - use_examples (--example): every variable not given takes its example.
//  - a value for every language serves each language; a per-language value only that one.
//  - Error(65) listing every problem at once: each missing required variable (also when it
//    lacks a value for one of the languages), with its description, and each value that is
//    not what its type expects.
//  - a given variable the template does not declare is a warning, appended to `warnings`.
ResolvedVariables resolve_variables(const Template& tmpl, const Variables& given, bool use_examples,
                                    std::vector<Diagnostic>& warnings);
// The same, needing values only for `languages` (say, the languages of the departments an
// announcement goes to).
ResolvedVariables resolve_variables(const Template& tmpl, const Variables& given, bool use_examples,
                                    std::vector<Diagnostic>& warnings, const std::vector<LanguageCode>& languages);

}  // namespace samvad::templates
