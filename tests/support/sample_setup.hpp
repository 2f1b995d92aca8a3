// A private copy of the sample configuration (departments.yaml, lists/, templates/, vars/)
// with a complete credentials.yaml, for driving the real samvad binary.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace samvad::test {

class SampleSetup {
 public:
  SampleSetup();

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path config() const { return dir() / "departments.yaml"; }
  std::filesystem::path credentials() const { return dir() / "credentials.yaml"; }
  std::filesystem::path write(const std::string& relative, const std::string& content, unsigned mode = 0600) const {
    return dir_.write(relative, content, mode);
  }
  // Replaces the first occurrence of `from` in a file of the setup (the test fails if absent).
  void edit(const std::string& relative, const std::string& from, const std::string& to) const;

  // The environment the credentials file needs: every ${SAMVAD_...} set to a distinct secret.
  const std::map<std::string, std::string>& env() const { return env_; }
  std::vector<std::string> secrets() const;

  // samvad -c <setup>/departments.yaml ARGS... with the setup's environment.
  ProcessResult run(std::vector<std::string> args, ProcessOptions options = {}) const;

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

}  // namespace samvad::test
