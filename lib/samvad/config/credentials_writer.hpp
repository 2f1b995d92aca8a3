// Writing a department's X access token into credentials.yaml (samvad authorize): the rest of
// the file's content is kept, ${VARIABLE} references stay references, and the file stays
// private: written to a new temporary file beside it (mkostemp: O_EXCL, a random name, 0600),
// synced, then renamed over the old one; the result is 0600 whatever the umask. A symbolic link
// is followed and its target replaced, so the link stays a link.
#pragma once

#include <filesystem>
#include <string>

namespace samvad::config {

void store_twitter_token(const std::filesystem::path& credentials_file, const std::string& department,
                         const std::string& access_token, const std::string& access_token_secret);

}  // namespace samvad::config
