// Secrets stay secret: every command, run with -v (and --json where it means something), on the
// happy path, through retries and lost answers, with the secrets written into credentials.yaml or
// given as ${VARIABLES}, and on the error paths most likely to quote what they read (a refused
// login, a refused signature, a malformed credentials.yaml), never prints a value from
// credentials.yaml; and the delivery store (database and write-ahead log) never records one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/base64.hpp"
#include "support/e2e_helpers.hpp"
#include "support/x_setup.hpp"

using nlohmann::json;
using samvad::test::base64_encode;
using samvad::test::ProcessOptions;
using samvad::test::ProcessResult;
using samvad::test::XSetup;

namespace {

// What must never be seen: every secret of credentials.yaml, plus the forms the SMTP login takes
// on the wire (AUTH PLAIN's and AUTH LOGIN's base64), should a verbose log of the conversation
// slip through.
std::vector<std::string> forbidden(const XSetup& x, std::vector<std::string> more = {}) {
  std::vector<std::string> out = x.secrets();
  const std::string user = XSetup::kSmtpUser, password = XSetup::kSmtpPassword;
  out.push_back(base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + password));
  out.push_back(base64_encode(user + std::string(1, '\0') + user + std::string(1, '\0') + password));
  out.push_back(base64_encode(password));
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

// Runs samvad with -v (and the given arguments), checks its exit code and that neither stdout nor
// stderr holds a secret.
struct LeakCheck {
  const XSetup& x;
  std::vector<std::string> secrets;
  std::map<std::string, std::string> env = {};  // for every command, e.g. the values of ${VARIABLES}

  ProcessResult run(std::vector<std::string> args, int expected_exit, ProcessOptions options = {}) {
    args.insert(args.begin(), "-v");
    options.env.insert(env.begin(), env.end());
    std::string line;
    for (const auto& a : args) line += " " + a;
    auto r = x.run(args, std::move(options));
    check("samvad" + line, r, expected_exit);
    return r;
  }

  void check(const std::string& command, const ProcessResult& r, int expected_exit) {
    INFO(command << "\nexit " << r.exit_code << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == expected_exit);
    CHECK_FALSE((r.out.empty() && r.err.empty()));  // it said something, so the check means something
    for (const auto& secret : secrets) {
      INFO("secret: " << secret);
      CHECK(r.out.find(secret) == std::string::npos);
      CHECK(r.err.find(secret) == std::string::npos);
    }
  }

  // The command twice: as text and as --json.
  void both(const std::vector<std::string>& args, int expected_exit) {
    run(args, expected_exit);
    std::vector<std::string> json_args{"--json"};
    json_args.insert(json_args.end(), args.begin(), args.end());
    run(json_args, expected_exit);
  }

  // The store's bytes on disk, its write-ahead log included, hold no secret either. The log is
  // folded into the database when the last connection closes, so `with_wal` is for a store that
  // a running samvad has open.
  void state_is_clean(bool with_wal = false) const {
    const auto state = x.state();
    REQUIRE(std::filesystem::exists(state));
    if (with_wal) REQUIRE(std::filesystem::exists(state.string() + "-wal"));
    for (const std::string suffix : {"", "-wal", "-shm", "-journal"}) {
      const std::filesystem::path file = state.string() + suffix;
      if (!std::filesystem::exists(file)) continue;
      const std::string bytes = samvad::test::read_file(file);
      INFO(file.string() << " (" << bytes.size() << " bytes)");
      for (const auto& secret : secrets) {
        INFO("secret: " << secret);
        CHECK(bytes.find(secret) == std::string::npos);
      }
    }
  }
};

std::string vars_file(const XSetup& x) { return (x.sample.dir() / "vars" / "water-cut-nigdi.yaml").string(); }

}  // namespace

