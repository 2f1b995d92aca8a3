// A hand-written scanner for twitter-text's extractUrl regular expression (js/src/regexp/
// extractUrl.js and the pieces it is built from). It walks UTF-16 code units, as the JS regex
// does, so indexes agree with parseTweet. Each piece below names the regex it stands for; where
// the regex would backtrack, the comment says which of its matches the regex engine finds first.
#include <samvad/text/url_extract.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <samvad/text/utf16.hpp>

namespace samvad::text {

namespace {

#include <samvad/text/tlds.inc>

constexpr int max_url_length = 4096;         // extractUrlsWithIndices: MAX_URL_LENGTH
constexpr int max_tco_slug_length = 40;      // MAX_TCO_SLUG_LENGTH
constexpr int max_domain_label_length = 63;  // RFC 1035, checked on the punycode form

bool in(char16_t c, std::u16string_view set) { return set.find(c) != std::u16string_view::npos; }
bool is_ascii_alpha(char16_t c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }
bool is_ascii_digit(char16_t c) { return c >= u'0' && c <= u'9'; }
bool is_ascii_alnum(char16_t c) { return is_ascii_alpha(c) || is_ascii_digit(c); }

// spacesGroup
bool is_space(char16_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 || c == 0x180E ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
// invalidCharsGroup
bool is_invalid(char16_t c) { return c == 0xFFFE || c == 0xFEFF || c == 0xFFFF; }
// directionalMarkersGroup
bool is_directional(char16_t c) {
  return (c >= 0x202A && c <= 0x202E) || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x2066 && c <= 0x2069);
}
// punct (note: no '"' and no '`' in it, so those are domain characters to twitter-text)
bool is_punct(char16_t c) { return in(c, u"!'#%&()*+,\\-./:;<=>?@[]^_{|}~$"); }
// validDomainChars: anything but punctuation, spaces, invalid and directional characters.
bool is_domain_char(char16_t c) { return !is_punct(c) && !is_space(c) && !is_invalid(c) && !is_directional(c); }
// validUrlPrecedingChars
bool is_valid_preceding(char16_t c) {
  return is_directional(c) || !(is_ascii_alnum(c) || in(c, u"@\uFF20$#\uFF03") || is_invalid(c));
}
// latinAccentChars
bool is_latin_accent(char16_t c) {
  return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x24F) || c == 0x253 ||
         c == 0x254 || c == 0x256 || c == 0x257 || c == 0x259 || c == 0x25B || c == 0x263 || c == 0x268 || c == 0x26F ||
         c == 0x272 || c == 0x289 || c == 0x28B || c == 0x2BB || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x1E00 && c <= 0x1EFF);
}
bool is_cyrillic(char16_t c) { return c >= 0x400 && c <= 0x4FF; }  // cyrillicLettersAndMarks
// validGeneralUrlPathChars
bool is_path_char(char16_t c) {
  return is_ascii_alnum(c) || is_cyrillic(c) || is_latin_accent(c) || c == 0x2013 || in(c, u"!*';:=+,.$/%#[]-_~@|&");
}
// validUrlPathEndingChars (besides balanced parentheses)
bool is_path_ending_char(char16_t c) {
  return is_ascii_alnum(c) || is_cyrillic(c) || is_latin_accent(c) || in(c, u"+-=_#/");
}
bool is_query_char(char16_t c) {
  return is_ascii_alnum(c) || in(c, u"!?*'@();:&=+$/%#[]-_.,~|");
}  // validUrlQueryChars
bool is_query_ending_char(char16_t c) { return is_ascii_alnum(c) || in(c, u"-_&=#/"); }  // validUrlQueryEndingChars
// The label characters of validAsciiDomain: [\-a-z0-9#{latinAccentChars}], case-insensitively.
bool is_ascii_domain_char(char16_t c) { return is_ascii_alnum(c) || c == u'-' || is_latin_accent(c); }

char16_t fold(char16_t c) { return static_cast<char16_t>(u_foldCase(c, U_FOLD_CASE_DEFAULT)); }

bool starts_with_ci(const icu::UnicodeString& text, int pos, std::u16string_view ascii_lower) {
  if (pos + static_cast<int>(ascii_lower.size()) > text.length()) return false;
  for (std::size_t k = 0; k < ascii_lower.size(); ++k)
    if (fold(text.charAt(pos + static_cast<int>(k))) != ascii_lower[k]) return false;
  return true;
}

