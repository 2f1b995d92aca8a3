// Every channel samvad has, in order: the one list the configuration, planner, engine, retract,
// check, reports and the CLI loop over. A new channel is a folder with a Spec and one line in
// channels.cpp.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/channel/spec.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>

namespace samvad::registry {

const std::vector<channel::Spec>& channels();
// nullptr for a name no channel has (a store written by a later samvad).
const channel::Spec* find(std::string_view name);
std::vector<std::string> names();

// --channels: the requested ones checked (64, with a suggestion), duplicates dropped; empty
// means every channel.
std::vector<std::string> select(const std::vector<std::string>& requested);
// "twitter, email or feed"
std::string listing(const std::vector<std::string>& names, const std::string& last_joiner = " or ");

// Every channel's section reader, fresh for one load of departments.yaml.
config::SectionReaders section_readers();
config::Config load_config(const std::filesystem::path& path);
config::Config parse_config(const std::string& yaml_text, const std::filesystem::path& path);

// credentials.yaml with every channel's sections (Spec::credential_sections).
std::vector<config::CredentialSection> credential_sections();
config::Credentials load_credentials(const std::filesystem::path& path,
                                     const std::vector<std::string>& department_ids = {});
config::Credentials parse_credentials(const std::string& yaml_text, const std::filesystem::path& path,
                                      const std::vector<std::string>& department_ids = {});

// What credentials.yaml lacks for the departments' channels, plus entries for departments that
// do not exist (config::check_credentials_cover).
std::vector<Diagnostic> check_credentials(const config::Credentials& credentials, const config::Config& config);
// The same for one department's use of some channels (what a post is about to need).
std::vector<Diagnostic> check_credentials(const config::Credentials& credentials, const config::Department& department,
                                          const std::string& channel);

}  // namespace samvad::registry
