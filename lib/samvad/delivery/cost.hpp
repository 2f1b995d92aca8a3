// What an announcement costs on the channels that bill per request (channel/cost.hpp), estimated
// before anything is sent — per department and in total, for the preview, the confirmation and
// `preview --json` — and the monthly budgets held against it and the spend the store recorded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/channel/cost.hpp>
#include <samvad/config/config.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

struct ChannelCost {
  std::string channel;
  channel::Cost cost;
};

struct CostEstimate {
  struct Department {
    std::string id;
    std::vector<ChannelCost> channels;  // registry order; only channels that bill
  };
  std::vector<Department> departments;  // plan order; only departments something is billed for
  std::vector<ChannelCost> total;       // of every department, by channel

  bool empty() const { return total.empty(); }
  // One department's costs; empty when it costs nothing.
  std::vector<ChannelCost> of(const std::string& department) const;
};

// Every part of every planned delivery (what a preview shows), or, given the reconciliation with
// the store, what a run would send: only deliveries it sends, without the parts already out.
CostEstimate estimate_cost(const Plan& plan, const config::Config& config,
                           const Reconciliation* reconciliation = nullptr);

// "X cost: 3 posts, 1 with a URL: $0.23"; with `scope` " in total", "X cost in total: ...".
std::string cost_line(const ChannelCost& cost, const std::string& scope = "");

// Each billing channel's amount in US dollars under its Spec::cost_field ("x_cost_usd": 0.23),
// 0 for a channel with nothing in `costs`.
void add_cost_json(const std::vector<ChannelCost>& costs, nlohmann::json& into);

// The time a budget counts spend over: a calendar month.
struct SpendPeriod {
  store::Clock::time_point since;
  store::Clock::time_point until;  // exclusive
  std::string name;                // for messages: "2026-05 (Asia/Kolkata)"
};

// Refuses (Error 65, before anything is sent) what would take a channel's spend recorded in
// `period` plus the estimate over one of its budgets (Spec::budgets): a department's budget with
// its own spend and estimate, one for every department with all of them. Each budget exceeded is
// named with the spend so far, the estimate and the budget. `store` may be null (no state file
// yet: nothing spent).
void check_budgets(const CostEstimate& estimate, const config::Config& config, const store::Store* store,
                   const SpendPeriod& period);

}  // namespace samvad::delivery
