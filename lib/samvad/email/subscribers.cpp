#include <samvad/email/subscribers.hpp>

#include <set>

#include <samvad/core/file.hpp>
#include <samvad/core/text.hpp>
#include <samvad/net/mail_address.hpp>

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
    // Lines are quoted in warnings with shown(): escaped and cut, since the file may hold anything.
    if (auto bad = invalid_utf8_at(line)) {
      const auto column = static_cast<int>(position_of(raw, static_cast<std::size_t>(line.data() - raw.data()) + *bad).column);
      out.problems.push_back(Diagnostic{ExitCode::data,
                                        "'" + shown(line) + "' is not valid UTF-8; expected one address like name@example.org per line, in UTF-8 (line skipped)",
                                        SourceLocation{file, line_number, column}});
      continue;
    }
    auto normalized = net::normalize_address(line);
    if (!normalized) {
      out.problems.push_back(Diagnostic{ExitCode::data,
                                        "'" + shown(line) + "' is not a valid email address; expected one address like name@example.org per line (line skipped)",
                                        SourceLocation{file, line_number, 1}});
      continue;
    }
    if (!seen.insert(net::recipient_key(*normalized)).second) {
      ++out.duplicates;
      continue;
    }
    out.addresses.push_back(*normalized);
  }
  return out;
}

SubscriberList load_subscribers(const std::filesystem::path& path) {
  return parse_subscribers(read_whole_file_or_throw(path, FileKind::subscribers), path.string());
}

}  // namespace samvad::email
