// The registry (lib/samvad/registry/channels.cpp): the one list of channels that the
// configuration, the planner, the engine, retract, check and the CLI loop over, and what it
// answers about them (find, select, listing, credentials).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/error.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/templates/template.hpp>

#include "support/process.hpp"

using samvad::Error;
using samvad::ExitCode;
using namespace samvad::registry;

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// What `select` throws for `requested`, or "" when it does not.
std::string refusal(const std::vector<std::string>& requested) {
  try {
    select(requested);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    return e.what();
  }
  return "";
}

// Every department uses every channel, each written in another order than the registry's.
const char* kEveryChannel = R"(organization:
  name: {en: PCMC}
  languages: [en]
email:
  smtp_url: smtp://mail.example.org:587
  from: {address: announcements@example.org}
feed:
  dir: notices
  base_url: https://www.example.org/notices
departments:
  water-supply:
    name: {en: Water Supply}
    email: {list: water@lists.example.org}
    twitter: {handle: PCMCWaterSupply}
  health:
    name: {en: Health}
    feed: {dir: health-notices}
    twitter: {handle: PCMCHealth}
    email: {list: health@lists.example.org}
)";

}  // namespace

TEST_CASE("every registered channel has a name of its own, a title, and the hooks called on every channel",
          "[registry]") {
  const auto& all = channels();
  REQUIRE(all.size() >= 3);
  std::set<std::string> seen;
  for (const auto& spec : all) {
    INFO("channel '" << spec.name << "'");
    CHECK(seen.insert(spec.name).second);
    // The key in departments.yaml, in the store and in --channels a,b: one lowercase word.
    CHECK(std::regex_match(spec.name, std::regex("[a-z][a-z0-9_-]*")));
    CHECK_FALSE(spec.title.empty());
    CHECK_FALSE(spec.absent.empty());
    // The configuration, the planner, the engine and retract call these without asking first.
    CHECK(spec.section_reader);
    CHECK(spec.plan);
    CHECK(spec.sender);
    CHECK(spec.retract);
  }
}

TEST_CASE("names, section readers and departments' channels follow the registry's order", "[registry]") {
  const auto& all = channels();
  CHECK(&channels() == &all);  // one list for the whole program, not a fresh copy per call
  std::vector<std::string> expected;
  for (const auto& spec : all) expected.push_back(spec.name);
  CHECK(names() == expected);

  const auto readers = section_readers();
  REQUIRE(readers.size() == all.size());
  for (std::size_t i = 0; i < readers.size(); ++i) CHECK(readers[i]->key() == all[i].name);

  const auto config = parse_config(kEveryChannel, "/srv/samvad/departments.yaml");
  REQUIRE(config.departments.size() == 2);
  for (const auto& department : config.departments) {
    INFO(department.id);
    CHECK(department.channels() == expected);
  }
}

TEST_CASE("find gives the registered channel by its exact name and nothing for any other name", "[registry]") {
  for (const auto& spec : channels()) {
    INFO(spec.name);
    CHECK(find(spec.name) == &spec);
    CHECK(find(upper(spec.name)) == nullptr);
    CHECK(find(spec.name + " ") == nullptr);
    CHECK(find(spec.name.substr(0, spec.name.size() - 1)) == nullptr);
  }
  CHECK(find("") == nullptr);
  CHECK(find("mastodon") == nullptr);  // a store written by a later samvad may name one
}

TEST_CASE("select (--channels): none asked is every channel, repeats are dropped, a typo is refused with a suggestion",
          "[registry]") {
  const std::vector<std::string> all = names();
  CHECK(select({}) == all);
  CHECK(select({all.back(), all.front(), all.back()}) == std::vector<std::string>{all.back(), all.front()});
  for (const auto& name : all) CHECK(select({name}) == std::vector<std::string>{name});

  const std::string typo = all.front().substr(1);  // "witter"
  const std::string refused = refusal({all.back(), typo});
  CHECK_THAT(refused, Catch::StartsWith("unknown channel '" + typo + "'"));
  CHECK_THAT(refused, Catch::Contains("did you mean '" + all.front() + "'"));
  CHECK_THAT(refused, Catch::EndsWith("; expected " + listing(all)));
  // Nothing close: no suggestion, still what is expected.
  CHECK(refusal({"carrier-pigeon"}) == "unknown channel 'carrier-pigeon'; expected " + listing(all));
  CHECK(refusal({""}) == "unknown channel ''; expected " + listing(all));
}

