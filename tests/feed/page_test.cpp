#include <catch2/catch.hpp>

#include <string>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <samvad/core/error.hpp>
#include <samvad/feed/page.hpp>
#include "feed/feed_fixtures.hpp"

using samvad::feed::body_fragment;
using samvad::feed::LanguageText;
using samvad::feed::render_page;
using samvad::feed::sanitize_html;
using samvad::test::sample_notice;

namespace {

struct HtmlDoc {
  explicit HtmlDoc(const std::string& html)
      : doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
                           HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)) {}
  ~HtmlDoc() { xmlFreeDoc(doc); }
  HtmlDoc(const HtmlDoc&) = delete;
  HtmlDoc& operator=(const HtmlDoc&) = delete;
  xmlDoc* doc;
};

std::string name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "<none>";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

// Every element in document order, with a visitor.
template <typename F>
void each_element(xmlNode* n, F&& f) {
  for (; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      f(n);
      each_element(n->children, f);
    }
  }
}

}  // namespace

TEST_CASE("a page holds every language in its own section with lang attributes and the published time", "[feed]") {
  const std::string page = render_page(sample_notice());
  CHECK(page.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK_THAT(page, Catch::Contains("<html lang=\"mr\">"));
  CHECK_THAT(page, Catch::Contains("<section lang=\"mr\">"));
  CHECK_THAT(page, Catch::Contains("<section lang=\"en\">"));
  CHECK(page.find("<section lang=\"mr\">") < page.find("<section lang=\"en\">"));
  CHECK_THAT(page, Catch::Contains("<title>पाणीपुरवठा बंद ann-1 | Water supply interrupted ann-1</title>"));
  CHECK_THAT(page, Catch::Contains("<h1>पाणीपुरवठा बंद ann-1</h1>"));
  CHECK_THAT(page, Catch::Contains("पिंपरी चिंचवड महानगरपालिका — पाणीपुरवठा विभाग"));
  CHECK_THAT(page, Catch::Contains("Pimpri Chinchwad Municipal Corporation — Water Supply Department"));
  CHECK_THAT(page, Catch::Contains("<time datetime=\"2026-12-03T09:30:00+05:30\">2026-12-03T09:30:00+05:30</time>"));
  CHECK_THAT(page, Catch::Contains("<p>उद्या <b>पाणीपुरवठा</b> बंद राहील.</p>"));
  CHECK_THAT(
      page,
      Catch::Contains(
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"));
  CHECK_THAT(page, !Catch::Contains("&#"));     // Devanagari as UTF-8, not character references
  CHECK(render_page(sample_notice()) == page);  // pure: the same notice, the same bytes
}

TEST_CASE("a page has no scripts, event handlers or javascript: URLs, whatever the template's HTML holds", "[feed]") {
  auto notice = sample_notice();
  notice.languages[1].html =
      "<p onclick=\"steal()\" class=\"x\">Read <a href=\" JaVa\tScript:alert(1)\" onmouseover=\"x()\">this</a> and "
      "<a href=\"https://www.pcmcindia.gov.in/water\">that</a>.</p><script>alert('hi')</script>"
      "<style>body{display:none}</style><iframe src=\"https://evil.example\"></iframe>"
      "<object data=\"x.swf\"></object><embed src=\"x.swf\"><img src=\"data:image/svg+xml,&lt;svg "
      "onload=alert(1)&gt;\" "
      "onerror=\"alert(2)\" alt=\"map\"><!--[if IE]><script>alert(3)</script><![endif]-->"
      "<form action=\"https://evil.example\"><input name=q></form><p>end</p>";
  const std::string page = render_page(notice);
  HtmlDoc doc(page);
  REQUIRE(doc.doc != nullptr);
  int links = 0;
  each_element(xmlDocGetRootElement(doc.doc), [&](xmlNode* n) {
    const std::string name = name_of(n);
    INFO(name);
    for (const char* banned : {"script", "iframe", "object", "embed", "form", "input"}) CHECK(name != banned);
    if (name == "style") CHECK((n->parent != nullptr && name_of(n->parent) == "head"));  // only the page's own
    for (xmlAttr* a = n->properties; a != nullptr; a = a->next) {
      const std::string attribute = reinterpret_cast<const char*>(a->name);
      INFO(attribute);
      CHECK(attribute.rfind("on", 0) != 0);
    }
    if (name == "a") {
      ++links;
      if (attr(n, "href") != "<none>") CHECK(attr(n, "href") == "https://www.pcmcindia.gov.in/water");
    }
    if (name == "img") CHECK(attr(n, "src") == "<none>");
  });
  CHECK(links == 2);
  CHECK_THAT(page, !Catch::Contains("alert"));
  CHECK_THAT(page, !Catch::Contains("steal"));
  CHECK_THAT(page, !Catch::Contains("display:none"));
  CHECK_THAT(page, Catch::Contains("class=\"x\""));  // ordinary markup stays
  CHECK_THAT(page, Catch::Contains("alt=\"map\""));
  CHECK_THAT(page, Catch::Contains("<p>end</p>"));
}

TEST_CASE("a plain-text body is escaped into paragraphs and kept in NFC", "[feed]") {
  // U+0928 U+093C is NFC's U+0929 (ऩ); the renderer normalizes, and so does the page.
  LanguageText t{"mr", "शीर्षक", "", "पहिला <b>परिच्छेद</b> & \"quote\"\nदुसरी ओळ\n\n\u0928\u093C तिसरा"};
  const std::string html = body_fragment(t);
  CHECK(html == "<p>पहिला &lt;b&gt;परिच्छेद&lt;/b&gt; &amp; \"quote\"<br>दुसरी ओळ</p>\n<p>\u0929 तिसरा</p>");
}

TEST_CASE("sanitizing keeps ordinary markup and Devanagari as written", "[feed]") {
  CHECK(
      sanitize_html("<p lang=\"mr\">पाणी <strong>बंद</strong></p><ul><li><a href=\"/notices/x.html\">x</a></li></ul>") ==
      "<p lang=\"mr\">पाणी <strong>बंद</strong></p>\n<ul><li><a href=\"/notices/x.html\">x</a></li></ul>");
  CHECK(sanitize_html("<a href=\"mailto:water@example.org\">m</a><a href=\"vbscript:x\">v</a>") ==
        "<a href=\"mailto:water@example.org\">m</a><a>v</a>");
  CHECK(sanitize_html("") == "");
}

TEST_CASE("a notice without languages has no page", "[feed]") {
  auto notice = sample_notice();
  notice.languages.clear();
  try {
    render_page(notice);
    FAIL("no error");
  } catch (const samvad::Error& e) {
    CHECK(e.code() == samvad::ExitCode::data);
  }
}
