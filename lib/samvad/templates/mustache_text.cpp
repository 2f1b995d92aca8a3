#include <samvad/templates/mustache_text.hpp>

#include <algorithm>
#include <optional>

#include <charconv>

#include <kainjow/mustache.hpp>

#include <samvad/templates/context.hpp>

namespace samvad::templates {

namespace {

using Data = kainjow::mustache::data;

// kainjow's own lookup, watched: names that fail to resolve anywhere on the context stack are
// what a template refers to without declaring (or an optional variable left out).
class RecordingContext : public kainjow::mustache::context<std::string> {
 public:
  using Base = kainjow::mustache::context<std::string>;
  explicit RecordingContext(const Data* root) : Base(root) {}

  const Data* get(const std::string& name) const override {
    const Data* found = Base::get(name);
    looked_up_.push_back(name);
    if (found == nullptr) unresolved_.push_back(name);
    return found;
  }

  const Data* get_partial(const std::string& name) const override {
    partials_.push_back(name);
    return nullptr;
  }

  mutable std::vector<std::string> looked_up_;
  mutable std::vector<std::string> unresolved_;
  mutable std::vector<std::string> partials_;
};

std::string identity(const std::string& s) { return s; }

std::string_view trim(std::string_view s) {
  const char* space = " \t\r\n";
  auto begin = s.find_first_not_of(space);
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(space);
  return s.substr(begin, end - begin + 1);
}

}  // namespace

// kainjow renders nested sections recursively: thousands of them overflowed the stack (found
// by fuzz/template_fuzzer). No notice needs more than a few levels.
constexpr int kMaxSectionDepth = 32;

std::optional<std::string> nesting_problem(std::string_view text) {
  int depth = 0;
  for (std::size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    if (open + 2 >= text.size()) break;
    const char kind = text[open + 2];
    if (kind == '=') return "changing the {{ }} delimiters is not supported; expected {{name}} tags";
    if (kind == '#' || kind == '^') {
      if (++depth > kMaxSectionDepth)
        return "sections are nested more than " + std::to_string(kMaxSectionDepth) + " deep; expected fewer levels";
    } else if (kind == '/') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::nullopt;
}

MustacheResult render_mustache(const std::string& text, const nlohmann::json& context, Escaping escaping) {
  MustacheResult result;
  if (auto problem = nesting_problem(text)) {
    result.error = *problem;
    return result;
  }
  kainjow::mustache::mustache tmpl{text};
  if (!tmpl.is_valid()) {
    result.error = tmpl.error_message();
    return result;
  }
  if (escaping == Escaping::none) tmpl.set_custom_escape(identity);
  Data data = to_mustache_data(context);
  RecordingContext ctx(&data);
  result.output = tmpl.render(ctx);
  if (!tmpl.is_valid()) result.error = tmpl.error_message();
  result.looked_up = std::move(ctx.looked_up_);
  result.unresolved = std::move(ctx.unresolved_);
  result.partials = std::move(ctx.partials_);
  return result;
}

std::string first_component(std::string_view name) {
  if (name == ".") return ".";
  return std::string(name.substr(0, name.find('.')));
}

std::optional<std::size_t> find_tag(std::string_view text, std::string_view name) {
  for (std::size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view inside = trim(text.substr(open + 2, close - open - 2));
    if (!inside.empty() && std::string_view("#^/&>{").find(inside.front()) != std::string_view::npos)
      inside = trim(inside.substr(1));
    if (!inside.empty() && inside.back() == '}') inside = trim(inside.substr(0, inside.size() - 1));
    if (inside == name) return open;
  }
  return std::nullopt;
}

std::optional<std::size_t> error_offset(std::string_view message) {
  auto at = message.rfind(" at ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view digits = message.substr(at + 4);
  std::size_t offset = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return offset;
}

}  // namespace samvad::templates
