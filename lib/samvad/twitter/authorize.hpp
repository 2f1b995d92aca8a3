// `samvad authorize DEPT`: the PIN-based OAuth 1.0a flow (as `twurl authorize` does) that gets
// a department's access token and stores it in credentials.yaml.
#pragma once

#include <functional>
#include <string>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::twitter {

struct AuthorizeResult {
  std::string user_id;
  std::string username;  // confirmed with GET /2/users/me
};

// `show_url` is given the URL to open; `read_pin` returns the PIN the user typed. Needs the
// app keys (twitter_app) in `credentials`; writes the new token into credentials.path, but
// only when it belongs to the department's configured handle (compared without case, as X
// does), or `force` says to save another account's.
// Errors: 69 when X refuses, 75 when it cannot be reached, 65 for an empty PIN or a token of
// another account (nothing saved).
AuthorizeResult authorize(const config::Department& department, const config::Credentials& credentials,
                          const channel::HttpFactory& http, const std::function<void(const std::string&)>& show_url,
                          const std::function<std::string()>& read_pin, bool force = false);

// X handles are case-insensitive: @PCMCWaterSupply and @pcmcwatersupply are one account.
bool same_handle(const std::string& a, const std::string& b);

}  // namespace samvad::twitter