// The TLD alternations (validGTLD, validCCTLD), each followed by the lookahead
// (?=[^0-9a-zA-Z@]|$). The regexes list longer TLDs before their prefixes ("comcast|com"),
// so the first alternative that matches is the longest TLD whose lookahead holds.
class TldTable {
 public:
  static const TldTable& instance() {
    static const TldTable table;
    return table;
  }

  // The end of the TLD at text[pos..], or -1; `limit` is where the regex's subject string ends.
  int match(const icu::UnicodeString& text, int pos, int limit) const {
    if (int end = match_in(generic_, text, pos, limit); end >= 0) return end;
    if (int end = match_in(country_, text, pos, limit); end >= 0) return end;
    return match_punycode(text, pos, limit);
  }

  bool is_country(const icu::UnicodeString& text, int begin, int end) const {
    return country_.contains(folded(text, begin, end));
  }

 private:
  TldTable() {
    for (std::string_view tld : country_tld_list) add(country_, tld);
    for (std::string_view tld : generic_tld_list) add(generic_, tld);
  }

  void add(std::unordered_set<std::u16string>& set, std::string_view utf8) {
    icu::UnicodeString tld = from_utf8(utf8);
    std::u16string key = folded(tld, 0, tld.length());
    max_length_ = std::max(max_length_, static_cast<int>(key.size()));
    set.insert(std::move(key));
  }

  static std::u16string folded(const icu::UnicodeString& text, int begin, int end) {
    std::u16string out;
    out.reserve(static_cast<std::size_t>(end - begin));
    for (int i = begin; i < end; ++i) out.push_back(fold(text.charAt(i)));
    return out;
  }

  static bool lookahead_ok(const icu::UnicodeString& text, int pos, int limit) {
    if (pos >= limit) return true;
    const char16_t c = text.charAt(pos);
    return !(is_ascii_alnum(c) || c == u'@');
  }

  int match_in(const std::unordered_set<std::u16string>& set, const icu::UnicodeString& text, int pos,
               int limit) const {
    const int longest = std::min(max_length_, limit - pos);
    if (longest <= 0) return -1;
    std::u16string candidate = folded(text, pos, pos + longest);
    for (int length = longest; length > 0; --length) {
      candidate.resize(static_cast<std::size_t>(length));
      if (set.contains(candidate) && lookahead_ok(text, pos + length, limit)) return pos + length;
    }
    return -1;
  }

  // validPunycode: xn--[\-0-9a-z]+ (no lookahead)
  static int match_punycode(const icu::UnicodeString& text, int pos, int limit) {
    if (limit - pos < 5 || !starts_with_ci(text, pos, u"xn--")) return -1;
    int end = pos + 4;
    while (end < limit && (is_ascii_alnum(text.charAt(end)) || text.charAt(end) == u'-')) ++end;
    return end > pos + 4 ? end : -1;
  }

  std::unordered_set<std::u16string> country_;
  std::unordered_set<std::u16string> generic_;
  int max_length_ = 0;
};

// validAsciiDomain run over text[begin, limit) as String.replace with a global regex runs it:
// every non-overlapping match, left to right.
std::vector<Span> find_ascii_domains(const icu::UnicodeString& text, int begin, int limit) {
  const TldTable& tlds = TldTable::instance();
  std::vector<int> tld_end(static_cast<std::size_t>(limit - begin) + 1, -2);  // memo by position
  auto tld_at = [&](int at) {
    int& cached = tld_end[static_cast<std::size_t>(at - begin)];
    if (cached == -2) cached = tlds.match(text, at, limit);
    return cached;
  };
  std::vector<Span> found;
  int pos = begin;
  while (pos < limit) {
    // (?:[\-a-z0-9À-ÿ...]+\.)+ : the dots ending each label of the run starting here.
    std::vector<int> dots;
    int label = pos;
    int run_end = pos;
    while (true) {
      run_end = label;
      while (run_end < limit && is_ascii_domain_char(text.charAt(run_end))) ++run_end;
      if (run_end == label || run_end >= limit || text.charAt(run_end) != u'.') break;
      dots.push_back(run_end);
      label = run_end + 1;
    }
    if (dots.empty()) {
      pos = std::max(run_end, pos + 1);  // every start inside this run fails the same way
      continue;
    }
    // Greedy: as many labels as possible, then fewer, until a TLD follows the last dot.
    int end = -1;
    for (auto dot = dots.rbegin(); dot != dots.rend() && end < 0; ++dot) end = tld_at(*dot + 1);
    if (end >= 0) {
      found.push_back({static_cast<std::size_t>(pos), static_cast<std::size_t>(end)});
      pos = end;
    } else {
      pos = dots.front() + 1;  // a later start in the first label meets the same labels and TLDs
    }
  }
  return found;
}

