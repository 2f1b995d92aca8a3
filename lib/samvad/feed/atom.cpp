#include <samvad/feed/atom.hpp>

#include <algorithm>
#include <climits>
#include <memory>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <samvad/core/error.hpp>
#include <samvad/feed/xml.hpp>
#include <samvad/net/url.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::feed {

namespace {

using xml::chars;

// What marks a feed as samvad's own: another file at that place is refused, never replaced.
constexpr const char* kGenerator = "samvad";

// RFC 3339 in UTC, one shape for every value, so that comparing the text compares the instants.
std::string atom_time(std::chrono::system_clock::time_point t) { return text::format_iso8601(t, "UTC"); }

bool is_atom_time(const std::string& s) {
  static const std::string shape = "dddd-dd-ddTdd:dd:dd+00:00";
  if (s.size() != shape.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return false;
  }
  return true;
}

[[noreturn]] void refuse(const std::string& file, int line, const std::string& why) {
  throw Error(ExitCode::data,
              "not an Atom feed written by samvad: " + why +
                  "; expected the feed samvad writes there (move this file away and samvad starts a new feed)",
              SourceLocation{file, line, 0});
}

int line_of(const xmlNode* node) { return node == nullptr ? 0 : static_cast<int>(xmlGetLineNo(node)); }

bool is_atom(const xmlNode* node, std::string_view name) {
  return xml::is_element(node, name) && node->ns != nullptr && node->ns->href != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->ns->href)) == kAtomNamespace;
}

std::string own_lang(const xmlNode* node) {
  xmlChar* value = xmlGetNsProp(node, chars("lang"), XML_XML_NAMESPACE);
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

// The part of a tag: URI after "tag:<authority>,<date>:", which names the announcement whatever
// the host or the date (RFC 4151 section 2.1); the whole text when it is not a tag: URI.
std::string specific_of(const std::string& id) {
  if (id.rfind("tag:", 0) != 0) return id;
  const std::size_t comma = id.find(',');
  if (comma == std::string::npos) return id;
  const std::size_t colon = id.find(':', comma);
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

bool of_announcement(const std::string& entry_id, const std::string& announcement) {
  const std::string specific = specific_of(entry_id);
  return specific == announcement ||
         (specific.size() > announcement.size() && specific.compare(0, announcement.size(), announcement) == 0 &&
          specific[announcement.size()] == '/');
}

// The announcement an entry is a language of: its id without "/<language>".
std::string group_of(const FeedEntry& e) {
  const std::size_t slash = e.id.rfind('/');
  return slash == std::string::npos ? e.id : e.id.substr(0, slash);
}

void sort_and_trim(std::vector<FeedEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const FeedEntry& a, const FeedEntry& b) {
    if (a.updated != b.updated) return a.updated > b.updated;
    return a.id < b.id;
  });
  std::size_t kept = 0;
  while (kept < entries.size()) {
    const std::string group = group_of(entries[kept]);
    std::size_t end = kept;
    while (end < entries.size() && group_of(entries[end]) == group) ++end;
    if (end > kMaxEntries) break;  // the next announcement would not fit whole
    kept = end;
  }
  entries.resize(kept);
}

struct ParserContextDeleter {
  void operator()(xmlParserCtxt* c) const noexcept { xmlFreeParserCtxt(c); }
};

xmlNode* add_text(xmlNode* parent, xmlNs* ns, const char* name, const std::string& value) {
  return xmlNewTextChild(parent, ns, chars(name), chars(xml::clean_text(value)));
}

void add_link(xmlNode* parent, xmlNs* ns, const char* rel, const char* type, const std::string& href,
              const std::string& hreflang = {}) {
  xmlNode* link = xmlNewChild(parent, ns, chars("link"), nullptr);
  xmlSetProp(link, chars("rel"), chars(rel));
  xmlSetProp(link, chars("type"), chars(type));
  if (!hreflang.empty()) xmlSetProp(link, chars("hreflang"), chars(hreflang));
  xmlSetProp(link, chars("href"), chars(xml::clean_text(href)));
}

