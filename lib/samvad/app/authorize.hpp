// `samvad authorize` as a library call: a department's X access token by the PIN flow, saved in
// credentials.yaml. The caller shows the URL and reads the PIN.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/core/error.hpp>

namespace samvad::app {

struct AuthorizeRequest {
  std::string department;
  bool force = false;  // --force: save a token of another account than the configured handle
};

struct Authorized {
  std::string username;                    // whose token was saved, as X says
  std::filesystem::path credentials_path;  // where
  // With --force, a token of another account than the configuration names (78, as a warning).
  std::optional<Diagnostic> other_account;
};

// `show_url` gets the department's handle ("?" when it has none) and the URL to open.
// Throws 64 for an unknown department, and as twitter::authorize does.
Authorized authorize(const Paths& paths, const AuthorizeRequest& request, const channel::HttpFactory& http,
                     const std::function<void(const std::string& handle, const std::string& url)>& show_url,
                     const std::function<std::string()>& read_pin);

}  // namespace samvad::app
