#include <samvad/feed/xml.hpp>

#include <libxml/parser.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <samvad/core/error.hpp>

namespace samvad::feed::xml {

void init() {
  static const bool done = [] {
    xmlInitParser();
    return true;
  }();
  (void)done;
}

bool is_element(const xmlNode* node, std::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->name != nullptr &&
         std::string_view(reinterpret_cast<const char*>(node->name)) == name;
}

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, chars(name));
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::string content(const xmlNode* node) {
  xmlChar* value = xmlNodeGetContent(node);
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::string clean_text(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU has no NFC normalizer: ") + u_errorName(status));
  icu::UnicodeString normalized = normalizer->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU could not normalize text: ") + u_errorName(status));
  icu::UnicodeString kept;
  for (int32_t i = 0; i < normalized.length();) {
    const UChar32 c = normalized.char32At(i);
    i += U16_LENGTH(c);
    const bool allowed = c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c != 0x7F && c != 0xFFFE && c != 0xFFFF);
    if (allowed) kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

}  // namespace samvad::feed::xml
