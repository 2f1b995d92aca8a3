#include <samvad/config/yaml_reader.hpp>

#include <cstdio>
#include <cstdlib>
#include <set>

#include <samvad/core/file.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>

namespace samvad::config {

SourceLocation location_of(const std::string& file, const YAML::Node& node) {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, m.line + 1, m.column + 1};
}

YamlDocument parse_yaml(const std::string& text, std::string file, ExitCode syntax_error_code) {
  // Checked first: everything read from YAML is published, stored and printed as JSON, all of
  // which need UTF-8; a file saved as Latin-1 or UTF-16 is named here, at its first odd byte.
  if (auto at = invalid_utf8_at(text)) {
    const TextPosition p = position_of(text, *at);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[*at])));
    throw Error(syntax_error_code,
                std::string("the text is not valid UTF-8 here (byte ") + byte + "); expected UTF-8 text (save the file as UTF-8)",
                SourceLocation{file, p.line, p.column});
  }
  try {
    YamlDocument doc{file, YAML::Load(text)};
    return doc;
  } catch (const YAML::ParserException& e) {
    SourceLocation where{file, e.mark.line + 1, e.mark.column + 1};
    throw Error(syntax_error_code, "invalid YAML: " + e.msg + "; expected well-formed YAML", where);
  }
}

YamlDocument load_yaml_file(const std::filesystem::path& path, FileKind kind, ExitCode syntax_error_code) {
  return parse_yaml(read_whole_file_or_throw(path, kind), path.string(), syntax_error_code);
}

Expansion expand_environment(std::string_view text) {
  Expansion out;
  std::string& value = out.value;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      value += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      value += text[i++];
      continue;
    }
    std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.malformed = "'${' without a closing '}'";
      return out;
    }
    std::string name(text.substr(i + 2, close - i - 2));
    // A loop, not std::regex: libstdc++'s regex recurses once per character and a long name
    // overflowed the stack (found by fuzz/config_fuzzer).
    auto name_char = [](char c, bool first) {
      return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    };
    bool valid = !name.empty();
    for (std::size_t k = 0; valid && k < name.size(); ++k) valid = name_char(name[k], k == 0);
    if (!valid) {
      out.malformed = "'${" + shown(name) + "}' is not a valid environment variable name";
      return out;
    }
    const char* env = std::getenv(name.c_str());
    if (env == nullptr) {
      out.unset_variable = name;
      return out;
    }
    value += env;
    i = close + 1;
  }
  return out;
}

void YamlReader::error(const YAML::Node& at, std::string message) { error(at, code_, std::move(message)); }

void YamlReader::error(const YAML::Node& at, ExitCode code, std::string message) {
  diagnostics_.add(code, std::move(message), where(at));
}

namespace {
const char* kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    case YAML::NodeType::Null: return "nothing";
    default: return "an undefined value";
  }
}
}  // namespace

std::vector<MapEntry> YamlReader::open_map(const YAML::Node& node, std::string_view what) {
  std::vector<MapEntry> entries;
  if (!node.IsMap()) {
    error(node, std::string(what) + " is " + kind_name(node) + "; expected a mapping of key: value");
    return entries;
  }
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: the iterator hands out a temporary pair
    if (!key.IsScalar()) {
      error(key, "a key of " + std::string(what) + " is " + kind_name(key) + "; expected a plain name");
      continue;
    }
    std::string name = key.Scalar();
    if (!seen.insert(name).second) {
      error(key, "duplicate key " + (quote_text_ ? "'" + shown(name) + "' " : std::string()) + "in " + std::string(what) +
                     "; expected each key once");
      continue;
    }
    entries.push_back(MapEntry{name, key, it->second});
  }
  return entries;
}

std::vector<MapEntry> YamlReader::map(const YAML::Node& node, std::string_view what,
                                      const std::vector<std::string>& allowed) {
  std::vector<MapEntry> entries = open_map(node, what);
  std::vector<MapEntry> known;
  for (auto& e : entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      error(e.key_node, (quote_text_ ? "unknown key '" + shown(e.key) + "'" : std::string("an unknown key")) + " in " +
                            std::string(what) + did_you_mean(e.key, allowed) + "; expected one of: " + list);
      continue;
    }
    known.push_back(std::move(e));
  }
  return known;
}

