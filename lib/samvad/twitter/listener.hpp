// The X channel's ears (channel/listen.hpp): a department's mentions since the last sync
// (every page, X keeping only the newest 800) and its own posts, through GET /2/users/me once
// (the id is kept in the store), /mentions and /tweets.
#pragma once

#include <memory>

#include <samvad/channel/channel.hpp>
#include <samvad/channel/listen.hpp>

namespace samvad::twitter {

std::unique_ptr<channel::Listener> make_listener(channel::HttpFactory http);

}  // namespace samvad::twitter
