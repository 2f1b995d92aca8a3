// Reruns that must never send (or claim) something other than what the user was shown: the same
// announcement id with changed content, failed deliveries sent again on request, the store the
// whole server shares, and schedule / check / run-due agreeing on what is due. Driven through
// the real binary against the X API and SMTP stand-ins.
#include <catch2/catch.hpp>

#include <regex>

#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::XSetup;

namespace {

constexpr auto& parse = samvad::test::parse_json;

std::vector<std::string> notice(const std::string& areas, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post",   "--channels", "twitter",          "water-supply-interruption", "-d",
                                "water-supply", "--example", "--var", "areas=" + areas, "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> texts(const std::vector<json>& posts) {
  std::vector<std::string> out;
  for (const auto& p : posts) out.push_back(p.at("text").get<std::string>());
  return out;
}

// A one-off water cut notice at 18:00 on 2 December, to X only.
constexpr const char* kCutEntry = R"(  - id: cut
    template: water-supply-interruption
    departments: [water-supply]
    channels: [twitter]
    vars: {areas: Nigdi, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T18:00]
)";

bool any_contains(const std::vector<json>& posts, const std::string& needle) {
  for (const auto& t : texts(posts))
    if (t.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the same --id with other content is refused, names the delivery and sends nothing", "[e2e][trust]") {
  XSetup x;
  auto first = x.run(notice("Nigdi", {"--id", "cut-1"}));
  REQUIRE(first.exit_code == 0);
  REQUIRE(x.live_posts("water-supply").size() == 2);

  for (const char* extra : {"", "--dry-run"}) {
    std::vector<std::string> args = notice("Akurdi", {"--id", "cut-1"});
    if (*extra) args.push_back(extra);
    auto again = x.run(args);
    INFO(extra);
    CHECK(again.exit_code == 65);
    CHECK_THAT(again.err, Contains("water-supply twitter mr") && Contains("water-supply twitter en"));
    CHECK_THAT(again.err, Contains("part 1 of 1: recorded") && Contains("Nigdi") && Contains("Akurdi"));
    CHECK_THAT(again.err, Contains("--id cut-1-2") && Contains("samvad retract cut-1"));
  }
  auto posts = x.live_posts("water-supply");
  CHECK(posts.size() == 2);
  CHECK_FALSE(any_contains(posts, "Akurdi"));
  // The record still says what was really posted.
  auto status = parse(x.run({"--json", "status", "cut-1"}));
  CHECK(status.at("status") == "delivered");
}

TEST_CASE("a derived id after the template changed is refused, the unchanged command is a no-op", "[e2e][trust]") {
  XSetup x;
  REQUIRE(x.run(notice("Nigdi")).exit_code == 0);
  // Rerunning the same command sends nothing and says so.
  auto same = x.run(notice("Nigdi", {"--dry-run", "--json"}));
  REQUIRE(same.exit_code == 0);
  const json same_plan = parse(same);
  for (const auto& d : same_plan.at("deliveries")) CHECK(d.at("action") == "done");
  REQUIRE(x.run(notice("Nigdi")).exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);

  x.sample.edit("templates/water-supply-interruption.yaml", "Citizens are requested to store water",
                "Citizens are kindly requested to store water");
  // The preview shows the new text, and says post would refuse it.
  auto preview = x.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "areas=Nigdi"});
  CHECK(preview.exit_code == 0);
  CHECK_THAT(preview.out, Contains("kindly"));
  CHECK_THAT(preview.err, Contains("is recorded with other content for water-supply twitter en") &&
                              Contains("post would refuse it"));
  auto changed = x.run(notice("Nigdi"));
  CHECK(changed.exit_code == 65);
  CHECK_THAT(changed.err, Contains("water-supply twitter en") && Contains("kindly"));
  CHECK_FALSE(any_contains(x.live_posts("water-supply"), "kindly"));
}

TEST_CASE("after retract, the same id takes the new content and posts it", "[e2e][trust]") {
  XSetup x;
  REQUIRE(x.run(notice("Nigdi", {"--id", "cut-2"})).exit_code == 0);
  auto retracted = x.run({"retract", "cut-2", "--yes"});
  REQUIRE(retracted.exit_code == 0);
  REQUIRE(x.live_posts("water-supply").empty());

  auto plan = x.run(notice("Akurdi", {"--id", "cut-2", "--dry-run", "--json"}));
  REQUIRE(plan.exit_code == 0);
  const json replacing = parse(plan);
  for (const auto& d : replacing.at("deliveries")) CHECK(d.at("action") == "replace");
  auto again = x.run(notice("Akurdi", {"--id", "cut-2", "--json"}));
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(parse(again).at("status") == "delivered");
  auto posts = x.live_posts("water-supply");
  CHECK(posts.size() == 2);
  CHECK(any_contains(posts, "Akurdi"));
  CHECK_FALSE(any_contains(posts, "Nigdi"));
}