// The length punycode.toASCII gives a domain label: non-ASCII parts become "xn--" + RFC 3492
// Bootstring. twitter-text checks 1..63 on this raw encoding; ICU's public IDNA API would
// also map, lowercase and reject labels first, which twitter-text does not do.
int punycode_encoded_length(const std::u16string_view label) {
  std::vector<UChar32> code_points;
  for (std::size_t i = 0; i < label.size();) {
    // One code point: a surrogate pair when a high surrogate has its low one after it.
    const char16_t unit = label[i++];
    UChar32 c = unit;
    if (U16_IS_LEAD(unit) && i < label.size() && U16_IS_TRAIL(label[i])) c = U16_GET_SUPPLEMENTARY(unit, label[i++]);
    code_points.push_back(c);
  }
  const auto basic =
      static_cast<int64_t>(std::count_if(code_points.begin(), code_points.end(), [](UChar32 c) { return c < 0x80; }));
  const auto total = static_cast<int64_t>(code_points.size());
  if (basic == total) return static_cast<int>(total);

  constexpr int64_t base = 36, t_min = 1, t_max = 26, skew = 38, damp = 700;
  auto adapt = [&](int64_t delta, int64_t points, bool first) {
    delta = first ? delta / damp : delta / 2;
    delta += delta / points;
    int64_t k = 0;
    while (delta > ((base - t_min) * t_max) / 2) {
      delta /= base - t_min;
      k += base;
    }
    return k + (base - t_min + 1) * delta / (delta + skew);
  };
  int64_t length = 4 + basic + (basic > 0 ? 1 : 0);  // "xn--", the basic code points, '-'
  int64_t n = 0x80, delta = 0, bias = 72, handled = basic;
  while (handled < total) {
    int64_t m = INT64_MAX;
    for (UChar32 c : code_points)
      if (c >= n && c < m) m = c;
    delta += (m - n) * (handled + 1);
    n = m;
    for (UChar32 c : code_points) {
      if (c < n) ++delta;
      if (c != n) continue;
      for (int64_t q = delta, k = base;; k += base) {
        const int64_t t = k <= bias ? t_min : (k >= bias + t_max ? t_max : k - bias);
        ++length;  // one more digit
        if (q < t) break;
        q = (q - t) / (base - t);
      }
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return static_cast<int>(std::min<int64_t>(length, INT32_MAX));
}

// twitter-text's idna.toAscii, reduced to the verdict: is every label 1..63 characters once
// punycode-encoded? punycode.toASCII also splits at the ideographic full stops.
bool domain_labels_fit(const icu::UnicodeString& text, int begin, int end) {
  const std::u16string_view domain(text.getBuffer() + begin, static_cast<std::size_t>(end - begin));
  // Case-sensitive, as in twitter-text: a punycode domain must be ASCII.
  if (domain.starts_with(u"xn--") && find_ascii_domains(text, begin, end).empty()) return false;
  std::size_t label_begin = 0;
  while (true) {
    const std::size_t dot = domain.find(u'.', label_begin);
    const std::u16string_view label =
        domain.substr(label_begin, dot == std::u16string_view::npos ? dot : dot - label_begin);
    int encoded = 0, parts = 0;
    std::size_t part_begin = 0;
    while (true) {
      const std::size_t separator = label.find_first_of(u"\u3002\uFF0E\uFF61", part_begin);
      encoded += punycode_encoded_length(label.substr(part_begin, separator - part_begin));
      ++parts;
      if (separator == std::u16string_view::npos) break;
      part_begin = separator + 1;
    }
    encoded += parts - 1;  // the joining dots
    if (encoded < 1 || encoded > max_domain_label_length) return false;
    if (dot == std::u16string_view::npos) return true;
    label_begin = dot + 1;
  }
}

struct UrlMatch {
  int begin = 0;  // $3
  int end = 0;
  int domain_begin = 0;  // $5
  int domain_end = 0;
  bool has_protocol = false;  // $4
  bool has_path = false;      // $7
};

class UrlScanner {
 public:
  explicit UrlScanner(const icu::UnicodeString& text)
      : text_(text),
        n_(text.length()),
        run_end_(static_cast<std::size_t>(n_) + 1, 0),
        underscores_(static_cast<std::size_t>(n_) + 1, 0),
        tld_end_(static_cast<std::size_t>(n_) + 1, unknown),
        domain_end_(static_cast<std::size_t>(n_) + 1, unknown) {
    // run_end_[i]: end of the run of domain characters, '-' and '_' starting at i.
    run_end_[static_cast<std::size_t>(n_)] = n_;
    for (int i = n_ - 1; i >= 0; --i) {
      const char16_t c = text_.charAt(i);
      const bool in_run = is_domain_char(c) || c == u'-' || c == u'_';
      run_end_[static_cast<std::size_t>(i)] = in_run ? run_end_[static_cast<std::size_t>(i) + 1] : i;
    }
    for (int i = 0; i < n_; ++i)
      underscores_[static_cast<std::size_t>(i) + 1] =
          underscores_[static_cast<std::size_t>(i)] + (text_.charAt(i) == u'_');
  }

  std::vector<Span> scan() {
    std::vector<Span> urls;
    if (text_.indexOf(u'.') < 0) return urls;
    int last_index = 0;
    while (last_index < n_) {
      std::optional<UrlMatch> match;
      std::optional<char16_t> before;
      for (int p = last_index; p < n_ && !match; ++p) {
        if (is_valid_preceding(text_.charAt(p))) {
          match = match_url_at(p + 1);
          if (match) before = text_.charAt(p);
        }
        if (!match && p == 0) match = match_url_at(0);  // the ^ alternative
      }
      if (!match) break;
      last_index = match->end;  // a rejected match still consumes its text, as exec() does
      accept(*match, before, urls);
    }
    return urls;
  }

 private:
  static constexpr int unknown = -2;

  // The checks extractUrlsWithIndices makes on each regex match before keeping it.
  void accept(const UrlMatch& m, std::optional<char16_t> before, std::vector<Span>& urls) {
    const int protocol_length = m.has_protocol ? m.domain_begin - m.begin : 8;  // DEFAULT_PROTOCOL "https://"
    if (!domain_labels_fit(text_, m.domain_begin, m.domain_end)) return;
    if (protocol_length + (m.end - m.begin) > max_url_length) return;
    if (!m.has_protocol) {
      if (before && in(*before, u"-_./")) return;  // invalidUrlWithoutProtocolPrecedingChars
      const std::vector<Span> ascii = find_ascii_domains(text_, m.domain_begin, m.domain_end);
      if (ascii.empty()) return;
      for (const Span& domain : ascii)
        if (m.has_path || !is_bare_country_domain(domain, false) || is_bare_country_domain(domain, true))
          urls.push_back(domain);
      if (m.has_path) urls.back().end = static_cast<std::size_t>(m.end);
      return;
    }
    int end = m.end;
    // validTcoUrl: a t.co link ends with its slug; trailing characters are not part of it.
    const int slug = m.domain_begin + 5;
    if (m.domain_end == m.domain_begin + 4 && starts_with_ci(text_, m.domain_begin, u"t.co/") && slug < n_ &&
        is_ascii_alnum(text_.charAt(slug))) {
      int slug_end = slug;
      while (slug_end < n_ && is_ascii_alnum(text_.charAt(slug_end))) ++slug_end;
      if (slug_end - slug > max_tco_slug_length) return;
      end = slug_end;
    }
    urls.push_back({static_cast<std::size_t>(m.begin), static_cast<std::size_t>(end)});
  }

  // invalidShortDomain (special = false): one label and a ccTLD, like "foo.jp";
  // validSpecialShortDomain (special = true): the same with .co or .tv.
  bool is_bare_country_domain(const Span& domain, bool special) const {
    const int begin = static_cast<int>(domain.begin), end = static_cast<int>(domain.end);
    const int dot = text_.indexOf(u'.', begin);
    if (dot < 0 || dot >= end) return false;
    if (const int second = text_.indexOf(u'.', dot + 1); second >= 0 && second < end) return false;
    if (dot == begin || !is_domain_char(text_.charAt(begin)) || !is_domain_char(text_.charAt(dot - 1))) return false;
    if (special)
      return end - dot == 3 && (starts_with_ci(text_, dot + 1, u"co") || starts_with_ci(text_, dot + 1, u"tv"));
    return TldTable::instance().is_country(text_, dot + 1, end);
  }

  // The regex from the URL's first character: protocol, domain, port, path, query.
  std::optional<UrlMatch> match_url_at(int begin) {
    if (begin >= n_) return std::nullopt;
    UrlMatch m;
    m.begin = begin;
    int domain = begin;
    if (starts_with_ci(text_, begin, u"https://")) {
      domain = begin + 8;
    } else if (starts_with_ci(text_, begin, u"http://")) {
      domain = begin + 7;
    }
    m.has_protocol = domain != begin;
    // Without the protocol the domain would have to start with "http:", which cannot match.
    const int domain_end = match_domain(domain);
    if (domain_end < 0) return std::nullopt;
    m.domain_begin = domain;
    m.domain_end = domain_end;
    int end = domain_end;
    if (end + 1 < n_ && text_.charAt(end) == u':' && is_ascii_digit(text_.charAt(end + 1))) {  // validPortNumber
      end += 2;
      while (end < n_ && is_ascii_digit(text_.charAt(end))) ++end;
    }
    if (end < n_ && text_.charAt(end) == u'/') {
      m.has_path = true;
      end = match_path(end + 1);
    }
    if (end < n_ && text_.charAt(end) == u'?') {
      if (int query_end = match_query(end + 1); query_end >= 0) end = query_end;
    }
    m.end = end;
    return m;
  }

  // validDomain = validSubdomain* validDomainName (validGTLD | validCCTLD | validPunycode).
  // Labels are runs of domain characters with inner '-' (and '_' in subdomains) ending in '.'.
  // The regex takes as many subdomains as it can, then gives them back one at a time until the
  // label after the domain name starts with a TLD. So the domain starting at label L ends where
  // the domain starting at the next label ends, if that one exists, else after the TLD that
  // follows L (L being the domain name). Memoized per label, which keeps "a.a.a.a..." linear.
  int match_domain(int begin) {
    std::vector<int> chain;  // labels from `begin` whose result is not known yet
    int label = begin;
    int deeper = -1;
    while (label < n_) {
      if (const int known = domain_end_[static_cast<std::size_t>(label)]; known != unknown) {
        deeper = known;
        break;
      }
      const int dot = run_end_[static_cast<std::size_t>(label)];
      if (dot == label || dot >= n_ || text_.charAt(dot) != u'.' || !is_domain_char(text_.charAt(label)) ||
          !is_domain_char(text_.charAt(dot - 1))) {
        domain_end_[static_cast<std::size_t>(label)] = -1;  // not a label followed by a dot
        break;
      }
      chain.push_back(label);
      label = dot + 1;
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const int dot = run_end_[static_cast<std::size_t>(*it)];
      // As the domain name the label may have no '_'.
      if (deeper < 0 && underscores_[static_cast<std::size_t>(dot)] == underscores_[static_cast<std::size_t>(*it)])
        deeper = tld_end(dot + 1);
      domain_end_[static_cast<std::size_t>(*it)] = deeper;
    }
    return begin < n_ ? domain_end_[static_cast<std::size_t>(begin)] : -1;
  }

  int tld_end(int pos) {
    int& cached = tld_end_[static_cast<std::size_t>(pos)];
    if (cached == unknown) cached = TldTable::instance().match(text_, pos, n_);
    return cached;
  }

  // validUrlBalancedParens at '(' : ( G+ ) or ( G* ( G+ ) G* ); returns its end or -1.
  int match_parens(int open) const {
    int k = open + 1;
    const int first = k;
    while (k < n_ && is_path_char(text_.charAt(k))) ++k;
    if (k < n_ && text_.charAt(k) == u')' && k > first) return k + 1;
    if (k >= n_ || text_.charAt(k) != u'(') return -1;
    int m = k + 1;
    const int inner = m;
    while (m < n_ && is_path_char(text_.charAt(m))) ++m;
    if (m == inner || m >= n_ || text_.charAt(m) != u')') return -1;
    ++m;
    while (m < n_ && is_path_char(text_.charAt(m))) ++m;
    return m < n_ && text_.charAt(m) == u')' ? m + 1 : -1;
  }

  // After the '/': validUrlPath* matches path characters and balanced parentheses up to the
  // last one that may end a path (so "/foo." leaves the period out).
  int match_path(int begin) const {
    int last_end = begin;
    int k = begin;
    while (k < n_) {
      const char16_t c = text_.charAt(k);
      if (is_path_char(c)) {
        ++k;
        if (is_path_ending_char(c)) last_end = k;
      } else if (c == u'(') {
        const int close = match_parens(k);
        if (close < 0) break;
        k = last_end = close;
      } else {
        break;
      }
    }
    return last_end;
  }

  // After the '?': query characters up to the last one that may end a query, or -1 if none may.
  int match_query(int begin) const {
    int last_end = -1;
    for (int k = begin; k < n_ && is_query_char(text_.charAt(k)); ++k)
      if (is_query_ending_char(text_.charAt(k))) last_end = k + 1;
    return last_end;
  }

  const icu::UnicodeString& text_;
  const int n_;
  std::vector<int> run_end_;
  std::vector<int> underscores_;  // prefix counts of '_'
  std::vector<int> tld_end_;      // memo for tld_end()
  std::vector<int> domain_end_;   // memo for match_domain(), per label start
};

// --- isValidUrl ---------------------------------------------------------------------------

bool is_unreserved(char16_t c) { return is_ascii_alnum(c) || is_cyrillic(c) || in(c, u"-._~"); }
bool is_sub_delim(char16_t c) { return in(c, u"!$&'()*+,;="); }
bool is_hex(char16_t c) { return is_ascii_digit(c) || (fold(c) >= u'a' && fold(c) <= u'f'); }

// Is all of s a sequence of the given single characters and %XX escapes?
template <typename Pred>
bool all_pchars(std::u16string_view s, Pred allowed) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == u'%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 3;
    } else if (allowed(s[i])) {
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

bool is_pchar(char16_t c) { return is_unreserved(c) || is_sub_delim(c) || in(c, u":|@"); }  // validateUrlPchar

bool is_dec_octet(std::u16string_view s) {  // validateUrlDecOctet
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), is_ascii_digit)) return false;
  if (s.size() > 1 && s[0] == u'0') return false;
  int value = 0;
  for (char16_t c : s) value = value * 10 + (c - u'0');
  return value <= 255;
}

