// Approvals and who did what (issue 12): content of a kind departments.yaml `approvals:` names is
// recorded whole and held until a second operator approves it (then sent exactly as recorded) or
// rejects it (then never sent); every submission, approval, rejection and retraction names its
// operator in status and history; scheduled entries post only the content that was approved.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::ProcessOptions;
using samvad::test::ProcessResult;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

ProcessOptions as(const std::string& who) {
  ProcessOptions o;
  o.env["SAMVAD_OPERATOR"] = who;
  return o;
}

// The sample with X only (no email server needed) and `approvals` at the top level.
struct Approvals {
  XSetup x;
  explicit Approvals(const std::string& approvals =
                         "approvals: {required: [scheme, service-notice, text, reply], "
                         "two_person: true}\n") {
    x.sample.edit("departments.yaml", "\ndepartments:\n", "\n" + approvals + "\ndepartments:\n");
  }
  ProcessResult post(const std::string& who, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{
        "post", "water-supply-interruption", "-d", "water-supply", "--example", "--channels", "twitter", "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return x.run(args, as(who));
  }
  ProcessResult run(const std::string& who, std::vector<std::string> args) const { return x.run(args, as(who)); }
};

std::string held_id(const ProcessResult& r) {
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = parse(r);
  REQUIRE(j.at("status") == "awaiting-approval");
  return j.at("announcement").get<std::string>();
}

}  // namespace

TEST_CASE("a post that needs approval is recorded whole, sends nothing and is listed by pending", "[e2e][approvals]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  CHECK(a.x.live_posts().empty());

  auto pending = a.run("asha", {"pending", "--json"});
  REQUIRE(pending.exit_code == 0);
  const auto list = parse(pending);
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("announcement") == id);
  CHECK(list[0].at("kind") == "service-notice");
  CHECK(list[0].at("template") == "water-supply-interruption");
  CHECK(list[0].at("departments") == json::array({"water-supply"}));
  CHECK(list[0].at("operator") == "ravi");

  auto text = a.run("asha", {"pending"});
  CHECK_THAT(text.out, Contains(id) && Contains("ravi") && Contains("service-notice"));

  // Posting it again changes nothing: still held, still one.
  CHECK(held_id(a.post("ravi", {"--json"})) == id);
  CHECK(parse(a.run("asha", {"pending", "--json"})).size() == 1);
  auto status = parse(a.run("asha", {"status", id, "--json"}));
  CHECK(status.at("status") == "awaiting-approval");
  CHECK(status.at("approval").at("state") == "awaiting");
  CHECK(a.x.live_posts().empty());
}

TEST_CASE("approve sends exactly what was recorded, never a new rendering, and records who approved it",
          "[e2e][approvals]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  // The template changes after the submission: the approver is shown, and sends, what was submitted.
  a.x.sample.edit("templates/water-supply-interruption.yaml", "Citizens are requested to store water",
                  "CHANGED AFTER SUBMISSION");
  auto shown = a.run("asha", {"approve", id, "--yes"});
  INFO(shown.out << shown.err);
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Contains("Citizens are requested to store water"));
  CHECK_THAT(shown.out, !Contains("CHANGED AFTER SUBMISSION"));
  const auto posts = a.x.live_posts("water-supply");
  REQUIRE(posts.size() == 2);  // mr and en
  for (const auto& p : posts) CHECK_THAT(p.at("text").get<std::string>(), !Contains("CHANGED"));

  auto status = parse(a.run("ravi", {"status", id, "--json"}));
  CHECK(status.at("status") == "delivered");
  CHECK(status.at("operator") == "ravi");
  CHECK(status.at("approval").at("state") == "approved");
  CHECK(status.at("approval").at("decided_by") == "asha");
  REQUIRE(status.at("events").size() == 2);
  CHECK(status.at("events")[0].at("action") == "submitted");
  CHECK(status.at("events")[0].at("operator") == "ravi");
  CHECK(status.at("events")[1].at("action") == "approved");
  CHECK(status.at("events")[1].at("operator") == "asha");

  // Approving again, or an id nobody recorded: clear errors, nothing sent twice.
  auto again = a.run("asha", {"approve", id, "--yes"});
  CHECK(again.exit_code == 65);
  CHECK_THAT(again.err, Contains("approved already, by asha"));
  auto unknown = a.run("asha", {"approve", "no-such-announcement", "--yes"});
  CHECK(unknown.exit_code == 66);
  CHECK_THAT(unknown.err, Contains("no announcement 'no-such-announcement'"));
  auto late = a.run("meera", {"reject", id, "--reason", "too late"});
  CHECK(late.exit_code == 65);
  CHECK_THAT(late.err, Contains("cannot be rejected any more") && Contains("samvad retract " + id));
  CHECK(a.x.live_posts("water-supply").size() == 2);
  CHECK(parse(a.run("asha", {"pending", "--json"})).empty());
}

