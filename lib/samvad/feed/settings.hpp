// Where the public notice feed is written and under which URL the web server shows it: the
// `feed:` block of departments.yaml, at the top level (the defaults, and the place of the
// corporation-wide feed) and in a department (overriding the defaults key by key).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include <samvad/config/yaml_reader.hpp>

namespace samvad::feed {

struct FeedSettings {
  std::filesystem::path dir;  // absolute and lexically normal
  std::string base_url;       // https:// (http:// only for a loopback host), without a trailing '/'
};

// Reads `node`, a mapping {dir, base_url}, reporting every problem through `r` (so at file:line
// with r's exit code, 78 for departments.yaml). `what` names the block in messages ("feed",
// "departments.roads.feed"). A relative dir is taken from `config_dir`, the folder of
// departments.yaml. With `defaults` (the top-level block already read) a key left out is taken
// from them; without, both keys are required. nullopt when anything was reported.
std::optional<FeedSettings> read_feed_section(config::YamlReader& r, const YAML::Node& node, std::string_view what,
                                              const std::filesystem::path& config_dir, const FeedSettings* defaults);

}  // namespace samvad::feed