bool is_ipv4(std::u16string_view s) {
  for (int octet = 0; octet < 4; ++octet) {
    const std::size_t dot = s.find(u'.');
    if ((octet < 3) == (dot == std::u16string_view::npos)) return false;
    if (!is_dec_octet(s.substr(0, dot))) return false;
    if (octet < 3) s.remove_prefix(dot + 1);
  }
  return true;
}

bool is_ipv6(std::u16string_view s) {  // validateUrlIpv6 punts too: [hex, ':' and '.']
  return s.size() > 2 && s.front() == u'[' && s.back() == u']' &&
         std::all_of(s.begin() + 1, s.end() - 1, [](char16_t c) { return is_hex(c) || c == u':' || c == u'.'; });
}

// validateUrlUnicodeSubDomainSegment / DomainSegment / DomainTld: letters, digits and any
// non-ASCII code unit; '-' (and '_' for subdomains) only inside; a TLD starts with a letter.
bool is_unicode_label(std::u16string_view s, bool allow_underscore, bool is_tld) {
  auto word = [](char16_t c) { return is_ascii_alnum(c) || c > 0x7F; };
  if (s.empty() || !word(s.front()) || !word(s.back())) return false;
  if (is_tld && is_ascii_digit(s.front())) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char16_t c) { return word(c) || c == u'-' || (allow_underscore && c == u'_'); });
}

