// Splitting long announcements into numbered threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>

#include <samvad/core/error.hpp>
#include <samvad/text/entities.hpp>
#include <samvad/text/thread_split.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/text/url_extract.hpp>
#include <samvad/text/utf16.hpp>

namespace {

using samvad::text::split_thread;
using samvad::text::weighted_length;

// A water-supply shutdown notice of the kind samvad posts: Devanagari with danda sentence
// ends, dates with "दि.", a phone number, a URL, hashtags and a mention.
const std::string notice =
    "पुणे महानगरपालिका पाणीपुरवठा विभाग – महत्त्वाची सूचना। पर्वती जलकेंद्रातील मुख्य जलवाहिनीच्या "
    "तातडीच्या दुरुस्तीच्या कामासाठी गुरुवार, दि. १२ डिसेंबर २०२४ रोजी सकाळी १० वाजल्यापासून शुक्रवार, "
    "दि. १३ डिसेंबर रोजी सकाळी ६ वाजेपर्यंत पाणीपुरवठा पूर्णपणे बंद राहील। यामुळे सहकारनगर, पद्मावती, "
    "बिबवेवाडी, कात्रज, धनकवडी, आंबेगाव आणि कोंढवा परिसरातील नागरिकांना पाणी मिळणार नाही। शुक्रवारी "
    "सायंकाळचा पाणीपुरवठा उशिरा व कमी दाबाने होण्याची शक्यता आहे। नागरिकांनी आवश्यक तेवढा पाणीसाठा "
    "आधीच करून ठेवावा आणि पाण्याचा काटकसरीने वापर करावा। टँकरसाठी हेल्पलाइन क्रमांक १८००-१०३-०२२२ वर "
    "संपर्क साधावा। अधिक माहितीसाठी https://www.pmc.gov.in/mr/water-supply-shutdown-december-2024 या "
    "संकेतस्थळाला भेट द्या। होणाऱ्या गैरसोयीबद्दल महानगरपालिका दिलगीर आहे। #पाणीपुरवठा #पुणे @PMCPune";

bool is_space_byte(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Checks what every split must satisfy and returns where each part's text lies in `original`.
std::vector<samvad::text::Span> check_thread(const std::string& original, const std::vector<std::string>& parts) {
  const int count = static_cast<int>(parts.size());
  std::vector<samvad::text::Span> spans;
  std::size_t pos = 0;
  for (int i = 0; i < count; ++i) {
    const std::string& part = parts[static_cast<std::size_t>(i)];
    INFO("part " << i + 1 << ": " << part);
    const auto length = samvad::text::measure_tweet(part);
    CHECK(length.valid);
    CHECK(length.weighted_length <= 280);
    const std::string counter = samvad::text::thread_counter(i + 1, count);
    REQUIRE(part.size() > counter.size());
    REQUIRE(part.substr(part.size() - counter.size()) == counter);
    const std::string content = part.substr(0, part.size() - counter.size());
    CHECK_FALSE(is_space_byte(content.front()));
    CHECK_FALSE(is_space_byte(content.back()));
    // Parts are the original text in order, with only whitespace left out between them.
    while (pos < original.size() && is_space_byte(original[pos]) && original.compare(pos, content.size(), content) != 0)
      ++pos;
    REQUIRE(original.compare(pos, content.size(), content) == 0);
    spans.push_back({pos, pos + content.size()});
    pos += content.size();
  }
  while (pos < original.size() && is_space_byte(original[pos])) ++pos;
  CHECK(pos == original.size());

  // No URL, hashtag or mention is cut.
  for (const auto& entities : {samvad::text::extract_urls(original), samvad::text::extract_hashtags(original),
                               samvad::text::extract_mentions(original)})
    for (const samvad::text::Span& entity : entities) {
      INFO("entity " << original.substr(entity.begin, entity.end - entity.begin));
      CHECK(std::any_of(spans.begin(), spans.end(),
                        [&](const auto& part) { return part.begin <= entity.begin && entity.end <= part.end; }));
    }

  // Every cut is between two grapheme clusters, as ICU sees them.
  const samvad::text::Utf16Text decoded = samvad::text::decode_utf8(original);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> clusters(
      icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  REQUIRE(U_SUCCESS(status));
  clusters->setText(decoded.text);
  auto unit_at = [&](std::size_t byte) {
    const auto it = std::find(decoded.byte_offsets.begin(), decoded.byte_offsets.end(), byte);
    REQUIRE(it != decoded.byte_offsets.end());
    return static_cast<int32_t>(it - decoded.byte_offsets.begin());
  };
  for (const auto& span : spans) {
    CHECK(clusters->isBoundary(unit_at(span.begin)));
    CHECK(clusters->isBoundary(unit_at(span.end)));
  }
  return spans;
}

std::string content_of(const std::string& part, int index, int count) {
  return part.substr(0, part.size() - samvad::text::thread_counter(index, count).size());
}

samvad::ExitCode error_code_of(const std::string& text) {
  try {
    split_thread(text);
  } catch (const samvad::Error& e) {
    return e.code();
  }
  return samvad::ExitCode::ok;
}

}  // namespace

TEST_CASE("a tweet that fits comes back unchanged and without a counter", "[text]") {
  const std::string tweet = "  उद्या पाणीपुरवठा सुरळीत राहील। #पुणे \n";
  CHECK(split_thread(tweet) == std::vector<std::string>{tweet});
  const std::string exactly_280(280, 'x');
  CHECK(split_thread(exactly_280) == std::vector<std::string>{exactly_280});
}

TEST_CASE("a long Marathi notice splits into the fewest parts at sentence ends", "[text]") {
  // Three parts are needed: two hold at most 2 * (280 - 6) without the whitespace between them.
  const int total = weighted_length(notice);
  REQUIRE(total > 2 * (280 - 6));
  const std::vector<std::string> parts = split_thread(notice);
  REQUIRE(parts.size() == 3);
  check_thread(notice, parts);
  CHECK(parts[0].ends_with("। (1/3)"));
  CHECK(parts[1].ends_with("। (2/3)"));
  CHECK(parts[2].ends_with("#पाणीपुरवठा #पुणे @PMCPune (3/3)"));
  // "दि. १२" is an abbreviation, not a sentence end, so no part ends in "दि.".
  for (const std::string& part : parts) CHECK_FALSE(part.find("दि. (") != std::string::npos);
}

TEST_CASE("English text splits at a sentence end even when a mid-sentence split would be more even", "[text]") {
  const std::string s1 =
      "Water supply to Ward 5 will be shut on Thursday, 12 December, from 10 am to 6 pm for urgent repairs to the "
      "main pipeline near the Parvati water works.";
  const std::string s2 =
      "Residents of Sahakarnagar, Padmavati and Bibwewadi are requested to store enough water in advance and to use "
      "it sparingly during the shutdown.";
  const std::string s3 = "Tankers can be booked on the helpline 1800-103-0222. We regret the inconvenience.";
  const std::string text = s1 + " " + s2 + " " + s3;
  REQUIRE(weighted_length(text) > 280);
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() == 2);
  check_thread(text, parts);
  CHECK(parts[0] == s1 + " (1/2)");
  CHECK(parts[1] == s2 + " " + s3 + " (2/2)");
}

TEST_CASE("the period of an abbreviation like दि. does not end a sentence", "[text]") {
  // One long sentence with "दि." near its start. Were "दि. " a sentence end, the split would be
  // there (63 | 240); as a word break like the others, the most even split wins.
  std::string text = "महानगरपालिकेच्या पाणीपुरवठा विभागाने कळवले आहे की दि. १२ डिसेंबर रोजी";
  while (weighted_length(text) < 290) text += " सकाळी पाणीपुरवठा बंद राहील";
  text += "।";
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() == 2);
  check_thread(text, parts);
  CHECK_FALSE(content_of(parts[0], 1, 2).ends_with("दि."));
  const int first = weighted_length(content_of(parts[0], 1, 2));
  const int second = weighted_length(content_of(parts[1], 2, 2));
  CHECK(std::abs(first - second) <= 12);
}

