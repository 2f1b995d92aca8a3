// URL, hashtag and mention extraction. The URL cases are taken from twitter-text's
// conformance/extract.yml (Apache-2.0), which is not among the files in tests/data/twitter-text, plus Marathi ones.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <samvad/text/entities.hpp>
#include <samvad/text/url_extract.hpp>
#include <samvad/text/utf16.hpp>

namespace {

using samvad::text::Span;

std::vector<std::string> texts(const std::string& text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& span : spans) out.push_back(text.substr(span.begin, span.end - span.begin));
  return out;
}

std::vector<std::string> urls(const std::string& text) { return texts(text, samvad::text::extract_urls(text)); }
std::vector<std::string> hashtags(const std::string& text) { return texts(text, samvad::text::extract_hashtags(text)); }
std::vector<std::string> mentions(const std::string& text) { return texts(text, samvad::text::extract_mentions(text)); }

using List = std::vector<std::string>;

}  // namespace

TEST_CASE("URLs are found as twitter-text's extract.yml expects", "[text]") {
  struct Case {
    std::string text;
    List expected;
  };
  const std::vector<Case> cases = {
      {"text http://google.com", {"http://google.com"}},
      {"(http://twitter.com", {"http://twitter.com"}},
      {"foo.com foo.net foo.org foo.edu foo.gov", {"foo.com", "foo.net", "foo.org", "foo.edu", "foo.gov"}},
      {"foo.baz foo.co.jp www.xxxxxxx.baz www.foo.co.uk wwwww.xxxxxxx foo.comm foo.somecom foo.govedu foo.jp",
       {"foo.co.jp", "www.foo.co.uk"}},
      {"t.co/abcde bit.ly/abcde", {"t.co/abcde", "bit.ly/abcde"}},
      {"http://foo.jp http://fooooo.jp", {"http://foo.jp", "http://fooooo.jp"}},
      {"twitter.jp日本語it.so中国語foo.jp it.so foo.jp", {}},
      {"MLB.tv vine.co twitch.tv t.co", {"MLB.tv", "vine.co", "twitch.tv", "t.co"}},
      {"これは日本語です。example.com/path/index.html中国語example.com/path한국",
       {"example.com/path/index.html", "example.com/path"}},
      {"twitter.comこれは日本語です。example.com中国語t.co/abcde한국twitter.com example2.comテストtwitter.com/abcde",
       {"twitter.com", "example.com", "t.co/abcde", "twitter.com", "example2.com", "twitter.com/abcde"}},
      {"http://twitter.com/これは日本語です。example.com中国語http://t.co/"
       "abcde한국twitter.comテストexample2.comテストhttp://"
       "twitter.com/abcde",
       {"http://twitter.com/", "example.com", "http://t.co/abcde", "twitter.com", "example2.com",
        "http://twitter.com/abcde"}},
      {"@user Try http:// example.com/path", {"example.com/path"}},
      {"text http://domain.com-that-you-should-have-put-a-space-after", {"http://domain.com"}},
      {"text http://foo.com?#foo text", {"http://foo.com?#foo"}},
      {"Go to http://example.com/view/slug-url-?foo=bar", {"http://example.com/view/slug-url-?foo=bar"}},
      {"text http://en.wikipedia.org/wiki/Primer_(film)", {"http://en.wikipedia.org/wiki/Primer_(film)"}},
      {"text http://msdn.microsoft.com/ja-jp/library/system.net.httpwebrequest(v=VS.100).aspx",
       {"http://msdn.microsoft.com/ja-jp/library/system.net.httpwebrequest(v=VS.100).aspx"}},
      {"test http://www.foo.com/foo/path-with-period./", {"http://www.foo.com/foo/path-with-period./"}},
      {"Test a ton of periods http://example.com/path..........................................",
       {"http://example.com/path"}},
      {"Test a ton of periods http://example.com/path/!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
       {"http://example.com/path/"}},
      {"test http://sub_domain-dash.twitter.com", {"http://sub_domain-dash.twitter.com"}},
      {"test http://a.b.cd", {"http://a.b.cd"}},
      {"test http://-leadingdash.twitter.com", {}},
      {"test http://trailingunderscore_.twitter.com", {}},
      {"test http://twitter_underscore.com", {}},
      {"test http://twitter.c_o_m", {}},
      {"test ELPAÍS.com", {"ELPAÍS.com"}},
      {"#test.com @test.com #http://test.com @http://test.com #t.co/abcde @t.co/abcde", {}},
      {"I really like http://t.co/pbY2NfTZ's website", {"http://t.co/pbY2NfTZ"}},
      {"http://t.co/pbY2NfTZ's http://t.co/2vYHpAc5; http://t.co/ulYGBYSo: http://t.co/8MkmHU0k+c "
       "http://t.co/TKLp64dY.x http://t.co/8t7G3ddS#a http://t.co/FNkPfmii-",
       {"http://t.co/pbY2NfTZ", "http://t.co/2vYHpAc5", "http://t.co/ulYGBYSo", "http://t.co/8MkmHU0k",
        "http://t.co/TKLp64dY", "http://t.co/8t7G3ddS", "http://t.co/FNkPfmii"}},
      {"http://twitter.com\nhttp://example.com\nhttp://example.com/path\nexample.com/path\nit.so\nit.so/abcde",
       {"http://twitter.com", "http://example.com", "http://example.com/path", "example.com/path", "it.so/abcde"}},
      {"$http://twitter.com $twitter.com $http://t.co/abcde $t.co/abcde $t.co $TVI.CA $RBS.CA", {}},
      {"long.test.tar.bz2 test.tar.bz2 tar.bz2", {}},
      {"john.doe.gov@mail.com", {}},
      {"test http://xn--ls8h.XN--ls8h.la/", {"http://xn--ls8h.XN--ls8h.la/"}},
      {"test http://foobar.みんな/ http://foobar.中国/ http://foobar.پاکستان/ ",
       {"http://foobar.みんな/", "http://foobar.中国/", "http://foobar.پاکستان/"}},
      // Marathi notices
      {"अधिक माहितीसाठी https://www.pmc.gov.in/mr/water-supply या संकेतस्थळाला भेट द्या।",
       {"https://www.pmc.gov.in/mr/water-supply"}},
      {"माहिती pmc.gov.in/water येथे", {"pmc.gov.in/water"}},
      {"संपर्क: pmc.gov.in", {"pmc.gov.in"}},
      {"अर्ज mahaonline.gov.in वर करा। http://पुणे.भारत/सूचना", {"mahaonline.gov.in", "http://पुणे.भारत/"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(urls(c.text) == c.expected);
  }
}

TEST_CASE("URL spans are byte offsets in UTF-8 and code units in UTF-16", "[text]") {
  const std::string text = "皆さん見てください！ http://google.com";
  const auto in_bytes = samvad::text::extract_urls(text);
  REQUIRE(in_bytes.size() == 1);
  CHECK(in_bytes[0] == Span{31, 48});
  const auto in_units = samvad::text::extract_urls_utf16(samvad::text::from_utf8(text));
  REQUIRE(in_units.size() == 1);
  CHECK(in_units[0] == Span{11, 28});  // extract.yml's indices
}

TEST_CASE("a URL whose domain label is over 63 characters once punycoded is no URL", "[text]") {
  const std::string label(64, 'a');
  CHECK(urls("http://" + label + ".com").empty());
  CHECK(urls("http://" + label.substr(1) + ".com") == List{"http://" + label.substr(1) + ".com"});
  // t.co slugs are at most 40 characters.
  CHECK(urls("http://t.co/" + std::string(40, 'a')) == List{"http://t.co/" + std::string(40, 'a')});
  CHECK(urls("http://t.co/" + std::string(41, 'a')).empty());
}

TEST_CASE("hashtags keep Devanagari vowel signs and viramas", "[text]") {
  CHECK(hashtags("#पाणीपुरवठा बंद") == List{"#पाणीपुरवठा"});
  CHECK(hashtags("पुणे #पाणी_कपात, आज #स्वच्छ_भारत।") == List{"#पाणी_कपात", "#स्वच्छ_भारत"});
  CHECK(hashtags("＃पुणे") == List{"＃पुणे"});
  CHECK(hashtags("#2024 #१२") == List{});  // digits only
  CHECK(hashtags("a#b c&#d") == List{});
  CHECK(hashtags("http://twitter.com/#hashtag twitter.com/#hashtag") == List{});
  CHECK(hashtags("#tag#more #http://x.com") == List{});
}

TEST_CASE("mentions are @ and up to 20 word characters after a non-word character", "[text]") {
  CHECK(mentions("संपर्क @PMCPune, @MahaWater") == List{"@PMCPune", "@MahaWater"});
  CHECK(mentions("mail@test.com f!@kn") == List{});
  CHECK(mentions("RT@username rt:@mention") == List{"@username", "@mention"});
  CHECK(mentions("@username/list-name is great") == List{"@username/list-name"});
  CHECK(mentions("@aliceìnheiro @http://x.com") == List{});
}