TEST_CASE("approve sends an email to the list as it was submitted, not as the subscriber file reads now",
          "[e2e][approvals]") {
  Approvals a;
  a.x.with_email();
  std::string list = "# water supply\n";
  for (int i = 1; i <= 120; ++i) list += "citizen" + std::to_string(i) + "@example.org\n";  // 3 batches of 50
  a.x.sample.write("lists/water-supply.txt", list, 0644);
  const std::string id = held_id(a.run("ravi", {"post", "water-supply-interruption", "-d", "water-supply", "--example",
                                                "--channels", "email", "--yes", "--json"}));
  CHECK(a.x.received_by().empty());
  // After the submission one subscriber leaves and another joins: the approval is of what was submitted.
  a.x.sample.write("lists/water-supply.txt", list.substr(list.find("citizen2@")) + "newcomer@example.org\n", 0644);
  auto approved = a.run("asha", {"approve", id, "--yes"});
  INFO(approved.out << approved.err);
  REQUIRE(approved.exit_code == 0);
  std::map<std::string, int> got;
  for (const auto& address : a.x.received_by()) ++got[address];
  for (int i = 1; i <= 120; ++i) CHECK(got["citizen" + std::to_string(i) + "@example.org"] == 1);
  CHECK(got.count("newcomer@example.org") == 0);
  auto status = parse(a.run("ravi", {"status", id, "--json"}));
  CHECK(status.at("status") == "delivered");
}

TEST_CASE("with two_person the submitter cannot approve their own announcement (65), nothing is sent",
          "[e2e][approvals]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  auto self = a.run("ravi", {"approve", id, "--yes"});
  CHECK(self.exit_code == 65);
  CHECK_THAT(self.err, Contains("submitted by ravi") && Contains("two_person"));
  CHECK(a.x.live_posts().empty());
  CHECK(parse(a.run("asha", {"status", id, "--json"})).at("status") == "awaiting-approval");

  // Without two_person the submitter may approve it.
  Approvals one("approvals: {required: [service-notice]}\n");
  const std::string id2 = held_id(one.post("ravi", {"--json"}));
  CHECK(one.run("ravi", {"approve", id2, "--yes"}).exit_code == 0);
  CHECK(one.x.live_posts("water-supply").size() == 2);
}

TEST_CASE("approve without a terminal and without --yes refuses (64) and approves nothing", "[e2e][approvals]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  auto r = a.run("asha", {"approve", id});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Contains("--yes"));
  CHECK(a.x.live_posts().empty());
  CHECK(parse(a.run("asha", {"status", id, "--json"})).at("approval").at("state") == "awaiting");
}

