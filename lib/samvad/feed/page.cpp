#include <samvad/feed/page.hpp>

#include <algorithm>
#include <array>
#include <climits>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include <samvad/core/error.hpp>
#include <samvad/feed/xml.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::feed {

namespace {

using xml::chars;

// What a notice has no use for and could run code, load something or change how the page is
// read; dropped with everything inside.
constexpr std::array<std::string_view, 19> kDroppedElements{
    "script", "style", "iframe", "frame", "noscript", "noembed",  "noframes", "template", "link", "meta",
    "base",   "head",  "title",  "input", "select",   "textarea", "option",   "svg",      "math"};

// Active or form elements whose content is ordinary markup (an object's fallback, a form's
// text) or, for libxml2's HTML 4 parser, everything after an <embed> it does not know to be
// empty: the element goes, its sanitized content stays.
constexpr std::array<std::string_view, 7> kUnwrappedElements{"object", "embed",    "applet", "form",
                                                             "button", "frameset", "portal"};

// Attributes that hold a URL the browser follows or loads.
constexpr std::array<std::string_view, 13> kUrlAttributes{"href",   "src",    "action", "formaction", "background",
                                                          "cite",   "data",   "poster", "codebase",   "longdesc",
                                                          "usemap", "dynsrc", "lowsrc"};

// The content security policy of every page: nothing may load or run; inline style only.
constexpr const char* kContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
constexpr const char* kStyle =
    "body{max-width:42em;margin:0 auto;padding:1em;font-family:sans-serif;line-height:1.6}"
    "section+section{border-top:1px solid #999;margin-top:2em}.source,.published{color:#555}";

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A browser ignores tabs and line breaks anywhere in a URL and spaces and controls around it
// (WHATWG URL, "basic URL parser"), so "java\tscript:" is javascript:; the scheme is judged
// after removing them all.
bool allowed_url(std::string_view url) {
  std::string squeezed;
  for (char c : url)
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7F) squeezed += c;
  squeezed = lower_ascii(squeezed);
  const std::size_t end = squeezed.find_first_of(":/?#");
  if (end == std::string::npos || squeezed[end] != ':') return true;  // relative: stays on the site
  const std::string scheme = squeezed.substr(0, end);
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

bool attribute_allowed(const std::string& name, const std::string& value) {
  if (name.rfind("on", 0) == 0) return false;  // event handlers: onclick, onload, onerror ...
  if (name == "srcset" || name == "formaction" || name == "http-equiv") return false;
  if (name.find(':') != std::string::npos && name != "xml:lang") return false;  // xlink:href and kin
  if (listed(kUrlAttributes, name)) return allowed_url(value);
  return true;
}

void remove_node(xmlNode* node) {
  xmlUnlinkNode(node);
  xmlFreeNode(node);
}

void sanitize_children(xmlNode* parent) {
  for (xmlNode* node = parent->children; node != nullptr;) {
    xmlNode* next = node->next;
    if (node->type == XML_TEXT_NODE) {
      // kept
    } else if (node->type == XML_ELEMENT_NODE) {
      const std::string name = lower_ascii(reinterpret_cast<const char*>(node->name));
      if (listed(kDroppedElements, name)) {
        remove_node(node);
      } else if (listed(kUnwrappedElements, name)) {
        sanitize_children(node);
        while (xmlNode* child = node->children) {
          xmlUnlinkNode(child);
          xmlAddPrevSibling(node, child);
        }
        remove_node(node);
      } else {
        for (xmlAttr* a = node->properties; a != nullptr;) {
          xmlAttr* next_attribute = a->next;
          const std::string attribute_name = lower_ascii(reinterpret_cast<const char*>(a->name));
          if (!attribute_allowed(attribute_name, xml::attribute(node, reinterpret_cast<const char*>(a->name))))
            xmlRemoveProp(a);
          a = next_attribute;
        }
        sanitize_children(node);
      }
    } else {
      remove_node(node);  // comments (IE's conditional ones ran scripts), processing instructions
    }
    node = next;
  }
}

xmlNode* child_element(xmlNode* parent, std::string_view name) {
  if (parent == nullptr) return nullptr;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next)
    if (xml::is_element(n, name)) return n;
  return nullptr;
}

