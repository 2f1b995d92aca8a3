// What the X stand-in knows before the first request: the app's consumer key pair, the
// accounts with their access tokens, and the PIN the PIN-based OAuth flow hands out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace samvad::standin {

struct Account {
  std::string user_id;  // "1001"
  std::string username;
  std::string name;
  std::string access_token;
  std::string access_token_secret;
};

struct Config {
  std::string consumer_key;
  std::string consumer_secret;
  std::vector<Account> accounts;
  std::string pin = "1234567";  // what /oauth/authorize shows and /oauth/access_token expects
  std::string authorize_as;     // user_id whose tokens the PIN flow grants; the first account by default

  // The accounts file format (see tests/standin/README.md). Throws std::runtime_error naming the
  // offending field.
  static Config from_json(const nlohmann::json& j);
};

}  // namespace samvad::standin
