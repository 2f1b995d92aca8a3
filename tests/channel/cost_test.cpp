// What sending costs, in the channel-neutral words every billing channel shares: amounts summed
// by kind in whole millionths of a dollar, and shown as people read dollars.
#include <catch2/catch.hpp>

#include <samvad/channel/cost.hpp>

using samvad::channel::Cost;
using samvad::channel::decimal_usd;
using samvad::channel::usd;
using samvad::channel::usd_number;

TEST_CASE("amounts read as dollars with two to six decimals", "[channel][cost]") {
  CHECK(usd(230'000) == "$0.23");
  CHECK(usd(15'000) == "$0.015");
  CHECK(usd(0) == "$0.00");
  CHECK(usd(12'000'000) == "$12.00");
  CHECK(usd(1'234'567) == "$1.234567");
  CHECK(decimal_usd(200'000) == "0.20");
  CHECK(decimal_usd(-5'000) == "-0.005");
  CHECK(usd_number(230'000) == 0.23);
}

TEST_CASE("costs add up by kind, in the order each kind first came", "[channel][cost]") {
  Cost a;
  a.add("post", 2, 15'000);
  a.add("post_with_url", 1, 200'000);
  a.add("read", 0, 1'000);  // nothing of it: not listed
  Cost b;
  b.add("media_metadata", 1, 5'000);
  b.add("post", 1, 15'000);
  a += b;
  REQUIRE(a.items.size() == 3);
  CHECK(a.items[0].kind == "post");
  CHECK(a.items[0].count == 3);
  CHECK(a.items[0].micro_usd == 45'000);
  CHECK(a.items[2].kind == "media_metadata");
  CHECK(a.count("post_with_url") == 1);
  CHECK(a.count("read") == 0);
  CHECK(a.micro_usd() == 250'000);
  CHECK(Cost{}.empty());
}
