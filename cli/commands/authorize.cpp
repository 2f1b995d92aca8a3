// `samvad authorize`: an X access token for a department, with the PIN flow.
#include <iostream>
#include <memory>

#include <samvad/config/credentials.hpp>
#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/settings.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct AuthorizeOptions {
  std::string department;
  bool force = false;
};

int run(Terminal& term, const app::Paths& paths, const std::string& department_id, bool force) {
  auto ws = app::open_workspace(paths);
  auto selected = app::select_departments(ws.config, {department_id}, false);
  auto credentials = config::load_credentials(ws.credentials_path, ws.config.department_ids());
  const config::Department& department = *selected.front();
  auto result = twitter::authorize(
      department, credentials, http_factory(),
      [&](const std::string& url) {
        std::cout << "Sign in to X as @"
                  << (twitter::account_of(department) ? twitter::account_of(department)->handle : std::string("?"))
                  << ", then open:\n  " << url << "\nand authorize the app. X then shows a PIN.\n";
      },
      [&] {
        std::cout << "PIN: " << std::flush;
        // One line, and no more than a PIN could be: standard input may be a pipe that never ends.
        std::string pin;
        for (char c; pin.size() < 64 && std::cin.get(c) && c != '\n';) pin += c;
        return pin;
      },
      force);
  if (!twitter::same_handle(result.username, twitter::account_of(department)->handle))
    term.warning(Diagnostic{ExitCode::config,
                            "saved (--force) a token of @" + result.username + ", but " + ws.config.path.string() +
                                " says departments." + department_id + ".twitter.handle is " +
                                twitter::account_of(department)->handle,
                            {}});
  term.out() << "authorized " << department_id << " as @" << result.username << "; token saved in "
             << ws.credentials_path.string() << "\n";
  return 0;
}

}  // namespace

Command authorize_command() {
  return {"authorize", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<AuthorizeOptions>();
            auto* cmd = app.add_subcommand(
                "authorize", "get a department's X access token with the PIN flow and save it in credentials.yaml");
            cmd->add_option("department", o->department, "department id")->required();
            cmd->add_flag("--force", o->force,
                          "save the token even when it belongs to another X account than the department's handle");
            set_footer(cmd, globals, {"samvad authorize water-supply"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) {
                            return run(term, paths, o->department, o->force);
                          }};
          }};
}

}  // namespace samvad::cli
