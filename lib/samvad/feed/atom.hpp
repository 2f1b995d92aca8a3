// The Atom feeds (RFC 4287) of the notice feed, one per department and one for the whole
// corporation, read and written with libxml2's tree API. A feed keeps the newest kMaxEntries
// entries; everything in it comes from recorded data (never "now"), so updating a feed with an
// entry it already holds gives the same bytes.
//
// Atom allows one title and one content per entry (RFC 4287 section 4.1.2), so an announcement
// in Marathi and English is one entry per language, each with xml:lang on the entry, its title
// and its content, all linking to the one page that has both languages. Their ids are the
// announcement's tag: URI (RFC 4151) plus "/<language>".
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <samvad/core/localized.hpp>

namespace samvad::feed {

inline constexpr std::size_t kMaxEntries = 100;
inline constexpr const char* kAtomNamespace = "http://www.w3.org/2005/Atom";

// "tag:www.example.org,2026-12-03:water-supply/ann-17": the host of `base_url`, the UTC date of
// `first_recorded`, then `specific`. Stable across reruns because both come from recorded data.
std::string tag_uri(const std::string& base_url, std::chrono::system_clock::time_point first_recorded,
                    const std::string& specific);

struct FeedHead {
  std::string id;  // the tag: URI a new feed gets; an existing feed keeps the id it has
  std::string title;
  LanguageCode lang;  // xml:lang of the feed
  std::string self_url;
  std::string alternate_url;
  std::string author;  // the organization's name
};

struct EntryText {
  LanguageCode lang;
  std::string title;
  std::string html;  // the body as an HTML fragment (page.hpp's body_fragment), put in <content type="html">
};

struct Entry {
  std::string id;  // the announcement's tag: URI; each language's <id> is id + "/" + lang
  std::chrono::system_clock::time_point updated;  // the announcement's recorded time
  std::string link;                               // the page's URL
  std::vector<EntryText> texts;                   // in the department's language order
};

// `existing` (the file's bytes, "" for a new feed) with `entry` added, replacing the entries of
// the same announcement (same tag specific part, whatever host or date), keeping the newest
// kMaxEntries by `updated` (ties by id; an announcement's languages are kept or dropped
// together) and the feed's `updated` set to its newest entry's. Throws Error (65) naming `file`
// when `existing` is not an Atom feed written by samvad: such a file is never replaced.
std::string update_feed(const std::string& existing, const FeedHead& head, const Entry& entry, const std::string& file);

// `existing` without the entries of the announcement `entry_id` names: its tag: URI, or only
// the specific part ("water-supply/ann-17"); they are matched on that part. The feed's
// `updated` stays as it was when the newest entry goes (never "now"). Same errors as update_feed.
std::string remove_entry(const std::string& existing, const std::string& entry_id, const std::string& file);

// A feed as written, for inspection and tests.
struct FeedEntry {
  std::string id;
  std::string updated;
  LanguageCode lang;  // xml:lang of the entry
  std::string title;
  LanguageCode title_lang;
  std::string content;  // the HTML, unescaped
  std::string content_type;
  LanguageCode content_lang;
  std::string link;  // href of link rel="alternate"
};

struct Feed {
  std::string id;
  std::string title;
  LanguageCode lang;
  std::string updated;
  std::string self_url;
  std::string alternate_url;
  std::string author;
  std::vector<FeedEntry> entries;  // newest first
};

// Throws Error (65) naming `file`, with the line where libxml2 saw a problem, when `xml` is not
// an Atom feed written by samvad (not XML, another root, no generator "samvad", an entry
// without id or updated ...).
Feed read_feed(const std::string& xml, const std::string& file);

}  // namespace samvad::feed
