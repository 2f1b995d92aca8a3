#include <samvad/delivery/cost.hpp>

#include <algorithm>

#include <samvad/registry/channels.hpp>

namespace samvad::delivery {

namespace {

void add_to(std::vector<ChannelCost>& costs, const std::string& channel, const channel::Cost& cost) {
  auto it = std::find_if(costs.begin(), costs.end(), [&](const ChannelCost& c) { return c.channel == channel; });
  if (it == costs.end()) it = costs.insert(costs.end(), ChannelCost{channel, {}});
  it->cost += cost;
}

// Registry order, whatever order the deliveries came in.
void sort_by_registry(std::vector<ChannelCost>& costs) {
  auto rank = [](const std::string& name) {
    const auto& all = registry::channels();
    return std::find_if(all.begin(), all.end(), [&](const channel::Spec& s) { return s.name == name; }) - all.begin();
  };
  std::stable_sort(costs.begin(), costs.end(),
                   [&](const ChannelCost& a, const ChannelCost& b) { return rank(a.channel) < rank(b.channel); });
}

}  // namespace

std::vector<ChannelCost> CostEstimate::of(const std::string& department) const {
  for (const auto& d : departments)
    if (d.id == department) return d.channels;
  return {};
}

CostEstimate estimate_cost(const Plan& plan, const config::Config& config, const Reconciliation* reconciliation) {
  CostEstimate out;
  for (std::size_t i = 0; i < plan.deliveries.size(); ++i) {
    const store::PlannedDelivery& d = plan.deliveries[i];
    const channel::Spec* spec = registry::find(d.channel);
    const config::Department* department = config.find_department(d.department);
    if (!spec || !spec->cost || !department) continue;
    std::vector<bool> sent(d.part_payloads.size(), false);
    if (reconciliation) {
      const auto decision = std::find_if(reconciliation->decisions.begin(), reconciliation->decisions.end(),
                                         [&](const Decision& x) { return x.planned == i; });
      if (decision == reconciliation->decisions.end() || !sends(decision->fate)) continue;
      sent = parts_sent(*decision, d.part_payloads.size());
    }
    const channel::Cost cost = spec->cost(*department, d, sent);
    if (cost.empty()) continue;
    auto it = std::find_if(out.departments.begin(), out.departments.end(),
                           [&](const CostEstimate::Department& x) { return x.id == d.department; });
    if (it == out.departments.end()) it = out.departments.insert(out.departments.end(), {d.department, {}});
    add_to(it->channels, d.channel, cost);
    add_to(out.total, d.channel, cost);
  }
  for (auto& d : out.departments) sort_by_registry(d.channels);
  sort_by_registry(out.total);
  return out;
}

std::string cost_line(const ChannelCost& c, const std::string& scope) {
  const channel::Spec* spec = registry::find(c.channel);
  const std::string title = spec ? spec->title : c.channel;
  const std::string what = spec && spec->cost_text ? spec->cost_text(c.cost) + ": " : std::string();
  return title + " cost" + scope + ": " + what + channel::usd(c.cost.micro_usd());
}

void add_cost_json(const std::vector<ChannelCost>& costs, nlohmann::json& into) {
  for (const auto& spec : registry::channels()) {
    if (spec.cost_field.empty()) continue;
    long long amount = 0;
    for (const auto& c : costs)
      if (c.channel == spec.name) amount += c.cost.micro_usd();
    into[spec.cost_field] = channel::usd_number(amount);
  }
}

namespace {

// The estimate of what a budget covers: one department's, or every department's.
channel::Cost covered(const CostEstimate& estimate, const std::string& channel,
                      const std::optional<std::string>& department) {
  channel::Cost cost;
  for (const auto& c : department ? estimate.of(*department) : estimate.total)
    if (c.channel == channel) cost += c.cost;
  return cost;
}

Diagnostic over_budget(const channel::Spec& spec, const channel::Budget& budget, const channel::Cost& cost,
                       long long spent, const SpendPeriod& period) {
  const std::string whose = budget.department ? *budget.department + "'s " : std::string("every department's ");
  const std::string what = spec.cost_text ? " (" + spec.cost_text(cost) + ")" : std::string();
  return Diagnostic{ExitCode::data,
                    spec.title + " monthly budget: sending this would cost " + channel::usd(cost.micro_usd()) + what +
                        ", and " + whose + spec.title + " spend in " + period.name + " is " + channel::usd(spent) +
                        " so far: " + channel::usd(spent + cost.micro_usd()) + " would be over " + whose +
                        "budget of " + channel::usd(budget.micro_usd) +
                        "; nothing was sent. Expected a spend within the budget: raise monthly_budget, send less, "
                        "or wait for next month",
                    budget.where};
}

}  // namespace

void check_budgets(const CostEstimate& estimate, const config::Config& config, const store::Store* store,
                   const SpendPeriod& period) {
  Diagnostics over;
  for (const auto& spec : registry::channels()) {
    if (!spec.budgets) continue;
    for (const auto& budget : spec.budgets(config)) {
      const channel::Cost cost = covered(estimate, spec.name, budget.department);
      if (cost.micro_usd() == 0) continue;  // sending nothing billed never breaks a budget
      const long long spent = store ? store->spend(spec.name, budget.department, period.since, period.until) : 0;
      if (spent + cost.micro_usd() > budget.micro_usd) over.add(over_budget(spec, budget, cost, spent, period));
    }
  }
  over.throw_if_any();
}

}  // namespace samvad::delivery
