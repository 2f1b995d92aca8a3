#include <catch2/catch.hpp>

#include <cstdlib>

#include <samvad/config/config.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/twitter/settings.hpp>

#include "support/config_errors.hpp"

using samvad::Error;
using samvad::ExitCode;
using samvad::registry::load_config;
using samvad::registry::parse_config;
using samvad::test::only_config_error;

namespace {

const char* kMinimal = R"(organization:
  name: {en: Pimpri Chinchwad Municipal Corporation, mr: पिंपरी चिंचवड महानगरपालिका}
  short_name: PCMC
  website: https://www.pcmcindia.gov.in
  languages: [mr, en]
twitter:
  api_base: https://api.x.com
email:
  smtp_url: smtp://mail.example.org:587
  from: {address: announcements@example.org, name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}}
departments:
  water-supply:
    name: {en: Water Supply Department, mr: पाणीपुरवठा विभाग}
    hashtags: [PCMC, WaterSupply]
    twitter: {handle: PCMCWaterSupply}
    email:
      list: water-supply@lists.example.org
      subscribers: lists/water-supply.txt
      unsubscribe: https://lists.example.org/u/water-supply
  health:
    name: {en: Health Department}
    languages: [en]
    twitter: {handle: PCMCHealth, api_base: "http://127.0.0.1:8080/"}
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a valid config loads with department defaults and overrides applied", "[config]") {
  auto c = parse_config(kMinimal, "/etc/samvad/departments.yaml");
  REQUIRE(c.departments.size() == 2);
  CHECK(c.organization.timezone == "Asia/Kolkata");  // the default
  CHECK(*c.organization.name.find("mr") == "पिंपरी चिंचवड महानगरपालिका");

  const auto& water = c.departments[0];
  CHECK(water.id == "water-supply");
  CHECK(water.languages == std::vector<std::string>{"mr", "en"});
  CHECK(water.channels() == std::vector<std::string>{"twitter", "email"});
  CHECK(samvad::twitter::account_of(water)->api_base == "https://api.x.com");
  CHECK(samvad::email::list_of(water)->smtp_url == "smtp://mail.example.org:587");
  CHECK(samvad::email::list_of(water)->batch_size == 50);
  // Relative paths are resolved against the config file's folder.
  CHECK(samvad::email::list_of(water)->subscribers->string() == "/etc/samvad/lists/water-supply.txt");
  CHECK(samvad::email::list_of(water)->subscribers_where->line == 18);

  const auto& health = c.departments[1];
  CHECK(health.languages == std::vector<std::string>{"en"});
  CHECK(health.channels() == std::vector<std::string>{"twitter"});
  CHECK(samvad::twitter::account_of(health)->api_base ==
        "http://127.0.0.1:8080");  // loopback may be plain http; trailing / dropped
  CHECK(c.find_department("health") == &health);
  CHECK(c.find_department("nope") == nullptr);
}

TEST_CASE("an unknown key is an error with its line, column and the closest valid key", "[config]") {
  auto d =
      only_config_error(replace(kMinimal, "    hashtags: [PCMC, WaterSupply]", "    hashtag: [PCMC, WaterSupply]"));
  CHECK(d.code == ExitCode::config);
  CHECK(d.where->line == 14);
  CHECK(d.where->column == 5);
  CHECK_THAT(d.to_string(), Catch::Contains("departments.yaml:14:5: unknown key 'hashtag' in departments.water-supply"));
  CHECK_THAT(d.message, Catch::Contains("did you mean 'hashtags'?"));
  CHECK_THAT(d.message, Catch::Contains("expected one of: name, hashtags, languages, twitter, email"));
}

TEST_CASE("plain http to a non-loopback X API is refused", "[config]") {
  auto d = only_config_error(replace(kMinimal, "api_base: https://api.x.com", "api_base: http://api.x.com"));
  CHECK(d.code == ExitCode::config);
  CHECK(d.where->line == 7);
  CHECK_THAT(d.message, Catch::Contains("allowed only for loopback hosts"));
}

