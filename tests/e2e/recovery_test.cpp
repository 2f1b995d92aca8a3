// Trust after something went wrong, driven through the real samvad against the X API stand-in
// (which returns text as X does: NFC, every URL as a t.co link with entities.urls, &, < and >
// escaped): a post whose answer was lost is recognised by its exact text and never mistaken for
// another announcement's; X's duplicate refusal for another announcement's post fails rather than
// borrowing that post; retract looks up what it never learned and says when it could not finish;
// a certificate that cannot be verified fails at once (69) instead of being retried.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

const std::string kNotice =
    "Water supply to Nigdi will be off on 3 December, 9 am to 5 pm. Details: https://www.pcmcindia.gov.in/notices/101 #PCMC";
// The corrigendum: the same words, only the link is another.
const std::string kCorrigendum =
    "Water supply to Nigdi will be off on 3 December, 9 am to 5 pm. Details: https://www.pcmcindia.gov.in/notices/102 #PCMC";

std::vector<std::string> post_text(const std::string& text) {
  return {"post", "--channels", "twitter", "--text", text, "-d", "water-supply", "--yes", "--json"};
}

std::vector<std::string> water_notice(const std::string& id) {
  return {"post", "--channels", "twitter", "water-supply-interruption", "-d", "water-supply",
          "--example", "--yes", "--json", "--id", id};
}

// The id of the stand-in's live post with exactly this text ("" when there is none).
std::string id_of(const XSetup& x, const std::string& text) {
  for (const auto& p : x.live_posts("water-supply"))
    if (p.at("text") == text) return p.at("id");
  return "";
}

std::size_t count_requests(const XSetup& x, const std::string& method, const std::string& path_prefix) {
  std::size_t n = 0;
  for (const auto& r : x.standin.requests())
    if (r.at("method") == method && r.at("path").get<std::string>().starts_with(path_prefix)) ++n;
  return n;
}

std::vector<std::string> live_ids(const XSetup& x) {
  std::vector<std::string> ids;
  for (const auto& p : x.live_posts()) ids.push_back(p.at("id"));
  std::sort(ids.begin(), ids.end());
  return ids;
}

json tweet_ids(const json& report, const std::string& language) {
  for (const auto& d : report.at("deliveries"))
    if (d.at("language") == language) return d.at("tweet_ids");
  FAIL("no " << language << " delivery in " << report.dump());
  return {};
}

json delivery_of(const json& report, const std::string& language) {
  for (const auto& d : report.at("deliveries"))
    if (d.at("language") == language) return d;
  FAIL("no " << language << " delivery in " << report.dump());
  return {};
}

}  // namespace

TEST_CASE("a lost answer is recovered by the exact text: a corrigendum with another link is not that post",
          "[e2e][recovery]") {
  SECTION("the rerun of the first finds its own post, not the corrigendum posted since") {
    XSetup x;
    x.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop_after_create"}});
    auto lost = x.run(post_text(kNotice));
    INFO(lost.err);
    REQUIRE(lost.exit_code == 75);
    auto corrigendum = x.run(post_text(kCorrigendum));
    INFO(corrigendum.err);
    REQUIRE(corrigendum.exit_code == 0);
    auto rerun = x.run(post_text(kNotice));
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);

    REQUIRE(x.live_posts().size() == 2);
    REQUIRE_FALSE(id_of(x, kNotice).empty());
    CHECK(parse(rerun).at("deliveries").at(0).at("tweet_ids") == json::array({id_of(x, kNotice)}));
    CHECK(parse(corrigendum).at("deliveries").at(0).at("tweet_ids") == json::array({id_of(x, kCorrigendum)}));
    CHECK(count_requests(x, "POST", "/2/tweets") == 2);  // found, never sent again
    // What X gave back had the links as t.co: samvad asked for the entities to put them back.
    for (const auto& r : x.standin.requests())
      if (r.at("path").get<std::string>().ends_with("/tweets") && r.at("method") == "GET")
        CHECK(r.at("query").at("tweet.fields") == "entities");
  }

  SECTION("a corrigendum whose first request never reached X is posted, not taken for the earlier post") {
    XSetup x;
    REQUIRE(x.run(post_text(kNotice)).exit_code == 0);
    // The connection closes before X acts: samvad cannot tell whether the post was made.
    x.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop"}});
    auto lost = x.run(post_text(kCorrigendum));
    INFO(lost.err);
    REQUIRE(lost.exit_code == 75);
    auto rerun = x.run(post_text(kCorrigendum));
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);

    REQUIRE(x.live_posts().size() == 2);
    const std::string corrigendum_id = id_of(x, kCorrigendum);
    REQUIRE_FALSE(corrigendum_id.empty());
    CHECK(parse(rerun).at("deliveries").at(0).at("tweet_ids") == json::array({corrigendum_id}));
    CHECK(corrigendum_id != id_of(x, kNotice));
  }
}

