// The samvad executable: parses arguments with CLI11, runs the command the table names
// (cli/commands/), maps errors to exit codes. Every behaviour lives in the library.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <samvad/app/workspace.hpp>
#include <samvad/core/no_dump.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/core/version.hpp>

#include "command.hpp"
#include "terminal.hpp"

namespace {

using samvad::Error;
using samvad::ExitCode;
using samvad::cli::global_options_line;
using samvad::cli::Terminal;

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// CLI11's message for a command line it refused, said the way samvad's other errors are:
// what was wrong, a suggestion when a word is one typo away from a known one, where to look.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands({})) commands.push_back(sub->get_name());
  const auto parsed = app.get_subcommands();
  const CLI::App* command = parsed.empty() ? nullptr : parsed.front();
  const std::string help = command ? "samvad " + command->get_name() + " --help" : "samvad --help";
  std::vector<std::string> options = option_names(app);
  if (command)
    for (const auto& o : option_names(*command)) options.push_back(o);
  for (const std::string& word : app.remaining(true)) {
    if (word == "--") continue;
    if (!word.empty() && word.front() == '-') {
      std::string name = word.substr(0, word.find('='));
      return "unknown option '" + samvad::shown(name) + "'" + (command ? " for " + command->get_name() : "") +
             samvad::did_you_mean(name, options) + "; see '" + help + "'";
    }
    if (!command)
      return "unknown command '" + samvad::shown(word) + "'" + samvad::did_you_mean(word, commands) + "; expected one of: " +
             join(commands, ", ");
    return "unexpected argument '" + samvad::shown(word) + "' for " + command->get_name() + "; see '" + help + "'";
  }
  if (!command && dynamic_cast<const CLI::RequiredError*>(&e))
    return "no command given; expected one of: " + join(commands, ", ") + " (see 'samvad --help')";
  return (command ? command->get_name() + ": " : "") + e.what() + "; see '" + help + "'";
}

// Whether --json was asked for, read from argv itself: the parser may have stopped before it.
bool json_requested(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

// The options every command takes, and the overview's footer; returns the options' line for
// each command's help.
std::string add_global_options(CLI::App& app, samvad::app::Paths& paths, samvad::cli::OutputOptions& output) {
  app.add_option("-c,--config", paths.config, "departments.yaml to use (default: $SAMVAD_CONFIG, else ./departments.yaml)")->type_name("FILE");
  app.add_option("--credentials", paths.credentials, "credentials.yaml (default: $SAMVAD_CREDENTIALS, else beside the config)")->type_name("FILE");
  app.add_option("--templates", paths.templates, "templates folder (default: templates/ beside the config)")->type_name("DIR");
  app.add_option("--state", paths.state, "delivery store (default: $SAMVAD_STATE, else $XDG_STATE_HOME/samvad/state.db)")->type_name("FILE");
  app.add_option("--schedule", paths.schedule, "schedule.yaml (default: $SAMVAD_SCHEDULE, else beside the config)")->type_name("FILE");
  app.add_flag("--json", output.json, "print machine-readable JSON on stdout");
  app.add_flag("-q,--quiet", output.quiet, "print only problems");
  app.add_flag("-v,--verbose", output.verbose, "say which files are used (never secrets)");
  app.add_flag("--no-color", output.no_color, "no colours (also: NO_COLOR=1)");
  app.footer("Global options may also follow the command.\n"
             "Exit codes: 0 ok, 64 usage, 65 data, 66 no input, 69 unavailable, 73 cannot create,\n"
             "  75 temporary failure (rerun later), 77 permission, 78 configuration.\n"
             "Files: -c/--config, else $SAMVAD_CONFIG, else ./departments.yaml; credentials.yaml and templates/ beside it.\n"
             "Each command's options: samvad COMMAND --help; everything: man samvad.\n\n"
             "Examples:\n"
             "  samvad templates water-supply-interruption\n"
             "  samvad preview water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml\n"
             "  samvad post water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml --dry-run");
  return global_options_line(app);
}

}  // namespace

int main(int argc, char** argv) {
  samvad::forbid_core_dumps();  // before anything reads a secret
  CLI::App app{"samvad — publish municipal announcements to each department's X account and email list", "samvad"};
  app.set_version_flag("--version", std::string("samvad ") + samvad::version);
  app.require_subcommand(1);
  app.fallthrough();

  samvad::app::Paths paths;
  samvad::cli::OutputOptions output;
  const std::string globals = add_global_options(app, paths, output);

  std::vector<samvad::cli::Runner> runners;
  for (const auto& command : samvad::cli::command_table()) runners.push_back(command.add(app, globals));

  if (argc < 2) {
    // A first try without arguments gets the overview, not an error about a missing command.
    std::cout << app.help();
    return samvad::to_int(ExitCode::usage);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    output.json = output.json || json_requested(argc, argv);
    Terminal term(std::cout, std::cerr, output);
    term.error(Error(ExitCode::usage, parse_error_message(app, e)));
    return samvad::to_int(ExitCode::usage);
  }

  Terminal term(std::cout, std::cerr, output);
  try {
    for (const auto& runner : runners)
      if (*runner.command) return runner.run(term, paths);
  } catch (const Error& e) {
    term.error(e);
    return samvad::to_int(e.code());
  } catch (const std::exception& e) {
    std::cerr << "samvad: internal error: " << e.what() << "\n";
    return samvad::to_int(ExitCode::software);
  }
  return samvad::to_int(ExitCode::usage);
}
