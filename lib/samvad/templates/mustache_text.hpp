// Rendering one template text with kainjow::mustache while recording every name the text
// looks up and which of them did not resolve, so a template can be checked for names it
// never declared, and finding where in the text a tag or a syntax error is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace samvad::templates {

// HTML escaping belongs to the html email part only; tweets, subjects and plain text take
// values exactly as given.
enum class Escaping { none, html };

struct MustacheResult {
  std::string output;
  std::vector<std::string> looked_up;  // every name asked for, in order (with repeats)
  std::vector<std::string> unresolved;  // names that resolved nowhere on the context stack
  std::vector<std::string> partials;    // {{> name}}: samvad templates have no partials
  std::optional<std::string> error;     // kainjow's message for a syntax or render error
};

MustacheResult render_mustache(const std::string& text, const nlohmann::json& context, Escaping escaping);

// "department" for "department.name.mr"; "." for "." (the current item).
std::string first_component(std::string_view name);

// Byte offset of the first tag in `text` whose name (after any #, ^, /, &, > or {) is `name`,
// assuming the default {{ }} delimiters.
std::optional<std::size_t> find_tag(std::string_view text, std::string_view name);
// kainjow reports positions as "... at 12"; the 12.
std::optional<std::size_t> error_offset(std::string_view message);

}  // namespace samvad::templates
