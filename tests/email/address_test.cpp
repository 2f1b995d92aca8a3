#include <catch2/catch.hpp>

#include <samvad/email/address.hpp>
#include <samvad/email/subscribers.hpp>

using namespace samvad::email;

TEST_CASE("RFC 5321 mailboxes are accepted and malformed ones refused", "[email]") {
  for (const char* good : {"a@example.org", "first.last@lists.example.org", "x+tag@example.co.in",
                           "o'brien@example.org", "\"john doe\"@example.org", "user@[127.0.0.1]",
                           "user@[IPv6:::1]", "a!#$%&'*+-/=?^_`{|}~@example.org"}) {
    INFO(good);
    CHECK(is_valid_address(good));
  }
  for (const char* bad : {"", "plain", "@example.org", "user@", "user@@example.org", ".user@example.org",
                          "user.@example.org", "us..er@example.org", "user@example", "user@-example.org",
                          "user@exa_mple.org", "us er@example.org", "user@example..org", "\"unclosed@example.org"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_address(bad));
  }
  CHECK_FALSE(is_valid_address(std::string(65, 'a') + "@example.org"));  // local part over 64 octets
}

TEST_CASE("an internationalized domain is accepted and converted to its ASCII form", "[email]") {
  auto a = normalize_address("nagrik@उदाहरण.भारत");
  REQUIRE(a);
  CHECK(*a == "nagrik@xn--p1b6ci4b4b3a.xn--h2brj9c");
  CHECK(normalize_address("Someone@Example.ORG") == "Someone@example.org");
}

TEST_CASE("subscriber files skip bad lines with file:line and send duplicates once", "[email]") {
  auto list = parse_subscribers(
      "# water supply subscribers\n"
      "a@example.org\n"
      "\n"
      "not-an-address\n"
      "  b@example.org  \r\n"
      "A@EXAMPLE.org\n"
      "a@Example.org\n",
      "lists/water.txt");
  CHECK(list.addresses == std::vector<std::string>{"a@example.org", "b@example.org", "A@example.org"});
  CHECK(list.duplicates == 1);  // a@Example.org is a@example.org; A@... differs in the local part
  REQUIRE(list.problems.size() == 1);
  CHECK(list.problems[0].to_string() == "lists/water.txt:4:1: 'not-an-address' is not a valid email address; expected one address like name@example.org per line (line skipped)");
}

TEST_CASE("a subscriber line that is not UTF-8 or holds control characters is quoted escaped and skipped", "[email]") {
  const std::string long_line(5000, 'x');
  auto list = parse_subscribers("a@example.org\n"
                                "caf\xE9@example.org\n"
                                "\x1B[31mred\x1B[0m@example.org\n" +
                                    long_line + "\n",
                                "lists/water.txt");
  CHECK(list.addresses == std::vector<std::string>{"a@example.org"});
  REQUIRE(list.problems.size() == 3);
  CHECK(list.problems[0].to_string() ==
        "lists/water.txt:2:4: 'caf\\xE9@example.org' is not valid UTF-8; expected one address like name@example.org per "
        "line, in UTF-8 (line skipped)");
  CHECK_THAT(list.problems[1].message, Catch::StartsWith("'\\x1B[31mred\\x1B[0m@example.org' is not a valid email address"));
  CHECK_THAT(list.problems[2].message, Catch::StartsWith("'" + std::string(79, 'x') + "…' is not a valid email address"));
}
