// The tests' base64 (support/base64.hpp): a wrong encoder would let the leak tests look for the
// wrong bytes and pass without seeing a leaked login.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "support/base64.hpp"

using samvad::test::base64_decode;
using samvad::test::base64_encode;

TEST_CASE("the tests' base64 gives RFC 4648's test vectors and reads them back", "[support]") {
  // RFC 4648 section 10.
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    INFO(bytes);
    CHECK(base64_encode(bytes) == text);
    CHECK(base64_decode(text) == bytes);
  }
  // AUTH PLAIN's NULs and bytes above 0x7f go through whole.
  const std::string plain = std::string(1, '\0') + "user" + std::string(1, '\0') + "पासवर्ड\xff";
  CHECK(base64_encode(std::string(1, '\0') + "u" + std::string(1, '\0') + "p") == "AHUAcA==");
  CHECK(base64_decode(base64_encode(plain)) == plain);
  CHECK_THROWS_AS(base64_decode("Zm9"), std::runtime_error);
  CHECK_THROWS_AS(base64_decode("Zm9*"), std::runtime_error);
}
