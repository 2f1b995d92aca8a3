#include <catch2/catch.hpp>

#include <samvad/net/mail_address.hpp>

using namespace samvad;

TEST_CASE("RFC 5321 mailboxes are accepted and malformed ones refused", "[net][email]") {
  for (const char* good :
       {"a@example.org", "first.last@lists.example.org", "x+tag@example.co.in", "o'brien@example.org",
        "\"john doe\"@example.org", "user@[127.0.0.1]", "user@[IPv6:::1]", "a!#$%&'*+-/=?^_`{|}~@example.org"}) {
    INFO(good);
    CHECK(net::is_valid_address(good));
  }
  for (const char* bad : {"", "plain", "@example.org", "user@", "user@@example.org", ".user@example.org",
                          "user.@example.org", "us..er@example.org", "user@example", "user@-example.org",
                          "user@exa_mple.org", "us er@example.org", "user@example..org", "\"unclosed@example.org"}) {
    INFO(bad);
    CHECK_FALSE(net::is_valid_address(bad));
  }
  CHECK_FALSE(net::is_valid_address(std::string(65, 'a') + "@example.org"));  // local part over 64 octets
}

TEST_CASE("an internationalized domain is accepted and converted to its ASCII form", "[net][email]") {
  auto a = net::normalize_address("nagrik@उदाहरण.भारत");
  REQUIRE(a);
  CHECK(*a == "nagrik@xn--p1b6ci4b4b3a.xn--h2brj9c");
  CHECK(net::normalize_address("Someone@Example.ORG") == "Someone@example.org");
}

TEST_CASE("a header address is a valid address already in ASCII", "[net][email]") {
  CHECK(net::is_ascii_address("announcements@example.org"));
  CHECK(net::is_ascii_address("nagrik@xn--p1b6ci4b4b3a.xn--h2brj9c"));
  CHECK_FALSE(net::is_ascii_address("nagrik@उदाहरण.भारत"));  // valid, but headers need its ASCII form
  CHECK_FALSE(net::is_ascii_address("not-an-address"));
  CHECK_FALSE(net::is_ascii_address("a@example.org\r\nBcc: x@example.org"));
  CHECK(net::is_dot_atom_text("example.org"));
  CHECK_FALSE(net::is_dot_atom_text("[192.0.2.1]"));
  CHECK_FALSE(net::is_dot_atom_text(""));
}

TEST_CASE("header text refuses line breaks, other control characters and invalid UTF-8", "[net][email]") {
  CHECK_FALSE(net::header_text_problem("पिंपरी चिंचवड महानगरपालिका"));
  CHECK_FALSE(net::header_text_problem("PCMC \"Office\""));
  CHECK_THAT(*net::header_text_problem("PCMC\r\nBcc: x@example.org"), Catch::Contains("line break"));
  CHECK_THAT(*net::header_text_problem("PCMC\nX"), Catch::Contains("line break"));
  CHECK_THAT(*net::header_text_problem("PCMC\tOffice"), Catch::Contains("U+0009"));
  CHECK_THAT(*net::header_text_problem(std::string("PCMC\0x", 6)), Catch::Contains("U+0000"));
  CHECK_THAT(*net::header_text_problem("PCMC\x7F"), Catch::Contains("U+007F"));
  CHECK_THAT(*net::header_text_problem("PCMC\xC2\x85"), Catch::Contains("U+0085"));  // NEL, a C1 control
  CHECK_THAT(*net::header_text_problem("PCMC\xFF"), Catch::Contains("not valid UTF-8"));
}

TEST_CASE("a List-Unsubscribe URL is https or mailto, in URI characters, whatever the scheme's case", "[net][email]") {
  for (const char* good : {"https://lists.example.org/u/water-supply", "HTTPS://Lists.Example.org/u/x",
                           "mailto:unsubscribe@lists.example.org?subject=unsubscribe", "MailTo:u@lists.example.org"}) {
    INFO(good);
    CHECK_FALSE(net::unsubscribe_problem(good));
  }
  for (const char* bad : {"http://lists.example.org/u", "ftp://lists.example.org/u", "lists.example.org/u",
                          "https://lists.example.org/u/पाणी", "https://lists.example.org/u>x",
                          "mailto:u@lists.example.org\r\nBcc: all@example.org", "mailto:nobody", "mailto:u@उदाहरण.भारत",
                          "https://user:pw@lists.example.org/u"}) {
    INFO(bad);
    CHECK(net::unsubscribe_problem(bad));
  }
  CHECK(net::is_one_click_unsubscribe("HTTPS://lists.example.org/u"));
  CHECK_FALSE(net::is_one_click_unsubscribe("mailto:u@lists.example.org"));
}
