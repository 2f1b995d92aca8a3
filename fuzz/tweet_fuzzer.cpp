// Tweet length and threads: measure_tweet (as UTF-8, and the same bytes as UTF-16 code units,
// lone surrogates included) and split_thread, checking what thread_split.hpp promises: a text
// that fits comes back unchanged, otherwise every part ends in its " (i/N)" counter and is a
// valid tweet.
#include <unicode/unistr.h>

#include <samvad/text/thread_split.hpp>
#include <samvad/text/tweet_length.hpp>

#include "support.hpp"

namespace {

// split_thread is a dynamic programme over break points: contrived long inputs ("a." x 6000
// + "com", one URL-like word with thousands of candidate breaks) take seconds. Announcements
// are far shorter than this, and the cap keeps the fuzzer finding crashes, not slow paths.
constexpr std::size_t max_input = 4096;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  if (size > max_input) return 0;
  const std::string_view text = fuzz::as_text(data, size);
  const text::LengthConfig& v3 = text::LengthConfig::v3();

  const text::TweetLength length = text::measure_tweet(text, v3);
  if (length.weighted_length < 0) fuzz::broken("negative weighted length");
  if (length.valid && length.weighted_length > v3.max_weighted_length)
    fuzz::broken("valid with weighted length " + std::to_string(length.weighted_length));
  (void)text::measure_tweet(text, text::LengthConfig::v2());

  icu::UnicodeString units;
  for (std::size_t i = 0; i + 1 < size; i += 2) units.append(static_cast<char16_t>(data[i] | data[i + 1] << 8));
  (void)text::measure_tweet_utf16(units, v3);

  try {
    const std::vector<std::string> parts = text::split_thread(text, v3);
    if (parts.empty()) fuzz::broken("split_thread returned no parts");
    if (parts.size() == 1) {
      if (parts.front() != text) fuzz::broken("a text that fits in one tweet came back changed");
      return 0;
    }
    const int count = static_cast<int>(parts.size());
    for (int i = 0; i < count; ++i) {
      const std::string& part = parts[static_cast<std::size_t>(i)];
      const std::string counter = text::thread_counter(i + 1, count);
      if (part.size() <= counter.size() || part.compare(part.size() - counter.size(), counter.size(), counter) != 0)
        fuzz::broken("part " + std::to_string(i + 1) + " is not a piece of text followed by its counter");
      const text::TweetLength part_length = text::measure_tweet(part, v3);
      if (!part_length.valid)
        fuzz::broken("part " + std::to_string(i + 1) + " is not a valid tweet (weighted length " +
                     std::to_string(part_length.weighted_length) + ")");
    }
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
  }
  return 0;
}