TEST_CASE("no secret from credentials.yaml appears in any command's output or in the state database", "[e2e][leak]") {
  SECTION("every command on the happy path, with retries, a lost answer and a retraction") {
    XSetup x;
    x.with_email();
    x.sample.write("schedule.yaml", samvad::test::read_file(samvad::test::source_dir() / "schedule.yaml"));
    LeakCheck leak{x, forbidden(x)};

    leak.both({"check"}, 0);
    leak.run({"check", "--strict"}, 65);  // the sample's invalid subscriber line
    leak.both({"departments"}, 0);
    leak.both({"templates"}, 0);
    leak.both({"preview", "water-supply-interruption", "-d", "water-supply", "--vars", vars_file(x)}, 0);
    leak.both({"preview", "scheme-launch", "--all", "--example"}, 0);
    leak.both({"count", "पाणीपुरवठा खंडित https://www.pcmcindia.gov.in #PCMC"}, 0);
    leak.both({"post", "health-camp", "--all", "--example", "--dry-run"}, 0);

    // Both channels, with something to retry on each: a 503 from X and a 451 from the mail server.
    x.standin.add_faults(json{{"path", "/2/tweets"}, {"status", 503}, {"times", 2}});
    x.smtp.add_faults(json::array({{{"on", "data"}, {"reply", "451 4.3.0 Try again later"}, {"times", 1}},
                                   {{"on", "mail"}, {"reply", "421 4.3.2 Service not available"}, {"times", 1}}}));
    auto posted = leak.run({"--json", "post", "water-supply-interruption", "-d", "water-supply", "-d", "roads",
                            "--vars", vars_file(x), "--yes"},
                           0);
    const std::string announcement = json::parse(posted.out).at("announcement");
    CHECK(x.smtp.messages().size() >= 3);  // the refused one, then both lists
    // An answer lost after X made the post: deferred, then found on the rerun; a rate limit
    // waited out; a recipient put off and retried.
    x.standin.add_faults(json::array({{{"path", "/2/tweets"}, {"action", "drop_after_create"}},
                                      {{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 1}}}));
    x.smtp.add_faults(
        json{{"on", "rcpt"}, {"address", "ward-office-a@example.org"}, {"reply", "450 4.2.1 Busy"}, {"times", 1}});
    leak.run({"post", "health-camp", "-d", "health", "-d", "water-supply", "--example", "--yes"}, 75);
    leak.run({"--json", "post", "health-camp", "-d", "health", "-d", "water-supply", "--example", "--yes"}, 0);
    leak.both({"post", "health-camp", "-d", "health", "-d", "water-supply", "--example", "--yes"}, 0);  // nothing left

    // The write-ahead log, read while a run that has recorded its plan waits for X.
    x.standin.add_faults(json{{"path", "/2/tweets"}, {"latency_ms", 1500}});
    auto running = x.start({"-v", "post", "road-closure", "-d", "roads", "--example", "--yes"});
    REQUIRE(samvad::test::eventually([&] { return x.standin.get("/_standin/faults").empty(); }));
    leak.state_is_clean(true);
    leak.check("samvad -v post road-closure -d roads --example --yes (in the background)", running->wait(), 0);

    leak.both({"status"}, 0);
    leak.both({"status", announcement}, 0);
    leak.both({"history"}, 0);
    leak.both({"history", "-d", "water-supply", "--since", "2020-01-01"}, 0);
    leak.run({"retract", announcement, "--yes"}, 0);
    leak.run({"--json", "retract", announcement, "--yes"}, 0);  // already gone counts as retracted

    leak.both({"schedule", "--now", "2026-12-02T17:00", "--days", "8"}, 0);
    leak.run({"--json", "run-due", "--now", "2026-12-02T18:03", "--yes"}, 0);
    leak.run({"run-due", "--now", "2026-12-02T18:08", "--yes"}, 0);  // nothing due
    leak.both({"schedule", "--now", "2026-12-02T18:10"}, 0);

    // The PIN flow handles tokens most directly of all: it must not print the one it saves.
    ProcessOptions pin;
    pin.stdin_text = "7654321\n";
    leak.run({"authorize", "water-supply"}, 0, pin);

    leak.state_is_clean();
  }

  SECTION("a wrong SMTP password: the server refuses the login") {
    XSetup x;
    auto options = XSetup::default_smtp_options();
    options.password = "the-servers-own-pw-Hy6";
    x.with_email(options);
    LeakCheck leak{x, forbidden(x)};
    auto r = leak.run({"post", "water-supply-interruption", "-d", "town-planning", "-d", "roads", "--channels", "email",
                       "--vars", vars_file(x), "--yes"},
                      69);
    CHECK(r.err.find("refused the login") != std::string::npos);
    leak.run({"--json", "post", "water-supply-interruption", "-d", "town-planning", "-d", "roads", "--channels",
              "email", "--vars", vars_file(x), "--yes"},
             69);
    leak.both({"status"}, 0);
    leak.state_is_clean();
  }

  SECTION("X refuses the signature (401) of a department whose token secret is wrong") {
    XSetup x;
    x.with_email();
    auto earlier =
        x.run({"--json", "post", "health-camp", "-d", "health", "--channels", "twitter", "--example", "--yes"});
    REQUIRE(earlier.exit_code == 0);
    const std::string earlier_id = json::parse(earlier.out).at("announcement");
    x.sample.edit("credentials.yaml", "1002-sec-Wm8", "wrong-token-secret-Tf4");  // health's
    LeakCheck leak{x, forbidden(x, {"wrong-token-secret-Tf4"})};
    auto r = leak.run({"--json", "post", "water-supply-interruption", "-d", "health", "-d", "water-supply", "--vars",
                       vars_file(x), "--yes"},
                      69);
    CHECK(r.out.find("401") != std::string::npos);
    leak.run(
        {"post", "water-supply-interruption", "-d", "health", "-d", "water-supply", "--vars", vars_file(x), "--yes"},
        69);
    leak.both({"status"}, 0);
    leak.both({"history"}, 0);
    // Deleting the earlier posts is refused the same way.
    leak.run({"retract", earlier_id, "--yes"}, 69);
    leak.run({"--json", "retract", earlier_id, "--yes"}, 69);
    CHECK(x.live_posts("health").size() == 2);
    leak.state_is_clean();
  }

  SECTION("secrets given as ${VARIABLES} from the environment, as credentials.yaml.example has them") {
    XSetup x;
    x.with_email();
    std::map<std::string, std::string> env{{"SAMVAD_X_CONSUMER_KEY", "ck-samvad-e2e"},
                                           {"SAMVAD_X_CONSUMER_SECRET", "cs-samvad-e2e-Qx7"},
                                           {"SAMVAD_SMTP_USER", XSetup::kSmtpUser},
                                           {"SAMVAD_SMTP_PASSWORD", XSetup::kSmtpPassword},
                                           {"SAMVAD_SMTP_PROPERTY_TAX_USER", XSetup::kSmtpUser},
                                           {"SAMVAD_SMTP_PROPERTY_TAX_PASSWORD", XSetup::kSmtpPassword}};
    for (const auto& a : x.accounts) {
      std::string name = "SAMVAD_X_" + a.department;
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char ch) { return ch == '-' ? '_' : std::toupper(ch); });
      env[name + "_TOKEN"] = a.user_id + "-tok-Zr4";
      env[name + "_SECRET"] = a.user_id + "-sec-Wm8";
    }
    x.sample.write("credentials.yaml", samvad::test::read_file(samvad::test::source_dir() / "credentials.yaml.example"),
                   0600);
    LeakCheck leak{x, forbidden(x), env};
    leak.both({"check"}, 0);
    leak.run({"--json", "post", "water-supply-interruption", "-d", "water-supply", "-d", "property-tax", "--vars",
              vars_file(x), "--yes"},
             0);
    leak.both({"status"}, 0);
    // One variable missing: the error names it, and shows none of the values around it.
    leak.env.erase("SAMVAD_X_HEALTH_SECRET");
    auto r = leak.run({"check"}, 78);
    CHECK(r.err.find("SAMVAD_X_HEALTH_SECRET") != std::string::npos);
    leak.run({"post", "health-camp", "-d", "health", "--example", "--yes"}, 78);
    leak.state_is_clean();
  }

  SECTION("a malformed credentials.yaml is reported without quoting the values around the problem") {
    XSetup x;
    x.with_email();
    const std::string good = samvad::test::read_file(x.sample.credentials());
    LeakCheck leak{x, forbidden(x)};
    auto with = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      const auto pos = text.find(from);
      REQUIRE(pos != std::string::npos);
      text.replace(pos, from.size(), to);
      x.sample.write("credentials.yaml", text, 0600);
    };
    // A misspelt key next to a secret.
    with("access_token_secret: 1001-sec-Wm8", "access_token_sceret: 1001-sec-Wm8");
    leak.both({"check"}, 78);
    leak.run({"post", "water-supply-interruption", "-d", "water-supply", "--vars", vars_file(x), "--yes"}, 78);
    // A secret where a string belongs is a list.
    with("access_token: 1002-tok-Zr4", "access_token: [1002-tok-Zr4, 1002-sec-Wm8]");
    leak.both({"check"}, 78);
    // A YAML syntax error on a secret's line.
    with("access_token_secret: 1003-sec-Wm8}", "access_token_secret: \"1003-sec-Wm8}");
    leak.both({"check"}, 78);
    leak.run({"--json", "post", "water-supply-interruption", "-d", "water-supply", "--vars", vars_file(x), "--yes"},
             78);
    // A duplicate key holding two secrets.
    with("access_token: 1004-tok-Zr4,", "access_token: 1004-tok-Zr4, access_token: 1004-sec-Wm8,");
    leak.both({"check"}, 78);
    // A missing colon makes a key out of a secret: the key is not quoted either.
    with("access_token_secret: 1005-sec-Wm8", "access_token_secret 1005-sec-Wm8");
    leak.both({"check"}, 78);
    leak.run({"post", "water-supply-interruption", "-d", "fire-brigade", "--vars", vars_file(x), "--yes"}, 78);
    // A secret pasted where a department id belongs.
    with("departments:\n", "departments:\n  1006-sec-Wm8: {twitter: {access_token: 1006-tok-Zr4}}\n");
    leak.both({"check"}, 78);
    // Readable by others: refused before anything is read out of it.
    x.sample.write("credentials.yaml", good, 0644);
    leak.both({"check"}, 77);
    leak.run({"post", "water-supply-interruption", "-d", "water-supply", "--vars", vars_file(x), "--yes"}, 77);
    CHECK_FALSE(std::filesystem::exists(x.state()));  // nothing was recorded: nothing to leak there
  }
}
