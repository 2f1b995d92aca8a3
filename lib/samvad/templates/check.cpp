#include <samvad/templates/check.hpp>

#include <algorithm>
#include <set>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/templates/context.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::templates {

namespace {

void add_texts(std::vector<TemplateText>& out, const Localized& texts, const std::string& key, Escaping escaping) {
  for (const auto& [lang, text] : texts.text) out.push_back(TemplateText{key + "." + lang, lang, &text, escaping});
}

// A value of each type that passes check_value, standing in for what a user will give.
std::string stand_in(VariableType type) {
  switch (type) {
    case VariableType::text: return "x";
    case VariableType::date: return "2000-01-01";
    case VariableType::time: return "09:00";
    case VariableType::url: return "https://example.org/";
    case VariableType::number: return "1";
  }
  return "x";
}

std::vector<std::size_t> line_starts(const std::string& source) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < source.size(); ++i)
    if (source[i] == '\n') starts.push_back(i + 1);
  return starts;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

struct NameProblem {
  std::string message;
  std::string tag;  // the name as written in the tag, to find it in the text
};

// For a name whose first part exists ("date.isoo"): which part is missing, judged on the
// probe context where everything is present.
std::optional<NameProblem> field_problem(const std::string& name, const nlohmann::json& context) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  const nlohmann::json* node = &context;
  std::string path;
  for (const auto& part : parts) {
    if (node->is_object() && node->contains(part)) {
      node = &(*node)[part];
      path += (path.empty() ? "" : ".") + part;
      continue;
    }
    if (path.empty()) return std::nullopt;  // not a root at all: reported elsewhere
    if (node->is_object()) {
      // Objects with "local" are keyed by language; which languages exist depends on the
      // departments the template is rendered for, so a language code is not judged here.
      if (node->contains("local") && config::is_language_code(part)) return std::nullopt;
      std::vector<std::string> keys;
      for (const auto& item : node->items()) keys.push_back(item.key());
      return NameProblem{"'{{" + shown(name) + "}}': '" + shown(path) + "' has no field '" + shown(part) + "'" + did_you_mean(part, keys) +
                             "; expected one of: " + join(keys, ", "),
                         name};
    }
    return NameProblem{"'{{" + shown(name) + "}}': '" + shown(path) + "' is " + (node->is_array() ? "a list" : "a single value") +
                           " and has no field '" + shown(part) + "'; expected {{" + shown(path) + "}}",
                       name};
  }
  return std::nullopt;
}

}  // namespace

std::vector<TemplateText> template_texts(const Template& tmpl) {
  std::vector<TemplateText> out;
  if (tmpl.tweet) add_texts(out, *tmpl.tweet, "tweet", Escaping::none);
  if (tmpl.email) {
    add_texts(out, tmpl.email->subject, "email.subject", Escaping::none);
    add_texts(out, tmpl.email->text, "email.text", Escaping::none);
    if (tmpl.email->html) add_texts(out, *tmpl.email->html, "email.html", Escaping::html);
  }
  return out;
}

SourceLocation locate_in_text(const std::string& source, const SourceLocation& start, std::size_t pos,
                              const std::string& text, std::size_t offset) {
  if (pos >= source.size() || offset >= text.size() || start.line <= 0) return start;
  auto newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  bool first_line = newline == std::string::npos || newline >= offset;
  std::size_t line_in_text =
      static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  std::size_t column_in_line = first_line ? offset : offset - newline - 1;
  // Only trust a computed position when the source really has the same bytes there.
  auto same_bytes = [&](std::size_t at) {
    std::size_t n = std::min<std::size_t>(2, text.size() - offset);
    return at + n <= source.size() && source.compare(at, n, text, offset, n) == 0;
  };
  char first = source[pos];
  if (first == '|') {
    auto starts = line_starts(source);
    std::size_t header = static_cast<std::size_t>(start.line - 1);
    std::size_t indent = std::string::npos;
    for (std::size_t l = header + 1; l < starts.size(); ++l) {
      std::size_t end = l + 1 < starts.size() ? starts[l + 1] - 1 : source.size();
      std::size_t nonspace = source.find_first_not_of(' ', starts[l]);
      if (nonspace != std::string::npos && nonspace < end) {
        indent = nonspace - starts[l];
        break;
      }
    }
    std::size_t line = header + 1 + line_in_text;
    if (indent == std::string::npos || line >= starts.size()) return start;
    std::size_t at = starts[line] + indent + column_in_line;
    if (!same_bytes(at)) return start;
    return SourceLocation{start.file, static_cast<int>(line + 1), static_cast<int>(indent + column_in_line + 1)};
  }
  if (line_in_text != 0 || first == '>') return start;
  std::size_t quote = (first == '"' || first == '\'') ? 1 : 0;
  std::size_t at = pos + quote + offset;
  if (!same_bytes(at)) return start;
  return SourceLocation{start.file, start.line, start.column + static_cast<int>(quote + offset)};
}

