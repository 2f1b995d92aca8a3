#include <samvad/templates/variable.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include <samvad/net/url.hpp>
#include <samvad/text/localize.hpp>

namespace samvad::templates {

namespace {
constexpr std::array<std::pair<VariableType, std::string_view>, 5> kTypeNames{{
    {VariableType::text, "text"},
    {VariableType::date, "date"},
    {VariableType::time, "time"},
    {VariableType::url, "url"},
    {VariableType::number, "number"},
}};
}  // namespace

std::string_view to_string(VariableType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return name;
  return "text";
}

std::optional<VariableType> parse_variable_type(std::string_view name) {
  for (const auto& [t, n] : kTypeNames)
    if (n == name) return t;
  return std::nullopt;
}

std::vector<std::string> variable_type_names() {
  std::vector<std::string> names;
  for (const auto& entry : kTypeNames) names.emplace_back(entry.second);
  return names;
}

bool is_variable_name(std::string_view name) {
  auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || !is_letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return is_letter(c) || is_digit(c) || c == '-'; });
}

bool allows_per_language(VariableType type) { return type == VariableType::text || type == VariableType::url; }

std::optional<std::string> check_value(VariableType type, std::string_view value) {
  switch (type) {
    case VariableType::text:
      return std::nullopt;
    case VariableType::date:
      if (text::parse_iso_date(value)) return std::nullopt;
      return "expected a real calendar date as YYYY-MM-DD, like 2026-12-03";
    case VariableType::time:
      if (text::parse_time(value)) return std::nullopt;
      return "expected a 24-hour time as HH:MM, like 09:00 or 17:30";
    case VariableType::url:
      if (net::is_web_url(std::string(value))) return std::nullopt;
      return "expected an http:// or https:// link with a host, like https://www.pcmcindia.gov.in/";
    case VariableType::number:
      if (text::is_decimal_number(value)) return std::nullopt;
      return "expected a number written with digits, like 1500 or 12.50";
  }
  return std::nullopt;
}

const std::string* VariableValue::for_language(const LanguageCode& lang) const {
  auto it = by_language.find(lang);
  if (it != by_language.end()) return &it->second;
  return common ? &*common : nullptr;
}

}  // namespace samvad::templates