TEST_CASE("X's duplicate refusal for another announcement's post fails (69) and never borrows that post",
          "[e2e][recovery]") {
  XSetup x;
  auto first = x.run(water_notice("first-run"));
  REQUIRE(first.exit_code == 0);
  const auto first_ids = live_ids(x);
  REQUIRE(first_ids.size() == 2);

  SECTION("two announcements with the same text: the second is refused") {
    auto second = x.run(water_notice("second-run"));
    INFO(second.err);
    CHECK(second.exit_code == 69);
    auto j = parse(second);
    CHECK(j.at("status") == "failed");
    for (const auto& d : j.at("deliveries")) {
      CHECK(d.at("status") == "failed");
      CHECK(d.at("tweet_ids").empty());
      CHECK_THAT(d.at("error").get<std::string>(),
                 Contains("You are not allowed to create a Tweet with duplicate content.") && Contains("first-run"));
    }
  }

  SECTION("a lost answer for the same text as another announcement's post: it is not recovered as ours") {
    x.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop"}});
    auto lost = x.run(water_notice("second-run"));
    INFO(lost.err);
    CHECK(lost.exit_code == 69);  // en: X refused it at once as a duplicate; mr: outcome unknown
    CHECK(delivery_of(parse(lost), "mr").at("status") == "deferred");
    CHECK(delivery_of(parse(lost), "en").at("status") == "failed");
    auto rerun = x.run(water_notice("second-run"));
    INFO(rerun.err);
    CHECK(rerun.exit_code == 69);
    auto j = parse(rerun);
    for (const auto& d : j.at("deliveries")) {
      CHECK(d.at("status") == "failed");
      CHECK(d.at("tweet_ids").empty());
      CHECK_THAT(d.at("error").get<std::string>(), Contains("duplicate content") && Contains("first-run"));
    }
  }

  // Whatever happened, retracting the second deletes nothing of the first.
  auto retracted = x.run({"retract", "second-run", "--yes"});
  INFO(retracted.err);
  CHECK(retracted.exit_code == 0);
  CHECK(count_requests(x, "DELETE", "/2/tweets") == 0);
  CHECK(live_ids(x) == first_ids);
  auto status = parse(x.run({"status", "first-run", "--json"}));
  CHECK(status.at("status") == "delivered");
  CHECK(status.at("deliveries") == parse(first).at("deliveries"));
}