const MapEntry* find_entry(const std::vector<MapEntry>& entries, std::string_view key) {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

std::optional<YAML::Node> YamlReader::required(const YAML::Node& parent, const std::vector<MapEntry>& entries,
                                               std::string_view key, std::string_view what) {
  if (const MapEntry* e = find_entry(entries, key)) return e->value;
  if (parent.IsMap()) error(parent, "missing key '" + std::string(key) + "' in " + std::string(what) + "; expected it to be set");
  return std::nullopt;
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    error(node, std::string(what) + " is " + kind_name(node) + "; expected a text value");
    return std::nullopt;
  }
  if (!expand_env_) return node.Scalar();
  Expansion x = expand_environment(node.Scalar());
  if (x.malformed) {
    error(node, std::string(what) + ": " + (quote_text_ ? *x.malformed : std::string("a '${' that is not ${NAME}")) +
                    "; expected ${NAME} with NAME of letters, digits and _");
    return std::nullopt;
  }
  if (x.unset_variable) {
    error(node, std::string(what) + ": environment variable " + *x.unset_variable +
                    " is not set; expected it to be exported before running samvad");
    return std::nullopt;
  }
  if (invalid_utf8_at(x.value)) {
    error(node, std::string(what) + ": an environment variable it names holds text that is not valid UTF-8; expected UTF-8 text");
    return std::nullopt;
  }
  return std::move(x.value);
}

std::optional<long long> YamlReader::integer(const YAML::Node& node, std::string_view what, long long min, long long max) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  std::string range = std::to_string(min) + " to " + std::to_string(max);
  try {
    std::size_t used = 0;
    long long v = std::stoll(*text, &used, 10);
    if (used == text->size() && v >= min && v <= max) return v;
  } catch (const std::exception&) {
  }
  error(node, std::string(what) + " is not a whole number from " + range + "; expected a whole number from " + range);
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "yes") return true;
  if (*text == "false" || *text == "no") return false;
  error(node, std::string(what) + " is not true or false; expected true or false");
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::string_list(const YAML::Node& node, std::string_view what) {
  if (!node.IsSequence()) {
    error(node, std::string(what) + " is " + kind_name(node) + "; expected a list like [a, b]");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto item = string(node[i], std::string(what) + "[" + std::to_string(i) + "]");
    if (item)
      out.push_back(std::move(*item));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

bool is_language_code(std::string_view code) {
  // [a-z]{2,3}(-[A-Za-z0-9]{2,8})*, checked by hand: std::regex recursed per character and a
  // long code overflowed the stack (found by fuzz/vars_fuzzer).
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  std::size_t i = 0;
  while (i < code.size() && is_lower(code[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < code.size()) {
    if (code[i] != '-') return false;
    std::size_t start = ++i;
    while (i < code.size() && is_alnum(code[i])) ++i;
    if (i - start < 2 || i - start > 8) return false;
  }
  return true;
}

std::optional<Localized> YamlReader::localized(const YAML::Node& node, std::string_view what) {
  if (!node.IsMap()) {
    error(node, std::string(what) + " is " + kind_name(node) + "; expected one text per language, like {en: ..., mr: ...}");
    return std::nullopt;
  }
  Localized out;
  bool ok = true;
  for (auto& e : open_map(node, what)) {
    if (!is_language_code(e.key)) {
      error(e.key_node, (quote_text_ ? "'" + shown(e.key) + "'" : std::string("a key")) + " in " + std::string(what) +
                            " is not a language code; expected codes like mr or en");
      ok = false;
      continue;
    }
    auto text = string(e.value, std::string(what) + "." + e.key);
    if (!text) {
      ok = false;
      continue;
    }
    out.text[e.key] = std::move(*text);
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace samvad::config