bool is_unicode_domain(std::u16string_view s) {
  std::vector<std::u16string_view> labels;
  for (std::size_t begin = 0;;) {
    const std::size_t dot = s.find(u'.', begin);
    labels.push_back(s.substr(begin, dot == std::u16string_view::npos ? dot : dot - begin));
    if (dot == std::u16string_view::npos) break;
    begin = dot + 1;
  }
  if (labels.size() < 2) return false;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool tld = i + 1 == labels.size(), name = i + 2 == labels.size();
    if (!is_unicode_label(labels[i], !tld && !name, tld)) return false;
  }
  return true;
}

bool is_host(std::u16string_view s) { return is_ipv4(s) || is_ipv6(s) || is_unicode_domain(s); }

bool is_authority(std::u16string_view s) {  // validateUrlUnicodeAuthority
  const std::size_t at = s.find(u'@');
  if (at != std::u16string_view::npos) {
    if (!all_pchars(s.substr(0, at), [](char16_t c) { return is_unreserved(c) || is_sub_delim(c) || c == u':'; }))
      return false;
    s.remove_prefix(at + 1);
  }
  if (is_host(s)) return true;
  const std::size_t colon = s.rfind(u':');
  if (colon == std::u16string_view::npos) return false;
  const std::u16string_view port = s.substr(colon + 1);
  return !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), is_ascii_digit) &&
         is_host(s.substr(0, colon));
}

}  // namespace

