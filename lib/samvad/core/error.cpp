#include <samvad/core/error.hpp>

#include <samvad/core/text.hpp>

namespace samvad {

std::string SourceLocation::to_string() const {
  std::string s = file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

std::string Diagnostic::to_string() const {
  // Messages quote file names and values with shown(); this catches whatever a message quotes
  // without it, so nothing from a file can drive the terminal the message is printed on.
  if (!where || where->file.empty()) return escape_for_terminal(message);
  return escape_for_terminal(where->to_string() + ": " + message);
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += "\n";
    s += d.to_string();
  }
  return s;
}
std::vector<Diagnostic> non_empty(std::vector<Diagnostic> ds) {
  if (ds.empty()) ds.push_back(Diagnostic{ExitCode::software, "internal error: an error without diagnostics", {}});
  return ds;
}
}  // namespace

Error::Error(Diagnostic diagnostic) : Error(std::vector<Diagnostic>{std::move(diagnostic)}) {}

Error::Error(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(non_empty(diagnostics))), diagnostics_(non_empty(std::move(diagnostics))) {}

Error::Error(ExitCode code, std::string message, std::optional<SourceLocation> where)
    : Error(Diagnostic{code, std::move(message), std::move(where)}) {}

void Diagnostics::throw_if_any() const {
  if (!items_.empty()) throw Error(items_);
}

}  // namespace samvad
