// The channel API's own code (lib/samvad/channel/channel.cpp): an image's alt text for the
// language of a post and a delivery context's defaults (the retry rule: retry_test.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <samvad/channel/channel.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>

using samvad::channel::MediaItem;
using samvad::channel::RetryPolicy;

namespace {

MediaItem image(std::map<std::string, std::string> alt) { return MediaItem{"/tmp/map.png", {std::move(alt)}}; }

}  // namespace

TEST_CASE("an image's alt text is the post's language's, else the one given for every language", "[channel]") {
  const auto both = image({{"en", "Map of the closed road"}, {"mr", "बंद रस्त्याचा नकाशा"}});
  CHECK(both.alt_for("mr") == "बंद रस्त्याचा नकाशा");
  CHECK(both.alt_for("en") == "Map of the closed road");

  // A single --alt is stored under "" and goes with every language; a language's own text wins.
  const auto single = image({{"", "Map of the closed road"}});
  CHECK(single.alt_for("mr") == "Map of the closed road");
  CHECK(single.alt_for("*") == "Map of the closed road");
  const auto mixed = image({{"", "Map"}, {"mr", "नकाशा"}});
  CHECK(mixed.alt_for("mr") == "नकाशा");
  CHECK(mixed.alt_for("en") == "Map");
}

TEST_CASE("an image goes out with some written alt text for a language that has none, or none at all", "[channel]") {
  const auto both = image({{"en", "Map of the closed road"}, {"mr", "बंद रस्त्याचा नकाशा"}});
  const std::set<std::string> written{"Map of the closed road", "बंद रस्त्याचा नकाशा"};
  CHECK(written.count(both.alt_for("hi")));
  CHECK(written.count(both.alt_for("*")));  // a --text post, in whatever language it was written
  CHECK(image({}).alt_for("mr").empty());
}

TEST_CASE("a delivery context made without a stop hook is never stopping", "[channel]") {
  samvad::config::Department department;
  samvad::config::Credentials credentials;
  const std::vector<MediaItem> media;
  const RetryPolicy retry;
  const samvad::channel::DeliveryContext context{department, credentials, media, retry, {}, {}};
  CHECK_FALSE(context.stopping());
}
