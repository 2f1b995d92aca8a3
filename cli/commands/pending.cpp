// `samvad pending`: what awaits approval.
#include <memory>

#include <samvad/app/approval.hpp>
#include <samvad/text/timestamp.hpp>

#include "command.hpp"
#include "output.hpp"

namespace samvad::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

int run(Terminal& term, const app::Paths& paths) {
  const auto ws = app::open_workspace(paths);
  const auto pending = app::pending_approvals(ws);
  const std::string& zone = ws.config.organization.timezone;
  if (term.options().json) {
    term.json(app::to_json(pending, zone));
    return 0;
  }
  if (pending.empty()) {
    term.out() << "nothing awaits approval\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : pending) {
    const auto& tmpl = p.announcement.template_name;
    rows.push_back({p.approval.announcement_id, p.approval.kind, tmpl.empty() ? "(text)" : tmpl, joined(p.departments),
                    p.approval.submitted_by, text::format_timestamp(p.approval.submitted_at, zone)});
  }
  term.table({"ANNOUNCEMENT", "KIND", "TEMPLATE", "DEPARTMENTS", "SUBMITTED BY", "SUBMITTED"}, rows);
  return 0;
}

}  // namespace

Command pending_command() {
  return {"pending", [](CLI::App& app, const std::string& globals) {
            auto* cmd = app.add_subcommand("pending",
                                           "announcements that await approval (see approvals: in "
                                           "departments.yaml)");
            set_footer(cmd, globals, {"samvad pending", "samvad pending --json"});
            return Runner{cmd, [](Terminal& term, const app::Paths& paths) { return run(term, paths); }};
          }};
}

}  // namespace samvad::cli