TEST_CASE("a rejected announcement is never sent: not by approve, not by posting it again", "[e2e][approvals]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  auto no_reason = a.run("asha", {"reject", id});
  CHECK(no_reason.exit_code == 64);
  auto empty_reason = a.run("asha", {"reject", id, "--reason", " "});
  CHECK(empty_reason.exit_code == 64);
  CHECK_THAT(empty_reason.err, Contains("reason"));

  auto r = a.run("asha", {"reject", id, "--reason", "wrong date: the cut is on the 4th"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("rejected by asha"));

  auto approve = a.run("meera", {"approve", id, "--yes"});
  CHECK(approve.exit_code == 65);
  CHECK_THAT(approve.err, Contains("rejected by asha") && Contains("wrong date"));
  auto again = a.post("ravi");
  CHECK(again.exit_code == 65);
  CHECK_THAT(again.err, Contains("rejected by asha"));
  // Even with approvals no longer required, the rejected announcement stays unsent.
  a.x.sample.edit("departments.yaml", "approvals: {required: [scheme, service-notice, text, reply], two_person: true}",
                  "");
  auto without = a.post("ravi");
  CHECK(without.exit_code == 65);
  CHECK_THAT(without.err, Contains("rejected"));
  CHECK(a.x.live_posts().empty());

  auto status = parse(a.run("ravi", {"status", id, "--json"}));
  CHECK(status.at("status") == "rejected");
  CHECK(status.at("approval").at("reason") == "wrong date: the cut is on the 4th");
  auto rejecting_again = a.run("asha", {"reject", id, "--reason", "again"});
  CHECK(rejecting_again.exit_code == 65);
}

TEST_CASE("an announcement that needed no approval cannot be approved (65)", "[e2e][approvals]") {
  Approvals a("approvals: {required: [scheme]}\n");
  auto posted = a.post("ravi", {"--json"});
  REQUIRE(posted.exit_code == 0);
  const std::string id = parse(posted).at("announcement");
  CHECK(a.x.live_posts("water-supply").size() == 2);
  auto r = a.run("asha", {"approve", id, "--yes"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Contains("did not need approval"));
}

TEST_CASE("post --text is of kind text, and a department's own approvals replace the top-level ones",
          "[e2e][approvals]") {
  Approvals a("approvals: {required: [text]}\n");
  a.x.sample.edit("departments.yaml", "    hashtags: [PCMC, PCMCHealth]\n",
                  "    hashtags: [PCMC, PCMCHealth]\n    approvals: {required: []}\n");
  auto held =
      a.run("ravi", {"post", "--text", "पत्रकार परिषद आज दुपारी ३ वाजता", "-d", "water-supply", "--yes", "--json"});
  const std::string id = held_id(held);
  CHECK(parse(a.run("asha", {"pending", "--json"}))[0].at("kind") == "text");
  auto direct = a.run("ravi", {"post", "--text", "आरोग्य शिबिर उद्या", "-d", "health", "--yes"});
  CHECK(direct.exit_code == 0);
  CHECK(a.x.live_posts("health").size() == 1);
  CHECK(a.x.live_posts("water-supply").empty());
  CHECK(a.run("asha", {"approve", id, "--yes"}).exit_code == 0);
  CHECK(a.x.live_posts("water-supply").size() == 1);
}

TEST_CASE("history and status name who recorded, approved and retracted an announcement, and when",
          "[e2e][approvals][operator]") {
  Approvals a;
  const std::string id = held_id(a.post("ravi", {"--json"}));
  REQUIRE(a.run("asha", {"approve", id, "--yes"}).exit_code == 0);
  REQUIRE(a.run("meera", {"retract", id, "--yes"}).exit_code == 0);

  auto history = parse(a.run("ravi", {"history", "--json"}));
  REQUIRE(history.size() == 1);
  CHECK(history[0].at("operator") == "ravi");
  CHECK(history[0].at("approval") == "approved");
  std::vector<std::string> actions, operators;
  for (const auto& e : history[0].at("events")) {
    actions.push_back(e.at("action"));
    operators.push_back(e.at("operator"));
    CHECK_THAT(e.at("at").get<std::string>(), Contains("+05:30"));
  }
  CHECK(actions == std::vector<std::string>{"submitted", "approved", "retracted"});
  CHECK(operators == std::vector<std::string>{"ravi", "asha", "meera"});

  auto text = a.run("ravi", {"history"});
  CHECK_THAT(text.out, Contains("OPERATOR") && Contains("ravi") && Contains("approved by asha") &&
                           Contains("retracted by meera"));
  auto status = a.run("ravi", {"status", id});
  CHECK_THAT(status.out,
             Contains("recorded by ravi") && Contains("approved by asha") && Contains("retracted by meera"));
}

TEST_CASE("an unknown kind in approvals, or a bad shape, is a configuration error (78) naming file:line",
          "[e2e][approvals][config]") {
  samvad::test::SampleSetup s;
  s.edit("departments.yaml", "\ndepartments:\n", "\napprovals: {required: [sheme, text]}\n\ndepartments:\n");
  auto r = s.run({"post", "water-supply-interruption", "-d", "water-supply", "--example", "--yes"});
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains("departments.yaml:") && Contains("'sheme' is not a kind of content") &&
                        Contains("did you mean 'scheme'") && Contains("scheme, reply, text, all"));
  auto check = s.run({"check"});
  CHECK(check.exit_code == 78);
  CHECK_THAT(check.err + check.out, Contains("'sheme' is not a kind of content"));

  samvad::test::SampleSetup shape;
  shape.edit("departments.yaml", "\ndepartments:\n", "\napprovals: [scheme]\n\ndepartments:\n");
  auto bad = shape.run({"check"});
  CHECK(bad.exit_code == 78);
  CHECK_THAT(bad.err + bad.out, Contains("approvals is not a mapping"));

  samvad::test::SampleSetup two;
  two.edit("departments.yaml", "\ndepartments:\n", "\napprovals: {required: all, two_person: maybe}\n\ndepartments:\n");
  auto not_bool = two.run({"check"});
  CHECK(not_bool.exit_code == 78);
  CHECK_THAT(not_bool.err + not_bool.out, Contains("two_person"));
}

namespace {

// Two entries due at the same minute: a daily tax reminder (service-notice, needs approval; its
// text names the day, so X takes each day's) and a scheme launch (scheme, does not).
const char* const kTwoEntries = R"(entries:
  - id: tax
    template: property-tax-reminder
    departments: [property-tax]
    channels: [twitter]
    vars: {deadline: 2027-03-31, discount_percent: 10, pay_link: "https://www.pcmcindia.gov.in/propertytax/pay"}
    cron: "0 18 * * *"
    start: 2026-12-01
  - id: scheme
    template: scheme-launch
    departments: [health]
    channels: [twitter]
    vars: {scheme_name: {mr: "आरोग्य योजना", en: "Health scheme"}, eligibility: {mr: "सर्व नागरिक", en: "all citizens"},
           documents: {mr: "आधार कार्ड", en: "Aadhaar card"}, deadline: 2026-12-31,
           apply_link: "https://www.pcmcindia.gov.in/apply", helpline: "8888006666"}
    at: [2026-12-05T18:00]
)";

}  // namespace

