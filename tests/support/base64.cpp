#include "support/base64.hpp"

#include <climits>
#include <stdexcept>

#include <openssl/evp.h>

namespace samvad::test {

namespace {

// OpenSSL counts in int; nothing a test encodes comes near that.
int openssl_length(const std::string& s) {
  if (s.size() > INT_MAX / 2) throw std::length_error("base64: input too long");
  return static_cast<int>(s.size());
}

}  // namespace

std::string base64_encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), openssl_length(bytes));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64_decode(const std::string& text) {
  if (text.size() % 4 != 0) throw std::runtime_error("not base64: length " + std::to_string(text.size()));
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), openssl_length(text));
  if (n < 0) throw std::runtime_error("not base64");
  // EVP_DecodeBlock decodes the padding too, as zero bytes.
  const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace samvad::test
