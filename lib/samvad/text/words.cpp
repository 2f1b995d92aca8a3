#include <samvad/text/words.hpp>

#include <algorithm>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

namespace samvad::text {

namespace {

// NFC first, so a word typed with a decomposed nukta matches one typed composed; then the
// case fold (which can denormalize), then NFC again.
icu::UnicodeString folded(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return word;
  icu::UnicodeString out = nfc->normalize(word, status);
  out.foldCase();
  out = nfc->normalize(out, status);
  return U_SUCCESS(status) ? out : word;
}

}  // namespace

std::vector<std::string> words(std::string_view utf8) {
  std::vector<std::string> out;
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) return out;
  it->setText(text);
  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    // Spaces and punctuation come back as segments of status UBRK_WORD_NONE.
    if (it->getRuleStatus() == UBRK_WORD_NONE) continue;
    std::string word;
    folded(text.tempSubStringBetween(start, end)).toUTF8String(word);
    out.push_back(std::move(word));
  }
  return out;
}

bool contains_phrase(const std::vector<std::string>& text_words, const std::vector<std::string>& phrase) {
  if (phrase.empty()) return false;
  return std::search(text_words.begin(), text_words.end(), phrase.begin(), phrase.end()) != text_words.end();
}

}  // namespace samvad::text
