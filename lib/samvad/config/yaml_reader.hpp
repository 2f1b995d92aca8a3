// Reading YAML files (departments.yaml, credentials.yaml, templates, vars files) so that every
// problem is reported as "file:line:column: what is wrong; what was expected", all at once,
// unknown keys are errors with a suggestion, and ${NAME} expands from the environment in the
// files that allow it (departments.yaml, credentials.yaml), never in values that are published.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <samvad/core/error.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/localized.hpp>

namespace samvad::config {

struct YamlDocument {
  std::string file;  // the name shown in messages
  YAML::Node root;
};

// Read with read_whole_file (core/file.hpp): a missing, unreadable or oversized file, or one
// that is not a regular file, is an Error as it says. Text that is not UTF-8 (at its first bad
// byte, with line and column) and a syntax error are `syntax_error_code`.
YamlDocument load_yaml_file(const std::filesystem::path& path, FileKind kind, ExitCode syntax_error_code);
YamlDocument parse_yaml(const std::string& text, std::string file, ExitCode syntax_error_code);

SourceLocation location_of(const std::string& file, const YAML::Node& node);

// Expands ${NAME} from the environment ("$${" stands for a literal "${"). Returns the name of
// the first unset variable as the error. Pure apart from reading the environment.
struct Expansion {
  std::string value;
  std::optional<std::string> unset_variable;
  std::optional<std::string> malformed;  // what is wrong with a "${" that does not close
};
Expansion expand_environment(std::string_view text);

// One key of a map, with the node of the key (for its position) and of the value.
struct MapEntry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// Walks a document and collects diagnostics instead of stopping at the first problem.
// Messages never quote scalar values; with hold_secrets() not even unknown keys.
class YamlReader {
 public:
  YamlReader(std::string file, ExitCode code, Diagnostics& diagnostics, bool expand_env = true)
      : file_(std::move(file)), code_(code), diagnostics_(diagnostics), expand_env_(expand_env) {}

  // For a file that holds secrets (credentials.yaml): messages then quote neither values nor
  // keys the caller did not allow (a secret that lost its colon becomes a key: "password s3cret").
  void hold_secrets() { quote_text_ = false; }

  // A reader of the same file into the same diagnostics that takes "${NAME}" as text (for
  // values that are published, like an announcement's variables).
  YamlReader without_expansion() const {
    YamlReader literal(file_, code_, diagnostics_, false);
    literal.quote_text_ = quote_text_;
    return literal;
  }

  const std::string& file() const { return file_; }
  SourceLocation where(const YAML::Node& node) const { return location_of(file_, node); }
  void error(const YAML::Node& at, std::string message);
  void error(const YAML::Node& at, ExitCode code, std::string message);

  // A mapping whose keys are all in `allowed`; unknown and duplicate keys are reported.
  // Returns the entries in file order (empty when `node` is not a mapping).
  std::vector<MapEntry> map(const YAML::Node& node, std::string_view what, const std::vector<std::string>& allowed);
  // A mapping with keys chosen by the user (department ids, variable names).
  std::vector<MapEntry> open_map(const YAML::Node& node, std::string_view what);
  // The value of a required key, or an error placed at `parent`.
  std::optional<YAML::Node> required(const YAML::Node& parent, const std::vector<MapEntry>& entries,
                                     std::string_view key, std::string_view what);

  std::optional<std::string> string(const YAML::Node& node, std::string_view what);
  std::optional<long long> integer(const YAML::Node& node, std::string_view what, long long min, long long max);
  std::optional<bool> boolean(const YAML::Node& node, std::string_view what);
  std::optional<std::vector<std::string>> string_list(const YAML::Node& node, std::string_view what);
  // {en: ..., mr: ...}; keys must look like language codes.
  std::optional<Localized> localized(const YAML::Node& node, std::string_view what);

 private:
  std::string file_;
  ExitCode code_;
  Diagnostics& diagnostics_;
  bool expand_env_;
  bool quote_text_ = true;
};

// Looks a key up among entries read by YamlReader::map.
const MapEntry* find_entry(const std::vector<MapEntry>& entries, std::string_view key);

// "mr", "en", "hi", "en-IN": what samvad accepts as a language code.
bool is_language_code(std::string_view code);

}  // namespace samvad::config
