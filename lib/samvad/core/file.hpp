// Reading a whole input file (config, credentials, template, subscriber list) as bytes; each
// caller turns a failure into its own "no input" message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace samvad {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace samvad
