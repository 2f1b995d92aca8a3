// Drives the real samvad binary on a copy of the sample configuration, as a clerk or a
// script would, and pins the output, the error messages and the exit codes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <samvad/core/version.hpp>
#include <samvad/text/tweet_length.hpp>

#include "support/process.hpp"
#include "support/sample_setup.hpp"

using samvad::test::ProcessOptions;
using samvad::test::run_samvad;
using samvad::test::SampleSetup;
using Catch::Contains;

TEST_CASE("the --version and --help options work on every command", "[e2e]") {
  auto v = run_samvad({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out == std::string("samvad ") + samvad::version + "\n");
  for (const char* command : {"check", "departments", "templates", "preview", "count"}) {
    INFO(command);
    auto h = run_samvad({command, "--help"});
    CHECK(h.exit_code == 0);
    CHECK_THAT(h.out, Contains("--json"));  // global options are listed with the command's own
  }
  auto top = run_samvad({"--help"});
  CHECK_THAT(top.out, Contains("preview") && Contains("Exit codes"));
}

TEST_CASE("a bad command line exits 64", "[e2e]") {
  CHECK(run_samvad({}).exit_code == 64);
  CHECK(run_samvad({"publish"}).exit_code == 64);
  CHECK(run_samvad({"count", "--no-such-flag"}).exit_code == 64);
  auto no_template = run_samvad({"preview", "-d", "water-supply"});
  CHECK(no_template.exit_code == 64);
  CHECK_THAT(no_template.err, Contains("template"));
}

TEST_CASE("departments --json lists every department in the documented shape", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"departments", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.is_array());
  CHECK(j.size() >= 8);
  const auto& water = j.at(0);
  CHECK(water.at("id") == "water-supply");
  CHECK(water.at("name").at("mr") == "पाणीपुरवठा विभाग");
  CHECK(water.at("name").at("en") == "Water Supply Department");
  CHECK(water.at("channels") == nlohmann::json::array({"twitter", "email"}));
  CHECK(water.at("languages") == nlohmann::json::array({"mr", "en"}));

  auto table = s.run({"departments"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Contains("ID") && Contains("water-supply") && Contains("@PCMCWaterSupply"));
}

TEST_CASE("templates --json describes every template and its variables", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"templates", "--json"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j.size() >= 5);
  nlohmann::json water;
  for (const auto& t : j)
    if (t.at("name") == "water-supply-interruption") water = t;
  REQUIRE(water.is_object());
  CHECK(water.at("kind") == "service-notice");
  CHECK(water.at("title").at("mr") == "पाणीपुरवठा खंडित");
  auto areas = water.at("variables").at(0);
  CHECK(areas.at("name") == "areas");
  CHECK(areas.at("type") == "text");
  CHECK(areas.at("required") == true);
  CHECK(areas.at("description").is_string());
}

TEST_CASE("check passes on the sample configuration and reports the bad subscriber line", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"--credentials", s.credentials().string(), "check"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("check passed"));
  CHECK_THAT(r.err, Contains("lists/water-supply.txt:") && Contains("'not-an-address' is not a valid email address"));

  auto strict = s.run({"check", "--strict"});
  CHECK(strict.exit_code == 65);

  auto json = s.run({"check", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("ok") == true);
  CHECK(j.at("summary").at("templates").get<int>() >= 5);
  CHECK(j.at("summary").at("threads").get<int>() >= 1);  // scheme-launch becomes a thread
  CHECK(j.at("warnings").at(0).at("line").is_number());
}

TEST_CASE("check and -v never print a secret", "[e2e]") {
  SampleSetup s;
  for (const auto& args : std::vector<std::vector<std::string>>{{"-v", "check"}, {"-v", "check", "--json"}, {"-v", "departments", "--json"}}) {
    auto r = s.run(args);
    for (const auto& secret : s.secrets()) {
      CHECK_THAT(r.out, !Contains(secret));
      CHECK_THAT(r.err, !Contains(secret));
    }
  }
}

