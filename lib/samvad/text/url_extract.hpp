// Finding URLs in tweet text the way twitter-text does, because every URL X finds is counted
// as 23 characters whatever its length; also twitter-text's URL validator.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include <unicode/unistr.h>

namespace samvad::text {

// A half-open range [begin, end) of a text: byte offsets for UTF-8 input, code units for UTF-16.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Span&) const = default;
};

// The URLs twitter-text's extractUrlsWithIndices finds, in order: with an http(s) protocol, or
// without one when the domain ends in a known TLD (see tld_lib.yml). Protocol-less URLs keep
// twitter-text's quirks: only the ASCII part of the domain counts, and a bare "name.ccTLD"
// without a path is not a URL unless the ccTLD is .co or .tv ("t.co" is, "foo.jp" is not).
std::vector<Span> extract_urls(std::string_view utf8);
std::vector<Span> extract_urls_utf16(const icu::UnicodeString& text);

// twitter-text's isValidUrl with unicode domains allowed: is the whole of `utf8` one valid
// http(s) URL (or, with require_protocol false, a valid URL without a protocol)? Each part
// must match the RFC 3986 based grammar as a whole, as the Java implementation checks it.
bool is_valid_url(std::string_view utf8, bool require_protocol = true);

// The compiled-in TLD lists (lowercase, in tld_lib.yml's order).
std::span<const std::string_view> country_tlds();
std::span<const std::string_view> generic_tlds();

}  // namespace samvad::text
