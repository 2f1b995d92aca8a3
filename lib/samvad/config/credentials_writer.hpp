// Writing a department's X access token into credentials.yaml (samvad authorize): the rest of
// the file's content is kept, ${VARIABLE} references stay references, and the file stays
// private (written to a 0600 temporary file, then renamed over the old one).
#pragma once

#include <filesystem>
#include <string>

namespace samvad::config {

void store_twitter_token(const std::filesystem::path& credentials_file, const std::string& department,
                         const std::string& access_token, const std::string& access_token_secret);

}  // namespace samvad::config