TEST_CASE("the counter is a space and (index/count)", "[text]") {
  CHECK(samvad::text::thread_counter(1, 3) == " (1/3)");
  CHECK(samvad::text::thread_counter(10, 12) == " (10/12)");
}

TEST_CASE("among sentence splits the most even one is chosen", "[text]") {
  std::vector<std::string> sentences;
  for (int i = 1; i <= 20; ++i)
    sentences.push_back("Notice item " + std::string(i < 10 ? "0" : "") + std::to_string(i) + " holds.");
  std::string text, first_half;
  for (int i = 0; i < 20; ++i) {
    text += (i ? " " : "") + sentences[static_cast<std::size_t>(i)];
    if (i == 9) first_half = text;
  }
  // Any 8..12 sentences fit in a part; 10 and 10 is the even split.
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() == 2);
  check_thread(text, parts);
  CHECK(content_of(parts[0], 1, 2) == first_half);
}

TEST_CASE("a sentence too long for one part breaks between words, evenly", "[text]") {
  std::string text = "Dear residents";
  for (int i = 0; i < 60; ++i) text += " please";
  text += " store water.";
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() == 2);
  check_thread(text, parts);
  const int first = weighted_length(content_of(parts[0], 1, 2));
  const int second = weighted_length(content_of(parts[1], 2, 2));
  CHECK(std::abs(first - second) <= 7);  // one word either way
}

TEST_CASE("paragraphs stay intact and keep their newlines inside parts", "[text]") {
  const std::string p1 = "पाणीपुरवठा विभाग\nमहत्त्वाची सूचना";
  std::string p2 = "दुरुस्तीच्या कामासाठी";
  while (weighted_length(p2) < 200) p2 += " दुरुस्तीच्या कामासाठी";
  std::string p3 = "नागरिकांनी सहकार्य करावे";
  while (weighted_length(p3) < 150) p3 += " नागरिकांनी सहकार्य करावे";
  const std::string text = p1 + "\n\n" + p2 + "\n\n" + p3;
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() == 2);
  check_thread(text, parts);
  CHECK(parts[0] == p1 + "\n\n" + p2 + " (1/2)");
  CHECK(parts[1] == p3 + " (2/2)");
}

