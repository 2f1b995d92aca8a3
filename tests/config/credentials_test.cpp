#include <catch2/catch.hpp>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/twitter/settings.hpp>

#include "support/process.hpp"

using samvad::Error;
using samvad::ExitCode;
using namespace samvad::config;

namespace {
const char* kConfig = R"(organization:
  name: {en: PCMC}
  languages: [en]
departments:
  water-supply:
    name: {en: Water Supply}
    twitter: {handle: PCMCWaterSupply}
  health:
    name: {en: Health}
    twitter: {handle: PCMCHealth}
  education:
    name: {en: Education}
)";
const char* kSecretValue = "s3cr3t-TOKEN-value-do-not-print";
}  // namespace

TEST_CASE("credentials load with per-department overrides", "[config][credentials]") {
  auto c = samvad::registry::parse_credentials(R"(twitter_app: {consumer_key: ck, consumer_secret: cs}
smtp: {username: u, password: p}
departments:
  water-supply:
    twitter: {access_token: t1, access_token_secret: s1}
    smtp: {username: water, password: wp}
  health:
    twitter: {access_token: t2, access_token_secret: s2}
    twitter_app: {consumer_key: ck2, consumer_secret: cs2}
)",
                                               "credentials.yaml");
  CHECK(samvad::twitter::token_for(c, "water-supply")->at("access_token").reveal() == "t1");
  CHECK(samvad::twitter::app_keys_for(c, "water-supply")->at("consumer_key").reveal() == "ck");
  CHECK(samvad::twitter::app_keys_for(c, "health")->at("consumer_key").reveal() == "ck2");
  auto config = samvad::registry::parse_config(kConfig, "departments.yaml");
  CHECK(samvad::email::smtp_login_for(c, *config.find_department("water-supply"))->at("username").reveal() == "water");
  CHECK(samvad::email::smtp_login_for(c, *config.find_department("health"))->at("username").reveal() == "u");
  CHECK(samvad::twitter::token_for(c, "education") == nullptr);
}

TEST_CASE("the shared SMTP login goes only to the shared server", "[config][credentials]") {
  auto config = samvad::registry::parse_config(R"(organization:
  name: {en: PCMC}
  languages: [en]
email:
  smtp_url: smtp://mail.example.org:587
  from: {address: announcements@example.org}
departments:
  water-supply:
    name: {en: Water Supply}
    email: {list: water@lists.example.org}
  property-tax:
    name: {en: Property Tax}
    email: {list: tax@lists.example.org, smtp_url: "smtps://smtp-tax.example.org:465"}
  roads:
    name: {en: Roads}
    email: {list: roads@lists.example.org, smtp_url: "SMTP://Mail.Example.org:587"}
)",
                                               "departments.yaml");
  const auto& water = *config.find_department("water-supply");
  const auto& tax = *config.find_department("property-tax");
  const auto& roads = *config.find_department("roads");
  auto shared_only =
      samvad::registry::parse_credentials("smtp: {username: shared, password: shared-pw}\n", "credentials.yaml");
  CHECK(samvad::email::smtp_login_for(shared_only, water)->at("username").reveal() == "shared");
  CHECK(samvad::email::smtp_login_for(shared_only, roads)->at("username").reveal() ==
        "shared");                                                    // the same server, spelt otherwise
  CHECK(samvad::email::smtp_login_for(shared_only, tax) == nullptr);  // never the shared login to another host
  auto problem = samvad::email::smtp_login_problem(shared_only, tax);
  REQUIRE(problem);
  CHECK(problem->code == ExitCode::config);
  CHECK(problem->where->line == 13);
  CHECK_THAT(problem->message, Catch::Contains("expected departments.property-tax.smtp: {username: ..., password: ...}"));
  CHECK_FALSE(samvad::email::smtp_login_problem(shared_only, water));
  auto problems = samvad::registry::check_credentials(shared_only, config);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == problem->message);

  auto own = samvad::registry::parse_credentials(
      "smtp: {username: shared, password: shared-pw}\n"
      "departments:\n  property-tax:\n    smtp: {username: tax, password: tax-pw}\n",
      "credentials.yaml", config.department_ids());
  CHECK(samvad::email::smtp_login_for(own, tax)->at("username").reveal() == "tax");
  CHECK_FALSE(samvad::email::smtp_login_problem(own, tax));
  // With no shared login there is nothing to leak: a relay without AUTH is fine.
  auto none = samvad::registry::parse_credentials("{}\n", "credentials.yaml");
  CHECK(samvad::email::smtp_login_for(none, tax) == nullptr);
  CHECK_FALSE(samvad::email::smtp_login_problem(none, tax));
}