std::string write_feed(const Feed& feed) {
  xml::init();
  xml::Doc doc(xmlNewDoc(chars("1.0")));
  if (!doc) throw std::bad_alloc();
  xmlNode* root = xmlNewNode(nullptr, chars("feed"));
  xmlNs* ns = xmlNewNs(root, chars(kAtomNamespace), nullptr);
  xmlSetNs(root, ns);
  xmlDocSetRootElement(doc.get(), root);
  if (!feed.lang.empty()) xmlNodeSetLang(root, chars(feed.lang));
  add_text(root, ns, "id", feed.id);
  xmlSetProp(add_text(root, ns, "title", feed.title), chars("type"), chars("text"));
  add_text(root, ns, "updated", feed.updated);
  add_link(root, ns, "self", "application/atom+xml", feed.self_url);
  add_link(root, ns, "alternate", "text/html", feed.alternate_url);
  add_text(xmlNewChild(root, ns, chars("author"), nullptr), ns, "name", feed.author);
  add_text(root, ns, "generator", kGenerator);
  for (const auto& e : feed.entries) {
    xmlNode* entry = xmlNewChild(root, ns, chars("entry"), nullptr);
    if (!e.lang.empty()) xmlNodeSetLang(entry, chars(e.lang));
    add_text(entry, ns, "id", e.id);
    xmlNode* title = add_text(entry, ns, "title", e.title);
    xmlSetProp(title, chars("type"), chars("text"));
    if (!e.title_lang.empty()) xmlNodeSetLang(title, chars(e.title_lang));
    add_text(entry, ns, "updated", e.updated);
    add_link(entry, ns, "alternate", "text/html", e.link, e.lang);
    xmlNode* content = add_text(entry, ns, "content", e.content);  // libxml2 escapes the HTML
    xmlSetProp(content, chars("type"), chars(e.content_type.empty() ? "html" : e.content_type.c_str()));
    if (!e.content_lang.empty()) xmlNodeSetLang(content, chars(e.content_lang));
  }
  xmlChar* bytes = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc.get(), &bytes, &size, "UTF-8", 1);
  if (bytes == nullptr) throw std::bad_alloc();
  std::unique_ptr<xmlChar, void (*)(void*)> owner(bytes, xmlFree);
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

}  // namespace

std::string tag_uri(const std::string& base_url, std::chrono::system_clock::time_point first_recorded,
                    const std::string& specific) {
  std::string host = net::host_of(base_url);
  // RFC 4151's authority is a DNS name; an IPv6 address (a loopback test server) would put
  // colons where the tag's syntax has none.
  if (host.find(':') != std::string::npos) host = "localhost";
  return "tag:" + host + "," + atom_time(first_recorded).substr(0, 10) + ":" + specific;
}

namespace {

// One <entry>, with everything samvad writes in it.
FeedEntry read_entry(const xmlNode* n, const std::string& file) {
  FeedEntry e;
  e.lang = own_lang(n);
  bool has_title = false, has_content = false;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (is_atom(c, "id"))
      e.id = xml::content(c);
    else if (is_atom(c, "updated"))
      e.updated = xml::content(c);
    else if (is_atom(c, "title")) {
      has_title = true;
      e.title = xml::content(c);
      e.title_lang = own_lang(c);
    } else if (is_atom(c, "content")) {
      has_content = true;
      e.content = xml::content(c);
      e.content_type = xml::attribute(c, "type");
      e.content_lang = own_lang(c);
    } else if (is_atom(c, "link") && xml::attribute(c, "rel") == "alternate") {
      e.link = xml::attribute(c, "href");
    }
  }
  if (e.id.empty()) refuse(file, line_of(n), "an <entry> has no <id>");
  if (!is_atom_time(e.updated)) refuse(file, line_of(n), "an <entry> has no <updated> in samvad's form");
  if (!has_title || !has_content || e.link.empty())
    refuse(file, line_of(n), "an <entry> lacks its <title>, <content> or <link rel=\"alternate\">");
  return e;
}

