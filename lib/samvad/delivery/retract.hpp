// `samvad retract`: deletes every post of an announcement (replies first, so a thread never
// dangles), records each as retracted; a post that is already gone counts as retracted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::delivery {

struct RetractRequest {
  std::string announcement_id;
  std::vector<std::string> departments;  // empty: every department of the announcement
};

// Throws Error(66) for an unknown announcement, (64) for a department it did not go to.
RunReport retract(const RetractRequest& request, const config::Config& config, const config::Credentials& credentials,
                  const std::filesystem::path& store_path, const twitter::HttpFactory& http, Observer& observer);

}  // namespace samvad::delivery
