// SHA-256 (OpenSSL) as lower-case hex: how samvad fingerprints files and requests.
#pragma once

#include <string>
#include <string_view>

namespace samvad {

std::string sha256_hex(std::string_view data);

}  // namespace samvad
