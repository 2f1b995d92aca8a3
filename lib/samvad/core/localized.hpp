// Text written once per language ("mr", "en"), as config names and template texts are.
#pragma once

#include <map>
#include <string>

namespace samvad {

using LanguageCode = std::string;

struct Localized {
  std::map<LanguageCode, std::string> text;

  bool has(const LanguageCode& lang) const { return text.count(lang) != 0; }
  // The text in `lang`, or nullptr when that language was not written.
  const std::string* find(const LanguageCode& lang) const {
    auto it = text.find(lang);
    return it == text.end() ? nullptr : &it->second;
  }
};

}  // namespace samvad
