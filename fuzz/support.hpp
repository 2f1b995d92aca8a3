// What the fuzzers share: the input as text, how a broken property is reported, and the
// repository's sample configuration and templates that rendering needs.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/templates/template.hpp>

namespace samvad::fuzz {

inline std::string_view as_text(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A property the library promises does not hold: libFuzzer saves the input as a crash.
[[noreturn]] inline void broken(const std::string& what) {
  std::fprintf(stderr, "\nPROPERTY BROKEN: %s\n", what.c_str());
  std::abort();
}

// ExitCode::software means "a bug in samvad": never an expected failure, whatever the input.
inline void expect_not_software(const Error& e) {
  if (e.code() == ExitCode::software) broken("Error with exit code 70 (software): " + std::string(e.what()));
}

// The pieces of `text` between `separator`s; one piece when there is none.
inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// The repository's departments.yaml and templates (SAMVAD_SOURCE_DIR), loaded once: rendering
// fuzzes against the real sample data. A failure here is a broken build, not a finding.
inline const config::Config& sample_config() {
  static const config::Config config = registry::load_config(SAMVAD_SOURCE_DIR "/departments.yaml");
  return config;
}

// The department templates are rendered for: Twitter and email, Marathi and English.
inline const config::Department& sample_department() {
  static const config::Department* department = sample_config().find_department("water-supply");
  if (!department) broken("departments.yaml has no water-supply department");
  return *department;
}

inline templates::Template sample_template(const std::string& name) {
  return templates::load_template(SAMVAD_SOURCE_DIR "/templates/" + name + ".yaml");
}

}  // namespace samvad::fuzz
