// Splitting an announcement that is too long for one tweet into a numbered thread, breaking
// where a reader would (after sentences, then between words) and never inside a URL, hashtag,
// mention or character (grapheme cluster), so Marathi conjuncts and vowel signs stay whole.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <samvad/text/tweet_length.hpp>

namespace samvad::text {

// Splits `utf8` into tweets for a thread.
//
// A text that fits in one tweet comes back unchanged, as the only element, without a counter.
// Otherwise every part is a trimmed piece of the text followed by " (i/N)", and each part with
// its counter fits config.max_weighted_length. Whitespace, newlines included, stays as it is
// inside parts; the whitespace where a part ends is dropped.
//
// Where parts break (ICU decides sentences and characters):
//   - a sentence break: whitespace after the end of a sentence (".", "?", "!", "।", "॥" and
//     what ICU's sentence rules count with them) or containing a line break;
//   - a word break: any other breaking whitespace (not U+00A0 and other no-break spaces);
//   - a character break: between two grapheme clusters of a word that cannot fit in a part
//     by itself. Never inside a URL, hashtag or mention.
// The split chosen is, in this order of priority:
//   1. the fewest parts N (the counter's width depends on N and is accounted for);
//   2. the fewest character breaks, then the fewest word breaks (so a thread breaks mid-sentence
//      only when it must);
//   3. the smallest longest part (weighted length without the counter);
//   4. the smallest sum of squared part lengths (the most even), earliest breaks on a tie.
//
// Throws samvad::Error (ExitCode::data) if the text is blank, is not valid UTF-8, contains
// characters X rejects (U+FFFE, U+FEFF, U+FFFF), holds a piece that cannot be broken and does
// not fit in a part, or needs more than kMaxThreadParts parts.
std::vector<std::string> split_thread(std::string_view utf8, const LengthConfig& config = LengthConfig::v3());

// X's composer makes threads of at most 25 posts; a notice longer than that belongs on a web
// page the tweet links to, and a runaway text (a whole circular pasted in) must not become 200
// posts on a department's timeline.
constexpr int kMaxThreadParts = 25;

// The counter appended to part `index` (1-based) of `count`: " (2/5)".
std::string thread_counter(int index, int count);

}  // namespace samvad::text
