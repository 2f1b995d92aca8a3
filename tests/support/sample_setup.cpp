#include "support/sample_setup.hpp"

#include <regex>

#include <catch2/catch.hpp>

namespace samvad::test {

SampleSetup::SampleSetup() {
  namespace fs = std::filesystem;
  const fs::path src = source_dir();
  fs::copy_file(src / "departments.yaml", dir() / "departments.yaml");
  // The sample names the service user's store (/var/lib/samvad); a test's store is its own.
  edit("departments.yaml", "state: /var/lib/samvad/state.db", "state: state/state.db");
  for (const char* folder : {"lists", "templates", "vars"})
    fs::copy(src / folder, dir() / folder, fs::copy_options::recursive);

  std::string credentials = read_file(src / "credentials.yaml.example");
  static const std::regex reference(R"(\$\{([A-Z0-9_]+)\})");
  for (auto it = std::sregex_iterator(credentials.begin(), credentials.end(), reference); it != std::sregex_iterator(); ++it)
    env_[(*it)[1]] = "secret-" + std::to_string(env_.size()) + "-Zq9";
  dir_.write("credentials.yaml", credentials, 0600);
}

void SampleSetup::edit(const std::string& relative, const std::string& from, const std::string& to) const {
  std::string content = read_file(dir() / relative);
  auto pos = content.find(from);
  REQUIRE(pos != std::string::npos);
  content.replace(pos, from.size(), to);
  dir_.write(relative, content);
}

std::vector<std::string> SampleSetup::secrets() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : env_) out.push_back(value);
  return out;
}

ProcessResult SampleSetup::run(std::vector<std::string> args, ProcessOptions options) const {
  for (const auto& [k, v] : env_) options.env.emplace(k, v);
  args.insert(args.begin(), {"-c", config().string()});
  return run_samvad(args, options);
}

}  // namespace samvad::test
