// Subscriber files: one address per line, '#' comments and blank lines ignored. A bad line
// is reported with file:line and skipped; it never stops the rest of the list.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>

namespace samvad::email {

struct SubscriberList {
  std::vector<std::string> addresses;  // valid, deduplicated, in file order, domains in ASCII
  std::vector<Diagnostic> problems;    // invalid lines (ExitCode::data, with file:line)
  std::size_t duplicates = 0;
};

// Parses the text of a subscriber file; `file` is the name used in diagnostics.
SubscriberList parse_subscribers(std::string_view text, const std::string& file);

// Reads a subscriber file with read_whole_file (core/file.hpp): a missing or unreadable file, or
// one that is not a regular file, throws Error(66); one over the limit for subscriber files, 65.
SubscriberList load_subscribers(const std::filesystem::path& path);

}  // namespace samvad::email
