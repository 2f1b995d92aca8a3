#include <samvad/app/count.hpp>

namespace samvad::app {

CountResult count(std::string_view text) {
  const auto config = text::LengthConfig::v3();
  text::TweetLength length = text::measure_tweet(text, config);
  return CountResult{length.weighted_length, config.max_weighted_length, length.valid};
}

nlohmann::json to_json(const CountResult& result) {
  return {{"weighted_length", result.weighted_length}, {"max", result.max}, {"valid", result.valid}};
}

}  // namespace samvad::app
