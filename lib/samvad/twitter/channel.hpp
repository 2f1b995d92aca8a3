// The X channel of the delivery engine: posts a delivery's thread part by part (each reply to
// the previous), the images on the first part, and never posts a part twice — a part left
// in flight or ambiguous by an earlier run is first looked for among the account's recent posts,
// by its exact text (post_text.hpp), and a post another delivery recorded is never taken for it.
#pragma once

#include <functional>
#include <memory>

#include <samvad/delivery/channel.hpp>
#include <samvad/net/http.hpp>
#include <samvad/oauth/signer.hpp>

namespace samvad::twitter {

using HttpFactory = std::function<std::unique_ptr<net::HttpClient>(const config::TwitterAccount& account)>;

std::unique_ptr<delivery::Channel> make_channel(HttpFactory http);

// The OAuth keys for a department (its app override or the corporation's app, and its token).
// Throws Error(ExitCode::config) naming what is missing.
oauth::Keys keys_for(const config::Credentials& credentials, const std::string& department);

}  // namespace samvad::twitter
