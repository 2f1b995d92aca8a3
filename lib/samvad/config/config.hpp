// departments.yaml as a validated model: the organization and every department with its
// channels' settings (defaults already applied), so later layers never look at YAML.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/config/approval_settings.hpp>
#include <samvad/config/channel_settings.hpp>
#include <samvad/config/inbox_settings.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/localized.hpp>

namespace samvad::config {

struct Organization {
  Localized name;
  std::string short_name;
  std::string website;
  std::string timezone = "Asia/Kolkata";
  std::vector<LanguageCode> languages{"mr", "en"};
};

struct Department {
  std::string id;
  Localized name;
  std::vector<std::string> hashtags;  // without '#'
  std::vector<LanguageCode> languages;
  SourceLocation where;
  InboxSettings inbox;  // `inbox:`: routing of what citizens say, the head's digest
  // `approvals:` of its own, replacing the top-level one (an empty `required` needs none).
  std::optional<ApprovalSettings> approvals;
  // The channels the department uses, in the order the channels are registered, each with the
  // settings its SectionReader read (channel_settings.hpp).
  struct Channel {
    std::string name;
    std::shared_ptr<const ChannelSettings> settings;
  };
  std::vector<Channel> channel_settings;
  // Values for {{department.NAME}} that its channels give (channel_settings.hpp).
  std::map<std::string, std::string> template_values;

  std::vector<std::string> channels() const;  // names, in registration order
  bool uses(std::string_view channel) const { return settings_of(channel) != nullptr; }
  const ChannelSettings* settings_of(std::string_view channel) const;
  // The settings of `channel` as the channel's own type; nullptr when not used.
  template <class T>
  const T* settings(std::string_view channel) const {
    return dynamic_cast<const T*>(settings_of(channel));
  }
};

struct Config {
  std::filesystem::path path;  // departments.yaml as given
  std::filesystem::path dir;   // its folder: relative paths are resolved against it
  Organization organization;
  std::vector<Department> departments;  // in file order
  // state: the delivery store every operator and cron on this machine should share (absolute,
  // resolved against `dir`); used when neither --state nor $SAMVAD_STATE names another.
  std::optional<std::filesystem::path> state;
  std::optional<SourceLocation> state_where;
  // The channels' top-level blocks as complete settings (SectionReader::organization_settings).
  std::vector<Department::Channel> organization_channels;
  // `approvals:` at the top level: for every department without its own.
  std::optional<ApprovalSettings> approvals;

  const Department* find_department(std::string_view id) const;
  const ChannelSettings* organization_settings_of(std::string_view channel) const;  // nullptr: none
  std::vector<std::string> department_ids() const;
  // The approvals that hold for the department: its own, else the top-level ones; nullptr: none.
  const ApprovalSettings* approvals_for(const Department& department) const;
};

// Loads and validates departments.yaml; throws Error (exit 66 missing, 78 invalid) listing
// every problem with file:line:column.
// `sections` reads the channels' blocks (registry::section_readers() gives every channel's);
// a channel key without a reader is an unknown key.
Config load_config(const std::filesystem::path& path, SectionReaders sections);
Config parse_config(const std::string& yaml_text, const std::filesystem::path& path, SectionReaders sections);

// Where departments.yaml is: --config, else $SAMVAD_CONFIG, else ./departments.yaml.
std::filesystem::path find_config_path(const std::optional<std::string>& flag);

}  // namespace samvad::config
