// `samvad inbox`: what citizens said to the departments' accounts. Without a subcommand it lists
// the items; `inbox sync` reads the accounts, `inbox close` and `inbox route` act on one item.
#include <memory>

#include <samvad/app/inbox.hpp>
#include <samvad/app/inbox_sync.hpp>
#include <samvad/core/text.hpp>

#include "command.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace samvad::cli {

namespace {

struct InboxOptions {
  app::InboxListRequest list;
  bool open = false, answered = false, closed = false, all = false;
  app::InboxSyncRequest sync;
  std::string id;
  std::string note;
  std::string department;
  CLI::App* sync_cmd = nullptr;
  CLI::App* close_cmd = nullptr;
  CLI::App* route_cmd = nullptr;
};

// "45m", "3h", "2d": how long an item has waited, at a glance.
std::string age(store::Clock::time_point since) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(store::Clock::now() - since).count();
  if (minutes < 60) return std::to_string(std::max(0LL, static_cast<long long>(minutes))) + "m";
  if (minutes < 48 * 60) return std::to_string(minutes / 60) + "h";
  return std::to_string(minutes / (24 * 60)) + "d";
}

std::string first_line(const std::string& text) { return shown(text.substr(0, text.find('\n')), 60); }

int list(Terminal& term, const app::Workspace& ws, InboxOptions& o) {
  if (o.open + o.answered + o.closed + o.all > 1)
    throw Error(ExitCode::usage, "use one of --open, --answered, --closed and --all");
  if (o.answered) o.list.states = {store::ItemState::answered};
  if (o.closed) o.list.states = {store::ItemState::closed};
  if (!o.answered && !o.closed && !o.all) o.list.states = {store::ItemState::open};
  const auto listing = app::list_inbox(ws, o.list);
  if (term.options().json) {
    term.json(app::to_json(listing));
    return 0;
  }
  if (listing.items.empty()) {
    term.out() << "nothing in the inbox" << (o.all ? "" : " in that state") << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : listing.items)
    rows.push_back({item.id, item.department, age(item.created_at), "@" + shown(item.author.username, 20),
                    first_line(item.text), item.announcement_id.empty() ? "-" : item.announcement_id,
                    store::to_string(item.state)});
  term.table({"ITEM", "DEPARTMENT", "AGE", "AUTHOR", "TEXT", "ANNOUNCEMENT", "STATE"}, rows);
  return 0;
}

int sync(Terminal& term, const app::Workspace& ws, InboxOptions& o) {
  catch_stop_signals();
  o.sync.sleep = interruptible_sleep;
  const auto report = app::sync_inbox(ws, o.sync, services());
  if (term.options().json) {
    term.json(app::to_json(report));
    return to_int(report.exit_code());
  }
  for (const auto& a : report.accounts) {
    if (a.code != ExitCode::ok) {
      term.error(Error(a.code, a.department + ": " + a.error));
      if (a.heard == 0) continue;
    }
    term.out() << a.department << ": " << plural(a.heard, "new item")
               << (a.routed ? " (" + std::to_string(a.routed) + " routed to other departments)" : "")
               << (a.answered ? ", " + std::to_string(a.answered) + " answered from the app" : "") << "\n";
  }
  return to_int(report.exit_code());
}

int act(Terminal& term, const app::Workspace& ws, const InboxOptions& o) {
  const bool closing = o.close_cmd->parsed();
  const auto item = closing ? app::close_inbox_item(ws, o.id, o.note) : app::route_inbox_item(ws, o.id, o.department);
  if (term.options().json) {
    term.json(app::to_json(item, ws.config.organization.timezone));
    return 0;
  }
  term.out() << (closing ? "closed " : "routed ") << item.id << (closing ? "" : " to " + item.department) << "\n";
  return 0;
}

void add_subcommands(CLI::App* cmd, const std::string& globals, InboxOptions& o) {
  o.sync_cmd = cmd->add_subcommand("sync", "read what was said to each department's account since the last sync");
  one_value_per_use(o.sync_cmd->add_option("-d,--department", o.sync.departments, "department id (repeatable)"))
      ->delimiter(',');
  o.sync_cmd->add_flag("--all", o.sync.all, "every department with an account (the default)");
  o.sync_cmd->add_option("--jobs", o.sync.jobs, "departments read at once (1-64)")->default_val(4);
  o.sync_cmd->add_option("--max-wait", o.sync.max_wait_seconds, "longest wait for a rate limit, seconds")
      ->default_val(60);
  set_footer(o.sync_cmd, globals, {"samvad inbox sync", "samvad -q inbox sync -d water-supply"});

  o.close_cmd = cmd->add_subcommand("close", "close an item (no answer needed, or settled elsewhere)");
  o.close_cmd->add_option("id", o.id, "the item's id (from samvad inbox)")->required();
  o.close_cmd->add_option("--note", o.note, "why it is closed");
  set_footer(o.close_cmd, globals, {"samvad inbox close 1866240000000000000 --note 'duplicate'"});

  o.route_cmd = cmd->add_subcommand("route", "give an item to another department");
  o.route_cmd->add_option("id", o.id, "the item's id (from samvad inbox)")->required();
  o.route_cmd->add_option("-d,--department", o.department, "the department that should answer it")->required();
  set_footer(o.route_cmd, globals, {"samvad inbox route 1866240000000000000 -d roads"});
}

}  // namespace

Command inbox_command() {
  return {
      "inbox", [](CLI::App& app, const std::string& globals) {
        auto o = std::make_shared<InboxOptions>();
        auto* cmd = app.add_subcommand("inbox", "what citizens said to the departments' accounts, and its state");
        cmd->require_subcommand(0, 1);
        one_value_per_use(cmd->add_option("-d,--department", o->list.departments, "only this department (repeatable)"))
            ->delimiter(',');
        cmd->add_flag("--open", o->open, "items not answered yet (the default)");
        cmd->add_flag("--answered", o->answered, "items answered");
        cmd->add_flag("--closed", o->closed, "items closed");
        cmd->add_flag("--all", o->all, "every item");
        cmd->add_option("--since", o->list.since, "only items from YYYY-MM-DD on");
        add_subcommands(cmd, globals, *o);
        set_footer(cmd, globals,
                   {"samvad inbox", "samvad inbox -d water-supply --all --since 2026-12-01 --json",
                    "samvad inbox sync -d water-supply"});
        return Runner{cmd, [o](Terminal& term, const app::Paths& paths) {
                        const auto ws = app::open_workspace(paths);
                        if (o->sync_cmd->parsed()) return sync(term, ws, *o);
                        if (o->close_cmd->parsed() || o->route_cmd->parsed()) return act(term, ws, *o);
                        return list(term, ws, *o);
                      }};
      }};
}

}  // namespace samvad::cli