TEST_CASE("a retracted announcement is not posted again by rerunning the same command", "[e2e][trust]") {
  XSetup x;
  REQUIRE(x.run(notice("Nigdi", {"--id", "cut-3"})).exit_code == 0);
  REQUIRE(x.run({"retract", "cut-3", "--yes"}).exit_code == 0);
  auto rerun = x.run(notice("Nigdi", {"--id", "cut-3", "--json"}));
  CHECK(rerun.exit_code == 0);
  CHECK(parse(rerun).at("status") == "retracted");
  CHECK(x.live_posts("water-supply").empty());
}

TEST_CASE("a failed delivery is sent again with --retry-failed, delivered ones untouched", "[e2e][trust]") {
  XSetup x;
  // The mr post goes through; X then refuses the en post with 401 (a revoked token, say).
  x.standin.add_faults(json::array({json{{"path", "/2/tweets"}, {"latency_ms", 0}, {"times", 1}},
                                    json{{"path", "/2/tweets"}, {"status", 401}, {"detail", "Unauthorized"}, {"times", 1}}}));
  auto first = x.run(notice("Nigdi", {"--id", "cut-4"}));
  CHECK(first.exit_code == 69);
  CHECK_THAT(first.err, Contains("samvad authorize water-supply"));
  REQUIRE(x.live_posts("water-supply").size() == 1);
  const std::string mr_id = x.live_posts("water-supply").at(0).at("id");

  // Without --retry-failed a rerun does not send it, and says how to.
  auto rerun = x.run(notice("Nigdi", {"--id", "cut-4"}));
  CHECK(rerun.exit_code == 69);
  CHECK_THAT(rerun.err, Contains("--retry-failed"));
  CHECK(x.live_posts("water-supply").size() == 1);

  auto retried = x.run(notice("Nigdi", {"--id", "cut-4", "--retry-failed", "--json"}));
  INFO(retried.err);
  REQUIRE(retried.exit_code == 0);
  auto j = parse(retried);
  CHECK(j.at("status") == "delivered");
  auto posts = x.live_posts("water-supply");
  REQUIRE(posts.size() == 2);
  CHECK(posts.at(0).at("id") == mr_id);  // the mr post was not touched
  std::size_t creates = 0;
  for (const auto& r : x.standin.requests())
    if (r.at("method") == "POST" && r.at("path") == "/2/tweets" && r.at("status") == 201) ++creates;
  CHECK(creates == 2);
}

TEST_CASE("run-due --retry-failed sends a failed scheduled occurrence again", "[e2e][trust][schedule]") {
  XSetup x;
  x.sample.write("schedule.yaml", std::string("entries:\n") + kCutEntry);
  // Both languages are refused once (a suspended app, say), then X takes posts again.
  x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 403}, {"detail", "Forbidden for now"}, {"times", 2}});
  auto first = x.run({"run-due", "--now", "2026-12-02T18:01", "--yes"});
  CHECK(first.exit_code == 69);
  CHECK(x.live_posts("water-supply").empty());
  auto again = x.run({"run-due", "--now", "2026-12-02T18:06", "--yes"});
  CHECK(again.exit_code == 0);  // a failed occurrence is not resumed by itself
  CHECK(x.live_posts("water-supply").empty());
  auto retried = x.run({"run-due", "--now", "2026-12-02T18:10", "--yes", "--retry-failed"});
  INFO(retried.err);
  CHECK(retried.exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);
}

