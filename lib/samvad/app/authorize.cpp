#include <samvad/app/authorize.hpp>

#include <samvad/config/credentials.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/settings.hpp>

namespace samvad::app {

Authorized authorize(const Paths& paths, const AuthorizeRequest& request, const channel::HttpFactory& http,
                     const std::function<void(const std::string& handle, const std::string& url)>& show_url,
                     const std::function<std::string()>& read_pin) {
  auto ws = open_workspace(paths);
  auto selected = select_departments(ws.config, {request.department}, false);
  auto credentials = registry::load_credentials(ws.credentials_path, ws.config.department_ids());
  const config::Department& department = *selected.front();
  const twitter::Account* account = twitter::account_of(department);
  const std::string handle = account ? account->handle : std::string("?");
  auto result = twitter::authorize(
      department, credentials, http, [&](const std::string& url) { show_url(handle, url); }, read_pin, request.force);
  Authorized out{result.username, ws.credentials_path, std::nullopt};
  // twitter::authorize refuses a department without an account, so `account` is set here.
  if (!twitter::same_handle(result.username, account->handle))
    out.other_account =
        Diagnostic{ExitCode::config,
                   "saved (--force) a token of @" + result.username + ", but " + ws.config.path.string() +
                       " says departments." + request.department + ".twitter.handle is " + account->handle,
                   {}};
  return out;
}

}  // namespace samvad::app
