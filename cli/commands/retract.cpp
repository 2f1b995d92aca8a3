// `samvad retract`: takes an announcement back on every channel.
#include <iostream>
#include <memory>

#include <samvad/app/retract.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

struct RetractOptions {
  delivery::RetractRequest request;
  bool yes = false;
};

int run(Terminal& term, const app::Paths& paths, const RetractOptions& options) {
  const std::string& id = options.request.announcement_id;
  const auto target = app::open_retract(paths);
  if (!confirm(term,
               "Retract announcement " + id +
                   (options.request.departments.empty() ? "" : " for the chosen departments") +
                   " (delete its posts, remove its notice pages, withdraw emails not yet sent)?",
               options.yes))
    return 0;
  TerminalObserver observer(term);
  auto result = app::retract(target, options.request, services(), observer);
  if (term.options().json) term.json(delivery::to_json(result.report));
  if (result.exit_code != ExitCode::ok) {
    // The lines above say what is left on X and why; the store says nothing more than was done.
    if (!term.options().json)
      std::cerr << "announcement " << id << ": not retracted completely; "
                << (result.exit_code == ExitCode::temp_fail ? "run the same command again to finish"
                                                            : "X refused something (see above)")
                << "\n";
    return to_int(result.exit_code);
  }
  if (!term.options().json) term.out() << "announcement " << id << ": retracted\n";
  return 0;
}

}  // namespace

Command retract_command() {
  return {"retract", [](CLI::App& app, const std::string& globals) {
            auto o = std::make_shared<RetractOptions>();
            auto* cmd = app.add_subcommand("retract",
                                           "take an announcement back: delete its posts from X, remove its notice "
                                           "pages, withdraw emails not yet sent");
            cmd->add_option("id", o->request.announcement_id, "announcement id (see 'samvad history')")->required();
            one_value_per_use(cmd->add_option("-d,--department", o->request.departments,
                                              "only these departments (repeatable, or comma-separated)"))
                ->delimiter(',');
            cmd->add_flag("-y,--yes", o->yes, "do not ask for confirmation");
            set_footer(cmd, globals, {"samvad retract water-supply-interruption-5ec4b2a6c49c -d water-supply --yes"});
            return Runner{cmd, [o](Terminal& term, const app::Paths& paths) { return run(term, paths, *o); }};
          }};
}

}  // namespace samvad::cli
