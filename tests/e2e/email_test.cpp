// `samvad post` by email, driven as a clerk or cron would, against a real SMTP server on
// loopback (the aiosmtpd stand-in: STARTTLS with a throwaway CA, AUTH). Every check is on what
// the server received, parsed by Python's email package with policy=strict.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <samvad/core/digest.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;
using samvad::test::eventually;



std::vector<std::string> email_notice(const XSetup& x, const std::string& department, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post", "water-supply-interruption", "-d", department, "--channels", "email",
                                "--vars", (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string(), "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// What `preview --json` shows for one department's email: what must arrive.
json previewed_email(const XSetup& x, const std::string& department) {
  auto r = x.run({"--json", "preview", "water-supply-interruption", "-d", department, "--vars",
                  (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string()});
  REQUIRE(r.exit_code == 0);
  return parse(r).at("items").at(0).at("email");
}

// A header's decoded value as the strict parser saw it ("" when absent).
std::string header(const json& analysis, const std::string& name) {
  for (const auto& h : analysis.at("headers"))
    if (h.at(0) == name) return h.at(1).get<std::string>();
  return {};
}

// The longest header line samvad wrote itself (libcurl's own Content-Type line, with its long
// boundary, is left out): RFC 5322 section 2.1.1 asks for 78 octets at most.
std::size_t longest_own_header_line(const json& message) {
  const std::string raw = samvad::test::SmtpStandinProcess::raw_message(message);
  std::size_t longest = 0, pos = 0;
  for (;;) {
    std::size_t end = raw.find("\r\n", pos);
    if (end == std::string::npos || end == pos) break;  // the blank line ends the header
    std::string line = raw.substr(pos, end - pos);
    if (line.rfind("Content-Type:", 0) != 0) longest = std::max(longest, line.size());
    pos = end + 2;
  }
  return longest;
}

std::multiset<std::string> received(const XSetup& x) {
  auto all = x.received_by();
  return {all.begin(), all.end()};
}

// `count` subscribers, one a line, plus a bad line and a duplicate that must be skipped.
std::string subscriber_file(int count, const std::string& prefix = "citizen") {
  std::string out = "# generated\n";
  for (int i = 1; i <= count; ++i) out += prefix + std::to_string(i) + "@example.org\n";
  out += "not-an-address\n" + prefix + "1@EXAMPLE.org\n";
  return out;
}

std::vector<std::string> expected_addresses(int count, const std::string& prefix = "citizen") {
  std::vector<std::string> out;
  for (int i = 1; i <= count; ++i) out.push_back(prefix + std::to_string(i) + "@example.org");
  return out;
}

// Gives `department` a subscriber file of its own and a batch size.
void use_subscribers(XSetup& x, const std::string& list_file, int count, int batch_size, const std::string& prefix = "citizen") {
  x.sample.write("lists/" + list_file, subscriber_file(count, prefix), 0644);
  x.sample.edit("departments.yaml", "      unsubscribe: https://lists.example.org/u/roads",
                "      unsubscribe: https://lists.example.org/u/roads\n      batch_size: " + std::to_string(batch_size));
  x.sample.edit("departments.yaml", "subscribers: lists/roads.txt", "subscribers: lists/" + list_file);
}

}  // namespace

TEST_CASE("an email reaches the list and every valid subscriber once, over STARTTLS with a login, and decodes exactly",
          "[e2e][email]") {
  XSetup x;
  x.with_email();
  const json expected = previewed_email(x, "water-supply");
  auto r = x.run(email_notice(x, "water-supply", {"--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  // The list address, then lists/water-supply.txt without its invalid line and its duplicate;
  // the IDN domain in its ASCII form.
  const std::multiset<std::string> everyone{"water-supply@lists.example.org", "secretary.nigdi-sector24@example.org",
                                            "akurdi-residents@example.org",    "ward-office-a@example.org",
                                            "ward-office-b@example.org",       "nagrik.pradhikaran@example.org",
                                            "resident.chinchwad@example.org",  "nagrik@xn--p1b6ci4b4b3a.xn--11b5bs3a9aj6g"};
  CHECK(received(x) == everyone);
  CHECK_THAT(r.err, Contains("lists/water-supply.txt:14:1: 'not-an-address' is not a valid email address"));

  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  const json& m = messages[0];
  CHECK(m.at("tls") == true);
  CHECK(m.at("auth_user") == XSetup::kSmtpUser);
  CHECK(m.at("mail_from") == "announcements@example.org");
  const json& a = m.at("analysis");
  INFO(a.dump(2));
  CHECK_FALSE(a.contains("parse_error"));
  CHECK(a.at("defects").empty());
  CHECK(a.at("subject") == expected.at("subject"));
  CHECK(a.at("from_name") == "पिंपरी चिंचवड महानगरपालिका");
  CHECK(a.at("from_address") == "announcements@example.org");
  CHECK(header(a, "To") == "water-supply@lists.example.org");
  CHECK(a.at("structure") == "multipart/alternative[text/plain,text/html]");
  // Both alternatives decode to exactly what preview showed (line ends aside: SMTP is CRLF).
  auto crlf = [](std::string s) {
    std::string out;
    for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
  };
  CHECK((a.at("text_plain") == expected.at("text") || a.at("text_plain") == crlf(expected.at("text"))));
  CHECK((a.at("text_html") == expected.at("html") || a.at("text_html") == crlf(expected.at("html"))));
  CHECK_THAT(a.at("text_plain").get<std::string>(), Contains("https://lists.example.org/u/water-supply"));
  CHECK(a.at("has_bcc") == false);
  CHECK(a.at("bare_lf") == false);
  CHECK(a.at("bare_cr") == false);
  CHECK(a.at("max_line_octets").get<int>() <= 998);
  CHECK(longest_own_header_line(m) <= 78);
  CHECK(a.at("list_id") == "<water-supply.pcmcindia.gov.in>");
  CHECK(a.at("list_unsubscribe") == "<https://lists.example.org/u/water-supply>");
  CHECK(a.at("list_unsubscribe_post") == "List-Unsubscribe=One-Click");
  CHECK(a.at("auto_submitted") == "auto-generated");
  CHECK_THAT(a.at("message_id").get<std::string>(), Catch::Matches("<[^@<>]+@example\\.org>"));
  CHECK_FALSE(a.at("date").get<std::string>().empty());
  // No recipient's address appears anywhere in the message but the list's own.
  const std::string raw = samvad::test::SmtpStandinProcess::raw_message(m);
  for (const auto& who : everyone)
    if (who != "water-supply@lists.example.org") CHECK(raw.find(who) == std::string::npos);

  auto j = parse(r);
  REQUIRE(j.at("deliveries").size() == 1);
  const json& d = j.at("deliveries")[0];
  CHECK(d.at("channel") == "email");
  CHECK(d.at("status") == "delivered");
  CHECK(d.at("recipients") == everyone.size());
  CHECK(d.at("delivered") == everyone.size());
  CHECK(d.at("rejected").empty());
  CHECK(d.at("deferred").empty());
  CHECK(d.at("message_ids") == json::array({a.at("message_id")}));
  // No secret anywhere the user or a log could see.
  for (const auto& secret : x.secrets()) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("a mailto unsubscribe gets List-Unsubscribe without the one-click header, and no list address means undisclosed recipients",
          "[e2e][email]") {
  XSetup x;
  x.with_email();
  auto r = x.run(email_notice(x, "health"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  const json& a = messages[0].at("analysis");
  CHECK(a.at("list_unsubscribe") == "<mailto:health-unsubscribe@lists.example.org?subject=unsubscribe>");
  CHECK(a.at("list_unsubscribe_post").is_null());
  CHECK(header(a, "To") == "undisclosed-recipients:;");
  CHECK(a.at("has_bcc") == false);
}

TEST_CASE("batches respect batch_size, go over one connection, and a rerun sends nothing again", "[e2e][email]") {
  XSetup x;
  x.with_email();
  use_subscribers(x, "roads-test.txt", 23, 5);
  auto r = x.run(email_notice(x, "roads", {"--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 5);  // 23 in batches of 5
  std::set<std::string> ids;
  for (const auto& m : messages) {
    CHECK(m.at("rcpt_tos").size() <= 5);
    CHECK(m.at("connection") == messages[0].at("connection"));
    ids.insert(m.at("analysis").at("message_id").get<std::string>());
  }
  CHECK(ids.size() == 5);  // each batch its own Message-ID
  auto everyone = expected_addresses(23);
  CHECK(received(x) == std::multiset<std::string>(everyone.begin(), everyone.end()));
  CHECK(x.smtp.connections().size() == 1);
  auto j = parse(r);
  CHECK(j.at("deliveries")[0].at("message_ids").size() == 5);
  REQUIRE(j.at("deliveries")[0].at("parts").size() == 5);
  CHECK(j.at("deliveries")[0].at("parts")[4].at("recipients") == 3);
  CHECK(j.at("deliveries")[0].at("language").is_null());
  CHECK(j.at("deliveries")[0].at("languages") == json::array({"mr", "en"}));

  auto again = x.run(email_notice(x, "roads"));
  CHECK(again.exit_code == 0);
  CHECK(x.smtp.messages().size() == 5);
}

TEST_CASE("a 1000-subscriber list goes out in batches of 50 with every address delivered once", "[e2e][email]") {
  XSetup x;
  x.with_email();
  use_subscribers(x, "big.txt", 1000, 50);
  auto r = x.run(email_notice(x, "roads", {"--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  CHECK(messages.size() == 20);
  for (const auto& m : messages) CHECK(m.at("rcpt_tos").size() == 50);
  auto everyone = expected_addresses(1000);
  CHECK(received(x) == std::multiset<std::string>(everyone.begin(), everyone.end()));
  CHECK(x.smtp.connections().size() == 1);
  CHECK(parse(r).at("deliveries")[0].at("delivered") == 1000);
}

TEST_CASE("452 too many recipients sends the rest in the next transaction of the same batch", "[e2e][email]") {
  XSetup x;
  auto options = XSetup::default_smtp_options();
  options.max_recipients = 3;
  x.with_email(options);
  use_subscribers(x, "roads-452.txt", 12, 10);
  auto r = x.run(email_notice(x, "roads", {"--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  // Batch 1 (10): 3+3+3+1; batch 2 (2): 2.
  REQUIRE(messages.size() == 5);
  for (const auto& m : messages) CHECK(m.at("rcpt_tos").size() <= 3);
  CHECK(messages[0].at("analysis").at("message_id") == messages[3].at("analysis").at("message_id"));
  CHECK(messages[3].at("analysis").at("message_id") != messages[4].at("analysis").at("message_id"));
  auto everyone = expected_addresses(12);
  CHECK(received(x) == std::multiset<std::string>(everyone.begin(), everyone.end()));
  CHECK(x.smtp.connections().size() == 1);
  auto d = parse(r).at("deliveries")[0];
  CHECK(d.at("delivered") == 12);
  CHECK(d.at("deferred").empty());
}

TEST_CASE(
    "a 4xx for one recipient defers it, a 5xx rejects it, the others are delivered, the rerun retries only the "
    "deferred",
    "[e2e][email]") {
  XSetup x;
  x.with_email();
  use_subscribers(x, "roads-faults.txt", 6, 50);
  x.smtp.add_faults(json::array({{{"on", "rcpt"}, {"address", "citizen2@example.org"}, {"reply", "450 4.2.1 Mailbox busy"}, {"times", 1}},
                                 {{"on", "rcpt"}, {"address", "citizen5@example.org"}, {"reply", "550 5.1.1 No such user"}}}));
  auto r = x.run(email_notice(x, "roads", {"--json"}));
  INFO(r.err);
  CHECK(r.exit_code == 75);
  auto d = parse(r).at("deliveries")[0];
  CHECK(d.at("status") == "deferred");
  CHECK(d.at("delivered") == 4);
  CHECK(d.at("rejected") == json::array({"citizen5@example.org"}));
  CHECK(d.at("deferred") == json::array({"citizen2@example.org"}));
  CHECK(received(x) == std::multiset<std::string>{"citizen1@example.org", "citizen3@example.org", "citizen4@example.org",
                                                  "citizen6@example.org"});

  auto again = x.run(email_notice(x, "roads", {"--json"}));
  INFO(again.err);
  CHECK(again.exit_code == 0);
  auto d2 = parse(again).at("deliveries")[0];
  CHECK(d2.at("status") == "delivered");
  CHECK(d2.at("delivered") == 5);
  CHECK(d2.at("rejected") == json::array({"citizen5@example.org"}));
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[1].at("rcpt_tos") == json::array({"citizen2@example.org"}));  // the rejected one is never tried again
  CHECK(messages[1].at("analysis").at("message_id") == messages[0].at("analysis").at("message_id"));
}

TEST_CASE("a server refusing the message for a while is retried, one that keeps refusing defers the delivery",
          "[e2e][email]") {
  XSetup x;
  x.with_email();
  x.smtp.add_faults(json{{"on", "mail"}, {"reply", "451 4.3.0 Try again later"}, {"times", 2}});
  auto r = x.run(email_notice(x, "town-planning"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(x.smtp.messages().size() == 1);

  x.smtp.reset();
  x.smtp.add_faults(json{{"on", "data"}, {"reply", "451 4.3.0 Queue full"}});
  auto deferred = x.run(email_notice(x, "health"));
  CHECK(deferred.exit_code == 75);
  CHECK_THAT(deferred.err, Contains("451 4.3.0 Queue full"));
}

TEST_CASE("a message the server rejects outright fails the delivery with exit 69", "[e2e][email]") {
  XSetup x;
  x.with_email();
  x.smtp.add_faults(json{{"on", "data"}, {"reply", "554 5.7.1 Message refused"}});
  auto r = x.run(email_notice(x, "town-planning", {"--json"}));
  CHECK(r.exit_code == 69);
  auto d = parse(r).at("deliveries")[0];
  CHECK(d.at("status") == "failed");
  CHECK_THAT(d.at("error").get<std::string>(), Contains("554 5.7.1 Message refused"));
}

TEST_CASE("a wrong SMTP password fails with a clear error and never shows the password", "[e2e][email]") {
  XSetup x;
  auto options = XSetup::default_smtp_options();
  options.password = "another-password";
  x.with_email(options);
  auto r = x.run(email_notice(x, "town-planning", {"-v"}));
  CHECK(r.exit_code == 69);
  CHECK_THAT(r.err, Contains("refused the login"));
  CHECK(x.smtp.messages().empty());
  for (const auto& secret : x.secrets()) {
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("mail is never sent unencrypted or to an unverified server", "[e2e][email]") {
  SECTION("a server without STARTTLS is refused") {
    XSetup x;
    auto options = XSetup::default_smtp_options();
    options.tls = "none";
    options.user.reset();
    x.with_email(options);
    // The configuration still says starttls (the default) for this server.
    x.sample.edit("departments.yaml", "  tls: none  # ", "  # tls: starttls ");
    auto r = x.run(email_notice(x, "town-planning"));
    CHECK(r.exit_code == 69);
    CHECK_THAT(r.err, Contains("does not offer STARTTLS"));
    CHECK(x.smtp.messages().empty());
  }
  SECTION("a certificate from an unknown CA is refused") {
    XSetup x;
    x.with_email();
    x.sample.edit("departments.yaml", "  ca_file: " + x.smtp.ca_file().string(), "  # no ca_file");
    auto r = x.run(email_notice(x, "town-planning"));
    CHECK(r.exit_code == 69);
    CHECK_THAT(r.err, Contains("TLS with the SMTP server 127.0.0.1 failed"));
    CHECK(x.smtp.messages().empty());
  }
}

TEST_CASE("attachments round-trip byte for byte with their content types and Marathi file names", "[e2e][email]") {
  XSetup x;
  x.with_email();
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 3000; ++i) pdf += static_cast<char>(i * 7 % 256);
  pdf += "\n%%EOF\n";
  auto circular = x.sample.write("परिपत्रक क्र. १२.pdf", pdf);
  auto sheet = x.sample.write("areas.csv", "area,from,to\nनिगडी,09:00,17:00\n");
  auto r = x.run(email_notice(x, "town-planning", {"--attach", circular.string(), "--attach", sheet.string()}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto messages = x.smtp.messages();
  REQUIRE(messages.size() == 1);
  const json& a = messages[0].at("analysis");
  INFO(a.dump(2));
  CHECK(a.at("defects").empty());
  CHECK(a.at("structure") == "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf,text/csv]");
  REQUIRE(a.at("attachments").size() == 2);
  CHECK(a.at("attachments")[0].at("filename") == "परिपत्रक क्र. १२.pdf");
  CHECK(a.at("attachments")[0].at("content_type") == "application/pdf");
  CHECK(a.at("attachments")[0].at("sha256") == samvad::sha256_hex(pdf));
  CHECK(a.at("attachments")[0].at("size") == pdf.size());
  CHECK(a.at("attachments")[1].at("filename") == "areas.csv");
  CHECK(a.at("attachments")[1].at("sha256") == samvad::sha256_hex(samvad::test::read_file(sheet)));
  CHECK(a.at("max_line_octets").get<int>() <= 998);
  CHECK(a.at("bare_lf") == false);

}

TEST_CASE("an attachment that changes before a rerun is refused rather than sent in two versions", "[e2e][email]") {
  XSetup x;
  x.with_email();
  auto circular = x.sample.write("circular.pdf", "%PDF-1.4\nfirst version\n%%EOF\n");
  // town-planning's only recipient is its list address: put it off so the delivery stays pending.
  x.smtp.add_faults(json{{"on", "rcpt"}, {"address", "town-planning@lists.example.org"}, {"reply", "450 4.2.1 Busy"}, {"times", 1}});
  auto first = x.run(email_notice(x, "town-planning", {"--attach", circular.string(), "--id", "circular-12"}));
  REQUIRE(first.exit_code == 75);
  x.sample.write("circular.pdf", "%PDF-1.4\nsecond version\n%%EOF\n");
  auto rerun = x.run(email_notice(x, "town-planning", {"--attach", circular.string(), "--id", "circular-12"}));
  // Compared with what was recorded before anything is sent: the attachment is other content.
  CHECK(rerun.exit_code == 65);
  CHECK_THAT(rerun.err, Contains("town-planning email") && Contains("the attachments: recorded"));
  CHECK(x.smtp.messages().empty());

  // None of it was sent, so it can be withdrawn; then the new version goes under the same id.
  auto withdrawn = x.run({"retract", "circular-12", "--yes", "--json"});
  INFO(withdrawn.err);
  CHECK(withdrawn.exit_code == 0);
  CHECK(parse(withdrawn).at("deliveries").at(0).at("status") == "retracted");
  auto posted = x.run(email_notice(x, "town-planning", {"--attach", circular.string(), "--id", "circular-12"}));
  INFO(posted.err);
  CHECK(posted.exit_code == 0);
  REQUIRE(x.smtp.messages().size() == 1);
  CHECK(x.smtp.messages()[0].at("analysis").at("attachments")[0].at("sha256") ==
        samvad::sha256_hex(samvad::test::read_file(circular)));
}

TEST_CASE("retract leaves an email that went out as it is, and says it cannot be recalled", "[e2e][email]") {
  XSetup x;
  x.with_email();
  REQUIRE(x.run(email_notice(x, "town-planning", {"--id", "sent-1"})).exit_code == 0);
  REQUIRE(x.smtp.messages().size() == 1);
  auto r = x.run({"-v", "retract", "sent-1", "--yes"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("emails cannot be recalled"));
  auto status = parse(x.run({"--json", "status", "sent-1"}));
  CHECK(status.at("deliveries").at(0).at("status") == "delivered");
}

TEST_CASE("dry run shows the email, its recipients and batches, and sends nothing", "[e2e][email]") {
  XSetup x;
  x.with_email();
  auto r = x.run(email_notice(x, "property-tax", {"--dry-run", "--json"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  REQUIRE(j.at("deliveries").size() == 1);
  const json& d = j.at("deliveries")[0];
  CHECK(d.at("channel") == "email");
  CHECK(d.at("from") == "propertytax@example.org");
  CHECK(d.at("to") == "property-tax@lists.example.org");
  CHECK(d.at("recipients").get<int>() >= 2);
  CHECK(x.smtp.messages().empty());
  CHECK_FALSE(std::filesystem::exists(x.state()));
}

TEST_CASE("post sends both channels by default: tweets to X and the email to the list", "[e2e][email]") {
  XSetup x;
  x.with_email();
  auto r = x.run({"post", "water-supply-interruption", "-d", "water-supply", "-d", "education", "--vars",
                  (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string(), "--yes", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  std::map<std::string, int> by_channel;
  for (const auto& d : j.at("deliveries")) {
    CHECK(d.at("status") == "delivered");
    ++by_channel[d.at("channel").get<std::string>()];
  }
  CHECK(by_channel["twitter"] == 2);  // water-supply mr + en; education has no X account
  CHECK(by_channel["email"] == 2);
  CHECK(x.live_posts("water-supply").size() == 2);
  CHECK(x.smtp.messages().size() == 2);
  // education is Marathi only: its From name and subject are Marathi.
  bool education_seen = false;
  for (const auto& m : x.smtp.messages()) {
    if (m.at("analysis").at("list_id") != "<education.pcmcindia.gov.in>") continue;
    education_seen = true;
    CHECK(m.at("analysis").at("from_name") == "पिंपरी चिंचवड महानगरपालिका");
    CHECK(m.at("analysis").at("subject").get<std::string>().find("Water") == std::string::npos);
  }
  CHECK(education_seen);
}

TEST_CASE("a kill mid-list resumes without resending delivered batches", "[e2e][email]") {
  XSetup x;
  auto options = XSetup::default_smtp_options();
  options.latency_ms = 250;
  x.with_email(options);
  use_subscribers(x, "roads-kill.txt", 30, 3);
  auto first = x.start(email_notice(x, "roads"));
  REQUIRE(eventually([&] { return x.smtp.messages().size() >= 3; }));
  first->kill(SIGKILL);
  first->wait();
  const auto before = x.smtp.messages().size();
  REQUIRE(before < 10);

  auto rerun = x.run(email_notice(x, "roads", {"--json"}));
  INFO(rerun.err);
  REQUIRE(rerun.exit_code == 0);
  CHECK(parse(rerun).at("deliveries")[0].at("delivered") == 30);
  // Everyone has it; at most the batch in flight at the kill (3 people) has it twice, and its
  // two copies carry the same Message-ID.
  std::map<std::string, std::vector<std::string>> ids_by_address;
  for (const auto& m : x.smtp.messages())
    for (const auto& a : m.at("rcpt_tos"))
      ids_by_address[a.get<std::string>()].push_back(m.at("analysis").at("message_id").get<std::string>());
  CHECK(ids_by_address.size() == 30);
  std::size_t twice = 0;
  for (const auto& [address, ids] : ids_by_address) {
    CHECK(ids.size() <= 2);
    if (ids.size() == 2) {
      ++twice;
      CHECK(ids[0] == ids[1]);
    }
  }
  CHECK(twice <= 3);
  CHECK(x.smtp.messages().size() <= 11);
}
