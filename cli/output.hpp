// What the delivery commands (post, run-due, status, retract) share on the terminal: the real
// HTTP services, the confirmation prompt, the line printed as each delivery settles, the plan as
// it will be sent and the final report. Printing only: the behaviour is in app/.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include <samvad/app/workspace.hpp>
#include <samvad/channel/channel.hpp>
#include <samvad/delivery/cost.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/delivery/report.hpp>

#include "terminal.hpp"

namespace samvad::cli {

// Real HTTP (libcurl), TLS verified (trusting a channel's ca_file too), as samvad/<version>.
channel::HttpFactory http_factory();
channel::Services services();

bool interactive();  // standard input and output are a terminal
// Asks on the terminal; without one the caller must have passed --yes (64 otherwise).
bool confirm(Terminal& term, const std::string& question, bool yes);

// Prints each delivery as it settles (problems on stderr, so cron mails them even with -q).
class TerminalObserver : public delivery::Observer {
 public:
  explicit TerminalObserver(Terminal& term) : term_(term) {}
  void settled(const delivery::DeliveryReport& r) override;
  void note(const std::string& line) override { term_.detail(line); }

 private:
  Terminal& term_;
};

// The store of a command that can run without a valid configuration (status, history): the
// configuration's state: when it loads, else --state, $SAMVAD_STATE or the per-user default.
store::Location readable_store_path(Terminal& term, const app::Paths& paths);

// Every text the announcement sends, delivery by delivery, with what a rerun does to each.
void print_plan(Terminal& term, std::ostream& out, const delivery::Plan& plan,
                const delivery::Reconciliation& reconciliation);
void print_plan(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation);
// Before the prompt: the texts when they fit on the screen with the summary (or with `full`),
// then the one-screen summary, with what sending costs per department and in total.
void print_confirmation(Terminal& term, const delivery::Plan& plan, const delivery::Reconciliation& reconciliation,
                        const delivery::CostEstimate& cost, bool full);
void print_report(Terminal& term, const delivery::RunReport& report);
// post and reply when the content needs approval: recorded, held, nothing sent; 0.
int print_held(Terminal& term, const store::Approval& held, const delivery::Plan& plan);

// A run cut short by SIGINT/SIGTERM exits 75 (run again) unless everything was delivered anyway.
ExitCode stopped_code(ExitCode code);

}  // namespace samvad::cli
