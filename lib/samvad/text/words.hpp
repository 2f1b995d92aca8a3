// Words as people read them, for finding a keyword in what someone wrote: ICU's word
// boundaries (any script: Devanagari words are split at spaces and punctuation, never inside a
// conjunct), each word NFC-normalized and case-folded, punctuation and spaces dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace samvad::text {

// The words of `utf8` in order ("@PCMCWater नळाला पाणी नाही!" -> "pcmcwater", "नळाला", "पाणी",
// "नाही"). Invalid UTF-8 is read with replacement characters.
std::vector<std::string> words(std::string_view utf8);

// Whether `phrase` (one or more words) occurs in `text_words` as consecutive whole words.
bool contains_phrase(const std::vector<std::string>& text_words, const std::vector<std::string>& phrase);

}  // namespace samvad::text
