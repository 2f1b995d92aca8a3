#include <catch2/catch.hpp>

#include <samvad/net/url.hpp>

using namespace samvad::net;

TEST_CASE("loopback hosts are recognised and nothing else is", "[net]") {
  for (const char* h : {"localhost", "LOCALHOST", "127.0.0.1", "127.10.20.30", "::1"}) CHECK(is_loopback_host(h));
  for (const char* h : {"128.0.0.1", "10.0.0.1", "example.org", "localhost.example.org", "::2", ""}) CHECK_FALSE(is_loopback_host(h));
  CHECK(is_loopback_url("http://[::1]:8080/"));
  CHECK_FALSE(is_loopback_url("http://api.x.com/"));
}

TEST_CASE("endpoints must use an allowed scheme; plain ones only on loopback", "[net]") {
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