TEST_CASE("twitter.threads is reply unless set to none, at the top or for a department, anything else is 78",
          "[config]") {
  using samvad::twitter::Threads;
  auto c = parse_config(kMinimal, "departments.yaml");
  CHECK(samvad::twitter::account_of(c.departments[0])->threads == Threads::reply);
  CHECK_FALSE(samvad::twitter::account_of(c.departments[0])->threads_where);

  auto own = parse_config(
      replace(kMinimal, "twitter: {handle: PCMCWaterSupply}", "twitter: {handle: PCMCWaterSupply, threads: none}"),
      "departments.yaml");
  const auto* water = samvad::twitter::account_of(own.departments[0]);
  CHECK(water->threads == Threads::none);
  REQUIRE(water->threads_where);
  CHECK(water->threads_where->to_string() == "departments.yaml:15:49");
  CHECK(samvad::twitter::account_of(own.departments[1])->threads == Threads::reply);

  // A default for every department, which one of them may set back.
  auto all = parse_config(
      replace(replace(kMinimal, "  api_base: https://api.x.com\n", "  api_base: https://api.x.com\n  threads: none\n"),
              "twitter: {handle: PCMCHealth,", "twitter: {handle: PCMCHealth, threads: reply,"),
      "departments.yaml");
  CHECK(samvad::twitter::account_of(all.departments[0])->threads == Threads::none);
  CHECK(samvad::twitter::account_of(all.departments[1])->threads == Threads::reply);

  auto d = only_config_error(
      replace(kMinimal, "twitter: {handle: PCMCWaterSupply}", "twitter: {handle: PCMCWaterSupply, threads: never}"));
  CHECK(d.code == ExitCode::config);
  CHECK(d.where->line == 15);
  CHECK_THAT(d.message, Catch::Contains("departments.water-supply.twitter.threads 'never' is not known") &&
                            Catch::Contains("expected reply") && Catch::Contains("or none"));
}

TEST_CASE("tls: none is refused for an SMTP server that is not on loopback", "[config]") {
  auto d = only_config_error(replace(kMinimal, "      list: water-supply@lists.example.org",
                                     "      tls: none\n      list: water-supply@lists.example.org"));
  CHECK_THAT(d.message, Catch::Contains("tls: none is allowed only for a loopback SMTP server"));
}

TEST_CASE("every problem in the file is reported, not just the first", "[config]") {
  std::string bad = replace(kMinimal, "  languages: [mr, en]\n", "  languages: [mr, en]\n  timezone: Asia/Pune\n");
  bad = replace(bad, "handle: PCMCWaterSupply", "handle: \"@PCMCWaterSupply\"");
  bad = replace(bad, "list: water-supply@lists.example.org", "list: not-an-address");
  try {
    parse_config(bad, "departments.yaml");
    FAIL("expected errors");
  } catch (const Error& e) {
    REQUIRE(e.diagnostics().size() == 3);
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("'Asia/Pune' is not a known time zone"));
    CHECK_THAT(e.diagnostics()[1].message, Catch::Contains("is not an X handle; expected 1-15 letters, digits or _ without '@'"));
    CHECK_THAT(e.diagnostics()[2].message, Catch::Contains("'not-an-address' is not a valid email address"));
  }
}

TEST_CASE("a department name must exist in each of its languages", "[config]") {
  auto d = only_config_error(
      replace(kMinimal, "    name: {en: Health Department}\n    languages: [en]", "    name: {en: Health Department}"));
  CHECK_THAT(d.message, Catch::Contains("departments.health.name has no 'mr' text"));
}

TEST_CASE("missing required keys are named", "[config]") {
  auto d =
      only_config_error(replace(kMinimal, "    twitter: {handle: PCMCHealth, api_base: \"http://127.0.0.1:8080/\"}",
                                "    twitter: {api_base: \"https://api.x.com\"}"));
  CHECK_THAT(d.message, Catch::Contains("missing key 'handle' in departments.health.twitter"));
}

TEST_CASE("${NAME} expands from the environment and an unset one is an error naming it and the line", "[config]") {
  ::setenv("SAMVAD_TEST_SMTP_HOST", "relay.example.org", 1);
  auto c = parse_config(replace(kMinimal, "smtp://mail.example.org:587", "smtps://${SAMVAD_TEST_SMTP_HOST}:465"), "d.yaml");
  CHECK(samvad::email::list_of(c.departments[0])->smtp_url == "smtps://relay.example.org:465");

  ::unsetenv("SAMVAD_TEST_UNSET_VARIABLE");
  auto d = only_config_error(replace(kMinimal, "short_name: PCMC", "short_name: ${SAMVAD_TEST_UNSET_VARIABLE}"));
  CHECK(d.where->line == 3);
  CHECK_THAT(d.message, Catch::Contains("environment variable SAMVAD_TEST_UNSET_VARIABLE is not set"));

  // $${ stands for a literal ${.
  auto literal = parse_config(replace(kMinimal, "short_name: PCMC", "short_name: \"$${PCMC}\""), "d.yaml");
  CHECK(literal.organization.short_name == "${PCMC}");
}

