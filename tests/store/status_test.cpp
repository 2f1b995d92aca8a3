#include <catch2/catch.hpp>

#include <samvad/store/store.hpp>

using namespace samvad::store;

namespace {

using D = DeliveryStatus;
using P = PartStatus;

Delivery delivery(DeliveryStatus status, std::vector<PartStatus> parts = {}) {
  Delivery d;
  d.status = status;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Part p;
    p.index = static_cast<int>(i);
    p.status = parts[i];
    d.parts.push_back(p);
  }
  return d;
}

}  // namespace

TEST_CASE("statuses are stored as fixed texts that read back", "[store]") {
  for (auto s : {D::pending, D::in_flight, D::delivered, D::deferred, D::failed, D::retracted}) {
    CHECK(parse_delivery_status(to_string(s)) == s);
  }
  for (auto s : {P::pending, P::in_flight, P::delivered, P::ambiguous, P::failed, P::retracted}) {
    CHECK(parse_part_status(to_string(s)) == s);
  }
  CHECK(to_string(D::in_flight) == "in-flight");
  CHECK(to_string(P::ambiguous) == "ambiguous");
  CHECK_FALSE(parse_delivery_status("in_flight"));
  CHECK_FALSE(parse_delivery_status("ambiguous"));
  CHECK_FALSE(parse_part_status(""));
}

TEST_CASE("an announcement's status follows from its deliveries", "[store]") {
  struct Row {
    const char* why;
    std::vector<Delivery> deliveries;
    const char* expected;
  };
  const std::vector<Row> rows{
      {"nothing planned", {}, "pending"},
      {"nothing sent", {delivery(D::pending), delivery(D::pending, {P::pending})}, "pending"},
      {"all delivered", {delivery(D::delivered, {P::delivered}), delivery(D::delivered)}, "delivered"},
      {"delivered and retracted", {delivery(D::delivered), delivery(D::retracted)}, "delivered"},
      {"all retracted", {delivery(D::retracted), delivery(D::retracted)}, "retracted"},
      {"some delivered, others pending", {delivery(D::delivered), delivery(D::pending)}, "partial"},
      {"some retracted, others pending", {delivery(D::retracted), delivery(D::pending)}, "partial"},
      {"half a thread posted, nothing in doubt", {delivery(D::pending, {P::delivered, P::pending})}, "partial"},
      {"one deferred", {delivery(D::delivered), delivery(D::deferred)}, "deferred"},
      {"one being sent (or its sender crashed)", {delivery(D::delivered), delivery(D::in_flight)}, "deferred"},
      {"a part in doubt", {delivery(D::pending, {P::delivered, P::ambiguous})}, "deferred"},
      {"a part in flight", {delivery(D::pending, {P::in_flight})}, "deferred"},
      {"failed outranks deferred", {delivery(D::deferred), delivery(D::failed)}, "failed"},
      {"failed outranks delivered", {delivery(D::delivered), delivery(D::failed)}, "failed"},
      {"failed with a part in doubt", {delivery(D::failed, {P::ambiguous})}, "failed"},
  };
  for (const auto& row : rows) {
    INFO(row.why);
    CHECK(announcement_status(row.deliveries) == row.expected);
  }
}
