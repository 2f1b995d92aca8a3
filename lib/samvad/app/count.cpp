#include <samvad/app/count.hpp>

#include <samvad/core/error.hpp>

namespace samvad::app {

CountResult count(std::string_view text) {
  const auto config = text::LengthConfig::v3();
  text::TweetLength length = text::measure_tweet(text, config);
  return CountResult{length.weighted_length, config.max_weighted_length, length.valid};
}

std::string read_count_input(std::istream& in) {
  std::string text(kMaxCountInput + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxCountInput)
    throw Error(ExitCode::data, "standard input holds more than 1 MB; expected the text of one tweet");
  // `echo TEXT | samvad count` adds one newline that is not part of the tweet.
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

nlohmann::json to_json(const CountResult& result) {
  return {{"weighted_length", result.weighted_length}, {"max", result.max}, {"valid", result.valid}};
}

}  // namespace samvad::app
