#include <samvad/email/subscribers.hpp>

#include <set>

#include <samvad/core/file.hpp>
#include <samvad/email/address.hpp>

namespace samvad::email {

namespace {
std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\v\f";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}
}  // namespace

SubscriberList parse_subscribers(std::string_view text, const std::string& file) {
  SubscriberList out;
  std::set<std::string> seen;
  int line_number = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string_view raw = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    ++line_number;
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto normalized = normalize_address(line);
    if (!normalized) {
      out.problems.push_back(Diagnostic{ExitCode::data,
                                        "'" + std::string(line) + "' is not a valid email address; expected one address like name@example.org per line (line skipped)",
                                        SourceLocation{file, line_number, 1}});
      continue;
    }
    if (!seen.insert(recipient_key(*normalized)).second) {
      ++out.duplicates;
      continue;
    }
    out.addresses.push_back(*normalized);
  }
  return out;
}

SubscriberList load_subscribers(const std::filesystem::path& path) {
  auto text = read_whole_file(path);
  if (!text) throw Error(ExitCode::no_input, "cannot read the subscriber file; expected a readable file with one address per line",
                         SourceLocation{path.string(), 0, 0});
  return parse_subscribers(*text, path.string());
}

}  // namespace samvad::email
