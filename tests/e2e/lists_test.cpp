// A list of a few thousand through the aiosmtpd stand-in, with some recipients refused and some
// put off: what `post --json` and `status --json` report, what the state file keeps (a row per
// batch, a row per recipient not delivered), and a resume that sends only to the ones put off.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "store/store_fixtures.hpp"
#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

std::vector<std::string> big_notice(const XSetup& x) {
  return {"--json",
          "post",
          "water-supply-interruption",
          "-d",
          "roads",
          "--channels",
          "email",
          "--id",
          "big-list",
          "--vars",
          (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string(),
          "--yes"};
}

// 3,000 subscribers with what a real file holds: comments, blank lines, spaces, CRLF, a bad line
// and duplicates (one with a differently-cased domain).
std::string big_list() {
  std::string out = "# roads subscribers\r\n\n";
  for (int i = 1; i <= 3000; ++i) {
    out += "citizen" + std::to_string(i) + "@example.org\n";
    if (i % 1000 == 0) out += "\n# next thousand\n  citizen" + std::to_string(i) + "@EXAMPLE.org  \r\nnot-an-address\n";
  }
  return out;
}

json roads_email(const json& report) {
  for (const auto& d : report.at("deliveries"))
    if (d.at("channel") == "email") return d;
  FAIL("no email delivery in " << report.dump());
  return {};
}

}  // namespace

TEST_CASE("a list of 3,000 is kept a row per batch, reports refused and put-off recipients, and resumes only those",
          "[e2e][email][lists]") {
  XSetup x;
  x.with_email();
  x.sample.write("lists/roads-3000.txt", big_list(), 0644);
  x.sample.edit("departments.yaml", "      unsubscribe: https://lists.example.org/u/roads",
                "      unsubscribe: https://lists.example.org/u/roads\n      batch_size: 100");
  x.sample.edit("departments.yaml", "subscribers: lists/roads.txt", "subscribers: lists/roads-3000.txt");
  x.smtp.add_faults(json::array(
      {{{"on", "rcpt"}, {"address", "citizen17@example.org"}, {"reply", "450 4.2.1 Mailbox busy"}, {"times", 1}},
       {{"on", "rcpt"}, {"address", "citizen1234@example.org"}, {"reply", "451 4.3.0 Try later"}, {"times", 1}},
       {{"on", "rcpt"}, {"address", "citizen2500@example.org"}, {"reply", "550 5.1.1 No such user"}}}));

  auto first = x.run(big_notice(x));
  INFO(first.err);
  CHECK(first.exit_code == 75);
  CHECK_THAT(first.err, Catch::Contains("roads-3000.txt:") && Catch::Contains("not-an-address"));
  const json d = roads_email(parse(first));
  CHECK(d.at("status") == "deferred");
  CHECK(d.at("recipients") == 3000);  // each subscriber once (roads has no list address)
  CHECK(d.at("delivered") == 2997);
  CHECK(d.at("rejected") == json::array({"citizen2500@example.org"}));
  CHECK(d.at("deferred") == json::array({"citizen17@example.org", "citizen1234@example.org"}));
  CHECK(d.at("parts").size() == 30);
  CHECK(x.smtp.messages().size() == 30);

  // status --json reads the same from the store.
  const json s = roads_email(parse(x.run({"--json", "status", "big-list"})));
  CHECK(s.at("recipients") == 3000);
  CHECK(s.at("delivered") == 2997);
  CHECK(s.at("rejected") == d.at("rejected"));
  CHECK(s.at("deferred") == d.at("deferred"));

  {
    // One row per batch with its addresses, one per recipient not delivered: not 3,001 rows.
    samvad::test::RawDb raw(x.state());
    CHECK(raw.integer("SELECT count(*) FROM recipient_batches") == 30);
    CHECK(raw.integer("SELECT count(*) FROM recipients") == 3);
    CHECK(raw.integer("SELECT count(*) FROM recipients WHERE status = 'delivered'") == 0);
  }

  const std::size_t before = x.smtp.messages().size();
  auto again = x.run(big_notice(x));
  INFO(again.err);
  CHECK(again.exit_code == 0);
  const json d2 = roads_email(parse(again));
  CHECK(d2.at("status") == "delivered");
  CHECK(d2.at("delivered") == 2999);
  CHECK(d2.at("rejected") == json::array({"citizen2500@example.org"}));
  CHECK(d2.at("deferred").empty());
  // Only the two put off are tried again, each in its own batch with that batch's Message-ID.
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == before + 2);
  std::set<std::string> resent;
  for (std::size_t i = before; i < messages.size(); ++i)
    for (const auto& a : messages[i].at("rcpt_tos")) resent.insert(a.get<std::string>());
  CHECK(resent == std::set<std::string>{"citizen17@example.org", "citizen1234@example.org"});

  const json s2 = roads_email(parse(x.run({"--json", "status", "big-list"})));
  CHECK(s2.at("status") == "delivered");
  CHECK(s2.at("delivered") == 2999);
  CHECK(s2.at("deferred").empty());
}
