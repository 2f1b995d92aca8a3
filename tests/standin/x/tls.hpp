// A throwaway certificate authority and a server certificate it signed, for serving the X
// stand-in over https: what a client must trust is the CA's certificate, which no system trusts.
#pragma once

#include <filesystem>

namespace samvad::standin {

struct TlsFiles {
  std::filesystem::path ca;           // ca.pem: the CA's certificate (give it to a client to trust)
  std::filesystem::path certificate;  // server.pem: for 127.0.0.1 and localhost, signed by the CA
  std::filesystem::path key;          // server.key
};

// Makes fresh keys (EC P-256) and certificates (valid from an hour ago for 7 days) in `dir`.
// Throws std::runtime_error saying what failed.
TlsFiles make_tls_files(const std::filesystem::path& dir);

}  // namespace samvad::standin
