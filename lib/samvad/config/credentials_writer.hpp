// Writing a department's secrets into credentials.yaml (samvad authorize: its X access token): the rest of
// the file's content is kept, ${VARIABLE} references stay references, and the file stays
// private: written to a new temporary file beside it (mkostemp: O_EXCL, a random name, 0600),
// synced, then renamed over the old one; the result is 0600 whatever the umask. A symbolic link
// is followed and its target replaced, so the link stays a link.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace samvad::config {

// Sets departments.<department>.<section> to exactly `values` (key: secret), replacing what the
// section held.
void store_department_secrets(const std::filesystem::path& credentials_file, const std::string& department,
                              const std::string& section,
                              const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace samvad::config
