// same_post_text: a post read back from X is recognised by undoing exactly what X does to a text
// (NFC, t.co links for URLs, &, < and > escaped), and a text that differs in anything else,
// a link above all, is not taken for it.
#include <catch2/catch.hpp>

#include <samvad/twitter/post_text.hpp>

using samvad::twitter::same_post_text;
using samvad::twitter::UrlEntity;

namespace {

UrlEntity link(std::size_t start, std::string tco, std::string expanded) {
  return UrlEntity{start, start + tco.size(), std::move(tco), std::move(expanded)};
}

}  // namespace

TEST_CASE("a text without links or escapes matches itself and nothing else", "[twitter]") {
  CHECK(same_post_text("Water supply restored in Nigdi. #PCMC", "Water supply restored in Nigdi. #PCMC", {}));
  CHECK_FALSE(same_post_text("Water supply restored in Nigdi. #PCMC", "Water supply restored in Akurdi. #PCMC", {}));
  // Nothing else is forgiven: not spaces, not case.
  CHECK_FALSE(same_post_text("Water supply restored", "Water supply restored ", {}));
  CHECK_FALSE(same_post_text("Water supply restored", "water supply restored", {}));
}

TEST_CASE("a link comes back as t.co and is put back from entities.urls", "[twitter]") {
  const std::string sent = "Details: https://www.pcmcindia.gov.in/notices/101 #PCMC";
  const std::string returned = "Details: https://t.co/Ab12Cd34Ef #PCMC";
  CHECK(same_post_text(sent, returned, {link(9, "https://t.co/Ab12Cd34Ef", "https://www.pcmcindia.gov.in/notices/101")}));

  SECTION("a corrigendum that differs only in its link is another post") {
    CHECK_FALSE(
        same_post_text(sent, returned, {link(9, "https://t.co/Ab12Cd34Ef", "https://www.pcmcindia.gov.in/notices/102")}));
  }
  SECTION("without the entities nothing shows what the t.co link stands for") {
    CHECK_FALSE(same_post_text(sent, returned, {}));
  }
  SECTION("an entity whose link is not in the text explains nothing") {
    CHECK_FALSE(
        same_post_text(sent, returned, {link(9, "https://t.co/ZZZZZZZZZZ", "https://www.pcmcindia.gov.in/notices/101")}));
  }
  SECTION("the text around the link still has to be the same") {
    CHECK_FALSE(same_post_text(sent, "More: https://t.co/Ab12Cd34Ef #PCMC",
                               {link(6, "https://t.co/Ab12Cd34Ef", "https://www.pcmcindia.gov.in/notices/101")}));
  }
}

TEST_CASE("several links are matched in order, whatever order X lists them in", "[twitter]") {
  const std::string sent = "Map https://pcmc.example.org/map and form https://pcmc.example.org/form.";
  const std::string returned = "Map https://t.co/AAAAAAAAAA and form https://t.co/BBBBBBBBBB.";
  const UrlEntity map = link(4, "https://t.co/AAAAAAAAAA", "https://pcmc.example.org/map");
  const UrlEntity form = link(37, "https://t.co/BBBBBBBBBB", "https://pcmc.example.org/form");
  CHECK(same_post_text(sent, returned, {form, map}));
  // The same two links swapped are another text.
  CHECK_FALSE(same_post_text(sent, returned,
                             {link(4, "https://t.co/AAAAAAAAAA", "https://pcmc.example.org/form"),
                              link(37, "https://t.co/BBBBBBBBBB", "https://pcmc.example.org/map")}));
  // One link missing from the entities.
  CHECK_FALSE(same_post_text(sent, returned, {map}));
}

TEST_CASE("a bare domain is a link too, and X puts http:// before it", "[twitter]") {
  const std::string sent = "See pcmcindia.gov.in/water for the schedule";
  const std::string returned = "See https://t.co/Qw12Er34Ty for the schedule";
  CHECK(same_post_text(sent, returned, {link(4, "https://t.co/Qw12Er34Ty", "http://pcmcindia.gov.in/water")}));
  CHECK(same_post_text(sent, returned, {link(4, "https://t.co/Qw12Er34Ty", "pcmcindia.gov.in/water")}));
  CHECK_FALSE(same_post_text(sent, returned, {link(4, "https://t.co/Qw12Er34Ty", "https://pcmcindia.gov.in/water")}));
  CHECK_FALSE(same_post_text(sent, returned, {link(4, "https://t.co/Qw12Er34Ty", "http://pcmcindia.gov.in/roads")}));
  // A link sent with a scheme gets nothing added.
  CHECK_FALSE(same_post_text("See https://pcmcindia.gov.in/water", "See https://t.co/Qw12Er34Ty",
                             {link(4, "https://t.co/Qw12Er34Ty", "http://https://pcmcindia.gov.in/water")}));
}

TEST_CASE("Devanagari sent in NFD matches X's NFC text, and the other way round", "[twitter]") {
  // ऱ (U+0931, eyelash ra in Marathi) is र (U+0930) + nukta (U+093C) composed.
  const std::string nfd = "दुरुस्ती\u0930\u093C्या कामामुळे पाणीपुरवठा बंद";
  const std::string nfc = "दुरुस्ती\u0931्या कामामुळे पाणीपुरवठा बंद";
  REQUIRE(nfd != nfc);
  CHECK(same_post_text(nfd, nfc, {}));
  CHECK(same_post_text(nfc, nfd, {}));
  CHECK(same_post_text(nfc, nfc, {}));
  // Another letter is another text, in any form.
  CHECK_FALSE(same_post_text(nfd, "दुरुस्ती\u0930्या कामामुळे पाणीपुरवठा बंद", {}));
  // With a link after the Devanagari: the pieces around it are compared in NFC too.
  CHECK(same_post_text(nfd + " https://www.pcmcindia.gov.in", nfc + " https://t.co/Mn12Bv34Cx",
                       {link(37, "https://t.co/Mn12Bv34Cx", "https://www.pcmcindia.gov.in")}));
}

TEST_CASE("&, < and > come back escaped once, and are unescaped exactly once", "[twitter]") {
  CHECK(same_post_text("Water & Sewage <Nigdi> 5>3", "Water &amp; Sewage &lt;Nigdi&gt; 5&gt;3", {}));
  // A sent entity is escaped by X like any other &: it stays what was sent.
  CHECK(same_post_text("R&amp;D wing", "R&amp;amp;D wing", {}));
  CHECK_FALSE(same_post_text("R&D wing", "R&amp;amp;D wing", {}));
  CHECK(same_post_text("a &lt; b", "a &amp;lt; b", {}));
  CHECK_FALSE(same_post_text("a < b", "a &amp;lt; b", {}));
  // Other entities are not X's doing.
  CHECK_FALSE(same_post_text("It's", "It&#39;s", {}));
  CHECK_FALSE(same_post_text("Water & Sewage", "Water &quot; Sewage", {}));
  // Escapes around a link: the link's & is in the entity, never escaped.
  CHECK(same_post_text("Q&A: https://pcmc.example.org/faq?a=1&b=2", "Q&amp;A: https://t.co/Zx12Cv34Bn",
                       {link(9, "https://t.co/Zx12Cv34Bn", "https://pcmc.example.org/faq?a=1&b=2")}));
}
