// The X channel of the delivery engine: posts a delivery's thread part by part (each reply to
// the previous), the images on the first part, and never posts a part twice — a part left
// in flight or ambiguous by an earlier run is first looked for among the account's recent posts.
#pragma once

#include <functional>
#include <memory>

#include <samvad/delivery/channel.hpp>
#include <samvad/net/http.hpp>
#include <samvad/oauth/signer.hpp>

namespace samvad::twitter {

using HttpFactory = std::function<std::unique_ptr<net::HttpClient>(const config::TwitterAccount& account)>;

std::unique_ptr<delivery::Channel> make_channel(HttpFactory http);

// Whether a post read back from X is the text samvad sent: X shortens every URL to a t.co link
// and escapes &, < and >, so URLs and those escapes are compared loosely.
bool same_post_text(const std::string& sent, const std::string& returned);

// The OAuth keys for a department (its app override or the corporation's app, and its token).
// Throws Error(ExitCode::config) naming what is missing.
oauth::Keys keys_for(const config::Credentials& credentials, const std::string& department);

}  // namespace samvad::twitter
