#include <samvad/net/curl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace samvad::net {

namespace {

// CURLOPT_CAINFO would replace the system bundle; loading the configured PEM file into the
// store libcurl has already filled from the system bundle adds to it instead, which is what
// HttpOptions::ca_file promises (a private CA for one endpoint, public roots still trusted).
CURLcode add_trust_anchors(CURL*, void* ssl_ctx, void* user) {
  const auto* path = static_cast<const std::string*>(user);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  if (store == nullptr || X509_STORE_load_file(store, path->c_str()) != 1) {
    ERR_clear_error();
    return CURLE_SSL_CACERT_BADFILE;
  }
  return CURLE_OK;
}

}  // namespace

CURLcode verify_tls(CURL* h, const std::optional<std::string>& ca_file) {
  CURLcode rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  if (rc == CURLE_OK) rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (rc != CURLE_OK || !ca_file) return rc;
  // The CA cache (libcurl 7.87+) would share the store, with our additions, beyond this
  // handle's connections. An older libcurl has no cache, hence no check of the result.
  (void)curl_easy_setopt(h, CURLOPT_CA_CACHE_TIMEOUT, 0L);
  if (curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, add_trust_anchors) == CURLE_OK)
    return curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &*ca_file);
  // A TLS backend without the SSL_CTX hook: the file replaces the system bundle. Stricter
  // (public roots no longer trusted for this endpoint), never weaker.
  return curl_easy_setopt(h, CURLOPT_CAINFO, ca_file->c_str());
}

}  // namespace samvad::net
