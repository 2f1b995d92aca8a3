// `samvad count`: the weighted length X will count for a text, as --json reports it.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <samvad/text/tweet_length.hpp>

namespace samvad::app {

struct CountResult {
  int weighted_length = 0;
  int max = 280;
  bool valid = true;
  int remaining() const { return max - weighted_length; }
};

// Invalid: over the limit, blank, holding U+FFFE/U+FEFF/U+FFFF, or not valid UTF-8.
CountResult count(std::string_view text);

// The text `count` measures when none is given: standard input, at most kMaxCountInput bytes
// (Error 65 beyond: no tweet is that long, and a pipe must not fill memory), without the one
// trailing newline `echo` adds.
constexpr std::size_t kMaxCountInput = 1024 * 1024;
std::string read_count_input(std::istream& in);

// {"weighted_length":N,"max":280,"valid":true}
nlohmann::json to_json(const CountResult& result);

}  // namespace samvad::app
