#include <samvad/twitter/post_text.hpp>

#include <algorithm>
#include <cctype>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <samvad/core/error.hpp>
#include <samvad/text/url_extract.hpp>

namespace samvad::twitter {

namespace {

std::string nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw Error(ExitCode::software, std::string("ICU has no NFC normalizer: ") + u_errorName(status));
  icu::UnicodeString normalized =
      normalizer->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size()))), status);
  if (U_FAILURE(status)) throw Error(ExitCode::software, std::string("ICU could not normalize text: ") + u_errorName(status));
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// X escapes exactly these three, once; reading left to right undoes it once, so a sent "&lt;"
// (returned "&amp;lt;") stays "&lt;".
std::string unescape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (auto [entity, plain] : {std::pair{std::string_view("&amp;"), '&'}, {"&lt;", '<'}, {"&gt;", '>'}}) {
        if (s.substr(i, entity.size()) == entity) {
          out += plain;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

// X's expanded_url is the URL as sent, except that one sent without a scheme gets "http://".
bool same_url(std::string_view sent, const std::string& expanded) {
  const std::string expanded_nfc = nfc(expanded);
  if (sent == expanded_nfc) return true;
  const bool has_scheme = starts_with_ignoring_case(sent, "http://") || starts_with_ignoring_case(sent, "https://");
  return !has_scheme && expanded_nfc == "http://" + std::string(sent);
}

}  // namespace

bool same_post_text(std::string_view sent, std::string_view returned, const std::vector<UrlEntity>& urls) {
  // The sent text as X stores it, cut at the URLs X wraps: text, URL, text, ..., text.
  const std::string sent_nfc = nfc(sent);
  std::vector<std::string_view> sent_pieces;
  std::vector<std::string_view> sent_urls;
  const std::string_view sent_view(sent_nfc);
  std::size_t at = 0;
  for (const text::Span& span : text::extract_urls(sent_view)) {
    sent_pieces.push_back(sent_view.substr(at, span.begin - at));
    sent_urls.push_back(sent_view.substr(span.begin, span.end - span.begin));
    at = span.end;
  }
  sent_pieces.push_back(sent_view.substr(at));
  if (sent_urls.size() != urls.size()) return false;

  // The returned text cut at its t.co links, in the order X lists them.
  std::vector<const UrlEntity*> links;
  for (const auto& u : urls) links.push_back(&u);
  std::stable_sort(links.begin(), links.end(), [](const UrlEntity* a, const UrlEntity* b) { return a->start < b->start; });
  at = 0;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const UrlEntity& link = *links[i];
    if (link.url.empty()) return false;
    const std::size_t found = returned.find(link.url, at);
    if (found == std::string_view::npos) return false;
    if (nfc(unescape_html(returned.substr(at, found - at))) != sent_pieces[i]) return false;
    if (!same_url(sent_urls[i], link.expanded_url)) return false;
    at = found + link.url.size();
  }
  return nfc(unescape_html(returned.substr(at))) == sent_pieces.back();
}

}  // namespace samvad::twitter
