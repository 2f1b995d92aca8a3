// `samvad check`.
#include <iostream>

#include <samvad/app/check.hpp>
#include "output.hpp"

#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

namespace {

struct CheckOptions {
  bool strict = false;
  bool online = false;
  std::optional<std::string> now;
};

int run(Terminal& term, const app::Paths& paths, const CheckOptions& options) {
  const bool strict = options.strict, online = options.online;
  const auto& now = options.now;
  samvad::channel::Services services;
  if (online) services.http = samvad::cli::http_factory();
  samvad::app::CheckReport report = samvad::app::check(paths, now, online ? &services : nullptr);
  ExitCode code = report.exit_code(strict);
  if (term.options().json) {
    term.json(samvad::app::to_json(report, strict));
  } else {
    for (const auto& line : report.checked) term.out() << term.green("ok") << "  " << line << "\n";
    for (const auto& note : report.notes) term.out() << "note  " << note.to_string() << "\n";
  }
  term.warnings(report.warnings);
  if (!report.problems.empty()) {
    if (!term.options().json)
      term.error(Error(report.problems));
    else
      for (const auto& d : report.problems) std::cerr << "samvad: error: " << d.to_string() << "\n";
  }
  if (!term.options().json) {
    if (code == ExitCode::ok)
      term.out() << "check passed"
                 << (report.warnings.empty() ? "" : " with " + plural(report.warnings.size(), "warning")) << "\n";
    else
      std::cerr << "samvad: check failed: " << plural(report.problems.size(), "problem") << ", "
                << plural(report.warnings.size(), "warning") << "\n";
  }
  return samvad::to_int(code);
}

}  // namespace

Command check_command() {
  return {
      "check", [](CLI::App& app, const std::string& globals) {
        auto options = std::make_shared<CheckOptions>();
        auto* check = app.add_subcommand(
            "check", "validate configuration, credentials, subscriber files, every template and the schedule");
        check->add_flag("--strict", options->strict,
                        "treat warnings (invalid subscriber lines, dates in the past, ...) as failures");
        check->add_flag("--online", options->online,
                        "also ask X whose account each department's token belongs to (GET /2/users/me)");
        check->add_option("--now", options->now, "check the schedule as of YYYY-MM-DDTHH:MM (default: now)");
        set_footer(check, globals, {"samvad check", "samvad -v check --json"});
        return Runner{check, [options](Terminal& term, const app::Paths& paths) { return run(term, paths, *options); }};
      }};
}

}  // namespace samvad::cli