// The <feed> element's own children and its entries.
Feed read_root(const xmlNode* root, const std::string& file) {
  Feed feed;
  feed.lang = own_lang(root);
  bool generator = false;
  for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (is_atom(n, "id"))
      feed.id = xml::content(n);
    else if (is_atom(n, "title"))
      feed.title = xml::content(n);
    else if (is_atom(n, "updated"))
      feed.updated = xml::content(n);
    else if (is_atom(n, "generator"))
      generator = xml::content(n) == kGenerator;
    else if (is_atom(n, "author")) {
      for (const xmlNode* a = n->children; a != nullptr; a = a->next)
        if (is_atom(a, "name")) feed.author = xml::content(a);
    } else if (is_atom(n, "link")) {
      const std::string rel = xml::attribute(n, "rel");
      if (rel == "self") feed.self_url = xml::attribute(n, "href");
      if (rel == "alternate") feed.alternate_url = xml::attribute(n, "href");
    } else if (is_atom(n, "entry")) {
      feed.entries.push_back(read_entry(n, file));
    }
  }
  if (!generator) refuse(file, line_of(root), "it has no <generator>samvad</generator>");
  if (feed.id.empty()) refuse(file, line_of(root), "it has no <id>");
  if (!is_atom_time(feed.updated)) refuse(file, line_of(root), "it has no <updated> in samvad's form");
  return feed;
}

}  // namespace

Feed read_feed(const std::string& bytes, const std::string& file) {
  xml::init();
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) refuse(file, 0, "it is larger than any feed samvad writes");
  std::unique_ptr<xmlParserCtxt, ParserContextDeleter> context(xmlNewParserCtxt());
  if (!context) throw std::bad_alloc();
  // No network, no entity expansion, quiet: the file could be anything.
  xml::Doc doc(xmlCtxtReadMemory(context.get(), bytes.data(), static_cast<int>(bytes.size()), file.c_str(), "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(context.get());
    std::string why = e != nullptr && e->message != nullptr ? e->message : "it is not well-formed XML";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    refuse(file, e != nullptr ? e->line : 0, "it is not well-formed XML (" + why + ")");
  }
  if (doc->intSubset != nullptr) refuse(file, 1, "it has a DOCTYPE");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!is_atom(root, "feed")) refuse(file, line_of(root), "its root element is not an Atom <feed>");
  return read_root(root, file);
}

std::string update_feed(const std::string& existing, const FeedHead& head, const Entry& entry,
                        const std::string& file) {
  Feed feed = existing.empty() ? Feed{} : read_feed(existing, file);
  if (feed.id.empty()) feed.id = head.id;  // a feed's id never changes once written (RFC 4287 section 4.2.6)
  feed.title = head.title;
  feed.lang = head.lang;
  feed.self_url = head.self_url;
  feed.alternate_url = head.alternate_url;
  feed.author = head.author;

  const std::string announcement = specific_of(entry.id);
  std::erase_if(feed.entries, [&](const FeedEntry& e) { return of_announcement(e.id, announcement); });
  const std::string updated = atom_time(entry.updated);
  for (const auto& t : entry.texts)
    feed.entries.push_back(
        FeedEntry{entry.id + "/" + t.lang, updated, t.lang, t.title, t.lang, t.html, "html", t.lang, entry.link});
  sort_and_trim(feed.entries);
  // Never backwards, and never "now": a rerun must give the same bytes.
  if (!feed.entries.empty() && feed.entries.front().updated > feed.updated) feed.updated = feed.entries.front().updated;
  return write_feed(feed);
}

std::string remove_entry(const std::string& existing, const std::string& entry_id, const std::string& file) {
  if (existing.empty()) return existing;
  Feed feed = read_feed(existing, file);
  const std::string announcement = specific_of(entry_id);
  const std::size_t before = feed.entries.size();
  std::erase_if(feed.entries, [&](const FeedEntry& e) { return of_announcement(e.id, announcement); });
  if (feed.entries.size() == before) return existing;  // nothing of it there: leave the bytes alone
  return write_feed(feed);
}

}  // namespace samvad::feed