TEST_CASE("a secret that lost its colon is never quoted, as a key or as a department", "[config][credentials]") {
  const std::vector<std::string> ids{"water-supply", "health", "education"};
  const std::string value(kSecretValue);
  for (const std::string& yaml : {
           "smtp: {username: u, password " + value + "}\n",
           "twitter_app: {consumer_key: ck, consumer_secret: cs, consumer_secret: " + value + "}\n",
           "departments:\n  water-supply:\n    twitter: {access_token: t, access_token_secret " + value + "}\n",
           "departments: {water-supply: {twitter: {access_token: t, access_token_secret: s}}, " + value + "}\n",
           "departments:\n  " + value + ":\n    twitter: {access_token: t}\n",
           "smtp: {username: u, password: \"${" + value + "-x}\"}\n",
       }) {
    INFO(yaml);
    try {
      samvad::registry::parse_credentials(yaml, "credentials.yaml", ids);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::config);
      CHECK_THAT(e.what(), !Catch::Contains("s3cr3t"));
      CHECK_THAT(e.what(), Catch::StartsWith("credentials.yaml:"));
    }
  }
  // A department that departments.yaml has is named, since its id is no secret.
  try {
    samvad::registry::parse_credentials("departments:\n  water-supply:\n    twitter: {access_token: t}\n",
                                        "credentials.yaml", ids);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("missing key 'access_token_secret' in departments.water-supply.twitter"));
  }
}

TEST_CASE("a credentials file readable by others is refused with the chmod fix", "[config][credentials]") {
  samvad::test::TempDir dir;
  auto path = dir.write("credentials.yaml", "smtp: {username: u, password: p}\n", 0644);
  try {
    samvad::registry::load_credentials(path);
    FAIL("expected a permission error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::permission);
    CHECK_THAT(e.what(), Catch::Contains("permissions 0644 are too open"));
    CHECK_THAT(e.what(), Catch::Contains("chmod 600 " + path.string()));
  }
  auto ok = dir.write("private.yaml", "smtp: {username: u, password: p}\n", 0600);
  CHECK(samvad::registry::load_credentials(ok).shared_section("smtp")->at("password").reveal() == "p");
}

TEST_CASE("errors in the credentials file never show a secret", "[config][credentials]") {
  std::string value(kSecretValue);
  // A typo in a key, a list where a value belongs, and a syntax error next to a secret.
  for (const std::string& yaml : {
           "twitter_app: {consumer_key: " + value + ", consumer_sercet: " + value + "}\n",
           "smtp: {username: [" + value + "], password: " + value + "}\n",
           "smtp: {username: " + value + ", password: \"" + value + "\n",
           "departments:\n  water-supply:\n    twitter: " + value + "\n",
       }) {
    try {
      samvad::registry::parse_credentials(yaml, "credentials.yaml");
      FAIL("expected an error for: " << yaml.substr(0, 20));
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::config);
      CHECK_THAT(e.what(), !Catch::Contains("s3cr3t"));
      CHECK_THAT(e.what(), Catch::StartsWith("credentials.yaml:"));
    }
  }
}

