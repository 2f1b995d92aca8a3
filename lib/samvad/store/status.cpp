#include <samvad/store/status.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace samvad::store {

namespace {

// The texts are stored in the database: changing one needs a migration.
constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 6> kDeliveryNames{{
    {DeliveryStatus::pending, "pending"},
    {DeliveryStatus::in_flight, "in-flight"},
    {DeliveryStatus::delivered, "delivered"},
    {DeliveryStatus::deferred, "deferred"},
    {DeliveryStatus::failed, "failed"},
    {DeliveryStatus::retracted, "retracted"},
}};

constexpr std::array<std::pair<PartStatus, std::string_view>, 6> kPartNames{{
    {PartStatus::pending, "pending"},
    {PartStatus::in_flight, "in-flight"},
    {PartStatus::delivered, "delivered"},
    {PartStatus::ambiguous, "ambiguous"},
    {PartStatus::failed, "failed"},
    {PartStatus::retracted, "retracted"},
}};

constexpr std::array<std::pair<RecipientStatus, std::string_view>, 4> kRecipientNames{{
    {RecipientStatus::pending, "pending"},
    {RecipientStatus::delivered, "delivered"},
    {RecipientStatus::deferred, "deferred"},
    {RecipientStatus::rejected, "rejected"},
}};

template <typename E, std::size_t N>
std::string name_of(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return std::string(name);
  }
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string to_string(DeliveryStatus s) { return name_of(kDeliveryNames, s); }
std::string to_string(PartStatus s) { return name_of(kPartNames, s); }
std::optional<DeliveryStatus> parse_delivery_status(std::string_view s) { return value_of(kDeliveryNames, s); }
std::optional<PartStatus> parse_part_status(std::string_view s) { return value_of(kPartNames, s); }
std::string to_string(RecipientStatus s) { return name_of(kRecipientNames, s); }
std::optional<RecipientStatus> parse_recipient_status(std::string_view s) { return value_of(kRecipientNames, s); }

DeliverySummary summarize(const Delivery& d) {
  DeliverySummary s;
  s.status = d.status;
  for (const Part& p : d.parts) {
    if (p.status == PartStatus::in_flight || p.status == PartStatus::ambiguous) s.part_unsettled = true;
    if (p.status == PartStatus::delivered) s.part_delivered = true;
  }
  return s;
}

std::string announcement_status(const std::vector<DeliverySummary>& ds) {
  auto any = [&](auto pred) { return std::any_of(ds.begin(), ds.end(), pred); };
  auto all = [&](auto pred) { return std::all_of(ds.begin(), ds.end(), pred); };
  auto is = [](DeliveryStatus want) { return [want](const DeliverySummary& d) { return d.status == want; }; };
  auto done = [](const DeliverySummary& d) {
    return d.status == DeliveryStatus::delivered || d.status == DeliveryStatus::retracted;
  };

  if (ds.empty()) return "pending";
  if (any(is(DeliveryStatus::failed))) return "failed";
  if (any([](const DeliverySummary& d) {
        return d.status == DeliveryStatus::deferred || d.status == DeliveryStatus::in_flight || d.part_unsettled;
      })) {
    return "deferred";
  }
  if (all(is(DeliveryStatus::retracted))) return "retracted";
  if (all(done)) return "delivered";
  if (any([&](const DeliverySummary& d) { return done(d) || d.part_delivered; })) return "partial";
  return "pending";
}

std::string announcement_status(const std::vector<Delivery>& deliveries) {
  std::vector<DeliverySummary> ds;
  ds.reserve(deliveries.size());
  for (const Delivery& d : deliveries) ds.push_back(summarize(d));
  return announcement_status(ds);
}

}  // namespace samvad::store
