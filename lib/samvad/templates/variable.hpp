// The variables a template declares and the values given for them: the types a value can
// have, how one is written (once for every language, or per language), and the check that
// a value is what its type expects. Shared by templates (examples) and --var/--vars input.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/core/localized.hpp>

namespace samvad::templates {

enum class VariableType { text, date, time, url, number };

std::string_view to_string(VariableType type);
std::optional<VariableType> parse_variable_type(std::string_view name);
std::vector<std::string> variable_type_names();  // "text", "date", "time", "url", "number"

// A name a variable can have: letters, digits, '_' and '-', not starting with a digit or '-'.
// No '.', which separates fields in {{date.mr}} and the language in --var key.mr=value.
bool is_variable_name(std::string_view name);

// Whether a value may differ per language. Text and links may (a Marathi page and an English
// page); a date, time or number is one fact, written once and rendered in every language.
bool allows_per_language(VariableType type);

// nullopt when `value` is a valid `type`; otherwise what was expected, e.g.
// "expected a date as YYYY-MM-DD, like 2026-12-03".
std::optional<std::string> check_value(VariableType type, std::string_view value);

// One value as written on the command line or in a vars file or as a template example:
// `common` is used for every language unless `by_language` has that language.
struct VariableValue {
  std::optional<std::string> common;
  std::map<LanguageCode, std::string> by_language;
  SourceLocation where;

  // The value for `lang`: by_language first, then common; nullptr when neither is set.
  const std::string* for_language(const LanguageCode& lang) const;
  bool empty() const { return !common && by_language.empty(); }
};

}  // namespace samvad::templates
