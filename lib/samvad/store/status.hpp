// How a whole announcement's status follows from its deliveries, on a summary of each
// delivery so history() can decide it from one aggregate query without loading parts.
#pragma once

#include <string>
#include <vector>

#include <samvad/store/store.hpp>

namespace samvad::store {

struct DeliverySummary {
  DeliveryStatus status = DeliveryStatus::pending;
  bool part_unsettled = false;  // some part in_flight or ambiguous
  bool part_delivered = false;  // some part delivered
};

DeliverySummary summarize(const Delivery& d);

// The rules are documented at announcement_status() in store.hpp.
std::string announcement_status(const std::vector<DeliverySummary>& deliveries);

}  // namespace samvad::store
