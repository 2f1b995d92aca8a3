// `samvad count`: the weighted length X will count for a text, as --json reports it.
#pragma once

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

CountResult count(std::string_view text);

// {"weighted_length":N,"max":280,"valid":true}
nlohmann::json to_json(const CountResult& result);

}  // namespace samvad::app
