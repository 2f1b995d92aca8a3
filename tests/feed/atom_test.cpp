#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <samvad/core/error.hpp>
#include <samvad/feed/atom.hpp>
#include "feed/feed_fixtures.hpp"

using samvad::feed::Entry;
using samvad::feed::EntryText;
using samvad::feed::FeedHead;
using samvad::feed::kAtomNamespace;
using samvad::feed::read_feed;
using samvad::feed::remove_entry;
using samvad::feed::tag_uri;
using samvad::feed::update_feed;
using samvad::test::feed_time;

namespace {

const std::string kBase = "https://www.pcmcindia.gov.in/notices";

FeedHead head() {
  return FeedHead{tag_uri(kBase, feed_time(), "water-supply/feed"),
                  "पाणीपुरवठा विभाग — पिंपरी चिंचवड महानगरपालिका",
                  "mr",
                  kBase + "/water-supply/feed.atom",
                  kBase + "/water-supply/",
                  "पिंपरी चिंचवड महानगरपालिका"};
}

Entry entry(const std::string& id, int minutes, std::vector<std::string> langs = {"mr", "en"}) {
  Entry e;
  e.id = tag_uri(kBase, feed_time(minutes), "water-supply/" + id);
  e.updated = feed_time(minutes);
  e.link = kBase + "/water-supply/" + id + ".html";
  for (const auto& l : langs)
    e.texts.push_back(EntryText{l, l == "mr" ? "पाणीपुरवठा बंद " + id : "Water supply interrupted " + id,
                                "<p>" + l + " <b>body</b> & more</p>"});
  return e;
}

struct XmlDoc {
  explicit XmlDoc(const std::string& xml)
      : doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "feed.atom", nullptr, XML_PARSE_NONET)) {}
  ~XmlDoc() { xmlFreeDoc(doc); }
  XmlDoc(const XmlDoc&) = delete;
  XmlDoc& operator=(const XmlDoc&) = delete;
  xmlDoc* doc;
};

std::string name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }
std::string text_of(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}
std::string prop(const xmlNode* n, const char* name, const xmlChar* ns = nullptr) {
  xmlChar* v = ns ? xmlGetNsProp(n, reinterpret_cast<const xmlChar*>(name), ns)
                  : xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "<none>";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}
std::vector<xmlNode*> children(xmlNode* parent, const std::string& name) {
  std::vector<xmlNode*> out;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next)
    if (n->type == XML_ELEMENT_NODE && name_of(n) == name) out.push_back(n);
  return out;
}

samvad::Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const samvad::Error& e) {
    return e;
  }
  FAIL("no error");
  throw;
}

}  // namespace

