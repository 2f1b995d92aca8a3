// The samvad executable's commands: one file each under cli/commands/, listed once in
// cli/commands/table.cpp. A command adds its subcommand and options to the CLI11 app and returns
// what runs it once the command line is parsed; the behaviour itself is a libsamvad (app/) call.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>

#include "terminal.hpp"

namespace samvad::cli {

struct Runner {
  CLI::App* command = nullptr;
  std::function<int(Terminal&, const app::Paths&)> run;
};

struct Command {
  std::string name;
  // `globals` names the global options for the command's help footer.
  std::function<Runner(CLI::App& app, const std::string& globals)> add;
};

// Every command, in the order `samvad --help` lists them.
const std::vector<Command>& command_table();

// Repeatable options take one value per use (-d a -d b, or -d a,b where a delimiter is set), so
// they never swallow the TEMPLATE or ID that follows them.
CLI::Option* one_value_per_use(CLI::Option* option);

// "-c/--config FILE, --json, ..." for every global option, from the options themselves so the
// help cannot forget one.
std::string global_options_line(const CLI::App& app);

// Global options are accepted after the command too; CLI11 lists only the command's own, so the
// footer names the others. Then the examples, which tests/e2e/clerk_test.cpp runs.
void set_footer(CLI::App* command, const std::string& globals, std::initializer_list<const char*> examples);

// --max-wait (and, with `jobs`, --jobs): how a command that sends waits for X and how many
// departments it sends to at once, the same for every such command.
void add_send_options(CLI::App* command, app::SendOptions& send, bool jobs = true);

std::string plural(std::size_t n, const std::string& noun);

}  // namespace samvad::cli
