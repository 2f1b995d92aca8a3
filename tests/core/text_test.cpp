// Untrusted text: finding bytes that are not UTF-8, and quoting text from files and the command
// line in messages so that it can neither drive a terminal nor flood it.
#include <catch2/catch.hpp>

#include <string>

#include <samvad/core/error.hpp>
#include <samvad/core/text.hpp>

using samvad::escape_for_terminal;
using samvad::invalid_utf8_at;
using samvad::line_text_problem;
using samvad::shown;

TEST_CASE("invalid_utf8_at finds the first byte that is not UTF-8", "[core]") {
  CHECK_FALSE(invalid_utf8_at(""));
  CHECK_FALSE(invalid_utf8_at("water supply"));
  CHECK_FALSE(invalid_utf8_at("पाणीपुरवठा खंडित 😀"));
  CHECK_FALSE(invalid_utf8_at(std::string("a\0b", 3)));  // NUL is UTF-8; what it means is for the caller
  CHECK(invalid_utf8_at("caf\xE9") == 3u);               // Latin-1 é
  CHECK(invalid_utf8_at("पाणी\xE0\xA4") == 12u);         // a Devanagari letter cut short
  CHECK(invalid_utf8_at("\xC0\xAF") == 0u);              // an overlong '/'
  CHECK(invalid_utf8_at("ok \xED\xA0\x80") == 3u);       // an encoded surrogate
  CHECK(invalid_utf8_at("\xF4\x90\x80\x80") == 0u);      // past U+10FFFF
  CHECK(invalid_utf8_at("\xFF\xFE" "a\0" "b\0") == 0u);  // UTF-16 with its byte order mark
}

TEST_CASE("position_of counts lines and characters, not bytes", "[core]") {
  const std::string text = "kind: x\nnote: पाणी\xE9";
  const auto at = invalid_utf8_at(text);
  REQUIRE(at);
  const samvad::TextPosition p = samvad::position_of(text, *at);
  CHECK(p.line == 2);
  CHECK(p.column == 11);  // "note: " and four Devanagari code points before it
}

TEST_CASE("escape_for_terminal writes control characters, bidi overrides and bad bytes as escapes", "[core]") {
  CHECK(escape_for_terminal("plain") == "plain");
  CHECK(escape_for_terminal("a\nb\r\tc") == "a\\nb\\r\\tc");
  CHECK(escape_for_terminal("\x1B[31mred\x1B[0m") == "\\x1B[31mred\\x1B[0m");
  CHECK(escape_for_terminal("\x7F") == "\\x7F");
  CHECK(escape_for_terminal("\xC2\x85 \xC2\x9B") == "\\u0085 \\u009B");          // C1 controls (NEL, CSI)
  CHECK(escape_for_terminal("abc\xE2\x80\xAE" "fdp.exe") == "abc\\u202Efdp.exe");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(escape_for_terminal("line\xE2\x80\xA8next") == "line\\u2028next");
  CHECK(escape_for_terminal("caf\xE9!") == "caf\\xE9!");
  // Marathi keeps its joiners: ZWJ and ZWNJ shape conjuncts and are not controls.
  CHECK(escape_for_terminal("र\xE2\x80\x8D्य क्\xE2\x80\x8Cष") == "र\xE2\x80\x8D्य क्\xE2\x80\x8Cष");
}

TEST_CASE("shown escapes and cuts to whole characters with an ellipsis", "[core]") {
  CHECK(shown("short") == "short");
  CHECK(shown(std::string(80, 'a')) == std::string(80, 'a'));
  CHECK(shown(std::string(81, 'a')) == std::string(79, 'a') + "…");
  CHECK(shown(std::string(100000, 'a'), 10) == std::string(9, 'a') + "…");
  // An escape counts by what is shown.
  CHECK(shown("\x1B\x1B\x1B", 9) == "\\x1B\\x1B…");
  CHECK(shown("\x1B\x1B\x1B", 8) == "\\x1B…");  // never half an escape
  CHECK(shown("\x1B\x1B\x1B", 12) == "\\x1B\\x1B\\x1B");
  // Never half a grapheme cluster: "क्ष" is three code points and one character on screen.
  std::string ksha;
  for (int i = 0; i < 30; ++i) ksha += "क्ष";
  const std::string cut = shown(ksha, 10);
  CHECK(cut.size() % std::string("क्ष").size() == std::string("…").size());
  CHECK_FALSE(invalid_utf8_at(cut));
  CHECK(shown("\xFF\xFE", 80) == "\\xFF\\xFE");
}

TEST_CASE("line_text_problem names the first control character or bad byte", "[core]") {
  CHECK_FALSE(line_text_problem("circular-12.pdf"));
  CHECK_FALSE(line_text_problem("परिपत्रक १२ \"final\".pdf"));
  CHECK(line_text_problem("a\nb.pdf") == "a line break (\\n) at character 2");
  CHECK(line_text_problem("ab\rc") == "a line break (\\r) at character 3");
  CHECK(line_text_problem("tab\there") == "a control character (\\t) at character 4");
  CHECK(line_text_problem("\x1B[2J") == "a control character (\\x1B) at character 1");
  CHECK(line_text_problem("पाणी\xFF") == "a byte that is not UTF-8 (\\xFF) at character 5");
}

TEST_CASE("a diagnostic never prints a raw control character, whatever its message quotes", "[core]") {
  samvad::Diagnostic d{samvad::ExitCode::data, "bad value '\x1B[2J'", samvad::SourceLocation{"lists/a\nb.txt", 3, 1}};
  CHECK(d.to_string() == "lists/a\\nb.txt:3:1: bad value '\\x1B[2J'");
}

TEST_CASE("display width counts what a terminal shows: clusters, and two columns for wide ones", "[core][text]") {
  CHECK(samvad::display_width("water-supply") == 12);
  CHECK(samvad::display_width("") == 0);
  // पाणी: प, ा, ण, ी are four code points in two clusters (पा, णी).
  CHECK(samvad::display_width("पाणी") == 2);
  CHECK(samvad::display_width("क्षेत्र") == 2);  // क्षे, त्र
  CHECK(samvad::display_width("日本") == 4);
  CHECK(samvad::display_width("e\xCC\x81") == 1);  // e + combining acute
}
