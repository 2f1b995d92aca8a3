#include <samvad/templates/template.hpp>

#include <mutex>

#include <samvad/core/file.hpp>

#include <unicode/unistr.h>

#include <algorithm>
#include <set>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/templates/check.hpp>
#include <samvad/core/text.hpp>

namespace samvad::templates {

namespace {

using config::MapEntry;
using config::YamlReader;

const std::vector<std::string> kTemplateKeys{"kind", "title", "variables", "thread", "tweet", "email", "media"};
const std::vector<std::string> kMediaKeys{"file", "alt"};

// media: [{file: images/map.png, alt: {mr: ..., en: ...}}]: checked here, so a missing image
// or alt text is found by `samvad check`, not halfway through posting.
std::vector<TemplateMedia> read_media(YamlReader& reader, const YAML::Node& node, const std::filesystem::path& folder) {
  std::vector<TemplateMedia> out;
  if (!node.IsSequence()) {
    reader.error(node, "media is not a list; expected a list like [{file: map.png, alt: {mr: ..., en: ...}}]");
    return out;
  }
  if (node.size() > 4) reader.error(node, "media has " + std::to_string(node.size()) + " images; expected at most 4");
  for (std::size_t i = 0; i < node.size(); ++i) {
    std::string what = "media[" + std::to_string(i) + "]";
    auto fields = reader.map(node[i], what, kMediaKeys);
    TemplateMedia m;
    m.where = reader.where(node[i]);
    if (auto file_node = reader.required(node[i], fields, "file", what)) {
      if (auto file = reader.string(*file_node, what + ".file")) {
        m.file = std::filesystem::path(*file).is_absolute() ? std::filesystem::path(*file) : folder / *file;
        m.file = m.file.lexically_normal();
        if (!std::filesystem::is_regular_file(m.file))
          reader.error(*file_node, what + ".file: " + m.file.string() + " does not exist; expected an image file (relative to the template's folder)");
      }
    }
    if (auto alt_node = reader.required(node[i], fields, "alt", what)) {
      if (auto alt = reader.localized(*alt_node, what + ".alt")) {
        for (const auto& [lang, text] : alt->text) {
          auto length = icu::UnicodeString::fromUTF8(text).countChar32();
          if (text.find_first_not_of(" \t\r\n") == std::string::npos || length > 1000)
            reader.error(*alt_node, what + ".alt." + lang + " has " + std::to_string(length) +
                                        " characters; expected a description of 1 to 1000 characters");
        }
        m.alt = std::move(*alt);
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}
const std::vector<std::string> kVariableKeys{"type", "required", "description", "example"};
const std::vector<std::string> kEmailKeys{"subject", "text", "html"};

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// What parsing remembers besides the Template: where each text's scalar starts in the source.
struct Parser {
  YamlReader& reader;
  Template& tmpl;
  std::vector<TextOrigin> origins;
  std::vector<std::string> untyped;  // variables whose type could not be read

  // A {lang: text} map of template texts, each remembered by key ("tweet.mr").
  std::optional<Localized> texts(const YAML::Node& node, const std::string& key) {
    auto loc = reader.localized(node, key);
    if (!loc) return std::nullopt;
    if (loc->text.empty()) {
      reader.error(node, key + " has no text; expected one text per language, like {mr: ..., en: ...}");
      return std::nullopt;
    }
    const YAML::Node& map = node;
    for (const auto& [lang, text] : loc->text) {
      const YAML::Node value = map[lang];
      std::string text_key = key + "." + lang;
      tmpl.text_where[text_key] = reader.where(value);
      origins.push_back(TextOrigin{text_key, static_cast<std::size_t>(std::max(0, value.Mark().pos))});
      if (is_blank(text)) reader.error(value, text_key + " is empty; expected the text in " + lang);
    }
    return loc;
  }

  std::optional<VariableValue> example(const YAML::Node& node, const VariableSpec& spec) {
    std::string what = "the example of variable '" + spec.name + "'";
    VariableValue value;
    value.where = reader.where(node);
    if (node.IsMap()) {
      if (!allows_per_language(spec.type)) {
        reader.error(node, what + " is one value per language, but a " + std::string(to_string(spec.type)) +
                               " is the same in every language; expected a single value");
        return std::nullopt;
      }
      auto loc = reader.localized(node, what);
      if (!loc) return std::nullopt;
      const YAML::Node& map = node;
      bool ok = true;
      for (const auto& [lang, text] : loc->text) {
        if (auto expected = check_value(spec.type, text)) {
          reader.error(map[lang], what + " (" + lang + ") is not a valid " + std::string(to_string(spec.type)) + "; " + *expected);
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      value.by_language = std::move(loc->text);
      return value;
    }
    auto text = reader.string(node, what);
    if (!text) return std::nullopt;
    if (auto expected = check_value(spec.type, *text)) {
      reader.error(node, what + " is not a valid " + std::string(to_string(spec.type)) + "; " + *expected);
      return std::nullopt;
    }
    value.common = std::move(*text);
    return value;
  }

  void variable(const MapEntry& entry) {
    VariableSpec spec;
    spec.name = entry.key;
    spec.where = reader.where(entry.key_node);
    if (!is_variable_name(spec.name))
      reader.error(entry.key_node, "variable name '" + shown(spec.name) +
                                       "' is not a plain name; expected letters, digits, _ and -, not starting with a digit or -");
    const auto& roots = context_roots();
    if (std::find(roots.begin(), roots.end(), spec.name) != roots.end())
      reader.error(entry.key_node, "variable name '" + spec.name + "' is taken by the built-in {{" + spec.name +
                                       "}}; expected another name (built-ins: " + join(roots, ", ") + ")");
    std::string what = "variable '" + spec.name + "'";
    // `link:` with nothing after it declares an optional text variable.
    std::vector<MapEntry> fields;
    if (!entry.value.IsNull()) fields = reader.map(entry.value, what, kVariableKeys);
    bool typed = entry.value.IsNull() || entry.value.IsMap();
    if (const MapEntry* e = config::find_entry(fields, "type")) {
      auto name = reader.string(e->value, what + ".type");
      auto type = name ? parse_variable_type(*name) : std::nullopt;
      if (type) spec.type = *type;
      if (name && !type)
        reader.error(e->value, "'" + shown(*name) + "' is not a variable type" + did_you_mean(*name, variable_type_names()) +
                                   "; expected one of: " + join(variable_type_names(), ", "));
      typed = typed && type.has_value();
    }
    if (!typed) untyped.push_back(spec.name);
    if (const MapEntry* e = config::find_entry(fields, "required"))
      spec.required = reader.boolean(e->value, what + ".required").value_or(false);
    if (const MapEntry* e = config::find_entry(fields, "description"))
      spec.description = reader.string(e->value, what + ".description").value_or("");
    if (const MapEntry* e = config::find_entry(fields, "example")) spec.example = example(e->value, spec);
    // Declared even when something about it is wrong, so texts using it are not also blamed.
    tmpl.variables.push_back(std::move(spec));
  }

  void email(const YAML::Node& node) {
    auto fields = reader.map(node, "email", kEmailKeys);
    auto subject_node = reader.required(node, fields, "subject", "email");
    auto text_node = reader.required(node, fields, "text", "email");
    std::optional<Localized> subject, text, html;
    if (subject_node) subject = texts(*subject_node, "email.subject");
    if (text_node) text = texts(*text_node, "email.text");
    const MapEntry* html_entry = config::find_entry(fields, "html");
    if (html_entry) html = texts(html_entry->value, "email.html");
    if (!subject || !text || (html_entry && !html)) return;

    // One email carries every language, so each part must have the same ones.
    std::set<LanguageCode> all;
    for (const Localized* part : {&*subject, &*text, html ? &*html : nullptr})
      if (part)
        for (const auto& entry : part->text) all.insert(entry.first);
    auto require_all = [&](const Localized& part, const YAML::Node& at, const std::string& key) {
      for (const auto& lang : all)
        if (!part.has(lang))
          reader.error(at, key + " has no '" + lang + "' text but another email part has; expected subject, text" +
                               (html ? ", html" : "") + " in the same languages");
    };
    require_all(*subject, *subject_node, "email.subject");
    require_all(*text, *text_node, "email.text");
    if (html) require_all(*html, html_entry->value, "email.html");
    tmpl.email = EmailTemplate{std::move(*subject), std::move(*text), std::move(html)};
  }
};

}  // namespace

const VariableSpec* Template::find_variable(std::string_view variable) const {
  for (const auto& v : variables)
    if (v.name == variable) return &v;
  return nullptr;
}

std::vector<std::string> Template::variable_names() const {
  std::vector<std::string> names;
  for (const auto& v : variables) names.push_back(v.name);
  return names;
}

std::vector<LanguageCode> Template::languages() const {
  std::set<LanguageCode> all;
  auto add = [&](const Localized& texts) {
    for (const auto& entry : texts.text) all.insert(entry.first);
  };
  if (tweet) add(*tweet);
  if (email) {
    add(email->subject);
    add(email->text);
    if (email->html) add(*email->html);
  }
  return {all.begin(), all.end()};
}

SourceLocation Template::text_location(const std::string& key) const {
  auto it = text_where.find(key);
  return it == text_where.end() ? where : it->second;
}

const std::vector<std::string>& template_kinds() {
  static const std::vector<std::string> kinds{"service-notice", "scheme", "reply"};
  return kinds;
}

namespace {

std::mutex roots_mutex;

std::vector<std::string>& root_names() {
  static std::vector<std::string> names{"department", "organization", "title", "lang", "occurrence"};
  return names;
}

}  // namespace

std::vector<std::string> context_roots() {
  std::lock_guard lock(roots_mutex);
  return root_names();
}

void add_context_root(const std::string& name) {
  std::lock_guard lock(roots_mutex);
  if (std::find(root_names().begin(), root_names().end(), name) == root_names().end()) root_names().push_back(name);
}

Template parse_template(const std::string& yaml, std::string name, std::filesystem::path path) {
  std::string file = path.string();
  config::YamlDocument doc = config::parse_yaml(yaml, file, ExitCode::config);
  Diagnostics diagnostics;
  // Template texts are published as written: "${" in a text is not an environment variable.
  YamlReader reader(file, ExitCode::config, diagnostics, /*expand_env=*/false);
  Template tmpl;
  tmpl.name = std::move(name);
  tmpl.path = std::move(path);
  tmpl.where = SourceLocation{file, 0, 0};
  Parser parser{reader, tmpl, {}, {}};

  auto top = reader.map(doc.root, "the template", kTemplateKeys);
  if (doc.root.IsMap()) {
    if (auto node = reader.required(doc.root, top, "kind", "the template")) {
      if (auto kind = reader.string(*node, "kind")) {
        const auto& kinds = template_kinds();
        if (std::find(kinds.begin(), kinds.end(), *kind) == kinds.end())
          reader.error(*node, "kind '" + shown(*kind) + "' is not known" + did_you_mean(*kind, kinds) +
                                  "; expected one of: " + join(kinds, ", "));
        tmpl.kind = *kind;
      }
    }
    std::optional<YAML::Node> title_node = reader.required(doc.root, top, "title", "the template");
    if (title_node)
      if (auto title = parser.texts(*title_node, "title")) tmpl.title = std::move(*title);
    if (const MapEntry* e = config::find_entry(top, "variables"); e && !e->value.IsNull())
      for (const auto& entry : reader.open_map(e->value, "variables")) parser.variable(entry);
    if (const MapEntry* e = config::find_entry(top, "thread"))
      tmpl.thread = reader.boolean(e->value, "thread").value_or(true);
    if (const MapEntry* e = config::find_entry(top, "tweet")) tmpl.tweet = parser.texts(e->value, "tweet");
    const MapEntry* email = config::find_entry(top, "email");
    if (email) parser.email(email->value);
    if (const MapEntry* e = config::find_entry(top, "media"))
      tmpl.media = read_media(reader, e->value, tmpl.path.parent_path());
    if (!config::find_entry(top, "tweet") && !email)
      reader.error(doc.root, "the template has neither tweet nor email; expected at least one of them");

    // {{title}} is rendered in each language a text is written in.
    if (title_node && !tmpl.title.text.empty())
      for (const auto& lang : tmpl.languages())
        if (!tmpl.title.has(lang))
          reader.error(*title_node, "title has no '" + lang + "' text but the template has " + lang +
                                        " texts; expected a title in every language the texts are written in");
  }

  diagnostics.merge(check_texts(tmpl, yaml, parser.origins, parser.untyped));
  diagnostics.throw_if_any();

  std::vector<Diagnostic> unescaped = unescaped_html_tags(tmpl, yaml, parser.origins);
  tmpl.warnings.insert(tmpl.warnings.end(), unescaped.begin(), unescaped.end());
  std::vector<std::string> used = referenced_variables(tmpl);
  for (const auto& spec : tmpl.variables)
    if (std::find(used.begin(), used.end(), spec.name) == used.end())
      tmpl.warnings.push_back(Diagnostic{ExitCode::config,
                                         "variable '" + spec.name + "' is declared but no text uses it; expected {{" +
                                             spec.name + "}} in a text, or the declaration removed",
                                         spec.where});
  return tmpl;
}

Template load_template(const std::filesystem::path& file) {
  // The name is shown, stored with every announcement and printed as JSON.
  if (auto why = line_text_problem(file.stem().string()))
    throw Error(ExitCode::config, "the template's name (its file name) contains " + *why +
                                      "; expected a name without control characters, in UTF-8 (rename the file)",
                SourceLocation{file.string(), 0, 0});
  return parse_template(read_whole_file_or_throw(file, FileKind::template_file), file.stem().string(), file);
}

std::vector<std::string> template_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.extension() == ".yaml" && !p.stem().empty() && p.stem().string().front() != '.' && it->is_regular_file(ec))
      names.push_back(p.stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<Template> load_templates(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ExitCode::no_input, "no templates directory; expected " + dir.string() +
                                        " to exist (or --templates DIR)");
  std::vector<Template> out;
  Diagnostics diagnostics;
  for (const auto& name : template_names(dir)) {
    try {
      out.push_back(load_template(dir / (name + ".yaml")));
    } catch (const Error& e) {
      diagnostics.merge(e.diagnostics());
    }
  }
  diagnostics.throw_if_any();
  return out;
}

std::filesystem::path find_template(const std::filesystem::path& dir, std::string_view name) {
  std::vector<std::string> names = template_names(dir);
  if (std::find(names.begin(), names.end(), name) != names.end()) return dir / (std::string(name) + ".yaml");
  std::string message = "no template '" + shown(name) + "' in " + dir.string() + did_you_mean(name, names);
  message += names.empty() ? "; expected templates/<name>.yaml files there" : "; available: " + join(names, ", ");
  throw Error(ExitCode::no_input, message);
}

std::filesystem::path templates_dir(const std::optional<std::string>& flag, const config::Config& config) {
  if (flag) return std::filesystem::path(*flag);
  return config.dir.empty() ? std::filesystem::path("templates") : config.dir / "templates";
}

std::vector<std::string> referenced_variables(const Template& tmpl) {
  std::set<std::string> used;
  for (const auto& text : template_texts(tmpl))
    for (bool everything : {true, false}) {
      MustacheResult result = render_mustache(*text.text, probe_context(tmpl, text.lang, everything), text.escaping);
      for (const auto& name : result.looked_up) used.insert(first_component(name));
    }
  std::vector<std::string> out;
  for (const auto& spec : tmpl.variables)
    if (used.count(spec.name)) out.push_back(spec.name);
  return out;
}

}  // namespace samvad::templates
