// The splitter is a dynamic programme over candidate break points. Each piece of text between
// two neighbouring breaks is measured with measure_tweet, and a part weighs the sum of its
// pieces and the whitespace between them: exact at whitespace, since no URL, emoji or
// composition spans whitespace. Every chosen part is measured whole before it is returned; if
// a part cut inside an overlong word weighs other than its sum (its end now reads as a URL,
// say), the splitter falls back to filling parts greedily, measuring each candidate whole. The
// counter is added on top, which is exact because it starts with a space and holds only ASCII.
#include <samvad/text/thread_split.hpp>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <unordered_map>

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <samvad/core/error.hpp>
#include <samvad/core/text.hpp>
#include <samvad/text/entities.hpp>
#include <samvad/text/url_extract.hpp>
#include <samvad/text/utf16.hpp>

namespace samvad::text {

namespace {

enum class BreakKind { sentence, word, character };

// A place where one part may end and the next begin. The whitespace between the two is dropped.
struct Break {
  int part_end = 0;
  int next_start = 0;
  BreakKind kind = BreakKind::sentence;
};

// Lexicographic: character breaks, word breaks, then `size` (the longest part in the first
// pass, the sum of squared part lengths in the second).
struct Cost {
  int character_breaks = 0;
  int word_breaks = 0;
  int64_t size = 0;
  auto operator<=>(const Cost&) const = default;
};

// Abbreviations common in Marathi notices whose period does not end a sentence: "दि. १२
// डिसेंबर" (dinank, date), titles, "क्र." (number), "रु." (rupees). ICU's English data already
// knows "Mr.", "Dr." and the like. A wrongly suppressed sentence end only makes that break a
// word break, which is still allowed.
constexpr std::string_view abbreviations[] = {"दि.", "श्री.", "सौ.", "कु.", "डॉ.", "प्रा.", "क्र.", "रु.", "Rs."};

void check(UErrorCode status, const char* what) {
  if (U_FAILURE(status))
    throw Error(ExitCode::software, std::string("ICU ") + what + " failed: " + u_errorName(status));
}

std::unique_ptr<icu::BreakIterator> make_character_iterator(const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
  check(status, "character break iterator");
  it->setText(text);
  return it;
}

std::unique_ptr<icu::BreakIterator> make_sentence_iterator(const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> filter(
      icu::FilteredBreakIteratorBuilder::createInstance(icu::Locale::getEnglish(), status));
  check(status, "sentence break suppressions");
  for (std::string_view abbreviation : abbreviations) filter->suppressBreakAfter(from_utf8(abbreviation), status);
  check(status, "sentence break suppressions");
  std::unique_ptr<icu::BreakIterator> it(filter->wrapIteratorWithFilter(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status), status));
  check(status, "sentence break iterator");
  it->setText(text);
  return it;
}

// Whitespace a part may end at: White_Space, except the no-break spaces (Line_Break=GL) that
// writers use to keep "Rs. 500" or "10 am" together.
bool is_breaking_space(UChar32 c) {
  return u_isUWhiteSpace(c) && u_getIntPropertyValue(c, UCHAR_LINE_BREAK) != U_LB_GLUE;
}

bool is_line_break(UChar32 c) {
  const auto lb = u_getIntPropertyValue(c, UCHAR_LINE_BREAK);
  return lb == U_LB_MANDATORY_BREAK || lb == U_LB_CARRIAGE_RETURN || lb == U_LB_LINE_FEED || lb == U_LB_NEXT_LINE;
}

std::string code_point_name(UChar32 c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

// The candidate breaks for one size of part, with the weights of the text between them.
struct Breaks {
  std::vector<Break> at;       // at.front() and at.back() stand for the start and end of the text
  std::vector<int> piece;      // piece[i]: the text between at[i] and at[i + 1]
  std::vector<int64_t> total;  // total[i]: pieces and whitespace from the start up to at[i]'s end
  std::vector<int> space;      // space[i]: the whitespace dropped at at[i]
  int widest_space = 0;

  int last() const { return static_cast<int>(at.size()) - 1; }
  // The weight of a part from break a to break b as the sum of its pieces and inner whitespace.
  // Exact when both ends are whitespace (nothing X counts spans whitespace); Splitter checks it.
  int additive(int a, int b) const {
    return static_cast<int>(total[static_cast<std::size_t>(b)] - total[static_cast<std::size_t>(a)] -
                            space[static_cast<std::size_t>(b)]);
  }
};

class Splitter {
 public:
  Splitter(std::string_view utf8, const LengthConfig& config)
      : utf8_(utf8),
        decoded_(decode_utf8(utf8)),
        text_(decoded_.text),
        config_(config),
        protected_(static_cast<std::size_t>(text_.length()) + 1, false),
        characters_(make_character_iterator(text_)) {}

  std::vector<std::string> split() {
    check_postable();
    if (const TweetLength whole = measure_tweet_utf16(text_, config_); whole.valid) return {std::string(utf8_)};
    find_words();
    for (const auto& spans : {extract_urls_utf16(text_), extract_hashtags_utf16(text_), extract_mentions_utf16(text_)})
      for (const Span& span : spans)
        for (std::size_t i = span.begin + 1; i < span.end; ++i) protected_[i] = true;

    int count = std::max(2, lower_bound_on_parts());
    while (true) {
      if (count > kMaxThreadParts) too_many_parts(count);
      const std::vector<int> counters = counter_weights(count);
      const int smallest_counter = *std::min_element(counters.begin(), counters.end());
      const int largest_counter = *std::max_element(counters.begin(), counters.end());
      const Breaks& breaks = breaks_for(config_.max_weighted_length - largest_counter);
      check_pieces_fit(breaks, smallest_counter);
      if (count > breaks.last()) break;  // more parts than pieces
      if (auto parts = exact_ ? greedy_split(breaks, counters) : best_split(breaks, counters)) {
        if (auto thread = assemble(breaks, *parts)) return *thread;
        // A part cut inside a word weighs other than its pieces (its end now reads as a URL,
        // say). Only overlong words are cut, so this takes contrived text; fall back to filling
        // parts greedily, measuring each candidate part whole.
        exact_ = true;
        continue;
      }
      ++count;
    }
    throw Error(ExitCode::data, "cannot split the text into a thread: its pieces do not fit in parts of " +
                                    std::to_string(config_.max_weighted_length) + " with their counters");
  }

 private:
  // Thrown before any part is posted: the whole thread is planned first.
  [[noreturn]] void too_many_parts(int at_least) const {
    const int length = measure_tweet_utf16(text_, config_).weighted_length;
    throw Error(ExitCode::data, "the text is " + std::to_string(length) + " characters long as X counts them and needs " +
                                    (at_least > kMaxThreadParts + 1 ? "at least " + std::to_string(at_least) : "more than " + std::to_string(kMaxThreadParts)) +
                                    " posts as a thread; a thread has at most " + std::to_string(kMaxThreadParts) + " posts (about " +
                                    std::to_string(kMaxThreadParts * (config_.max_weighted_length - 8)) +
                                    " characters); expected a shorter text: put the full notice on a web page and link to it");
  }

  void check_postable() const {
    if (const auto bad = invalid_utf8_at(utf8_))
      throw Error(ExitCode::data, "the text is not valid UTF-8 (at byte " + std::to_string(*bad + 1) + "); expected UTF-8 text");
    const int n = text_.length();
    int first_invalid = -1;
    bool blank = true;
    for (int i = 0; i < n;) {
      const UChar32 c = text_.char32At(i);
      if (first_invalid < 0 && is_invalid_tweet_char(static_cast<char32_t>(c))) first_invalid = i;
      blank = blank && u_isUWhiteSpace(c);
      i += U16_LENGTH(c);
    }
    if (blank) throw Error(ExitCode::data, "the text is empty; expected something to post");
    if (first_invalid >= 0)
      throw Error(ExitCode::data,
                  "the text contains " + code_point_name(text_.char32At(first_invalid)) + " at byte " +
                      std::to_string(decoded_.byte_offsets[static_cast<std::size_t>(first_invalid)]) +
                      ", which X rejects in tweets (U+FFFE, U+FEFF and U+FFFF are not allowed); remove it");
  }

  // Words (maximal runs without breaking whitespace) and the whitespace runs between them.
  void find_words() {
    const int n = text_.length();
    std::unique_ptr<icu::BreakIterator> sentences = make_sentence_iterator(text_);
    int i = 0;
    while (i < n) {
      const UChar32 c = text_.char32At(i);
      if (!is_breaking_space(c)) {
        const int start = i;
        while (i < n && !is_breaking_space(text_.char32At(i))) i += U16_LENGTH(text_.char32At(i));
        words_.push_back({start, i});
        continue;
      }
      const int start = i;
      bool line_break = false;
      while (i < n && is_breaking_space(text_.char32At(i))) {
        line_break = line_break || is_line_break(text_.char32At(i));
        i += U16_LENGTH(text_.char32At(i));
      }
      if (start == 0 || i == n) continue;  // leading and trailing whitespace is trimmed
      if (!characters_->isBoundary(start) || !characters_->isBoundary(i)) continue;  // e.g. a space carrying a mark
      // ICU puts a sentence boundary after the whitespace that follows a sentence, or right
      // after a line break inside it.
      const int after = sentences->following(start);
      const bool sentence_end = line_break || (after != icu::BreakIterator::DONE && after <= i);
      spaces_.push_back({start, i, sentence_end ? BreakKind::sentence : BreakKind::word});
    }
  }

  // Breaks for parts whose text may weigh up to `room`: every whitespace break, plus character
  // breaks inside each word that is heavier than that by itself.
  const Breaks& breaks_for(int room) {
    if (auto it = breaks_by_room_.find(room); it != breaks_by_room_.end()) return it->second;
    Breaks breaks;
    breaks.at.push_back({0, words_.front().first, BreakKind::sentence});
    std::size_t space = 0;
    for (const auto& [start, end] : words_) {
      while (space < spaces_.size() && spaces_[space].part_end < start) breaks.at.push_back(spaces_[space++]);
      if (measure(start, end) <= room) continue;
      for (int g = characters_->following(start); g != icu::BreakIterator::DONE && g < end; g = characters_->next())
        if (!protected_[static_cast<std::size_t>(g)]) breaks.at.push_back({g, g, BreakKind::character});
    }
    breaks.at.push_back({words_.back().second, text_.length(), BreakKind::sentence});

    const std::size_t count = breaks.at.size();
    breaks.piece.assign(count, 0);
    breaks.space.assign(count, 0);
    breaks.total.assign(count, 0);
    for (std::size_t i = 0; i < count; ++i) {
      const Break& b = breaks.at[i];
      if (i > 0 && i + 1 < count) breaks.space[i] = whitespace_weight(b.part_end, b.next_start);
      breaks.widest_space = std::max(breaks.widest_space, breaks.space[i]);
      if (i + 1 < count) breaks.piece[i] = measure(b.next_start, breaks.at[i + 1].part_end);
      if (i > 0) breaks.total[i] = breaks.total[i - 1] + breaks.piece[i - 1] + breaks.space[i];
    }
    return breaks_by_room_.emplace(room, std::move(breaks)).first->second;
  }

  // Every piece between neighbouring breaks must fit in a part next to the smallest counter,
  // or no number of parts will do.
  void check_pieces_fit(const Breaks& breaks, int smallest_counter) {
    for (int a = 0; a < breaks.last(); ++a) {
      const int w = breaks.piece[static_cast<std::size_t>(a)];
      if (w + smallest_counter <= config_.max_weighted_length) continue;
      const int start = breaks.at[static_cast<std::size_t>(a)].next_start;
      const int end = breaks.at[static_cast<std::size_t>(a) + 1].part_end;
      const std::string piece = shown(to_utf8(text_.tempSubString(start, end - start)), 60);
      throw Error(ExitCode::data, "cannot split the text into a thread: \"" + piece + "\" weighs " + std::to_string(w) +
                                      " and cannot be broken (URLs, hashtags, mentions and single characters are kept "
                                      "whole); a part has room for " +
                                      std::to_string(config_.max_weighted_length - smallest_counter) +
                                      " next to its counter");
    }
  }

  int lower_bound_on_parts() {
    int64_t total = 0;
    for (const auto& [start, end] : words_) total += measure(start, end);
    return static_cast<int>((total + config_.max_weighted_length - 1) / config_.max_weighted_length);
  }

  std::vector<int> counter_weights(int count) const {
    std::vector<int> weights(static_cast<std::size_t>(count) + 1, 0);
    for (int i = 1; i <= count; ++i)
      weights[static_cast<std::size_t>(i)] = weighted_length(thread_counter(i, count), config_);
    weights[0] = weights[1];  // unused slot, kept out of min/max
    return weights;
  }

  // The weighted length of text_[start, end), measured as one tweet.
  int measure(int start, int end) {
    const int64_t key = (int64_t{start} << 32) | static_cast<uint32_t>(end);
    if (auto it = measured_.find(key); it != measured_.end()) return it->second;
    const int w = measure_tweet_utf16(text_.tempSubString(start, end - start), config_).weighted_length;
    measured_.emplace(key, w);
    return w;
  }

  // Whitespace weighs what its code points weigh (measure_tweet calls blank text empty).
  int whitespace_weight(int start, int end) const {
    int64_t w = 0;
    for (int i = start; i < end;) {
      const UChar32 c = text_.char32At(i);
      w += config_.weight_of(static_cast<char32_t>(c));
      i += U16_LENGTH(c);
    }
    return static_cast<int>(w / config_.scale);
  }

  int measure_part(const Breaks& breaks, int a, int b) {
    return measure(breaks.at[static_cast<std::size_t>(a)].next_start, breaks.at[static_cast<std::size_t>(b)].part_end);
  }

  // The fallback: each part takes the furthest break at which it, measured whole, still fits.
  // Valid by construction, though not always the fewest or most even parts.
  std::optional<std::vector<std::pair<int, int>>> greedy_split(const Breaks& breaks, const std::vector<int>& counters) {
    const int parts = static_cast<int>(counters.size()) - 1;
    const int last = breaks.last();
    const int max = config_.max_weighted_length;
    std::vector<std::pair<int, int>> chosen;
    for (int k = 1, a = 0; k <= parts; ++k) {
      const int counter = counters[static_cast<std::size_t>(k)];
      int end = -1;
      if (k == parts) {
        if (measure_part(breaks, a, last) + counter <= max) end = last;
      } else {
        // Leave a break for each part still to come; look no further than twice a part's worth.
        for (int b = a + 1; b <= last - (parts - k) && breaks.additive(a, b) <= 2 * max; ++b)
          if (measure_part(breaks, a, b) + counter <= max) end = b;
      }
      if (end < 0) return std::nullopt;
      chosen.emplace_back(a, end);
      a = end;
    }
    return chosen;
  }

  // The parts (as pairs of break indexes) of the best split into counters.size() - 1 parts,
  // or nullopt if there is none. Pass 1 finds the best (breaks, longest part); pass 2 keeps
  // those and minimises the sum of squares among splits whose parts are no longer.
  std::optional<std::vector<std::pair<int, int>>> best_split(const Breaks& breaks, const std::vector<int>& counters) {
    const auto first = run(breaks, counters, std::nullopt);
    if (!first) return std::nullopt;
    const auto second = run(breaks, counters, first->second);
    if (!second) throw Error(ExitCode::software, "thread splitting: second pass found no split");
    return second->first;
  }

  // One dynamic programme over (parts so far, break). Without a cap it minimises (breaks,
  // longest part); with a cap on part length it minimises (breaks, sum of squares). Returns the
  // parts and the longest part.
  std::optional<std::pair<std::vector<std::pair<int, int>>, int>> run(const Breaks& breaks,
                                                                      const std::vector<int>& counters,
                                                                      std::optional<int> cap) {
    const int parts = static_cast<int>(counters.size()) - 1;
    const int last = breaks.last();
    const int max = config_.max_weighted_length;
    const auto columns = static_cast<std::size_t>(last) + 1;
    std::vector<std::optional<Cost>> best((static_cast<std::size_t>(parts) + 1) * columns);
    std::vector<int> from(best.size(), -1);
    auto at = [&](int k, int b) { return static_cast<std::size_t>(k) * columns + static_cast<std::size_t>(b); };
    best[at(0, 0)] = Cost{};
    for (int k = 1; k <= parts; ++k) {
      const int counter = counters[static_cast<std::size_t>(k)];
      for (int a = 0; a < last; ++a) {
        const std::optional<Cost>& before = best[at(k - 1, a)];
        if (!before) continue;
        // What is left must fit in the parts that are left (less the whitespace between them).
        if (breaks.additive(a, last) > int64_t{parts - k + 1} * (max + breaks.widest_space)) continue;
        for (int b = a + 1; b <= last; ++b) {
          const int w = breaks.additive(a, b);
          if (w > max) break;  // adding text never makes a part lighter
          if (w + counter > max || (cap && w > *cap) || (k == parts) != (b == last)) continue;
          Cost cost = *before;
          if (a > 0) {
            cost.character_breaks += breaks.at[static_cast<std::size_t>(a)].kind == BreakKind::character;
            cost.word_breaks += breaks.at[static_cast<std::size_t>(a)].kind == BreakKind::word;
          }
          cost.size = cap ? cost.size + int64_t{w} * w : std::max<int64_t>(cost.size, w);
          std::optional<Cost>& slot = best[at(k, b)];
          if (!slot || cost < *slot) {
            slot = cost;
            from[at(k, b)] = a;
          }
        }
      }
    }
    if (!best[at(parts, last)]) return std::nullopt;
    std::vector<std::pair<int, int>> chosen(static_cast<std::size_t>(parts));
    int longest = 0;
    for (int k = parts, b = last; k > 0; --k) {
      const int a = from[at(k, b)];
      chosen[static_cast<std::size_t>(k) - 1] = {a, b};
      longest = std::max(longest, breaks.additive(a, b));
      b = a;
    }
    return std::make_pair(std::move(chosen), longest);
  }

  // The thread's text, or nullopt if a part measured whole weighs other than the sum the split
  // was chosen by.
  std::optional<std::vector<std::string>> assemble(const Breaks& breaks,
                                                   const std::vector<std::pair<int, int>>& parts) {
    std::vector<std::string> out;
    const int count = static_cast<int>(parts.size());
    for (int i = 0; i < count; ++i) {
      const auto [a, b] = parts[static_cast<std::size_t>(i)];
      const int start = breaks.at[static_cast<std::size_t>(a)].next_start;
      const int end = breaks.at[static_cast<std::size_t>(b)].part_end;
      const std::size_t begin_byte = decoded_.byte_offsets[static_cast<std::size_t>(start)];
      const std::size_t end_byte = decoded_.byte_offsets[static_cast<std::size_t>(end)];
      std::string part = std::string(utf8_.substr(begin_byte, end_byte - begin_byte)) + thread_counter(i + 1, count);
      const TweetLength length = measure_tweet(part, config_);
      if (!exact_ && measure(start, end) != breaks.additive(a, b)) return std::nullopt;
      if (!length.valid) {
        if (!exact_) return std::nullopt;
        throw Error(ExitCode::software, "thread splitting produced part " + std::to_string(i + 1) +
                                            " of weighted length " + std::to_string(length.weighted_length) +
                                            ", over " + std::to_string(config_.max_weighted_length));
      }
      out.push_back(std::move(part));
    }
    return out;
  }

  std::string_view utf8_;
  Utf16Text decoded_;
  const icu::UnicodeString& text_;
  const LengthConfig& config_;
  std::vector<bool> protected_;  // true where a break would cut a URL, hashtag or mention
  std::unique_ptr<icu::BreakIterator> characters_;
  std::vector<std::pair<int, int>> words_;
  std::vector<Break> spaces_;
  std::unordered_map<int, Breaks> breaks_by_room_;
  std::unordered_map<int64_t, int> measured_;
  bool exact_ = false;  // sums of pieces proved wrong: split greedily, measuring parts whole
};

}  // namespace

std::string thread_counter(int index, int count) {
  return " (" + std::to_string(index) + "/" + std::to_string(count) + ")";
}

std::vector<std::string> split_thread(std::string_view utf8, const LengthConfig& config) {
  return Splitter(utf8, config).split();
}

}  // namespace samvad::text