TEST_CASE("a word longer than a part breaks between grapheme clusters, keeping conjuncts whole", "[text]") {
  std::string word;
  for (int i = 0; i < 40; ++i) word += "क्षत्रिय";  // 8 code points each: क ् ष त ् र ि य
  REQUIRE(weighted_length(word) == 320);
  const std::vector<std::string> parts = split_thread(word);
  REQUIRE(parts.size() == 2);
  check_thread(word, parts);
  CHECK(content_of(parts[0], 1, 2) + content_of(parts[1], 2, 2) == word);
  // The first part does not end in a virama and the second does not start with a vowel sign.
  const icu::UnicodeString first = samvad::text::from_utf8(content_of(parts[0], 1, 2));
  const icu::UnicodeString second = samvad::text::from_utf8(content_of(parts[1], 2, 2));
  CHECK(first.char32At(first.length() - 1) != 0x094D);
  CHECK((U_GET_GC_MASK(second.char32At(0)) & U_GC_M_MASK) == 0);
}

TEST_CASE("counters widen from (9/N) to (10/N) and every part still fits", "[text]") {
  std::string text;
  for (int i = 1; i <= 30; ++i)
    text += "Sentence " + std::to_string(i) +
            " of the long notice explains one more detail of the planned water supply shutdown in the city. ";
  const std::vector<std::string> parts = split_thread(text);
  REQUIRE(parts.size() >= 10);
  check_thread(text, parts);
  const int count = static_cast<int>(parts.size());
  // Fewest parts: no two neighbours would fit together in one part.
  for (int i = 0; i + 1 < count; ++i) {
    const std::string merged = content_of(parts[static_cast<std::size_t>(i)], i + 1, count) + " " +
                               content_of(parts[static_cast<std::size_t>(i) + 1], i + 2, count) +
                               samvad::text::thread_counter(i + 1, count - 1);
    CHECK(weighted_length(merged) > 280);
  }
}

TEST_CASE("text that cannot become a thread is a data error", "[text]") {
  using samvad::ExitCode;
  CHECK(error_code_of("#" + std::string(300, 'a')) == ExitCode::data);  // a hashtag is never broken
  std::string long_tag = "#";
  for (int i = 0; i < 30; ++i) long_tag += "पाणीपुरवठा";
  CHECK(error_code_of("सूचना " + long_tag + " समाप्त") == ExitCode::data);
  CHECK(error_code_of("") == ExitCode::data);
  CHECK(error_code_of(" \n ") == ExitCode::data);
  CHECK(error_code_of("पाणी\xEF\xBB\xBFपुरवठा") == ExitCode::data);  // U+FEFF, a stray byte order mark
  try {
    split_thread("सूचना " + long_tag);
    FAIL("no error");
  } catch (const samvad::Error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("cannot be broken"));
  }
}

TEST_CASE("a text that needs more than 25 posts is refused, saying how long it is", "[text]") {
  using samvad::ExitCode;
  std::string sentence = "पाणीपुरवठा विभागाची सूचना: निगडी, आकुर्डी आणि चिंचवड परिसरात उद्या सकाळी नऊ ते संध्याकाळी पाच या वेळेत "
                         "दुरुस्तीच्या कामासाठी पाणीपुरवठा बंद राहील. ";
  std::string text;
  while (samvad::text::weighted_length(text) < 25 * 280) text += sentence;
  try {
    split_thread(text);
    FAIL("no error for a text of " << samvad::text::weighted_length(text));
  } catch (const samvad::Error& e) {
    CHECK(e.code() == ExitCode::data);
    CHECK_THAT(std::string(e.what()), Catch::Contains("the text is " + std::to_string(samvad::text::weighted_length(text)) +
                                                      " characters long as X counts them") &&
                                          Catch::Contains("a thread has at most 25 posts") &&
                                          Catch::Contains("link to it"));
  }
  // Just under the limit it is still a thread, of at most 25 parts.
  std::string shorter;
  while (samvad::text::weighted_length(shorter + sentence) < 20 * 280) shorter += sentence;
  CHECK(split_thread(shorter).size() <= 25);
}

TEST_CASE("text that is not UTF-8 cannot become a tweet or a thread", "[text]") {
  using samvad::ExitCode;
  CHECK(error_code_of("पाणीपुरवठा \xE0\xA4") == ExitCode::data);
  CHECK(error_code_of("caf\xE9") == ExitCode::data);
  try {
    split_thread("ok\xFF");
    FAIL("no error");
  } catch (const samvad::Error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("not valid UTF-8 (at byte 3)"));
  }
}
