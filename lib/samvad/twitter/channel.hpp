// The X channel of the delivery engine: posts a delivery's thread part by part (each reply to
// the previous), the images on the first part, and never posts a part twice — a part left
// in flight or ambiguous by an earlier run is first looked for among the account's recent posts,
// by its exact text (post_text.hpp), and a post another delivery recorded is never taken for it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <samvad/channel/channel.hpp>
#include <samvad/net/http.hpp>
#include <samvad/oauth/signer.hpp>
#include <samvad/store/store.hpp>
#include <samvad/twitter/client.hpp>
#include <samvad/twitter/settings.hpp>

namespace samvad::twitter {

std::unique_ptr<channel::Sender> make_sender(channel::HttpFactory http);

// The OAuth keys for a department (its app override or the corporation's app, and its token).
// Throws Error(ExitCode::config) naming what is missing.
oauth::Keys keys_for(const config::Credentials& credentials, const std::string& department);

// Records each request X bills, at the department's prices, in the store's costs as it is
// answered (Client::on_billed): what the month's spend and the budgets are reckoned from.
Client::BillingHook cost_recorder(store::Store& store, const std::string& department,
                                  const std::string& announcement_id, const Prices& prices);

// The post a delivery answers: a citizen's mention (content "in_reply_to", set by
// Spec::make_reply for samvad reply), if any.
std::optional<std::string> answered_post(const std::string& content);

}  // namespace samvad::twitter
