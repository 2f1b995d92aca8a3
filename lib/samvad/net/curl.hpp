// Small RAII owners over libcurl's C handles (cpr's CurlHolder idea: one owner, never copied,
// released on every path) and the TLS settings every samvad connection uses, shared by the
// HTTP client (X API) and the SMTP session (email).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include <curl/curl.h>

namespace samvad::net {

class EasyHandle {
 public:
  EasyHandle() : handle_(curl_easy_init()) {}
  ~EasyHandle() { release(); }
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
  EasyHandle(EasyHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  EasyHandle& operator=(EasyHandle&& other) noexcept {
    if (this != &other) {
      release();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  CURL* get() const { return handle_; }

 private:
  void release() {
    if (handle_ != nullptr) curl_easy_cleanup(handle_);
    handle_ = nullptr;
  }
  CURL* handle_;
};

class HeaderList {
 public:
  HeaderList() = default;
  ~HeaderList() { curl_slist_free_all(list_); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;

  bool append(const std::string& line) {
    curl_slist* grown = curl_slist_append(list_, line.c_str());
    if (grown == nullptr) return false;
    list_ = grown;
    return true;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

class Mime {
 public:
  explicit Mime(CURL* handle) : mime_(curl_mime_init(handle)) {}
  ~Mime() { curl_mime_free(mime_); }
  Mime(const Mime&) = delete;
  Mime& operator=(const Mime&) = delete;
  curl_mime* get() const { return mime_; }

 private:
  curl_mime* mime_;
};

// Certificates and host names always verified; `ca_file` (PEM) adds trust anchors to the
// system's roots for this handle's connections rather than replacing them.
CURLcode verify_tls(CURL* handle, const std::optional<std::string>& ca_file);

}  // namespace samvad::net
