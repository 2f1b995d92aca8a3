#include <samvad/templates/plausibility.hpp>

#include <array>
#include <string_view>
#include <utility>

#include <samvad/core/text.hpp>
#include <samvad/text/script.hpp>

namespace samvad::templates {

namespace {

// Words that open a span and the word that closes it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kSpanWords{{{"from", "to"}, {"start", "end"}}};

std::optional<SourceLocation> location(const VariableValue& value) {
  if (value.where.file.empty()) return std::nullopt;
  return value.where;
}

// 'value', cut after 40 characters so a paragraph does not fill the warning (and escaped).
std::string quoted(const std::string& value) { return "'" + shown(value, 41) + "'"; }

std::string each_language_form(const std::string& name, const std::vector<LanguageCode>& languages) {
  std::string out;
  for (const auto& lang : languages) out += (out.empty() ? "" : " ") + std::string("--var ") + name + "." + lang + "=…";
  return out;
}

const std::string* common_value(const ResolvedVariables& vars, const std::string& name) {
  const ResolvedValue* v = vars.find(name);
  return v && v->value.common ? &*v->value.common : nullptr;
}

}  // namespace

const VariableSpec* paired_variable(const Template& tmpl, const VariableSpec& spec) {
  if (spec.type != VariableType::date && spec.type != VariableType::time) return nullptr;
  const std::string& name = spec.name;
  for (std::size_t begin = 0; begin <= name.size();) {
    std::size_t end = name.find_first_of("_-", begin);
    if (end == std::string::npos) end = name.size();
    std::string_view word(name.data() + begin, end - begin);
    for (const auto& [opening, closing] : kSpanWords) {
      if (word != opening) continue;
      std::string other = name.substr(0, begin) + std::string(closing) + name.substr(end);
      const VariableSpec* partner = tmpl.find_variable(other);
      if (partner && partner->type == spec.type) return partner;
    }
    begin = end + 1;
  }
  return nullptr;
}

std::vector<Diagnostic> plausibility_warnings(const Template& tmpl, const ResolvedVariables& vars,
                                              const std::vector<LanguageCode>& languages,
                                              const std::optional<ReferenceDay>& day) {
  std::vector<Diagnostic> out;
  for (const auto& spec : tmpl.variables) {
    const ResolvedValue* resolved = vars.find(spec.name);
    if (!resolved) continue;
    const VariableValue& value = resolved->value;
    const VariableSpec* partner = paired_variable(tmpl, spec);
    const std::string* closing = partner ? common_value(vars, partner->name) : nullptr;

    if (spec.type == VariableType::date && day && value.common) {
      auto date = text::parse_iso_date(*value.common);
      // A span that started before the day and still runs (a road closed since Monday) is news.
      auto still_runs = closing ? text::parse_iso_date(*closing) : std::nullopt;
      if (date && *date < day->date && !(still_runs && *still_runs >= day->date))
        out.push_back(Diagnostic{ExitCode::data,
                                 "variable '" + spec.name + "' is " + *value.common + ", before " + day->described +
                                     "; expected a date still to come (is the year or month right?)",
                                 location(value)});
    }

    if (closing && value.common && *closing < *value.common) {
      // ISO dates and 24-hour times compare as text.
      std::string message = "variable '" + spec.name + "' (" + *value.common + ") is after '" + partner->name + "' (" +
                            *closing + "); expected " + spec.name + " before " + partner->name;
      if (spec.type == VariableType::time) message += " (a span past midnight reads the same: check that the text says so)";
      out.push_back(Diagnostic{ExitCode::data, message, location(value)});
    }

    if (spec.type != VariableType::text) continue;
    bool common_warned = false;  // one value for every language: one warning, however many languages
    for (const auto& lang : languages) {
      auto script = text::non_latin_script(lang);
      const std::string* text = value.for_language(lang);
      if (!script || !text || !text::lacks_script_of(*text, lang)) continue;
      const std::string language = text::language_name(lang);
      if (value.by_language.count(lang))
        out.push_back(Diagnostic{ExitCode::data,
                                 "variable '" + spec.name + "' for " + lang + " is " + quoted(*text) + ", with no " + *script +
                                     " letters; expected " + language + " written in " + *script,
                                 location(value)});
      else if (!std::exchange(common_warned, true))
        out.push_back(Diagnostic{ExitCode::data,
                                 "variable '" + spec.name + "' has one value for every language, " + quoted(*text) +
                                     ", with no " + *script + " letters, so the " + language + " text shows it as it is; expected " +
                                     each_language_form(spec.name, languages) + " (" + language + " in " + *script + ")",
                                 location(value)});
    }
  }
  return out;
}

}  // namespace samvad::templates
