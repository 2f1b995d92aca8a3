#include <catch2/catch.hpp>

#include <string>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/feed/settings.hpp>

using samvad::Diagnostics;
using samvad::ExitCode;
using samvad::config::parse_yaml;
using samvad::config::YamlReader;
using samvad::feed::FeedSettings;
using samvad::feed::read_feed_section;

namespace {

struct Read {
  std::optional<FeedSettings> top;
  std::optional<FeedSettings> department;
  std::vector<std::string> errors;  // "file:line:column: message"
  ExitCode code = ExitCode::ok;
};

// The top-level `feed` and, when present, departments.roads.feed, as the config reader will read them.
Read read(const std::string& yaml) {
  auto doc = parse_yaml(yaml, "/srv/samvad/departments.yaml", ExitCode::config);
  Diagnostics diagnostics;
  YamlReader r(doc.file, ExitCode::config, diagnostics);
  Read out;
  out.top = read_feed_section(r, doc.root["feed"], "feed", "/srv/samvad", nullptr);
  if (doc.root["departments"])
    out.department = read_feed_section(r, doc.root["departments"]["roads"]["feed"], "departments.roads.feed",
                                       "/srv/samvad", out.top ? &*out.top : nullptr);
  for (const auto& d : diagnostics.items()) out.errors.push_back(d.to_string());
  if (!diagnostics.empty()) out.code = diagnostics.items().front().code;
  return out;
}

}  // namespace

TEST_CASE("feed settings: an absolute or config-relative dir and an https base URL without trailing slash", "[feed]") {
  auto r = read("feed: {dir: /var/www/notices/, base_url: 'HTTPS://WWW.PCMCINDIA.GOV.IN/notices/'}\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.top);
  CHECK(r.top->dir == "/var/www/notices");
  CHECK(r.top->base_url == "https://www.pcmcindia.gov.in/notices");
  r = read("feed: {dir: public/../notices, base_url: 'http://127.0.0.1:8080'}\n");
  REQUIRE(r.errors.empty());
  CHECK(r.top->dir == "/srv/samvad/notices");
  CHECK(r.top->base_url == "http://127.0.0.1:8080");
}

TEST_CASE("feed settings: a department block overrides the top level key by key", "[feed]") {
  auto r = read(
      "feed: {dir: /var/www/notices, base_url: 'https://www.pcmcindia.gov.in/notices'}\n"
      "departments:\n"
      "  roads:\n"
      "    feed: {dir: /var/www/roads}\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.department);
  CHECK(r.department->dir == "/var/www/roads");
  CHECK(r.department->base_url == "https://www.pcmcindia.gov.in/notices");
}

TEST_CASE("feed settings errors name departments.yaml:line and what was expected", "[feed]") {
  auto r = read("organization: {}\nfeed:\n  dir: /var/www/notices\n");
  CHECK(r.code == ExitCode::config);
  CHECK(r.errors ==
        std::vector<std::string>{
            "/srv/samvad/departments.yaml:3:3: missing key 'base_url' in feed; expected the URL of that folder, like "
            "https://www.example.org/notices"});

  r = read("feed:\n  dir: /var/www/notices\n  base_url: http://www.pcmcindia.gov.in/notices\n");
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors[0], Catch::StartsWith("/srv/samvad/departments.yaml:3:13: feed.base_url: "));
  CHECK_THAT(r.errors[0], Catch::Contains("https"));
  CHECK_FALSE(r.top);

  r = read("feed:\n  dir: /var/www/notices\n  base_url: https://www.pcmcindia.gov.in/notices\n  base_ulr: x\n");
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors[0], Catch::StartsWith("/srv/samvad/departments.yaml:4:3: unknown key 'base_ulr' in feed") &&
                              Catch::Contains("base_url"));

  r = read("feed: {dir: '', base_url: 'https://www.pcmcindia.gov.in/n?x=1'}\n");
  REQUIRE(r.errors.size() == 2);
  CHECK_THAT(r.errors[0], Catch::StartsWith("/srv/samvad/departments.yaml:1:13: feed.dir is empty"));
  CHECK_THAT(r.errors[1], Catch::Contains("feed.base_url has a query or fragment"));

  r = read(
      "feed: {base_url: 'https://www.pcmcindia.gov.in/notices'}\n"
      "departments:\n"
      "  roads:\n"
      "    feed: [oops]\n");
  REQUIRE(r.errors.size() == 2);
  CHECK_THAT(r.errors[0], Catch::StartsWith("/srv/samvad/departments.yaml:1:7: missing key 'dir' in feed"));
  CHECK_THAT(r.errors[1], Catch::StartsWith("/srv/samvad/departments.yaml:4:11: departments.roads.feed is a list"));
}
