// Base64 (RFC 4648 section 4, padded) for tests that look for bytes as they go over the wire: the
// SMTP login in AUTH PLAIN and AUTH LOGIN, the SMTP stand-in's raw messages. OpenSSL's codec,
// as the library uses.
#pragma once

#include <string>

namespace samvad::test {

std::string base64_encode(const std::string& bytes);
// Throws std::runtime_error when `text` is not padded base64.
std::string base64_decode(const std::string& text);

}  // namespace samvad::test