TEST_CASE("a credentials file others can read is refused with exit 77 and the fix", "[e2e]") {
  SampleSetup s;
  std::filesystem::permissions(s.credentials(), std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  auto r = s.run({"check"});
  CHECK(r.exit_code == 77);
  CHECK_THAT(r.err, Contains("chmod 600 " + s.credentials().string()));
}

TEST_CASE("check without a credentials file exits 66", "[e2e]") {
  SampleSetup s;
  std::filesystem::remove(s.credentials());
  auto r = s.run({"check"});
  CHECK(r.exit_code == 66);
  CHECK_THAT(r.err, Contains(s.credentials().string() + ": no such file"));
}

TEST_CASE("an unset variable in credentials.yaml is named with file and line, exit 78", "[e2e]") {
  SampleSetup s;
  ProcessOptions o;
  auto r = samvad::test::run_samvad({"-c", s.config().string(), "check"}, o);  // no SAMVAD_X_* in the environment
  CHECK(r.exit_code == 78);
  CHECK_THAT(r.err, Contains(s.credentials().string() + ":12:") && Contains("environment variable SAMVAD_X_CONSUMER_KEY is not set"));
}

TEST_CASE("config errors name file:line:column, suggest a fix and exit 78", "[e2e]") {
  SampleSetup s;
  s.edit("departments.yaml", "    hashtags: [PCMC, WaterSupply]", "    hashtag: [PCMC, WaterSupply]");
  for (const char* command : {"check", "departments"}) {
    auto r = s.run({command});
    CHECK(r.exit_code == 78);
    CHECK_THAT(r.err, Contains("departments.yaml:") && Contains(":5: unknown key 'hashtag' in departments.water-supply (did you mean 'hashtags'?)"));
  }
}

TEST_CASE("a missing config file exits 66, SAMVAD_CONFIG and ./departments.yaml are found", "[e2e]") {
  auto missing = run_samvad({"-c", "/nonexistent/departments.yaml", "departments"});
  CHECK(missing.exit_code == 66);
  CHECK_THAT(missing.err, Contains("/nonexistent/departments.yaml: no such file"));

  SampleSetup s;
  ProcessOptions by_env;
  by_env.env["SAMVAD_CONFIG"] = s.config().string();
  CHECK(run_samvad({"departments", "--json"}, by_env).exit_code == 0);

  ProcessOptions by_cwd;
  by_cwd.cwd = s.dir();
  CHECK(run_samvad({"departments", "--json"}, by_cwd).exit_code == 0);
}

TEST_CASE("preview renders Marathi and English with localized dates and weighted lengths", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--vars", (s.dir() / "vars/water-cut-nigdi.yaml").string(), "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("template") == "water-supply-interruption");
  REQUIRE(j.at("items").size() == 1);
  const auto& item = j.at("items").at(0);
  CHECK(item.at("department") == "water-supply");
  REQUIRE(item.at("tweets").size() == 2);
  const auto& mr = item.at("tweets").at(0);
  CHECK(mr.at("language") == "mr");
  std::string mr_text = mr.at("parts").at(0).at("text");
  CHECK_THAT(mr_text, Contains("३ डिसेंबर २०२६") && Contains("गुरुवार") && Contains("निगडी, आकुर्डी") && Contains("#PCMC"));
  // The reported length is the one X will count.
  CHECK(mr.at("parts").at(0).at("weighted_length") == samvad::text::measure_tweet(mr_text).weighted_length);
  std::string en_text = item.at("tweets").at(1).at("parts").at(0).at("text");
  CHECK_THAT(en_text, Contains("Thursday, 3 December 2026"));

  const auto& email = item.at("email");
  CHECK_THAT(email.at("subject").get<std::string>(), Contains("पाणीपुरवठा खंडित") && Contains(" | ") && Contains("Water supply interruption"));
  CHECK_THAT(email.at("html").get<std::string>(), Contains("<div lang=\"mr\">"));
  CHECK(email.at("recipients").get<int>() > 1);

  auto human = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--lang", "mr"});
  CHECK(human.exit_code == 0);
  CHECK_THAT(human.out, Contains("twitter mr") && !Contains("twitter en") && Contains("Subject:"));
}