TEST_CASE("duplicate keys are errors rather than silently using one of them", "[config]") {
  auto d = only_config_error(replace(kMinimal, "  short_name: PCMC\n", "  short_name: PCMC\n  short_name: PCMC2\n"));
  CHECK_THAT(d.message, Catch::Contains("duplicate key 'short_name'"));
  CHECK(d.where->line == 4);
}

TEST_CASE("YAML syntax errors carry file, line and column", "[config]") {
  try {
    parse_config("organization:\n  name: {en: x\n", "bad.yaml");
    FAIL("expected a syntax error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    CHECK_THAT(e.what(), Catch::StartsWith("bad.yaml:"));
    CHECK_THAT(e.what(), Catch::Contains("invalid YAML"));
  }
}

TEST_CASE("a missing config file is 'no input'", "[config]") {
  try {
    samvad::registry::load_config("/nonexistent/departments.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
    CHECK_THAT(e.what(), Catch::StartsWith("/nonexistent/departments.yaml: no such file"));
  }
}

TEST_CASE("batch_size must be 1 to 100", "[config]") {
  auto d = only_config_error(
      replace(kMinimal, "  from: {address: announcements", "  batch_size: 500\n  from: {address: announcements"));
  CHECK_THAT(d.message, Catch::Contains("email.batch_size is not a whole number from 1 to 100"));
}

TEST_CASE("a configuration that is not UTF-8 is refused at its first bad byte", "[config]") {
  try {
    parse_config(replace(kMinimal, "short_name: PCMC", "short_name: PCMC # Pimpri-Chinchwad, caf\xE9"), "departments.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    CHECK(std::string(e.what()) ==
          "departments.yaml:3:43: the text is not valid UTF-8 here (byte 0xE9); expected UTF-8 text (save the file as UTF-8)");
  }
}

TEST_CASE("a configuration file that is a directory is 'no input' and says so", "[config]") {
  try {
    samvad::registry::load_config("/");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
    CHECK(std::string(e.what()) == "/: is a directory; expected a configuration file");
  }
}

TEST_CASE("URL schemes are read in any case, with the same rules, and kept in one spelling", "[config]") {
  std::string upper = replace(kMinimal, "smtp_url: smtp://mail.example.org:587", "smtp_url: SMTP://Mail.Example.ORG:587");
  upper = replace(upper, "api_base: https://api.x.com", "api_base: HTTPS://API.X.COM/");
  upper = replace(upper, "unsubscribe: https://lists.example.org/u/water-supply", "unsubscribe: Https://Lists.Example.org/u/water-supply");
  auto c = parse_config(upper, "departments.yaml");
  CHECK(samvad::email::list_of(c.departments[0])->smtp_url == "smtp://mail.example.org:587");
  CHECK(samvad::twitter::account_of(c.departments[0])->api_base == "https://api.x.com");
  CHECK(samvad::email::list_of(c.departments[0])->unsubscribe == "https://lists.example.org/u/water-supply");
  // tls: none is still only for loopback, and plain http still only for loopback, however spelt.
  auto d = only_config_error(replace(upper, "      list: water-supply@lists.example.org",
                                     "      tls: none\n      list: water-supply@lists.example.org"));
  CHECK_THAT(d.message, Catch::Contains("tls: none is allowed only for a loopback SMTP server"));
  auto h = only_config_error(replace(kMinimal, "api_base: https://api.x.com", "api_base: HTTP://api.x.com"));
  CHECK_THAT(h.message, Catch::Contains("allowed only for loopback hosts"));
  auto mailto = parse_config(replace(kMinimal, "unsubscribe: https://lists.example.org/u/water-supply",
                                     "unsubscribe: \"MAILTO:unsubscribe@lists.example.org?subject=stop\""),
                             "departments.yaml");
  CHECK(samvad::email::list_of(mailto.departments[0])->unsubscribe ==
        "mailto:unsubscribe@lists.example.org?subject=stop");
}

TEST_CASE("a department's smtp_url is its own server unless it is the shared one, however spelt", "[config]") {
  auto same = parse_config(replace(kMinimal, "      list: water-supply@lists.example.org",
                                   "      smtp_url: SMTP://MAIL.example.org:587\n      list: water-supply@lists.example.org"),
                           "departments.yaml");
  CHECK_FALSE(samvad::email::list_of(same.departments[0])->own_smtp_server);
  auto own = parse_config(replace(kMinimal, "      list: water-supply@lists.example.org",
                                  "      smtp_url: smtps://smtp-water.example.org:465\n      list: water-supply@lists.example.org"),
                          "departments.yaml");
  CHECK(samvad::email::list_of(own.departments[0])->own_smtp_server);
  CHECK(samvad::email::list_of(own.departments[0])->smtp_url_where->line == 17);
  auto shared = parse_config(kMinimal, "departments.yaml");
  CHECK_FALSE(samvad::email::list_of(shared.departments[0])->own_smtp_server);
}

TEST_CASE("header values are checked as the message builder checks them, with their line", "[config]") {
  auto name =
      only_config_error(replace(kMinimal, "name: {en: PCMC,", "name: {en: \"PCMC\\r\\nBcc: all@example.org\","));
  CHECK(name.code == ExitCode::config);
  CHECK(name.where->line == 10);
  CHECK_THAT(name.message, Catch::Contains("email.from.name.en cannot be a sender's name: it contains a line break"));
  auto tab = only_config_error(replace(kMinimal, "name: {en: PCMC,", "name: {en: \"PCMC\\tOffice\","));
  CHECK_THAT(tab.message, Catch::Contains("control character U+0009"));
  auto idn =
      only_config_error(replace(kMinimal, "list: water-supply@lists.example.org", "list: water-supply@उदाहरण.भारत"));
  CHECK(idn.where->line == 17);
  CHECK_THAT(idn.message, Catch::Contains("is not written in ASCII") && Catch::Contains("water-supply@xn--p1b6ci4b4b3a.xn--h2brj9c"));
  auto literal = only_config_error(
      replace(kMinimal, "from: {address: announcements@example.org", "from: {address: \"announcements@[192.0.2.1]\""));
  CHECK_THAT(literal.message, Catch::Contains("address literal"));
  auto from_idn = only_config_error(
      replace(kMinimal, "from: {address: announcements@example.org", "from: {address: announcements@उदाहरण.भारत"));
  CHECK_THAT(from_idn.message, Catch::Contains("email.from.address") && Catch::Contains("not written in ASCII"));
  for (const char* bad : {"\"mailto:u@lists.example.org\\r\\nBcc: all@example.org\"", "\"mailto:u@lists.example.org?subject=a>b\"",
                          "https://lists.example.org/u/पाणी", "http://lists.example.org/u", "\"mailto:nobody\""}) {
    INFO(bad);
    auto u = only_config_error(
        replace(kMinimal, "unsubscribe: https://lists.example.org/u/water-supply", std::string("unsubscribe: ") + bad));
    CHECK(u.where->line == 19);
    CHECK_THAT(u.message, Catch::Contains("departments.water-supply.email.unsubscribe cannot be a List-Unsubscribe URL"));
  }
}

TEST_CASE("inbox: a catch-all account, keywords per language and the head's digest addresses", "[config][inbox]") {
  auto c = parse_config(replace(kMinimal, "    hashtags: [PCMC, WaterSupply]\n",
                                "    hashtags: [PCMC, WaterSupply]\n"
                                "    inbox:\n"
                                "      keywords: {mr: [पाणी, पाणीपुरवठा, नळ], en: [water, pipeline, water tap]}\n"
                                "      digest_to: [head.water@pcmc.example.org, deputy@pcmc.example.org]\n"),
                        "/etc/samvad/departments.yaml");
  const auto& water = *c.find_department("water-supply");
  CHECK_FALSE(water.inbox.catch_all);
  CHECK(water.inbox.keywords.at("mr") == std::vector<std::string>{"पाणी", "पाणीपुरवठा", "नळ"});
  CHECK(water.inbox.keywords.at("en").back() == "water tap");
  CHECK(water.inbox.digest_to == std::vector<std::string>{"head.water@pcmc.example.org", "deputy@pcmc.example.org"});
  REQUIRE(water.inbox.where);
  CHECK(water.inbox.where->line == 16);
  // Without the block: no routing, no digest.
  CHECK(c.find_department("health")->inbox.keywords.empty());
  CHECK(c.find_department("health")->inbox.digest_to.empty());

  auto single =
      parse_config(replace(kMinimal, "    languages: [en]\n",
                           "    languages: [en]\n    inbox: {catch_all: true, digest_to: pro@pcmc.example.org}\n"),
                   "/etc/samvad/departments.yaml");
  CHECK(single.find_department("health")->inbox.catch_all);
  CHECK(single.find_department("health")->inbox.digest_to == std::vector<std::string>{"pro@pcmc.example.org"});
}

TEST_CASE("inbox: a keyword without a letter, a language that is none and a bad address name their line",
          "[config][inbox]") {
  auto with = [](const std::string& block) {
    return replace(kMinimal, "    languages: [en]\n", "    languages: [en]\n    inbox:\n" + block);
  };
  auto d = only_config_error(with("      keywords: {en: [water, '#!']}\n"));
  REQUIRE(d.where);
  INFO(d.message);
  CHECK(d.where->line == 24);  // the keywords line of the block inserted after line 22
  CHECK_THAT(d.message, Catch::Contains("departments.health.inbox.keywords.en[1]: '#!' has no letter or digit"));
  d = only_config_error(with("      keywords: {water: [pipe]}\n"));
  CHECK_THAT(d.message, Catch::Contains("'water' is not a language code"));
  d = only_config_error(with("      keywords: {en: []}\n"));
  CHECK_THAT(d.message, Catch::Contains("keywords.en is empty"));
  d = only_config_error(with("      digest_to: [head.water]\n"));
  CHECK_THAT(d.message, Catch::Contains("digest_to: 'head.water' is not an email address"));
  d = only_config_error(with("      catch_all: sometimes\n"));
  CHECK_THAT(d.message, Catch::Contains("catch_all"));
  d = only_config_error(with("      keyword: [water]\n"));
  CHECK_THAT(d.message, Catch::Contains("keywords"));  // the suggestion for the misspelt key
}

TEST_CASE("approvals: at the top level holds for every department unless one has its own", "[config][approvals]") {
  auto c = parse_config(replace(replace(kMinimal, "departments:\n",
                                        "approvals: {required: [scheme, text], two_person: true}\ndepartments:\n"),
                                "    languages: [en]\n", "    languages: [en]\n    approvals: {required: all}\n"),
                        "departments.yaml");
  REQUIRE(c.approvals);
  CHECK(c.approvals->required == std::vector<std::string>{"scheme", "text"});
  CHECK(c.approvals->two_person);
  CHECK(c.approvals->required_where[1].line == 11);
  const auto* water = c.approvals_for(c.departments[0]);
  CHECK(water == &*c.approvals);
  CHECK(water->requires_approval("text"));
  CHECK_FALSE(water->requires_approval("service-notice"));
  const auto* health = c.approvals_for(c.departments[1]);
  CHECK(health->requires_approval("service-notice"));  // all
  CHECK_FALSE(health->two_person);                     // its own block replaces the top-level one

  auto none = parse_config(kMinimal, "departments.yaml");
  CHECK(none.approvals_for(none.departments[0]) == nullptr);
}

TEST_CASE("approvals: of a bad shape is a configuration error at its line", "[config][approvals]") {
  auto list = only_config_error(replace(kMinimal, "departments:\n", "approvals: [scheme]\ndepartments:\n"));
  CHECK_THAT(list.message, Catch::Contains("approvals is not a mapping"));
  CHECK(list.where->line == 11);
  auto missing =
      only_config_error(replace(kMinimal, "departments:\n", "approvals: {two_person: true}\ndepartments:\n"));
  CHECK_THAT(missing.message, Catch::Contains("required"));
  auto twice =
      only_config_error(replace(kMinimal, "departments:\n", "approvals: {required: [text, text]}\ndepartments:\n"));
  CHECK_THAT(twice.message, Catch::Contains("'text' is listed twice"));
  auto unknown =
      only_config_error(replace(kMinimal, "departments:\n", "approvals: {required: [text], two: 1}\ndepartments:\n"));
  CHECK_THAT(unknown.message, Catch::Contains("two"));
}
