#include <catch2/catch.hpp>

#include <samvad/net/url.hpp>

using namespace samvad::net;

TEST_CASE("loopback hosts are recognised and nothing else is", "[net]") {
  for (const char* h : {"localhost", "LOCALHOST", "127.0.0.1", "127.10.20.30", "::1"}) CHECK(is_loopback_host(h));
  for (const char* h : {"128.0.0.1", "10.0.0.1", "example.org", "localhost.example.org", "::2", ""}) CHECK_FALSE(is_loopback_host(h));
  CHECK(is_loopback_url("http://[::1]:8080/"));
  CHECK_FALSE(is_loopback_url("http://api.x.com/"));
}

TEST_CASE("endpoints must use an allowed scheme, plain ones only on loopback", "[net]") {
  CHECK_FALSE(check_endpoint("https://api.x.com", {"https"}, {"http"}));
  CHECK_FALSE(check_endpoint("http://127.0.0.1:9000", {"https"}, {"http"}));
  CHECK_THAT(*check_endpoint("http://api.x.com", {"https"}, {"http"}), Catch::Contains("allowed only for loopback hosts"));
  CHECK_THAT(*check_endpoint("ftp://api.x.com", {"https"}, {"http"}), Catch::Contains("scheme ftp:// is not supported"));
  CHECK_THAT(*check_endpoint("api.x.com", {"https"}, {"http"}), Catch::Contains("is not a URL with a host"));
  auto p = parse_url("smtps://mail.example.org:465");
  REQUIRE(p);
  CHECK(p->scheme == "smtps");
  CHECK(p->host == "mail.example.org");
  CHECK(p->port == 465);
}

TEST_CASE("a URL's scheme and host are read in any case and handed on in one spelling", "[net]") {
  auto p = parse_url("SMTP://Mail.Example.ORG:587");
  REQUIRE(p);
  CHECK(p->scheme == "smtp");
  CHECK(p->host == "mail.example.org");
  CHECK(p->url == "smtp://mail.example.org:587/");
  auto web = parse_url("Https://API.X.com/2/../2/tweets?max_results=5#top");
  REQUIRE(web);
  CHECK(web->scheme == "https");
  CHECK(web->path == "/2/tweets");
  CHECK(web->query == "max_results=5");
  CHECK(web->url == "https://api.x.com/2/tweets?max_results=5");  // no fragment: it never goes on the wire
  CHECK(is_web_url("HTTPS://www.pcmcindia.gov.in"));
  CHECK(is_loopback_url("HTTP://LOCALHOST:8080/"));
  CHECK(parse_url("http://[::1]:8080/a")->host == "::1");
  // The same checks whatever the case: "SMTP://" is not a way around smtp's rules.
  CHECK_FALSE(check_endpoint("SMTPS://mail.example.org:465", {"smtp", "smtps"}, {}));
  CHECK_THAT(*check_endpoint("HTTP://api.x.com", {"https"}, {"http"}), Catch::Contains("allowed only for loopback hosts"));
}

TEST_CASE("an endpoint with a user name or password is refused without quoting it", "[net]") {
  auto problem = check_endpoint("smtp://mailer:pw-Ab3-secret@mail.example.org:587", {"smtp", "smtps"}, {});
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("holds a user name or password") && !Catch::Contains("pw-Ab3-secret"));
  auto unparsable = check_endpoint("smtp://mailer:pw-Ab3-secret@", {"smtp"}, {});
  REQUIRE(unparsable);
  CHECK_THAT(*unparsable, !Catch::Contains("pw-Ab3-secret"));
  CHECK(parse_url("https://u:p@x.org/")->has_userinfo);
  CHECK_FALSE(parse_url("https://x.org/")->has_userinfo);
}

TEST_CASE("mailto: URIs are read in any case, their address percent-decoded", "[net]") {
  auto m = parse_mailto("MAILTO:unsubscribe%2Bwater@lists.example.org?subject=unsubscribe");
  REQUIRE(m);
  CHECK(m->address == "unsubscribe+water@lists.example.org");
  CHECK(m->query == "subject=unsubscribe");
  CHECK(m->url == "mailto:unsubscribe%2Bwater@lists.example.org?subject=unsubscribe");
  CHECK_FALSE(parse_mailto("https://lists.example.org/u"));
  CHECK_FALSE(parse_mailto("mailto:"));
  CHECK_FALSE(parse_mailto("mailto:a@b.org\r\nBcc: x@y.org"));  // not URI text
}

TEST_CASE("URI text is RFC 3986's characters only", "[net]") {
  CHECK(is_uri_text("https://lists.example.org/u/water-supply?x=1&y=%20#f"));
  CHECK(is_uri_text("mailto:a@b.org?subject=unsubscribe"));
  for (const char* bad : {"", "https://x.org/a b", "https://x.org/a\r\nX: y", "https://x.org/\t", "https://x.org/पाणी",
                          "mailto:a@b.org?subject=a>b", "https://x.org/<", "https://x.org/\"", "https://x.org/\\"}) {
    INFO(bad);
    CHECK_FALSE(is_uri_text(bad));
  }
}

TEST_CASE("a store location is a PostgreSQL server only when it is written as libpq's connection URI", "[net]") {
  CHECK(samvad::net::is_postgres_url("postgresql://samvad@db.example.org/samvad?sslmode=verify-full"));
  CHECK(samvad::net::is_postgres_url("postgres://127.0.0.1/samvad"));
  CHECK_FALSE(samvad::net::is_postgres_url("/var/lib/samvad/state.db"));
  CHECK_FALSE(samvad::net::is_postgres_url("postgresql.db"));
  CHECK_FALSE(samvad::net::is_postgres_url("host=db.example.org dbname=samvad"));  // a key=value string is not taken
}
