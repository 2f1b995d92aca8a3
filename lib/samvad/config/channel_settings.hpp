// How departments.yaml learns about channels without naming any: each channel brings a reader
// for its own blocks (the top-level one with defaults for every department, and each
// department's), and the settings it reads stay opaque to config. The layer that knows the
// channels (registry/) hands their readers to load_config.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace samvad::config {

class YamlReader;

// A channel's settings for one department, as its SectionReader made them.
class ChannelSettings {
 public:
  virtual ~ChannelSettings() = default;
  // Values templates may use as {{department.NAME}} (an X handle), by NAME.
  virtual std::map<std::string, std::string> template_values() const { return {}; }
};

// Reads one channel's blocks. A fresh reader is made for every load: it may keep the defaults
// read from the top-level block for the departments that follow.
class SectionReader {
 public:
  virtual ~SectionReader() = default;
  // The channel's key in departments.yaml ("twitter"); also the channel's name.
  virtual std::string key() const = 0;
  // The top-level block, when there is one; read before any department.
  virtual void read_defaults(YamlReader& reader, const YAML::Node& node, const std::filesystem::path& dir) = 0;
  // A department's settings: from its own block (`node`), or from the defaults alone when it has
  // none (`node` null; most channels then return nullptr: the department does not use them).
  // Problems go to the reader (file:line), and the result is then nullptr.
  virtual std::shared_ptr<const ChannelSettings> read_department(YamlReader& reader, const YAML::Node* node,
                                                                 const std::string& what,
                                                                 const std::filesystem::path& dir) = 0;
  // The top-level block's settings on their own, for what the organization sends outside any
  // department's list (the heads' digest: its server and sender); nullptr when the top level
  // does not make complete settings or the channel has none.
  virtual std::shared_ptr<const ChannelSettings> organization_settings() const { return nullptr; }
};

using SectionReaders = std::vector<std::unique_ptr<SectionReader>>;

// A path written in departments.yaml: absolute, or relative to its folder `dir`; normalized.
std::optional<std::string> read_file_path(YamlReader& reader, const YAML::Node& node, const std::string& what,
                                          const std::filesystem::path& dir);

}  // namespace samvad::config
