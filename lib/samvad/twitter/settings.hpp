// The X channel's part of departments.yaml: a top-level `twitter:` block with defaults (api_base,
// ca_file, prices, threads) and the corporation's monthly budget, and each department's own
// `twitter: {handle: ...}`, which may override the defaults and set a budget of its own.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <samvad/channel/cost.hpp>
#include <samvad/config/channel_settings.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/twitter/prices.hpp>

namespace samvad::twitter {

inline constexpr const char* kChannel = "twitter";

// twitter.threads: how a text longer than one post goes out. reply: as a thread, each part a
// reply to the one before; none: not at all, it is an error before anything is sent (since
// February 2026 X may refuse a self-serve app's replies, its own thread's parts included).
enum class Threads { reply, none };

struct Account : config::ChannelSettings {
  std::string handle;                          // without '@'
  std::string api_base = "https://api.x.com";  // scheme and host in lower case, no trailing '/'
  std::optional<std::string> ca_file;          // absolute path
  Prices prices;                               // twitter.prices, each key overridable by the department
  // twitter.monthly_budget: in the top-level block, for every department's X spend together (the
  // same in every department's Account); in a department's block, for its own.
  std::optional<channel::Budget> shared_budget;
  std::optional<channel::Budget> budget;
  Threads threads = Threads::reply;
  std::optional<SourceLocation> threads_where;  // where twitter.threads is set, if it is

  std::map<std::string, std::string> template_values() const override { return {{"handle", handle}}; }
};

// The department's X account; nullptr when it has none.
inline const Account* account_of(const config::Department& department) {
  return department.settings<Account>(kChannel);
}

std::unique_ptr<config::SectionReader> make_section_reader();

// credentials.yaml: the corporation's X app (twitter_app, shared or a department's own) and each
// department's access token (departments.<id>.twitter, written by samvad authorize).
inline constexpr const char* kAppSection = "twitter_app";
inline constexpr const char* kTokenSection = "twitter";
std::vector<config::CredentialSection> credential_sections();
// The app a department signs with (its own, else the shared one); nullptr when there is none.
inline const config::SecretSet* app_keys_for(const config::Credentials& credentials, const std::string& department) {
  return credentials.section_for(department, kAppSection);
}
inline const config::SecretSet* token_for(const config::Credentials& credentials, const std::string& department) {
  return credentials.own_section(department, kTokenSection);
}

}  // namespace samvad::twitter