TEST_CASE("departments.yaml state: is the store unless --state or $SAMVAD_STATE say otherwise, check warns",
          "[e2e][trust]") {
  XSetup x;
  // The sample names the service user's store; here a folder beside the configuration.
  x.sample.edit("departments.yaml", "state: state/state.db", "state: shared/ledger.db");
  auto run = [&](std::vector<std::string> args, samvad::test::ProcessOptions options = {}) {
    for (const auto& [k, v] : x.sample.env()) options.env.emplace(k, v);
    options.env.emplace("SAMVAD_BACKOFF_MS", "1");
    args.insert(args.begin(), {"-c", x.sample.config().string()});
    return samvad::test::run_samvad(args, options);
  };
  auto posted = run(notice("Nigdi"));
  INFO(posted.err);
  REQUIRE(posted.exit_code == 0);
  const auto ledger = x.sample.dir() / "shared" / "ledger.db";
  CHECK(std::filesystem::exists(ledger));
  // A second operator using the same configuration sees it and posts nothing twice.
  CHECK(run(notice("Nigdi")).exit_code == 0);
  CHECK(x.live_posts("water-supply").size() == 2);
  auto history = run({"--json", "history"});
  CHECK(parse(history).size() == 1);

  auto checked = run({"check"});
  CHECK_THAT(checked.out, Contains("delivery store: " + ledger.string()));
  CHECK_THAT(checked.err, !Contains("is not the one"));
  samvad::test::ProcessOptions other;
  other.env["SAMVAD_STATE"] = (x.sample.dir() / "mine.db").string();
  auto elsewhere = run({"check", "--strict"}, other);
  CHECK(elsewhere.exit_code == 78);
  CHECK_THAT(elsewhere.err, Contains("is not the one") && Contains("ledger.db") && Contains("$SAMVAD_STATE"));
  auto flag = run({"--state", (x.sample.dir() / "mine.db").string(), "history"});
  CHECK_THAT(flag.out, Contains("nothing has been posted yet"));
}

TEST_CASE("schedule, check and run-due agree on an occurrence inside the catch-up window", "[e2e][trust][schedule]") {
  XSetup x;
  x.sample.write("schedule.yaml", std::string("entries:\n") + kCutEntry + R"(  - id: long-gone
    template: water-supply-interruption
    departments: [water-supply]
    channels: [twitter]
    vars: {areas: Akurdi, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T12:00]
)");
  const std::string now = "2026-12-02T19:30";  // 90 minutes after 18:00, 7.5 hours after 12:00
  auto listed = parse(x.run({"--json", "schedule", "--now", now}));
  std::map<std::string, std::string> status;
  for (const auto& o : listed) status[o.at("entry")] = o.at("status");
  CHECK(status["cut"] == "due");
  CHECK(status["long-gone"] == "missed");

  auto checked = x.run({"check", "--now", now});
  CHECK_THAT(checked.err, !Contains("2026-12-02T18:00 has passed"));
  CHECK_THAT(checked.err, Contains("2026-12-02T12:00 has passed and was never posted"));

  auto dry = x.run({"run-due", "--now", now, "--dry-run"});
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Contains("post cut@2026-12-02T18:00") && Contains("Nigdi") && Contains("#WaterSupply"));
  CHECK(x.live_posts().empty());
  auto dry_json = parse(x.run({"--json", "run-due", "--now", now, "--dry-run"}));
  CHECK(dry_json.at("dry_run") == true);
  bool planned = false;
  for (const auto& o : dry_json.at("occurrences"))
    if (o.at("entry") == "cut") planned = o.at("plan").at("deliveries").size() == 2;
  CHECK(planned);
  // Nothing was recorded by the dry run: the real run posts it.
  CHECK(x.run({"run-due", "--now", now, "--yes"}).exit_code == 0);
  CHECK(any_contains(x.live_posts("water-supply"), "Nigdi"));
  CHECK_FALSE(any_contains(x.live_posts("water-supply"), "Akurdi"));
}

