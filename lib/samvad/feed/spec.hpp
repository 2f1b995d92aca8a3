// The public notice feed as a channel: its entry in the registry (registry/channels.cpp), and
// its departments.yaml block `feed: {dir, base_url}` (top level: every department and the
// corporation-wide feed; a department may override either key).
#pragma once

#include <samvad/channel/spec.hpp>
#include <samvad/feed/settings.hpp>

namespace samvad::feed {

inline constexpr const char* kChannel = "feed";

// A department's feed: where its pages and own feed go, and where the corporation's feed is.
struct ChannelSettings : config::ChannelSettings {
  FeedSettings department;
  FeedSettings corporation;
};

inline const ChannelSettings* settings_of(const config::Department& department) {
  return department.settings<ChannelSettings>(kChannel);
}

channel::Spec spec();

}  // namespace samvad::feed