TEST_CASE("run-due posts a scheduled entry that needs approval only with the content that was approved",
          "[e2e][approvals][schedule]") {
  Approvals a("approvals: {required: [service-notice], two_person: true}\n");
  a.x.sample.write("schedule.yaml", kTwoEntries);

  // A dry run says beforehand which occurrence would be held, and exits as the run would (75).
  auto preview = a.run("cron", {"run-due", "--now", "2026-12-05T18:01", "--dry-run", "--json"});
  INFO(preview.out << preview.err);
  CHECK(preview.exit_code == 75);
  // Earlier days' occurrences of the daily entry are passed over (superseded): no approval asked.
  const json planned = parse(preview);
  std::map<std::string, std::string> approval_of;
  for (const auto& o : planned.at("occurrences"))
    if (o.at("action") == "post") approval_of[o.at("entry").get<std::string>()] = o.at("approval").get<std::string>();
  CHECK(approval_of == std::map<std::string, std::string>{{"tax", "held"}, {"scheme", "not-needed"}});
  auto shown = a.run("cron", {"run-due", "--now", "2026-12-05T18:01", "--dry-run"});
  CHECK(shown.exit_code == 75);
  CHECK_THAT(shown.out, Contains("would be held for approval") && Contains("samvad approve --schedule tax"));
  CHECK_THAT(shown.out, !Contains("\n  \n"));  // no empty reason line after a planned occurrence
  CHECK(a.x.live_posts().empty());
  CHECK_FALSE(std::filesystem::exists(a.x.state()));  // a dry run records nothing

  // Never approved: the tax reminder is held (75, so cron mails it), the scheme still goes out.
  auto first = a.run("cron", {"run-due", "--now", "2026-12-05T18:01", "--yes"});
  INFO(first.out << first.err);
  CHECK(first.exit_code == 75);
  CHECK_THAT(first.err, Contains("tax@2026-12-05T18:00 awaits approval") && Contains("samvad approve --schedule tax"));
  CHECK(a.x.live_posts("property-tax").empty());
  CHECK_FALSE(a.x.live_posts("health").empty());
  auto pending = parse(a.run("asha", {"pending", "--json"}));
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].at("announcement") == "tax@2026-12-05T18:00");
  CHECK(pending[0].at("operator") == "cron");

  // Approving the entry's content lets the held occurrence go out on the next run.
  auto approve = a.run("asha", {"approve", "--schedule", "tax", "--yes", "--json"});
  INFO(approve.out << approve.err);
  REQUIRE(approve.exit_code == 0);
  CHECK(parse(approve).at("operator") == "asha");
  auto ready = a.run("cron", {"run-due", "--now", "2026-12-05T18:06", "--dry-run", "--json"});
  CHECK(ready.exit_code == 0);
  INFO(ready.out);
  const json ready_run = parse(ready);
  std::vector<std::string> ready_approvals;  // the held occurrence, to resume
  for (const auto& o : ready_run.at("occurrences"))
    if (o.at("announcement") == "tax@2026-12-05T18:00") ready_approvals.push_back(o.at("approval").get<std::string>());
  CHECK(ready_approvals == std::vector<std::string>{"content-approved"});
  auto second = a.run("cron", {"run-due", "--now", "2026-12-05T18:06", "--yes"});
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK(a.x.live_posts("property-tax").size() == 2);
  auto status = parse(a.run("asha", {"status", "tax@2026-12-05T18:00", "--json"}));
  CHECK(status.at("approval").at("decided_by") == "asha");

  // The next day's occurrence, content unchanged: posted without asking.
  CHECK(a.run("cron", {"run-due", "--now", "2026-12-06T18:01", "--yes"}).exit_code == 0);
  CHECK(a.x.live_posts("property-tax").size() == 4);

  // Its variables change: held again until approved again.
  a.x.sample.edit("schedule.yaml", "discount_percent: 10", "discount_percent: 12");
  auto changed = a.run("cron", {"run-due", "--now", "2026-12-07T18:01", "--yes"});
  CHECK(changed.exit_code == 75);
  CHECK_THAT(changed.err, Contains("tax@2026-12-07T18:00 awaits approval"));
  CHECK(a.x.live_posts("property-tax").size() == 4);
  auto schedule = a.run("cron", {"schedule", "--now", "2026-12-07T18:02", "--json"});
  CHECK_THAT(schedule.out, Contains("awaiting-approval"));

  // Approving that one occurrence by its id sends it (by another operator than cron).
  CHECK(a.run("asha", {"approve", "tax@2026-12-07T18:00", "--yes"}).exit_code == 0);
  CHECK(a.x.live_posts("property-tax").size() == 6);
  // A rejected occurrence is left alone by run-due.
  auto held = a.run("cron", {"run-due", "--now", "2026-12-08T18:01", "--yes"});
  CHECK(held.exit_code == 75);
  REQUIRE(a.run("asha", {"reject", "tax@2026-12-08T18:00", "--reason", "the cut was called off"}).exit_code == 0);
  auto after = a.run("cron", {"run-due", "--now", "2026-12-08T18:05", "--yes"});
  CHECK(after.exit_code == 0);
  CHECK(a.x.live_posts("property-tax").size() == 6);
}