TEST_CASE("the confirmation at 80x24 shows a summary of accounts, lists and texts above the prompt", "[e2e][trust]") {
  XSetup x;
  x.with_email();
  const std::vector<std::string> args{"post", "water-supply-interruption", "-d", "water-supply", "-d", "health", "--example"};
  auto declined = x.run_in_terminal(args, 24, 80, {{"[y/N]", "n\r"}});
  INFO(declined.transcript);
  CHECK(declined.exit_code == 0);
  CHECK(x.live_posts().empty());
  CHECK(x.smtp.messages().empty());
  // What is on the screen when the question is asked (long lines wrapped at 80 columns): the
  // summary right above the prompt, each of its lines whole.
  REQUIRE(declined.screen.size() <= 24);
  std::string screen;
  for (const auto& l : declined.screen) screen += l + "\n";
  CHECK_THAT(screen, Contains("Post announcement water-supply-interruption-"));
  CHECK_THAT(screen, Contains("water-supply  X @PCMCWaterSupply: mr 1 post, en 1 post"));
  CHECK_THAT(screen, Contains("email water-supply@lists.example.org:") && Contains("recipients"));
  CHECK_THAT(screen, Contains("health") && Contains("X @PCMCHealth: mr 1 post, en 1 post"));
  CHECK_THAT(screen, Contains("email (subscribers only):"));
  // Texts too long for the screen are left to --full and preview, and say so.
  CHECK_THAT(declined.transcript, Contains("--full shows them"));

  auto full = x.run_in_terminal({"post", "water-supply-interruption", "-d", "water-supply", "--example", "--full"}, 24, 80,
                                {{"[y/N]", "y\r"}});
  INFO(full.transcript);
  CHECK(full.exit_code == 0);
  CHECK_THAT(full.transcript, Contains("पाणीपुरवठा बंद राहील") && Contains("Subject:"));
  // The result lines name the account and give each post's address.
  CHECK_THAT(full.transcript, Contains("water-supply twitter mr @PCMCWaterSupply: delivered https://x.com/PCMCWaterSupply/status/"));
  CHECK_THAT(full.transcript, Contains("water-supply email water-supply@lists.example.org: delivered"));
  CHECK(x.live_posts("water-supply").size() == 2);
}

TEST_CASE("post --json and status name the account and each post's URL", "[e2e][trust]") {
  XSetup x;
  auto posted = parse(x.run(notice("Nigdi", {"--json", "--id", "cut-5"})));
  for (const auto& d : posted.at("deliveries")) {
    CHECK(d.at("account") == "@PCMCWaterSupply");
    REQUIRE(d.at("urls").size() == 1);
    CHECK(d.at("urls")[0] == "https://x.com/PCMCWaterSupply/status/" + d.at("tweet_ids")[0].get<std::string>());
  }
  auto status = x.run({"status", "cut-5"});
  CHECK_THAT(status.out, Contains("ACCOUNT") && Contains("@PCMCWaterSupply") && Contains("https://x.com/PCMCWaterSupply/status/"));
}

TEST_CASE("authorize refuses a token of another account unless --force, check --online finds one", "[e2e][trust]") {
  XSetup x;
  // The stand-in's PIN flow signs in as @PCMCWaterSupply, whoever asks.
  samvad::test::ProcessOptions pin;
  pin.stdin_text = "7654321\n";
  const std::string before = samvad::test::read_file(x.sample.credentials());
  auto refused = x.run({"authorize", "health"}, pin);
  CHECK(refused.exit_code == 65);
  CHECK_THAT(refused.err, Contains("belongs to @PCMCWaterSupply") && Contains("@PCMCHealth") && Contains("nothing was saved"));
  CHECK(samvad::test::read_file(x.sample.credentials()) == before);

  auto online = x.run({"check", "--online"});
  CHECK(online.exit_code == 0);
  CHECK_THAT(online.out, Contains("health: the token is @PCMCHealth's (checked with X)"));

  auto forced = x.run({"authorize", "health", "--force"}, pin);
  CHECK(forced.exit_code == 0);
  CHECK(samvad::test::read_file(x.sample.credentials()) != before);
  auto found = x.run({"check", "--online", "--json"});
  CHECK(found.exit_code == 78);
  bool named = false;
  const json found_json = parse(found);
  for (const auto& p : found_json.at("problems"))
    named = named || p.at("message").get<std::string>().find("departments.health") != std::string::npos &&
                         p.at("message").get<std::string>().find("belongs to @PCMCWaterSupply") != std::string::npos;
  CHECK(named);
  // No secret in what check printed.
  for (const auto& secret : x.secrets()) CHECK(found.out.find(secret) == std::string::npos);
}

namespace {

// 2026-12-05T00:56:00+05:30
bool iso8601_with_offset(const json& j) {
  static const std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)");
  return j.is_string() && std::regex_match(j.get<std::string>(), shape);
}

bool null_or_string(const json& j) { return j.is_null() || j.is_string(); }

// Every delivery object has one shape, whichever command printed it.
void check_delivery_shape(const json& d) {
  INFO(d.dump());
  CHECK(d.at("parts").is_array());
  CHECK(null_or_string(d.at("error")));
  CHECK(null_or_string(d.at("account")));
  CHECK(d.at("languages").is_array());
  if (d.at("channel") == "email") {
    CHECK(d.at("language").is_null());
    CHECK(d.at("languages") == json::array({"mr", "en"}));
    for (const auto& p : d.at("parts")) CHECK(p.at("recipients").is_number());
  } else {
    CHECK(d.at("language").is_string());
    CHECK(d.at("languages") == json::array({d.at("language")}));
    for (const auto& p : d.at("parts")) {
      CHECK(p.at("text").is_string());
      CHECK(p.at("weighted_length").is_number());
      CHECK(null_or_string(p.at("tweet_id")));
    }
  }
}

}  // namespace

