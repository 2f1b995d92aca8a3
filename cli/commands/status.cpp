// `samvad status`: the deliveries of one announcement.
#include <iostream>
#include <memory>

#include <samvad/email/settings.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/store/store.hpp>
#include <samvad/twitter/settings.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const app::Paths& paths, const std::optional<std::string>& id) {
  auto path = readable_store_path(term, paths);
  if (!std::filesystem::exists(path))
    throw Error(ExitCode::no_input,
                "no delivery store at " + path.string() + " yet; expected one after the first 'samvad post'");
  auto st = store::Store::open(path);
  std::string announcement = id ? *id : st.latest_announcement_id().value_or("");
  if (announcement.empty())
    throw Error(ExitCode::no_input, "nothing has been posted yet (" + path.string() + " is empty)");
  if (!st.announcement(announcement))
    throw Error(ExitCode::no_input, "no announcement '" + shown(announcement) + "' in " + path.string() +
                                        "; expected an id from 'samvad history'");
  auto report = delivery::report_of(announcement, st.deliveries(announcement));
  // Deliveries recorded before samvad kept the account: name it from the configuration.
  try {
    auto ws = app::open_workspace(paths);
    delivery::name_languages(report, ws.config);
    for (auto& d : report.deliveries) {
      const config::Department* dep = ws.config.find_department(d.department);
      if (!d.account.empty() || !dep) continue;
      if (const auto* account = twitter::account_of(*dep); account && d.channel == twitter::kChannel)
        d.account = "@" + account->handle;
      if (const auto* list = email::list_of(*dep); list && list->list && d.channel == email::kChannel)
        d.account = *list->list;
    }
  } catch (const Error&) {
    // Without a readable configuration the recorded accounts are all there is.
  }
  if (term.options().json) {
    term.json(delivery::to_json(report));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.deliveries) {
    std::string ids;
    if (const channel::Spec* spec = registry::find(d.channel); spec && spec->outcome_text) ids = spec->outcome_text(d);
    rows.push_back({d.department, d.channel, d.language, d.account.empty() ? "-" : d.account,
                    store::to_string(d.status), std::to_string(d.attempts),
                    d.error ? escape_for_terminal(*d.error) : ids});
  }
  term.out() << term.bold("announcement " + announcement + ": " + report.status) << "\n";
  term.table({"DEPARTMENT", "CHANNEL", "LANG", "ACCOUNT", "STATUS", "ATTEMPTS", "POSTS / ERROR"}, rows);
  return 0;
}

}  // namespace

Command status_command() {
  return {"status", [](CLI::App& app, const std::string& globals) {
            auto id = std::make_shared<std::optional<std::string>>();
            auto* cmd = app.add_subcommand("status", "the deliveries of one announcement (default: the latest)");
            cmd->add_option("id", *id, "announcement id");
            set_footer(cmd, globals, {"samvad status", "samvad status water-supply-interruption-5ec4b2a6c49c --json"});
            return Runner{cmd, [id](Terminal& term, const app::Paths& paths) { return run(term, paths, *id); }};
          }};
}

}  // namespace samvad::cli