TEST_CASE("a reply that needs approval is held, and once approved it answers the inbox item",
          "[e2e][approvals][inbox]") {
  Approvals a("approvals: {required: [reply], two_person: true}\n");
  const std::string id = a.x.standin.add_mention({{"author", {{"username", "rahul_k"}, {"name", "Rahul"}}},
                                                  {"text", "@PCMCWaterSupply निगडीत नळाला पाणी येत नाही"},
                                                  {"lang", "mr"},
                                                  {"created_at", "2026-01-01T10:00:00.000Z"}});
  REQUIRE(a.run("ravi", {"inbox", "sync"}).exit_code == 0);
  auto held = a.run("ravi", {"reply", id, "--text", "तक्रार नोंदवली आहे, धन्यवाद.", "--yes", "--json"});
  CHECK(held_id(held) == "reply-" + id);
  CHECK(parse(a.run("asha", {"pending", "--json"}))[0].at("kind") == "reply");
  CHECK(a.x.live_posts("water-supply").empty());

  auto approved = a.run("asha", {"approve", "reply-" + id, "--yes"});
  INFO(approved.out << approved.err);
  REQUIRE(approved.exit_code == 0);
  const auto posts = a.x.live_posts("water-supply");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].at("reply_to") == id);
  auto items = parse(a.run("asha", {"inbox", "--all", "--json"}));
  REQUIRE(items.size() == 1);
  CHECK(items[0].at("state") == "answered");
  auto status = parse(a.run("asha", {"status", "reply-" + id, "--json"}));
  CHECK(status.at("operator") == "ravi");
  CHECK(status.at("approval").at("decided_by") == "asha");
}
