#include <catch2/catch.hpp>

#include <samvad/text/script.hpp>

using namespace samvad::text;

TEST_CASE("a language's script comes from ICU's locale data", "[text]") {
  CHECK(non_latin_script("mr") == "Devanagari");
  CHECK(non_latin_script("hi") == "Devanagari");
  CHECK(non_latin_script("gu") == "Gujarati");
  CHECK_FALSE(non_latin_script("en"));
  CHECK_FALSE(non_latin_script("fr"));
  CHECK_FALSE(non_latin_script("qq"));  // unknown to ICU: nothing to check against
  CHECK(language_name("mr") == "Marathi");
}

TEST_CASE("a text lacks a language's script when it has letters and none of that script", "[text]") {
  CHECK(lacks_script_of("Nigdi, Akurdi", "mr"));
  CHECK(lacks_script_of("Nigdi", "hi"));
  CHECK(lacks_script_of("નિગડી", "mr"));  // Gujarati letters are not Devanagari either
  CHECK_FALSE(lacks_script_of("निगडी, आकुर्डी", "mr"));
  CHECK_FALSE(lacks_script_of("निगडी (Nigdi)", "mr"));  // an English name quoted in Marathi
  CHECK_FALSE(lacks_script_of("1500, 09:00 - ₹३", "mr"));  // no letters: nothing to say
  CHECK_FALSE(lacks_script_of("", "mr"));
  CHECK_FALSE(lacks_script_of("Nigdi", "en"));
  CHECK_FALSE(lacks_script_of("निगडी", "en"));  // Latin languages are not checked
  CHECK_FALSE(lacks_script_of("\xff\xfe", "mr"));  // invalid UTF-8 has no letters
}