TEST_CASE("an unset ${VARIABLE} in credentials names the variable, not a value", "[config][credentials]") {
  ::unsetenv("SAMVAD_TEST_NO_SUCH_TOKEN");
  try {
    samvad::registry::parse_credentials("smtp: {username: u, password: \"${SAMVAD_TEST_NO_SUCH_TOKEN}\"}\n",
                                        "credentials.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("credentials.yaml:1:"));
    CHECK_THAT(e.what(), Catch::Contains("environment variable SAMVAD_TEST_NO_SUCH_TOKEN is not set"));
  }
  ::setenv("SAMVAD_TEST_TOKEN", kSecretValue, 1);
  auto c = samvad::registry::parse_credentials("smtp: {username: u, password: \"${SAMVAD_TEST_TOKEN}\"}\n",
                                               "credentials.yaml");
  CHECK(c.shared_section("smtp")->at("password").reveal() == kSecretValue);
}

TEST_CASE("credentials are cross-checked against the departments", "[config][credentials]") {
  auto config = samvad::registry::parse_config(kConfig, "departments.yaml");
  auto c = samvad::registry::parse_credentials(R"(twitter_app: {consumer_key: ck, consumer_secret: cs}
departments:
  water-suply:
    twitter: {access_token: t1, access_token_secret: s1}
  health:
    twitter: {access_token: t2, access_token_secret: s2}
)",
                                               "credentials.yaml");
  auto problems = samvad::registry::check_credentials(c, config);
  REQUIRE(problems.size() == 2);
  // Placed by its line, not quoted: a key that is no department's id may be a secret.
  CHECK_THAT(problems[0].to_string(), Catch::Contains("credentials.yaml:3:3: this entry of departments is not a department"));
  CHECK_THAT(problems[0].message, !Catch::Contains("water-suply"));
  CHECK_THAT(problems[0].message, Catch::Contains("did you mean 'water-supply'?"));
  CHECK_THAT(problems[1].message, Catch::Contains("no access token for department water-supply"));
}

TEST_CASE("the credentials file is found by flag, environment, then beside the config", "[config][credentials]") {
  auto config = samvad::registry::parse_config(kConfig, "/srv/samvad/departments.yaml");
  CHECK(find_credentials_path(std::string("/x/c.yaml"), config) == "/x/c.yaml");
  ::setenv("SAMVAD_CREDENTIALS", "/env/c.yaml", 1);
  CHECK(find_credentials_path(std::nullopt, config) == "/env/c.yaml");
  ::unsetenv("SAMVAD_CREDENTIALS");
  CHECK(find_credentials_path(std::nullopt, config) == "/srv/samvad/credentials.yaml");
}

TEST_CASE("credentials.yaml holds whatever sections the channels declare, and nothing else", "[config][credentials]") {
  // A channel samvad does not have: the config layer knows sections only by what is declared.
  const std::vector<CredentialSection> sections{
      CredentialSection{"sms_gateway", {"api_key"}, true, true},
      CredentialSection{"sms_sender", {"sender_id", "pin"}, false, true},
  };
  auto c = parse_credentials(R"(sms_gateway: {api_key: shared-key}
departments:
  water-supply:
    sms_sender: {sender_id: PCMCWS, pin: "1234"}
  health:
    sms_gateway: {api_key: health-key}
)",
                             "credentials.yaml", sections, {"water-supply", "health"});
  CHECK(c.section_for("water-supply", "sms_gateway")->at("api_key").reveal() == "shared-key");
  CHECK(c.section_for("health", "sms_gateway")->at("api_key").reveal() == "health-key");
  CHECK(c.own_section("water-supply", "sms_sender")->at("pin").reveal() == "1234");
  CHECK(c.own_section("health", "sms_sender") == nullptr);
  CHECK(c.shared_section("sms_sender") == nullptr);
  CHECK_THROWS_AS(c.shared_section("sms_gateway")->at("no-such-key"), Error);

  auto refused = [&](const std::string& yaml) {
    try {
      parse_credentials(yaml, "credentials.yaml", sections, {"water-supply"});
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::config);
      return e.diagnostics().front().message;
    }
    FAIL("accepted: " << yaml);
    return std::string();
  };
  // A per-department section at the top level, a section no channel declared (keys are not
  // quoted: an unknown key may be a secret), a missing key.
  const std::string top = "an unknown key in the top level; expected one of: sms_gateway, departments";
  CHECK(refused("sms_sender: {sender_id: X, pin: \"1\"}\n") == top);
  CHECK(refused("smtp: {username: u, password: p}\n") == top);
  CHECK_THAT(refused("departments:\n  water-supply:\n    sms_sender: {sender_id: X}\n"), Catch::Contains("pin"));
  // The channels samvad has are the registry's: its parse knows X and SMTP sections.
  CHECK(samvad::registry::parse_credentials("smtp: {username: u, password: p}\n", "credentials.yaml")
            .shared_section("smtp") != nullptr);
}