// The template's HTML parsed as the body of a document and sanitized; its <body> holds it.
xml::Doc parse_sanitized(std::string_view html) {
  xml::init();
  const std::string cleaned = xml::clean_text(html);
  if (cleaned.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ExitCode::data, "an HTML body is too large to publish");
  // The options keep libxml2 quiet (a template's sloppy HTML is normal, not an error to print)
  // and off the network.
  xml::Doc doc(htmlReadMemory(cleaned.data(), static_cast<int>(cleaned.size()), nullptr, "UTF-8",
                              HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
  if (!doc) return doc;
  if (xmlNode* body = child_element(xmlDocGetRootElement(doc.get()), "body")) sanitize_children(body);
  return doc;
}

xmlNode* add_element(xmlNode* parent, const char* name, const std::string& text = {}) {
  return xmlNewTextChild(parent, nullptr, xml::chars(name), text.empty() ? nullptr : xml::chars(xml::clean_text(text)));
}

void set_attribute(xmlNode* node, const char* name, const std::string& value) {
  xmlSetProp(node, xml::chars(name), xml::chars(value));
}

// Paragraphs at blank lines, <br> at single line breaks; libxml2 escapes the text.
void append_text_paragraphs(xmlNode* parent, const std::string& text) {
  const std::string cleaned = xml::clean_text(text);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= cleaned.size()) {
    std::size_t end = cleaned.find('\n', start);
    if (end == std::string::npos) end = cleaned.size();
    std::string line = cleaned.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; };
  xmlNode* paragraph = nullptr;
  for (const auto& line : lines) {
    if (blank(line)) {
      paragraph = nullptr;
      continue;
    }
    if (paragraph == nullptr)
      paragraph = add_element(parent, "p");
    else
      xmlNewChild(paragraph, nullptr, xml::chars("br"), nullptr);
    xmlAddChild(paragraph, xmlNewText(xml::chars(line)));
  }
}

void append_body(xmlDoc* doc, xmlNode* parent, const LanguageText& text) {
  if (text.html.empty()) {
    append_text_paragraphs(parent, text.text);
    return;
  }
  xml::Doc source = parse_sanitized(text.html);
  xmlNode* body = source ? child_element(xmlDocGetRootElement(source.get()), "body") : nullptr;
  if (body == nullptr) return;
  for (xmlNode* n = body->children; n != nullptr; n = n->next) xmlAddChild(parent, xmlDocCopyNode(n, doc, 1));
}

std::string dump_children(xmlDoc* doc, xmlNode* parent) {
  std::unique_ptr<xmlBuffer, void (*)(xmlBuffer*)> buffer(xmlBufferCreate(), xmlBufferFree);
  // htmlNodeDump leaves UTF-8 as it is (Devanagari is not turned into character references).
  for (xmlNode* n = parent->children; n != nullptr; n = n->next) htmlNodeDump(buffer.get(), doc, n);
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

// The name in `lang`, else in the first language it was written in.
std::string name_in(const Localized& name, const LanguageCode& lang) {
  if (const std::string* s = name.find(lang)) return *s;
  return name.text.empty() ? std::string() : name.text.begin()->second;
}

xml::Doc new_html_document() {
  xml::init();
  xml::Doc doc(htmlNewDocNoDtD(nullptr, nullptr));
  if (!doc) throw std::bad_alloc();
  xmlCreateIntSubset(doc.get(), xml::chars("html"), nullptr, nullptr);  // <!DOCTYPE html>
  return doc;
}

}  // namespace

std::string sanitize_html(std::string_view html) {
  if (html.empty()) return {};
  xml::Doc doc = parse_sanitized(html);
  xmlNode* body = doc ? child_element(xmlDocGetRootElement(doc.get()), "body") : nullptr;
  return body == nullptr ? std::string() : dump_children(doc.get(), body);
}

std::string body_fragment(const LanguageText& text) {
  xml::Doc doc = new_html_document();
  xmlNode* holder = xmlNewNode(nullptr, xml::chars("div"));
  xmlDocSetRootElement(doc.get(), holder);
  append_body(doc.get(), holder, text);
  return dump_children(doc.get(), holder);
}

std::string render_page(const Notice& notice) {
  if (notice.languages.empty())
    throw Error(ExitCode::data,
                "the notice " + notice.announcement_id + " has no language to publish; expected at least one");
  xml::Doc doc = new_html_document();
  xmlNode* html = xmlNewNode(nullptr, xml::chars("html"));
  xmlDocSetRootElement(doc.get(), html);
  set_attribute(html, "lang", notice.languages.front().lang);

  xmlNode* head = add_element(html, "head");
  set_attribute(add_element(head, "meta"), "charset", "utf-8");
  xmlNode* csp = add_element(head, "meta");
  set_attribute(csp, "http-equiv", "Content-Security-Policy");
  set_attribute(csp, "content", kContentSecurityPolicy);
  xmlNode* viewport = add_element(head, "meta");
  set_attribute(viewport, "name", "viewport");
  set_attribute(viewport, "content", "width=device-width, initial-scale=1");
  std::string title;
  for (const auto& l : notice.languages)
    title += (title.empty() ? "" : " | ") + l.title;  // as the email subject joins them
  add_element(head, "title", title);
  add_element(head, "style", kStyle);

  xmlNode* body = add_element(html, "body");
  const std::string published = text::format_iso8601(notice.published, notice.time_zone);
  for (const auto& l : notice.languages) {
    xmlNode* section = add_element(body, "section");
    set_attribute(section, "lang", l.lang);
    xmlNode* source = add_element(
        section, "p", name_in(notice.organization_name, l.lang) + " — " + name_in(notice.department_name, l.lang));
    set_attribute(source, "class", "source");
    add_element(section, "h1", l.title);
    xmlNode* when = add_element(section, "p");
    set_attribute(when, "class", "published");
    xmlNode* time = add_element(when, "time", published);
    set_attribute(time, "datetime", published);
    xmlNode* content = add_element(section, "div");
    set_attribute(content, "class", "notice");
    append_body(doc.get(), content, l);
  }

  std::unique_ptr<xmlOutputBuffer, int (*)(xmlOutputBuffer*)> out(xmlAllocOutputBuffer(nullptr), xmlOutputBufferClose);
  if (!out) throw std::bad_alloc();
  // With "UTF-8" named and no encoder, text stays UTF-8 instead of becoming &#2346; references.
  htmlDocContentDumpFormatOutput(out.get(), doc.get(), "UTF-8", 1);
  xmlOutputBufferFlush(out.get());
  return std::string(reinterpret_cast<const char*>(xmlOutputBufferGetContent(out.get())),
                     xmlOutputBufferGetSize(out.get()));
}

}  // namespace samvad::feed