std::vector<Diagnostic> unescaped_html_tags(const Template& tmpl, const std::string& source,
                                            const std::vector<TextOrigin>& origins) {
  std::vector<Diagnostic> out;
  for (const auto& text : template_texts(tmpl)) {
    if (text.escaping != Escaping::html) continue;
    std::size_t pos = source.size();
    for (const auto& o : origins)
      if (o.key == text.key) pos = o.pos;
    const std::string& t = *text.text;
    for (std::size_t open = t.find("{{"); open != std::string::npos; open = t.find("{{", open + 2)) {
      if (open + 2 >= t.size() || (t[open + 2] != '{' && t[open + 2] != '&')) continue;
      const bool triple = t[open + 2] == '{';
      const std::size_t close = t.find(triple ? "}}}" : "}}", open + 3);
      if (close == std::string::npos) break;  // check_texts reports the unclosed tag
      std::string_view name(t.data() + open + 3, close - open - 3);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      const std::string tag = shown(t.substr(open, close + (triple ? 3 : 2) - open));
      out.push_back(Diagnostic{ExitCode::config,
                               text.key + ": '" + tag + "' puts its value into the HTML unescaped, so a value with <, > or & " +
                                   "breaks the markup or adds HTML of its own; expected {{" + shown(name) + "}}, which escapes it",
                               locate_in_text(source, tmpl.text_location(text.key), pos, t, open)});
      open = close;
    }
  }
  return out;
}

nlohmann::json probe_context(const Template& tmpl, const LanguageCode& lang, bool everything) {
  std::vector<LanguageCode> languages = tmpl.languages();
  for (const char* common : {"mr", "en"})
    if (std::find(languages.begin(), languages.end(), common) == languages.end()) languages.push_back(common);
  if (std::find(languages.begin(), languages.end(), lang) == languages.end()) languages.push_back(lang);

  config::Config config;
  config.organization.languages = languages;
  config.organization.short_name = "ORG";
  if (everything) config.organization.website = "https://example.org/";
  config::Department department;
  department.id = "department";
  department.languages = languages;
  for (const auto& l : languages) {
    config.organization.name.text[l] = "organization";
    department.name.text[l] = "department";
  }
  if (everything) {
    department.hashtags = {"Tag"};
    department.template_values["handle"] = "handle";
  }
  ResolvedVariables vars;
  for (const auto& spec : tmpl.variables) {
    if (!everything && !spec.required) continue;
    ResolvedValue value;
    value.type = spec.type;
    value.value.common = stand_in(spec.type);
    vars.values[spec.name] = value;
  }
  return render_context(tmpl, config, department, vars, lang);
}

std::vector<Diagnostic> check_texts(const Template& tmpl, const std::string& source, const std::vector<TextOrigin>& origins,
                                    const std::vector<std::string>& untyped) {
  std::vector<Diagnostic> out;
  std::vector<std::string> known = tmpl.variable_names();
  const std::vector<std::string> roots = context_roots();
  known.insert(known.end(), roots.begin(), roots.end());
  std::string declared_list = tmpl.variables.empty() ? "none" : join(tmpl.variable_names(), ", ");

  for (const auto& text : template_texts(tmpl)) {
    SourceLocation start = tmpl.text_location(text.key);
    std::size_t pos = source.size();
    for (const auto& o : origins)
      if (o.key == text.key) pos = o.pos;
    auto at_offset = [&](std::optional<std::size_t> offset) {
      return offset ? locate_in_text(source, start, pos, *text.text, *offset) : start;
    };

    std::set<std::string> reported;
    auto report = [&](const std::string& tag, std::string message) {
      if (!reported.insert(message).second) return;
      out.push_back(Diagnostic{ExitCode::config, text.key + ": " + message, at_offset(find_tag(*text.text, tag))});
    };

    for (bool everything : {true, false}) {
      nlohmann::json context = probe_context(tmpl, text.lang, everything);
      MustacheResult result = render_mustache(*text.text, context, text.escaping);
      if (result.error) {
        out.push_back(Diagnostic{ExitCode::config,
                                 text.key + ": invalid mustache: " + shown(*result.error, 200) +
                                     "; expected {{name}} tags and {{#name}}...{{/name}} sections that close",
                                 at_offset(error_offset(*result.error))});
        break;
      }
      for (const auto& name : result.partials)
        report(name, "'{{> " + shown(name) + "}}': partials are not supported; expected the text written out in the template");
      for (const auto& name : result.unresolved) {
        std::string first = first_component(name);
        if (std::find(known.begin(), known.end(), first) == known.end()) {
          report(name, "'{{" + shown(name) + "}}' is not a declared variable" + did_you_mean(first, known) +
                           "; expected a variable declared under variables: (" + declared_list +
                           ") or one of department, organization, title, lang");
          continue;
        }
        // Only the pass with everything present can tell a missing field from a value left out.
        if (!everything || std::find(untyped.begin(), untyped.end(), first) != untyped.end()) continue;
        if (auto problem = field_problem(name, context)) report(problem->tag, problem->message);
      }
    }
  }
  return out;
}

}  // namespace samvad::templates