std::vector<Span> extract_urls_utf16(const icu::UnicodeString& text) { return UrlScanner(text).scan(); }

std::vector<Span> extract_urls(std::string_view utf8) {
  const Utf16Text decoded = decode_utf8(utf8);
  std::vector<Span> urls = extract_urls_utf16(decoded.text);
  for (Span& url : urls) url = {decoded.byte_offsets[url.begin], decoded.byte_offsets[url.end]};
  return urls;
}

bool is_valid_url(std::string_view utf8, bool require_protocol) {
  if (utf8.empty()) return false;
  const icu::UnicodeString decoded = from_utf8(utf8);
  const std::u16string_view url(decoded.getBuffer(), static_cast<std::size_t>(decoded.length()));
  // validateUrlUnencoded (RFC 3986 appendix B): scheme://authority path ?query #fragment
  std::u16string_view rest = url, scheme;
  bool has_scheme = false;
  if (const std::size_t colon = url.find_first_of(u":/?#");
      colon != std::u16string_view::npos && colon > 0 && url[colon] == u':' && url.substr(colon + 1, 2) == u"//") {
    scheme = url.substr(0, colon);
    rest = url.substr(colon + 3);
    has_scheme = true;
  }
  const std::size_t authority_end = std::min(rest.find_first_of(u"/?#"), rest.size());
  const std::u16string_view authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  const std::size_t path_end = std::min(rest.find_first_of(u"?#"), rest.size());
  const std::u16string_view path = rest.substr(0, path_end);
  rest.remove_prefix(path_end);
  std::u16string_view query, fragment;
  if (!rest.empty() && rest.front() == u'?') {
    const std::size_t query_end = std::min(rest.find(u'#'), rest.size());
    query = rest.substr(1, query_end - 1);
    rest.remove_prefix(query_end);
  }
  if (!rest.empty()) {
    fragment = rest.substr(1);
    // The fragment is (.*) and '.' stops at line terminators, so the whole-URL match fails.
    if (fragment.find_first_of(u"\n\r\u2028\u2029") != std::u16string_view::npos) return false;
  }

  if (require_protocol) {
    if (!has_scheme) return false;
    const bool http = scheme.size() == 4 && std::equal(scheme.begin(), scheme.end(), u"http",
                                                       [](char16_t a, char16_t b) { return fold(a) == b; });
    const bool https = scheme.size() == 5 && std::equal(scheme.begin(), scheme.end(), u"https",
                                                        [](char16_t a, char16_t b) { return fold(a) == b; });
    if (!http && !https) return false;
  }
  // validateUrlPath: (/pchar*)*
  if (!path.empty() && (path.front() != u'/' || !all_pchars(path, [](char16_t c) { return is_pchar(c) || c == u'/'; })))
    return false;
  auto query_char = [](char16_t c) { return is_pchar(c) || c == u'/' || c == u'?'; };
  if (!all_pchars(query, query_char) || !all_pchars(fragment, query_char)) return false;
  return is_authority(authority);
}

std::span<const std::string_view> country_tlds() { return country_tld_list; }
std::span<const std::string_view> generic_tlds() { return generic_tld_list; }

}  // namespace samvad::text