TEST_CASE("retract looks up a part whose answer was lost, and says so when it cannot finish", "[e2e][recovery]") {
  XSetup x;
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"action", "drop_after_create"}});
  auto lost = x.run(water_notice("lost-answer"));
  INFO(lost.err);
  REQUIRE(lost.exit_code == 75);
  REQUIRE(tweet_ids(parse(lost), "mr").empty());  // the mr post exists, its id was never learned
  REQUIRE(x.live_posts().size() == 2);

  SECTION("it is found and deleted") {
    auto r = x.run({"retract", "lost-answer", "--yes"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(x.live_posts().empty());
    auto status = parse(x.run({"status", "lost-answer", "--json"}));
    CHECK(status.at("status") == "retracted");
    CHECK(tweet_ids(status, "mr").size() == 1);  // what was deleted is on record
  }

  SECTION("when X cannot be asked, the delivery stays as it was and retract exits 75") {
    x.standin.add_faults(json{{"method", "GET"}, {"path", "/2/users/*"}, {"status", 503}, {"times", 1}});
    auto r = x.run({"retract", "lost-answer", "--yes"});
    INFO(r.err);
    CHECK(r.exit_code == 75);
    CHECK_THAT(r.err, Contains("answer was lost") && Contains("could not be asked") && Contains("503") &&
                          Contains("not retracted"));
    CHECK(x.live_posts().size() == 1);  // the mr post is still there (en, whose id was known, is gone)
    auto status = parse(x.run({"status", "lost-answer", "--json"}));
    CHECK(delivery_of(status, "mr").at("status") == "deferred");
    CHECK(delivery_of(status, "en").at("status") == "retracted");
    CHECK(status.at("status") != "retracted");

    auto again = x.run({"retract", "lost-answer", "--yes"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(x.live_posts().empty());
  }

  SECTION("when X refuses the delete, retract exits 69 with X's words") {
    x.standin.add_faults(json{{"method", "DELETE"},
                              {"path", "/2/tweets"},
                              {"status", 403},
                              {"detail", "You are not allowed to delete this Tweet."}});
    auto r = x.run({"retract", "lost-answer", "--yes", "--json"});
    INFO(r.err);
    CHECK(r.exit_code == 69);
    auto j = parse(r);
    CHECK_THAT(delivery_of(j, "mr").at("error").get<std::string>(),
               Contains("You are not allowed to delete this Tweet.") && Contains("not retracted"));
    CHECK(delivery_of(j, "mr").at("status") == "deferred");  // as it was
    CHECK(x.live_posts().size() == 1);
    CHECK(tweet_ids(j, "mr") == json::array({x.live_posts().at(0).at("id")}));  // found, kept on record
  }

  SECTION("when the answer to the delete is lost, retract exits 75 and a rerun finishes") {
    x.standin.add_faults(json{{"method", "DELETE"}, {"path", "/2/tweets"}, {"action", "drop_after_create"}});
    auto r = x.run({"retract", "lost-answer", "--yes"});
    INFO(r.err);
    CHECK(r.exit_code == 75);
    auto again = x.run({"retract", "lost-answer", "--yes"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(x.live_posts().empty());
    CHECK(parse(x.run({"status", "lost-answer", "--json"})).at("status") == "retracted");
  }
}

TEST_CASE("a certificate that cannot be verified fails at once (69) and says so", "[e2e][recovery]") {
  SECTION("X") {
    XSetup x({}, XSetup::Transport::https);
    auto r = x.run(water_notice("untrusted"));
    INFO(r.err);
    CHECK(r.exit_code == 69);
    auto j = parse(r);
    CHECK(j.at("status") == "failed");
    for (const auto& d : j.at("deliveries")) {
      CHECK(d.at("status") == "failed");
      CHECK(d.at("attempts") == 1);
      CHECK_THAT(d.at("error").get<std::string>(),
                 Contains("certificate of X's server could not be verified") && Contains("twitter.ca_file"));
    }
    CHECK(x.standin.requests().empty());  // nothing was sent, and nothing was retried

    // The same for every request to X, e.g. authorize's.
    samvad::test::ProcessOptions pin;
    pin.stdin_text = "7654321\n";
    auto authorize = x.run({"authorize", "water-supply"}, pin);
    CHECK(authorize.exit_code == 69);
    CHECK_THAT(authorize.err, Contains("certificate of X's server could not be verified"));

    // The stand-in is a working https server: trusting its CA is all it takes.
    x.sample.edit("departments.yaml", "  # ca_file: /etc/ssl/certs/extra-ca.pem   # extra CA bundle",
                  "  ca_file: " + x.standin.ca_file().string() + "   # extra CA bundle");
    auto trusted = x.run(water_notice("trusted"));
    INFO(trusted.err);
    CHECK(trusted.exit_code == 0);
    CHECK(x.live_posts().size() == 2);
  }

  SECTION("SMTP") {
    XSetup x;
    x.with_email();
    x.sample.edit("departments.yaml", "  ca_file: " + x.smtp.ca_file().string(), "  # no ca_file");
    auto r = x.run({"post", "water-supply-interruption", "-d", "town-planning", "--channels", "email", "--example",
                    "--yes", "--json"});
    INFO(r.err);
    CHECK(r.exit_code == 69);
    CHECK_THAT(parse(r).at("deliveries").at(0).at("error").get<std::string>(),
               Contains("certificate could not be verified") && Contains("email.ca_file"));
    CHECK(x.smtp.messages().empty());
  }
}
