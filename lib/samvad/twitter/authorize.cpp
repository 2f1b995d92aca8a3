#include <samvad/twitter/authorize.hpp>

#include <algorithm>
#include <cctype>

#include <samvad/config/credentials_writer.hpp>
#include <samvad/twitter/client.hpp>

namespace samvad::twitter {

namespace {
[[noreturn]] void refused(const std::string& step, const ApiError& e) {
  bool temporary = e.kind == ApiError::Kind::transient || e.kind == ApiError::Kind::rate_limited ||
                   e.kind == ApiError::Kind::ambiguous;
  throw Error(temporary ? ExitCode::temp_fail : ExitCode::unavailable,
              step + ": " + (e.status ? "X answered " + std::to_string(e.status) + ": " : "") + e.detail);
}

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r\n"));
  s.erase(s.find_last_not_of(" \t\r\n") + 1);
  return s;
}
}  // namespace

bool same_handle(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

AuthorizeResult authorize(const config::Department& department, const config::Credentials& credentials,
                          const channel::HttpFactory& http, const std::function<void(const std::string&)>& show_url,
                          const std::function<std::string()>& read_pin, bool force) {
  const Account* account = account_of(department);
  if (!account)
    throw Error(ExitCode::usage, "department " + department.id + " has no twitter account in the configuration; expected twitter: {handle: ...}");
  const config::SecretSet* app = app_keys_for(credentials, department.id);
  if (!app)
    throw Error(ExitCode::config, "no twitter_app in " + credentials.path.string() +
                                      "; expected twitter_app: {consumer_key: ..., consumer_secret: ...} first");
  auto client_http = http(account->ca_file);
  oauth::Keys app_keys{app->at("consumer_key").reveal(), app->at("consumer_secret").reveal(), "", ""};
  Client app_client(*client_http, Endpoint{account->api_base, app_keys});

  auto request = app_client.request_token();
  if (!request.ok()) refused("requesting a token", request.error());
  show_url(app_client.authorize_url(request->first));
  std::string pin = trim(read_pin());
  if (pin.empty()) throw Error(ExitCode::data, "no PIN entered; expected the PIN X showed after authorizing");

  auto access = app_client.access_token(request->first, request->second, pin);
  if (!access.ok()) refused("exchanging the PIN for an access token", access.error());

  Client user_client(*client_http,
                     Endpoint{account->api_base, oauth::Keys{app_keys.consumer_key, app_keys.consumer_secret,
                                                             access->token, access->secret}});
  auto me = user_client.me();
  if (!me.ok()) refused("confirming the new token with /2/users/me", me.error());
  // Signed in to X as someone else (a personal account, another department's): saving the
  // token would make every post of this department appear as that account.
  if (!force && !same_handle(me->username, account->handle))
    throw Error(ExitCode::data, "the token X gave belongs to @" + me->username + ", but department " + department.id +
                                    " posts as @" + account->handle +
                                    "; nothing was saved. Sign out of X, sign "
                                    "in as @" +
                                    account->handle + " and run samvad authorize " + department.id +
                                    " again (or pass --force to save the token for @" + me->username + " anyway)");

  config::store_department_secrets(credentials.path, department.id, kTokenSection,
                                   {{"access_token", access->token}, {"access_token_secret", access->secret}});
  return AuthorizeResult{me->id, me->username};
}

}  // namespace samvad::twitter
