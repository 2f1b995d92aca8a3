#include <samvad/text/script.hpp>

#include <algorithm>
#include <array>

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <samvad/text/localize.hpp>

namespace samvad::text {

namespace {

struct Scripts {
  std::array<UScriptCode, USCRIPT_CODE_LIMIT> codes{};
  int count = 0;
  bool latin = false;
};

// Japanese is written in three scripts at once (Kana, Hiragana, Han); no language has more.
Scripts scripts_of(const LanguageCode& lang) {
  Scripts s;
  UErrorCode status = U_ZERO_ERROR;
  s.count = uscript_getCode(locale_id(lang).c_str(), s.codes.data(), static_cast<int32_t>(s.codes.size()), &status);
  if (U_FAILURE(status)) s.count = 0;
  s.latin = std::find(s.codes.begin(), s.codes.begin() + s.count, USCRIPT_LATIN) != s.codes.begin() + s.count;
  return s;
}

}  // namespace

std::optional<std::string> non_latin_script(const LanguageCode& lang) {
  Scripts s = scripts_of(lang);
  if (s.count == 0 || s.latin) return std::nullopt;
  std::string names;
  for (int i = 0; i < s.count; ++i) names += std::string(i == 0 ? "" : "/") + uscript_getName(s.codes[static_cast<std::size_t>(i)]);
  return names;
}

bool lacks_script_of(std::string_view text, const LanguageCode& lang) {
  Scripts s = scripts_of(lang);
  if (s.count == 0 || s.latin) return false;
  bool letters = false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || !u_isUAlphabetic(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(c, &status);
    // Letters shared by scripts (Common, Inherited) say nothing about which one is used.
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
    letters = true;
    for (int k = 0; k < s.count; ++k)
      if (uscript_hasScript(c, s.codes[static_cast<std::size_t>(k)])) return false;
  }
  return letters;
}

std::string language_name(const LanguageCode& lang) {
  icu::UnicodeString name;
  icu::Locale(lang.c_str()).getDisplayLanguage(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? lang : out;
}

}  // namespace samvad::text
