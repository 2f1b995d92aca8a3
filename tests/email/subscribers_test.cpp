#include <catch2/catch.hpp>

#include <fstream>

#include <samvad/email/subscribers.hpp>
#include <samvad/net/mail_address.hpp>

#include "support/process.hpp"

using namespace samvad::email;

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
  CHECK(list.problems[0].to_string() ==
        "lists/water.txt:4:1: 'not-an-address' is not a valid email address; expected one address like "
        "name@example.org per line (line skipped)");
}

TEST_CASE("a subscriber line that is not UTF-8 or holds control characters is quoted escaped and skipped", "[email]") {
  const std::string long_line(5000, 'x');
  auto list = parse_subscribers(
      "a@example.org\n"
      "caf\xE9@example.org\n"
      "\x1B[31mred\x1B[0m@example.org\n" +
          long_line + "\n",
      "lists/water.txt");
  CHECK(list.addresses == std::vector<std::string>{"a@example.org"});
  REQUIRE(list.problems.size() == 3);
  CHECK(
      list.problems[0].to_string() ==
      "lists/water.txt:2:4: 'caf\\xE9@example.org' is not valid UTF-8; expected one address like name@example.org per "
      "line, in UTF-8 (line skipped)");
  CHECK_THAT(list.problems[1].message,
             Catch::StartsWith("'\\x1B[31mred\\x1B[0m@example.org' is not a valid email address"));
  CHECK_THAT(list.problems[2].message,
             Catch::StartsWith("'" + std::string(79, 'x') + "…' is not a valid email address"));
}

namespace {

// The reader fed `text` in pieces of `size` bytes (lines and characters cut anywhere).
SubscriberList read_in_pieces(std::string_view text, std::size_t size) {
  SubscriberList out;
  SubscriberReader reader("lists/water.txt", [&](std::string&& a) { out.addresses.push_back(std::move(a)); });
  for (std::size_t at = 0; at < text.size(); at += size) reader.feed(text.substr(at, size));
  auto found = reader.finish();
  out.problems = std::move(found.problems);
  out.duplicates = found.duplicates;
  return out;
}

}  // namespace

TEST_CASE("a subscriber file read in pieces gives what it gives read whole, wherever the pieces end", "[email]") {
  const std::string text =
      "# पाणीपुरवठा subscribers\r\n"
      "\n"
      "   \n"
      "a@example.org\r\n"
      "# a comment with a@example.org in it\n"
      "not-an-address\n"
      "\tb@example.org \n"
      "a@EXAMPLE.ORG\n"
      "नाव@example.org\n"
      "caf\xE9@example.org\n"
      "c@उदाहरण.भारत\n"
      "b@example.org\n"
      "d@example.org";  // no line end at the end
  const SubscriberList whole = parse_subscribers(text, "lists/water.txt");
  // A Devanagari domain goes in its ASCII form; a Devanagari mailbox name is not an RFC 5321 address.
  const std::string idn = samvad::net::normalize_address("c@उदाहरण.भारत").value_or("");
  CHECK(idn.rfind("c@xn--", 0) == 0);
  CHECK(whole.addresses == std::vector<std::string>{"a@example.org", "b@example.org", idn, "d@example.org"});
  CHECK(whole.duplicates == 2);
  REQUIRE(whole.problems.size() == 3);
  CHECK(whole.problems[0].where->line == 6);
  CHECK(whole.problems[1].where->line == 9);
  CHECK(whole.problems[2].where->line == 10);
  for (std::size_t size : {1u, 2u, 3u, 7u, 16u, 1000u}) {
    INFO("pieces of " << size << " bytes");
    const SubscriberList pieces = read_in_pieces(text, size);
    CHECK(pieces.addresses == whole.addresses);
    CHECK(pieces.duplicates == whole.duplicates);
    REQUIRE(pieces.problems.size() == whole.problems.size());
    for (std::size_t i = 0; i < whole.problems.size(); ++i)
      CHECK(pieces.problems[i].to_string() == whole.problems[i].to_string());
  }
}

TEST_CASE("duplicates are told apart by a hash of each address, across a list of 200,000", "[email]") {
  SeenAddresses seen;
  for (int i = 0; i < 200000; ++i) REQUIRE(seen.insert("citizen" + std::to_string(i) + "@example.org"));
  for (int i = 0; i < 200000; i += 997) CHECK_FALSE(seen.insert("citizen" + std::to_string(i) + "@example.org"));
  CHECK(seen.insert("someone-new@example.org"));
}

TEST_CASE("a subscriber file is read from disk in pieces, with the same rules", "[email]") {
  samvad::test::TempDir dir;
  std::string text = "# big\n";
  for (int i = 0; i < 30000; ++i) text += "person" + std::to_string(i) + "@example.org\n";  // several 64 KiB reads
  text += "person7@Example.org\nnot-an-address\n";
  const auto path = dir.path() / "big.txt";
  std::ofstream(path) << text;
  std::vector<std::string> got;
  const SubscriberFindings found = read_subscribers(path, [&](std::string&& a) { got.push_back(std::move(a)); });
  CHECK(got == parse_subscribers(text, path.string()).addresses);
  CHECK(got.size() == 30000);
  CHECK(found.duplicates == 1);
  REQUIRE(found.problems.size() == 1);
  CHECK(found.problems[0].where->line == 30003);
  CHECK_THROWS_AS(read_subscribers(dir.path() / "missing.txt", [](std::string&&) {}), samvad::Error);
}
