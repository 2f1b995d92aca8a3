// The monthly budgets of the channels that bill per request (X), as the commands that send
// check them: a calendar month in the organization's time zone, the spend the store recorded
// in it, and an estimate of what the command would send.
#pragma once

#include <chrono>

#include <samvad/app/workspace.hpp>
#include <samvad/delivery/cost.hpp>

namespace samvad::app {

// The calendar month `now` falls in, in the organization's time zone `zone`.
delivery::SpendPeriod month_of(std::chrono::system_clock::time_point now, const std::string& zone);

// Refuses (Error 65, before anything is sent) what would take this month's recorded spend plus
// `estimate` over a budget (delivery::check_budgets). Reads the store only when it exists.
void check_budgets(const Workspace& workspace, const delivery::CostEstimate& estimate,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace samvad::app