TEST_CASE("listing joins names as a sentence", "[registry]") {
  CHECK(listing({}).empty());
  CHECK(listing({"twitter"}) == "twitter");
  CHECK(listing({"twitter", "email"}) == "twitter or email");
  CHECK(listing({"twitter", "email", "feed"}) == "twitter, email or feed");
  CHECK(listing({"twitter", "email", "feed"}, " and ") == "twitter, email and feed");
}

TEST_CASE("a channel that gives templates values is a name templates may use once the channels are listed",
          "[registry]") {
  const auto& all = channels();
  const auto roots = samvad::templates::context_roots();
  bool any = false;
  for (const auto& spec : all) {
    INFO(spec.name);
    const bool root = std::find(roots.begin(), roots.end(), spec.name) != roots.end();
    CHECK(root == static_cast<bool>(spec.template_values));
    any = any || root;
  }
  CHECK(any);  // the feed's {{feed.url}}
}

TEST_CASE("credentials are asked only of the channels a department uses", "[registry][credentials]") {
  const auto config = parse_config(R"(organization:
  name: {en: PCMC}
  languages: [en]
departments:
  water-supply:
    name: {en: Water Supply}
    twitter: {handle: PCMCWaterSupply}
  education:
    name: {en: Education}
)",
                                   "departments.yaml");
  const auto& water = *config.find_department("water-supply");
  const auto& education = *config.find_department("education");
  const auto none = parse_credentials("{}\n", "credentials.yaml");

  const auto missing = check_credentials(none, water, "twitter");
  REQUIRE(missing.size() == 2);  // the app's keys and the department's access token
  for (const auto& problem : missing) {
    CHECK(problem.code == ExitCode::config);
    CHECK_THAT(problem.message, Catch::Contains("water-supply"));
  }
  for (const auto& name : names()) {
    INFO(name);
    CHECK(check_credentials(none, education, name).empty());  // uses no channel
    if (name != "twitter") CHECK(check_credentials(none, water, name).empty());
  }
  CHECK(check_credentials(none, water, "mastodon").empty());
  // The whole configuration: exactly what each department's channels lack.
  const auto all = check_credentials(none, config);
  REQUIRE(all.size() == missing.size());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].message == missing[i].message);

  const auto enough = parse_credentials(R"(twitter_app: {consumer_key: ck, consumer_secret: cs}
departments:
  water-supply:
    twitter: {access_token: t1, access_token_secret: s1}
)",
                                        "credentials.yaml", config.department_ids());
  CHECK(check_credentials(enough, water, "twitter").empty());
  CHECK(check_credentials(enough, config).empty());
}

TEST_CASE("the bash completion and the man page offer exactly the registered channels for --channels", "[registry]") {
  const std::set<std::string> registered = [] {
    auto n = names();
    return std::set<std::string>(n.begin(), n.end());
  }();

  // --channels) COMPREPLY=($(compgen -W 'twitter email ... twitter,email ...' -- "$cur"))
  const std::string completion = samvad::test::read_file(samvad::test::source_dir() / "cli/completion/samvad.bash");
  std::smatch words;
  REQUIRE(std::regex_search(completion, words, std::regex("--channels\\)\\s*COMPREPLY=\\(\\$\\(compgen -W '([^']*)'")));
  std::set<std::string> single;
  std::istringstream in(words[1].str());
  for (std::string word; in >> word;) {
    INFO(word);
    if (word.find(',') == std::string::npos) single.insert(word);
    std::istringstream parts(word);
    for (std::string part; std::getline(parts, part, ',');) CHECK(registered.count(part));
  }
  CHECK(single == registered);

  // .BI \-\-channels\~ LIST, up to the next option (.TP): each channel in bold.
  const std::string man = samvad::test::read_file(samvad::test::source_dir() / "doc/samvad.1");
  const auto start = man.find(".BI \\-\\-channels\\~ LIST");
  REQUIRE(start != std::string::npos);
  const std::string section = man.substr(start, man.find(".TP", start) - start);
  std::set<std::string> bold;
  const std::regex bold_word("\\n\\.BR? ([a-z]+)");
  for (std::sregex_iterator it(section.begin(), section.end(), bold_word), end; it != end; ++it)
    bold.insert((*it)[1].str());
  CHECK(bold == registered);
}
