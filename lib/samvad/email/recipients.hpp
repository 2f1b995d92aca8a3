// Who one department's email goes to: its list address and the people in its subscriber file,
// each once, and how they are cut into SMTP transactions (batches).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/email/settings.hpp>

namespace samvad::email {

struct Recipients {
  std::vector<std::string> addresses;  // the list address first, then the subscribers, ASCII domains, each once
  std::vector<Diagnostic> problems;    // invalid subscriber lines (skipped), with file:line
  std::size_t duplicates = 0;
};

// Loads the list's subscriber file. A file that cannot be read throws Error (66, or 65 when it
// is over the size limit) pointing at the line of departments.yaml that names it.
Recipients load_recipients(const ListSettings& list);

// Consecutive batches of at most `batch_size` (at least 1) addresses.
std::vector<std::vector<std::string>> batches(const std::vector<std::string>& addresses, int batch_size);

}  // namespace samvad::email