TEST_CASE("one JSON vocabulary: times with offsets, deliveries and parts arrays, error null or text", "[e2e][trust]") {
  XSetup x;
  x.with_email();
  x.sample.write("schedule.yaml", R"(entries:
  - id: cut
    template: water-supply-interruption
    departments: [water-supply]
    vars: {areas: Nigdi, date: 2026-12-03, from: "09:00", to: "17:00"}
    at: [2026-12-02T18:00, 2026-12-09T18:00]
)");
  const std::vector<std::string> post{"post", "water-supply-interruption", "-d", "water-supply", "--example", "--yes"};
  auto dry = parse(x.run({"--json", "post", "water-supply-interruption", "-d", "water-supply", "--example", "--dry-run"}));
  REQUIRE(dry.at("deliveries").size() == 3);
  for (const auto& d : dry.at("deliveries")) check_delivery_shape(d);
  auto posted_run = x.run([&] { auto a = post; a.insert(a.begin(), "--json"); return a; }());
  INFO(posted_run.err);
  auto posted = parse(posted_run);
  REQUIRE(posted.at("deliveries").size() == 3);
  for (const auto& d : posted.at("deliveries")) check_delivery_shape(d);
  auto status = parse(x.run({"--json", "status"}));
  for (const auto& d : status.at("deliveries")) check_delivery_shape(d);

  auto history = parse(x.run({"--json", "history"}));
  REQUIRE(history.size() == 1);
  CHECK(iso8601_with_offset(history[0].at("time")));
  CHECK_THAT(history[0].at("time").get<std::string>(), Catch::EndsWith("+05:30"));
  REQUIRE(history[0].at("deliveries").is_array());
  CHECK(history[0].at("deliveries").size() == 3);
  CHECK(history[0].at("delivery_count") == 3);
  for (const auto& d : history[0].at("deliveries")) CHECK(d.at("languages").is_array());

  auto schedule = parse(x.run({"--json", "schedule", "--now", "2026-12-02T19:00"}));
  REQUIRE_FALSE(schedule.empty());
  for (const auto& o : schedule) {
    CHECK(iso8601_with_offset(o.at("time")));
    CHECK(null_or_string(o.at("detail")));
  }
  CHECK(schedule[0].at("time") == "2026-12-02T18:00:00+05:30");

  auto due = parse(x.run({"--json", "run-due", "--now", "2026-12-02T18:01", "--yes"}));
  CHECK(iso8601_with_offset(due.at("now")));
  REQUIRE(due.at("occurrences").size() == 1);
  const auto& occurrence = due.at("occurrences")[0];
  CHECK(occurrence.at("occurrence") == "2026-12-02T18:00:00+05:30");
  CHECK(occurrence.at("error").is_null());
  for (const auto& d : occurrence.at("report").at("deliveries")) check_delivery_shape(d);

  auto failed = x.run({"--json", "status", "no-such-announcement"});
  CHECK(failed.exit_code == 66);
  auto error = parse(failed);
  CHECK(error.at("error").is_string());
  CHECK(error.at("exit_code") == 66);
  CHECK(error.at("problems").size() == 1);
}

TEST_CASE("post confirms the token's account before posting and posts nothing as someone else", "[e2e][trust]") {
  XSetup x;
  // health's token replaced by water-supply's (copied into the wrong department, say).
  x.sample.edit("credentials.yaml", "access_token: 1002-tok-Zr4, access_token_secret: 1002-sec-Wm8",
                "access_token: 1001-tok-Zr4, access_token_secret: 1001-sec-Wm8");
  auto r = x.run({"post", "--channels", "twitter", "scheme-launch", "-d", "health", "--example", "--yes", "--json"});
  CHECK(r.exit_code == 69);
  CHECK(x.live_posts().empty());
  const json report = parse(r);
  for (const auto& d : report.at("deliveries")) {
    CHECK(d.at("status") == "failed");
    CHECK_THAT(d.at("error").get<std::string>(),
               Contains("belongs to @PCMCWaterSupply, not @PCMCHealth") && Contains("samvad authorize health"));
  }
}
