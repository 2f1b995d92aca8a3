#include <samvad/templates/variables.hpp>

#include <algorithm>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>

namespace samvad::templates {

namespace {

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// "where" for a value: the vars file position, or nothing for --var (the message names it).
std::optional<SourceLocation> location(const VariableValue& value) {
  if (value.where.file.empty()) return std::nullopt;
  return value.where;
}

// What a value looks like on the command line, so the hint shows its shape.
std::string placeholder(VariableType type) {
  switch (type) {
    case VariableType::date: return "YYYY-MM-DD";
    case VariableType::time: return "HH:MM";
    case VariableType::url: return "https://…";
    case VariableType::number: return "NUMBER";
    case VariableType::text: break;
  }
  return "…";
}

// The --var arguments that give `spec` a value in `languages`. Text is usually written once per
// language (Marathi in Devanagari, English in Latin letters), so both forms are shown: one
// argument per language, or one value for all of them. `partly` when some languages have one.
std::string how_to_give(const VariableSpec& spec, const std::vector<LanguageCode>& languages, bool partly) {
  const std::string value = placeholder(spec.type);
  if (spec.type != VariableType::text || (languages.size() < 2 && !partly))
    return "--var " + spec.name + "=" + value;
  std::string each;
  for (const auto& lang : languages) each += (each.empty() ? "" : " ") + ("--var " + spec.name + "." + lang + "=" + value);
  if (partly) return each;
  return each + " (the text in each language), or --var " + spec.name + "=" + value + " for every language";
}

}  // namespace

void add_var_argument(Variables& vars, std::string_view arg) {
  auto malformed = [&] {
    return Error(ExitCode::usage, "--var '" + shown(arg) + "': expected key=value or key.LANG=value");
  };
  auto equals = arg.find('=');
  if (equals == std::string_view::npos) throw malformed();
  std::string key(arg.substr(0, equals));
  std::string value(arg.substr(equals + 1));
  std::string name = key;
  std::optional<std::string> lang;
  if (auto dot = key.find('.'); dot != std::string::npos) {
    name = key.substr(0, dot);
    lang = key.substr(dot + 1);
    if (!config::is_language_code(*lang)) throw malformed();
  }
  if (!is_variable_name(name)) throw malformed();
  if (auto at = invalid_utf8_at(value))
    throw Error(ExitCode::data, "--var " + key + ": the value is not valid UTF-8 (at byte " + std::to_string(*at + 1) +
                                    " of the value); expected UTF-8 text");
  VariableValue& slot = vars.values[name];
  if (lang)
    slot.by_language[*lang] = std::move(value);
  else
    slot.common = std::move(value);
  slot.where = SourceLocation{};
}

Variables read_vars(config::YamlReader& outer, const YAML::Node& node, std::string_view what) {
  // Values are published: one expanded from the environment could publish a secret.
  config::YamlReader reader = outer.without_expansion();
  Variables vars;
  for (const auto& entry : reader.open_map(node, what)) {
    if (!is_variable_name(entry.key)) {
      reader.error(entry.key_node, "'" + shown(entry.key) + "' is not a variable name; expected letters, digits, _ and -");
      continue;
    }
    VariableValue value;
    value.where = reader.where(entry.value);
    std::string name = "variable '" + entry.key + "'";
    if (entry.value.IsMap()) {
      auto texts = reader.localized(entry.value, name);
      if (!texts) continue;
      value.by_language = std::move(texts->text);
    } else {
      auto text = reader.string(entry.value, name);
      if (!text) continue;
      value.common = std::move(*text);
    }
    vars.values[entry.key] = std::move(value);
  }
  return vars;
}

namespace {
Variables vars_from(const config::YamlDocument& doc) {
  if (doc.root.IsNull()) return {};  // an empty file sets nothing
  Diagnostics diagnostics;
  config::YamlReader reader(doc.file, ExitCode::data, diagnostics);
  Variables vars = read_vars(reader, doc.root, "the vars file");
  diagnostics.throw_if_any();
  return vars;
}
}  // namespace

Variables parse_vars(const std::string& yaml, const std::string& file_name) {
  return vars_from(config::parse_yaml(yaml, file_name, ExitCode::data));
}

Variables load_vars_file(const std::filesystem::path& file) {
  // A missing file is 66; broken YAML is 65 like any other bad value.
  return vars_from(config::load_yaml_file(file, FileKind::vars, ExitCode::data));
}

void merge(Variables& into, const Variables& from) {
  for (const auto& [name, value] : from.values) {
    VariableValue& slot = into.values[name];
    if (value.common) {
      slot.common = value.common;
      slot.by_language.clear();
    }
    for (const auto& [lang, text] : value.by_language) slot.by_language[lang] = text;
    slot.where = value.where;
  }
}

const ResolvedValue* ResolvedVariables::find(std::string_view name) const {
  auto it = values.find(std::string(name));
  return it == values.end() ? nullptr : &it->second;
}

ResolvedVariables resolve_variables(const Template& tmpl, const Variables& given, bool use_examples,
                                    std::vector<Diagnostic>& warnings) {
  return resolve_variables(tmpl, given, use_examples, warnings, tmpl.languages());
}

namespace {

// Values given for variables the template does not declare: warned about, never used.
void warn_undeclared(const Template& tmpl, const Variables& given, std::vector<Diagnostic>& warnings) {
  std::vector<std::string> declared = tmpl.variable_names();
  for (const auto& [name, value] : given.values) {
    if (tmpl.find_variable(name)) continue;
    warnings.push_back(Diagnostic{ExitCode::data,
                                  "variable '" + shown(name) + "' is not declared by template '" + tmpl.name + "'" +
                                      did_you_mean(name, declared) + " and is ignored; expected one of: " +
                                      (declared.empty() ? "(none)" : join(declared, ", ")),
                                  location(value)});
  }
}

// One declared variable's value (given, or its example), checked against its type and its
// languages; nothing when it has no value or a problem was added.
std::optional<ResolvedValue> resolve_one(const VariableSpec& spec, const Variables& given, bool use_examples,
                                         const std::vector<LanguageCode>& languages, Diagnostics& problems) {
  std::string type_name(to_string(spec.type));
  auto it = given.values.find(spec.name);
  ResolvedValue resolved;
  resolved.type = spec.type;
  if (it != given.values.end()) {
    resolved.value = it->second;
    // An empty value is what `--var areas="$AREAS"` gives when AREAS is unset: not a value.
    if (resolved.value.common && is_blank(*resolved.value.common)) resolved.value.common.reset();
    std::erase_if(resolved.value.by_language, [](const auto& entry) { return is_blank(entry.second); });
  }
  if (resolved.value.empty() && use_examples && spec.example) {
    resolved.value = *spec.example;
    resolved.from_example = true;
  }

  std::string what = "variable '" + spec.name + "'";
  if (!resolved.value.by_language.empty() && !allows_per_language(spec.type)) {
    problems.add(ExitCode::data,
                 what + " is a " + type_name + ", the same in every language; expected " + spec.name + "=VALUE, not " +
                     spec.name + "." + resolved.value.by_language.begin()->first + "=VALUE",
                 location(resolved.value));
    return std::nullopt;
  }
  bool bad = false;
  auto check = [&](const std::string& value, const std::string& suffix) {
    if (auto expected = check_value(spec.type, value)) {
      problems.add(ExitCode::data, what + suffix + " is not a valid " + type_name + "; " + *expected,
                   location(resolved.value));
      bad = true;
    }
  };
  if (resolved.value.common) check(*resolved.value.common, "");
  for (const auto& [lang, value] : resolved.value.by_language) check(value, " (" + lang + ")");
  if (bad) return std::nullopt;

  std::vector<LanguageCode> missing;
  for (const auto& lang : languages)
    if (!resolved.value.for_language(lang)) missing.push_back(lang);
  if (spec.required && !missing.empty()) {
    std::string message = "missing required variable '" + spec.name + "'";
    if (!resolved.value.empty()) message += " for " + join(missing, ", ");
    if (!spec.description.empty()) message += " (" + spec.description + ")";
    message += "; expected " + how_to_give(spec, missing, !resolved.value.empty());
    if (spec.example) message += ", or --example";
    problems.add(ExitCode::data, message);
    return std::nullopt;
  }
  if (resolved.value.empty()) return std::nullopt;
  return resolved;
}

}  // namespace

ResolvedVariables resolve_variables(const Template& tmpl, const Variables& given, bool use_examples,
                                    std::vector<Diagnostic>& warnings, const std::vector<LanguageCode>& languages) {
  Diagnostics problems;
  ResolvedVariables out;
  warn_undeclared(tmpl, given, warnings);
  for (const auto& spec : tmpl.variables)
    if (auto resolved = resolve_one(spec, given, use_examples, languages, problems))
      out.values[spec.name] = std::move(*resolved);
  problems.throw_if_any();
  return out;
}

}  // namespace samvad::templates
