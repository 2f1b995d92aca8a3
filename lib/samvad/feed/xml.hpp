// libxml2 as the feed channel uses it (internal to lib/samvad/feed): owners for its documents,
// its one-time set-up, and text made fit for XML and HTML before it goes into a tree.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <libxml/tree.h>

namespace samvad::feed::xml {

// libxml2 sets up its globals on first use; done once before worker threads parse, as its
// documentation asks of multi-threaded programs.
void init();

struct DocDeleter {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

inline const xmlChar* chars(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
inline const xmlChar* chars(const std::string& s) { return chars(s.c_str()); }

// The element's name is `name` (HTML names come lower case from the parser).
bool is_element(const xmlNode* node, std::string_view name);
// The attribute's value, or "" when it is absent.
std::string attribute(const xmlNode* node, const char* name);
// All text inside the node.
std::string content(const xmlNode* node);

// `text` in NFC, as the renderer leaves every published text (so the same notice always gives
// the same bytes), without what XML 1.0 cannot carry (control characters other than tab and
// line breaks, U+FFFE, U+FFFF) and with U+FFFD for bytes that are not UTF-8: a feed samvad
// writes must always parse again.
std::string clean_text(std::string_view text);

}  // namespace samvad::feed::xml
