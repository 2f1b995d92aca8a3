// "Did you mean ...?" for unknown keys and names, so a typo is one edit away from fixed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace samvad {

// Levenshtein distance between two byte strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace samvad