TEST_CASE("a long scheme notice becomes a thread whose parts all fit", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"preview", "scheme-launch", "--all", "--example", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  bool saw_thread = false;
  for (const auto& item : j.at("items")) {
    for (const auto& t : item.at("tweets")) {
      auto parts = t.at("parts");
      if (parts.size() > 1) saw_thread = true;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string text = parts[i].at("text");
        CHECK(parts[i].at("weighted_length").get<int>() <= 280);
        if (parts.size() > 1) CHECK_THAT(text, Catch::EndsWith("(" + std::to_string(i + 1) + "/" + std::to_string(parts.size()) + ")"));
      }
    }
  }
  CHECK(saw_thread);
}

TEST_CASE("missing required variables are all listed with descriptions, exit 65", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--var", "areas=Nigdi"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Contains("'date'") && Contains("'from'") && Contains("'to'") && Contains("Day of the interruption"));
  CHECK_THAT(r.err, !Contains("'areas'"));
}

TEST_CASE("bad variable values exit 65 and say what was expected", "[e2e]") {
  SampleSetup s;
  auto bad_date = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "date=2026-02-30"});
  CHECK(bad_date.exit_code == 65);
  CHECK_THAT(bad_date.err, Contains("date") && Contains("YYYY-MM-DD"));
  auto bad_time = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "from=25:00"});
  CHECK(bad_time.exit_code == 65);
  auto bad_url = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "link=not a url"});
  CHECK(bad_url.exit_code == 65);
}

TEST_CASE("a line break in anything that reaches an email header is refused, exit 65", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "areas=Nigdi\r\nBcc: victim@example.org"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Contains("header"));
}

TEST_CASE("an undeclared variable is a warning, not an error", "[e2e]") {
  SampleSetup s;
  auto r = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--example", "--var", "aeras=Nigdi"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("warning") && Contains("aeras"));
}

TEST_CASE("preview input errors: template, vars file, departments", "[e2e]") {
  SampleSetup s;
  auto no_template = s.run({"preview", "water-supply-interuption", "-d", "water-supply", "--example"});
  CHECK(no_template.exit_code == 66);
  CHECK_THAT(no_template.err, Contains("did you mean 'water-supply-interruption'?"));

  auto no_vars = s.run({"preview", "water-supply-interruption", "-d", "water-supply", "--vars", "/nonexistent/vars.yaml"});
  CHECK(no_vars.exit_code == 66);

  auto unknown = s.run({"preview", "water-supply-interruption", "-d", "water-suply", "--example"});
  CHECK(unknown.exit_code == 64);
  CHECK_THAT(unknown.err, Contains("unknown department 'water-suply' (did you mean 'water-supply'?)"));

  auto none = s.run({"preview", "water-supply-interruption", "--example"});
  CHECK(none.exit_code == 64);
  CHECK_THAT(none.err, Contains("-d DEPT") && Contains("--all"));
}

TEST_CASE("count reports the weighted length from an argument or standard input", "[e2e]") {
  auto r = run_samvad({"count", "--json", "पाणीपुरवठा खंडित https://www.pcmcindia.gov.in 🚰"});
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  // 16 Devanagari/space code points (weight 1 each), a space, a URL (23), a space, an emoji (2).
  CHECK(j == nlohmann::json{{"weighted_length", 16 + 1 + 23 + 1 + 2}, {"max", 280}, {"valid", true}});

  ProcessOptions in;
  in.stdin_text = std::string(300, 'x') + "\n";
  auto over = run_samvad({"count"}, in);
  CHECK(over.exit_code == 65);
  CHECK_THAT(over.out, Contains("300/280") && Contains("20 over"));
}