TEST_CASE("an entry's id is a tag: URI of the base URL's host, the recorded date and the announcement", "[feed]") {
  CHECK(tag_uri(kBase, feed_time(), "water-supply/ann-1") == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1");
  // 23:00 in Kolkata is still the 3rd in UTC: the date does not move with the configured zone.
  CHECK(tag_uri("http://[::1]:8080/n", feed_time(20 * 60), "x/y") == "tag:localhost,2026-12-04:x/y");
}

TEST_CASE("a written feed is Atom with the required elements and one entry per language, each with xml:lang",
          "[feed]") {
  const std::string xml = update_feed("", head(), entry("ann-1", 0), "feed.atom");
  XmlDoc doc(xml);
  REQUIRE(doc.doc != nullptr);
  xmlNode* root = xmlDocGetRootElement(doc.doc);
  REQUIRE(name_of(root) == "feed");
  REQUIRE(root->ns != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(root->ns->href)) == kAtomNamespace);
  CHECK(prop(root, "lang", XML_XML_NAMESPACE) == "mr");
  REQUIRE(children(root, "id").size() == 1);
  CHECK(text_of(children(root, "id")[0]) == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/feed");
  REQUIRE(children(root, "title").size() == 1);
  CHECK(text_of(children(root, "title")[0]) == "पाणीपुरवठा विभाग — पिंपरी चिंचवड महानगरपालिका");
  REQUIRE(children(root, "updated").size() == 1);
  CHECK(text_of(children(root, "updated")[0]) == "2026-12-03T04:00:00+00:00");
  std::vector<std::string> rels;
  for (xmlNode* l : children(root, "link")) rels.push_back(prop(l, "rel") + " " + prop(l, "href"));
  CHECK(rels ==
        std::vector<std::string>{"self " + kBase + "/water-supply/feed.atom", "alternate " + kBase + "/water-supply/"});
  REQUIRE(children(root, "author").size() == 1);
  CHECK(text_of(children(children(root, "author")[0], "name")[0]) == "पिंपरी चिंचवड महानगरपालिका");

  auto entries = children(root, "entry");
  REQUIRE(entries.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string lang = i == 0 ? "en" : "mr";  // same time: ordered by id
    INFO(lang);
    xmlNode* e = entries[i];
    CHECK(prop(e, "lang", XML_XML_NAMESPACE) == lang);
    REQUIRE(children(e, "id").size() == 1);
    CHECK(text_of(children(e, "id")[0]) == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1/" + lang);
    REQUIRE(children(e, "title").size() == 1);
    CHECK(prop(children(e, "title")[0], "lang", XML_XML_NAMESPACE) == lang);
    REQUIRE(children(e, "updated").size() == 1);
    CHECK(text_of(children(e, "updated")[0]) == "2026-12-03T04:00:00+00:00");
    REQUIRE(children(e, "content").size() == 1);
    xmlNode* content = children(e, "content")[0];
    CHECK(prop(content, "type") == "html");
    CHECK(prop(content, "lang", XML_XML_NAMESPACE) == lang);
    CHECK(text_of(content) == "<p>" + lang + " <b>body</b> & more</p>");  // escaped in the file, HTML once read
    REQUIRE(children(e, "link").size() == 1);
    CHECK(prop(children(e, "link")[0], "rel") == "alternate");
    CHECK(prop(children(e, "link")[0], "href") == kBase + "/water-supply/ann-1.html");
  }
  CHECK_THAT(xml, Catch::Contains("&lt;p&gt;mr &lt;b&gt;body&lt;/b&gt; &amp; more&lt;/p&gt;"));
  CHECK_THAT(xml, Catch::Contains("पाणीपुरवठा बंद ann-1"));  // UTF-8, not character references
}

TEST_CASE("updating a feed with an entry it holds gives the same bytes, and ids stay stable", "[feed]") {
  const std::string once = update_feed("", head(), entry("ann-1", 0), "feed.atom");
  const std::string twice = update_feed(once, head(), entry("ann-1", 0), "feed.atom");
  CHECK(twice == once);
  const std::string more = update_feed(once, head(), entry("ann-2", 10), "feed.atom");
  auto feed = read_feed(more, "feed.atom");
  REQUIRE(feed.entries.size() == 4);
  CHECK(feed.entries[0].id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-2/en");
  CHECK(feed.entries[3].id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1/mr");
  CHECK(feed.updated == "2026-12-03T04:10:00+00:00");
  // A feed's id is kept once written, even when the head would say otherwise.
  FeedHead other = head();
  other.id = "tag:example.org,2030-01-01:other";
  CHECK(read_feed(update_feed(more, other, entry("ann-3", 20), "feed.atom"), "feed.atom").id == feed.id);
  // Changed content replaces the announcement's entries instead of adding more.
  Entry changed = entry("ann-1", 0);
  changed.texts[0].title = "नवीन शीर्षक";
  auto replaced = read_feed(update_feed(more, head(), changed, "feed.atom"), "feed.atom");
  CHECK(replaced.entries.size() == 4);
  CHECK(std::count_if(replaced.entries.begin(), replaced.entries.end(),
                      [](auto& e) { return e.title == "नवीन शीर्षक"; }) == 1);
}

TEST_CASE("a feed keeps the newest 100 entries whatever order they come in", "[feed]") {
  std::vector<int> order(105);
  for (int i = 0; i < 105; ++i) order[static_cast<std::size_t>(i)] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::string xml;
  for (int i : order) xml = update_feed(xml, head(), entry("ann-" + std::to_string(i), i, {"en"}), "feed.atom");
  auto feed = read_feed(xml, "feed.atom");
  REQUIRE(feed.entries.size() == 100);
  CHECK(feed.entries.front().id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-104/en");
  CHECK(feed.entries.back().id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-5/en");
  CHECK(feed.updated == "2026-12-03T05:44:00+00:00");
  for (std::size_t i = 1; i < feed.entries.size(); ++i) CHECK(feed.entries[i - 1].updated > feed.entries[i].updated);
}

TEST_CASE("the entry limit never keeps half of an announcement's languages", "[feed]") {
  std::string xml;
  for (int i = 0; i < 51; ++i) xml = update_feed(xml, head(), entry("ann-" + std::to_string(i), i), "feed.atom");
  auto feed = read_feed(xml, "feed.atom");
  CHECK(feed.entries.size() == 100);
  CHECK(feed.entries.back().id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1/mr");
  // An odd count: 33 three-language announcements fit as 99 entries, the 34th not at all.
  std::string three;
  for (int i = 0; i < 34; ++i)
    three = update_feed(three, head(), entry("a" + std::to_string(i), i, {"mr", "en", "hi"}), "feed.atom");
  CHECK(read_feed(three, "feed.atom").entries.size() == 99);
}

TEST_CASE("removing an announcement takes all its languages and nothing else", "[feed]") {
  std::string xml = update_feed("", head(), entry("ann-1", 0), "feed.atom");
  xml = update_feed(xml, head(), entry("ann-10", 5), "feed.atom");
  const std::string removed = remove_entry(xml, "water-supply/ann-1", "feed.atom");
  auto feed = read_feed(removed, "feed.atom");
  REQUIRE(feed.entries.size() == 2);
  for (const auto& e : feed.entries)
    CHECK_THAT(e.id, Catch::EndsWith("water-supply/ann-10/en") || Catch::EndsWith("water-supply/ann-10/mr"));
  CHECK(feed.updated == "2026-12-03T04:05:00+00:00");
  CHECK(remove_entry(removed, "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1", "feed.atom") == removed);
  CHECK(read_feed(remove_entry(removed, "tag:other.example,2020-01-01:water-supply/ann-10", "feed.atom"), "feed.atom")
            .entries.empty());
}

TEST_CASE("a file that is not samvad's Atom feed is refused with its name, never replaced", "[feed]") {
  const std::string valid = update_feed("", head(), entry("ann-1", 0), "feed.atom");
  std::string no_generator = valid;
  no_generator.replace(no_generator.find("<generator>samvad</generator>"), 29, "");
  std::string broken = valid.substr(0, valid.size() / 2);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"<html><body>not a feed</body></html>", "root element"},
      {"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", "root element"},
      {"<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id></feed>", "generator"},
      {no_generator, "generator"},
      {broken, "not well-formed XML"},
      {"<!DOCTYPE feed [<!ENTITY a \"aaaa\">]><feed xmlns=\"http://www.w3.org/2005/Atom\">&a;</feed>", "DOCTYPE"},
  };
  for (const auto& c : cases) {
    const std::string& bytes = c.first;
    const std::string& why = c.second;
    INFO(bytes.substr(0, 60));
    auto e = error_of([&] { update_feed(bytes, head(), entry("ann-2", 1), "/var/www/notices/feed.atom"); });
    CHECK(e.code() == samvad::ExitCode::data);
    REQUIRE(e.diagnostics().front().where);
    CHECK(e.diagnostics().front().where->file == "/var/www/notices/feed.atom");
    CHECK_THAT(e.diagnostics().front().message,
               Catch::Contains("not an Atom feed written by samvad") && Catch::Contains(why));
    auto r = error_of([&] { remove_entry(bytes, "water-supply/ann-1", "/var/www/notices/feed.atom"); });
    CHECK(r.code() == samvad::ExitCode::data);
  }
  auto e = error_of([&] { read_feed(broken, "feed.atom"); });
  CHECK(e.diagnostics().front().where->line > 1);  // where libxml2 stopped
}
