#include <samvad/app/budget.hpp>

#include <cstdio>
#include <filesystem>
#include <optional>

#include <samvad/schedule/cron.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

delivery::SpendPeriod month_of(std::chrono::system_clock::time_point now, const std::string& zone) {
  const schedule::LocalTime local = schedule::to_local(now, zone);
  const schedule::LocalTime first{local.year, local.month, 1, 0, 0};
  // to_instant carries month 13 over into January of the next year.
  const schedule::LocalTime next{local.year, local.month + 1, 1, 0, 0};
  char name[32];
  std::snprintf(name, sizeof name, "%04d-%02d", local.year, local.month);
  return delivery::SpendPeriod{schedule::to_instant(first, zone), schedule::to_instant(next, zone),
                               std::string(name) + " (" + zone + ")"};
}

void check_budgets(const Workspace& ws, const delivery::CostEstimate& estimate,
                   std::chrono::system_clock::time_point now) {
  if (estimate.empty()) return;
  std::optional<store::Store> st;
  if (ws.state.path.exists()) st.emplace(store::Store::open(ws.state.path));
  delivery::check_budgets(estimate, ws.config, st ? &*st : nullptr, month_of(now, ws.config.organization.timezone));
}

}  // namespace samvad::app
