// `samvad authorize`: an X access token for a department, with the PIN flow.
#include <iostream>
#include <memory>

#include <samvad/app/authorize.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

// One line, and no more than a PIN could be: standard input may be a pipe that never ends.
std::string read_pin() {
  std::cout << "PIN: " << std::flush;
  std::string pin;
  for (char c; pin.size() < 64 && std::cin.get(c) && c != '\n';) pin += c;
  return pin;
}

int run(Terminal& term, const app::Paths& paths, const app::AuthorizeRequest& request) {
  auto show_url = [](const std::string& handle, const std::string& url) {
    std::cout << "Sign in to X as @" << handle << ", then open:\n  " << url
              << "\nand authorize the app. X then shows a PIN.\n";
  };
  auto result = app::authorize(paths, request, http_factory(), show_url, read_pin);
  if (result.other_account) term.warning(*result.other_account);
  term.out() << "authorized " << request.department << " as @" << result.username << "; token saved in "
             << result.credentials_path.string() << "\n";
  return 0;
}

}  // namespace

Command authorize_command() {
  return {"authorize", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<app::AuthorizeRequest>();
            auto* cmd = app.add_subcommand(
                "authorize", "get a department's X access token with the PIN flow and save it in credentials.yaml");
            cmd->add_option("department", o->department, "department id")->required();
            cmd->add_flag("--force", o->force,
                          "save the token even when it belongs to another X account than the department's handle");
            set_footer(cmd, globals, {"samvad authorize water-supply"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
