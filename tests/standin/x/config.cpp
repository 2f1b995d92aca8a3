#include "config.hpp"

#include <set>
#include <stdexcept>

namespace samvad::standin {

namespace {

std::string required_string(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
    throw std::runtime_error(where + ": \"" + key + "\" must be a non-empty string");
  return it->get<std::string>();
}

}  // namespace

Config Config::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("accounts file: expected a JSON object");
  Config c;
  c.consumer_key = required_string(j, "consumer_key", "accounts file");
  c.consumer_secret = required_string(j, "consumer_secret", "accounts file");
  if (j.contains("pin")) c.pin = required_string(j, "pin", "accounts file");
  const auto accounts = j.find("accounts");
  if (accounts == j.end() || !accounts->is_array() || accounts->empty())
    throw std::runtime_error("accounts file: \"accounts\" must be a non-empty array");
  std::set<std::string> ids, tokens;
  for (std::size_t i = 0; i < accounts->size(); ++i) {
    const auto& a = (*accounts)[i];
    const std::string where = "accounts[" + std::to_string(i) + "]";
    if (!a.is_object()) throw std::runtime_error(where + ": expected an object");
    Account account{required_string(a, "user_id", where), required_string(a, "username", where),
                    a.value("name", std::string()), required_string(a, "access_token", where),
                    required_string(a, "access_token_secret", where)};
    if (account.user_id.find_first_not_of("0123456789") != std::string::npos)
      throw std::runtime_error(where + ": \"user_id\" must be digits, as X's ids are");
    if (!ids.insert(account.user_id).second) throw std::runtime_error(where + ": duplicate user_id " + account.user_id);
    if (!tokens.insert(account.access_token).second) throw std::runtime_error(where + ": duplicate access_token");
    if (account.name.empty()) account.name = account.username;
    c.accounts.push_back(std::move(account));
  }
  c.authorize_as = c.accounts.front().user_id;
  if (j.contains("authorize_as")) {
    c.authorize_as = required_string(j, "authorize_as", "accounts file");
    if (!ids.contains(c.authorize_as))
      throw std::runtime_error("accounts file: \"authorize_as\" is " + c.authorize_as + ", not one of the accounts");
  }
  return c;
}

}  // namespace samvad::standin
