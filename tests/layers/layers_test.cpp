// The layers of libsamvad as the build enforces them (lib/CMakeLists.txt): every source is listed
// in its layer's target, no include can reach around a layer's include tree, and outside its own
// folder and the registry no code names a channel. The tests keep the same order
// (tests/CMakeLists.txt): every test source listed, and a tests/ folder for every layer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/process.hpp"

namespace fs = std::filesystem;
using samvad::test::read_file;
using samvad::test::source_dir;

namespace {

std::vector<fs::path> sources_under(const fs::path& dir, const std::set<std::string>& extensions) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && extensions.count(entry.path().extension().string())) out.push_back(entry.path());
  return out;
}

// What tests/CMakeLists.txt builds, by folder relative to tests/ ("" for tests/ itself): the
// files of add_executable(samvad_tests ...) and of each samvad_test_folder(FOLDER ... SOURCES ...).
std::map<std::string, std::set<std::string>> listed_test_sources(const std::string& cmake) {
  std::map<std::string, std::set<std::string>> out;
  auto add_words = [&out](const std::string& folder, const std::string& words) {
    std::istringstream in(words);
    for (std::string word; in >> word;) out[folder].insert(word);
  };
  const std::regex executable("add_executable\\(samvad_tests\\s([^)]*)\\)");
  const std::regex folder("samvad_test_folder\\((\\S+)\\s+(?:TARGET\\s+\\S+\\s+)?SOURCES\\s([^)]*)\\)");
  for (std::sregex_iterator it(cmake.begin(), cmake.end(), executable), end; it != end; ++it) add_words("", (*it)[1]);
  for (std::sregex_iterator it(cmake.begin(), cmake.end(), folder), end; it != end; ++it) add_words((*it)[1], (*it)[2]);
  return out;
}

}  // namespace

TEST_CASE("every library source is listed in its layer's target, none is globbed", "[layers]") {
  const std::string cmake = read_file(source_dir() / "lib" / "CMakeLists.txt");
  CHECK_THAT(cmake, !Catch::Contains("file(GLOB"));
  const fs::path lib = source_dir() / "lib" / "samvad";
  for (const auto& file : sources_under(lib, {".cpp"})) {
    const std::string layer = file.parent_path().filename().string();
    INFO(file.string());
    // The file is named in the SOURCES of `samvad_layer(<its folder>`.
    const std::regex listed("samvad_layer\\(" + layer + "\\s+SOURCES[^)]*\\b" +
                            std::regex_replace(file.filename().string(), std::regex("\\."), "\\.") + "\\b");
    CHECK(std::regex_search(cmake, listed));
  }
}

TEST_CASE("library sources include each other only through the layer include trees", "[layers]") {
  // A quoted include is found next to the file that has it, whatever the layer's include tree
  // says: it could reach a layer above without the build noticing.
  for (const auto& file : sources_under(source_dir() / "lib" / "samvad", {".cpp", ".hpp"})) {
    INFO(file.string());
    CHECK_THAT(read_file(file), !Catch::Contains("#include \""));
  }
}

TEST_CASE("outside the channels' folders and the registry no code names a channel", "[layers]") {
  // Comments may name them, and so may the documented shape of `preview --json` and the preview's
  // heading (the template's email texts, not the email channel).
  const std::regex literal("\"(twitter|twitter_app|email|smtp|feed)\"");
  for (const char* folder : {"lib/samvad/config", "lib/samvad/delivery", "lib/samvad/schedule", "lib/samvad/app",
                             "lib/samvad/store", "lib/samvad/channel", "cli"}) {
    for (const auto& file : sources_under(source_dir() / folder, {".cpp", ".hpp"})) {
      std::istringstream lines(read_file(file));
      int number = 0;
      for (std::string line; std::getline(lines, line);) {
        ++number;
        const auto code = line.substr(0, line.find("//"));
        if (!std::regex_search(code, literal)) continue;
        const bool preview_shape = file.filename() == "preview.cpp" && code.find("email") != std::string::npos;
        INFO(file.string() << ":" << number << ": " << line);
        CHECK(preview_shape);
      }
    }
  }
}

TEST_CASE("every test source is listed in tests/CMakeLists.txt, none is globbed", "[layers]") {
  // A test file nobody listed would compile nowhere and never run, and the suite would pass.
  const std::string cmake = read_file(source_dir() / "tests" / "CMakeLists.txt");
  CHECK_THAT(cmake, !Catch::Contains("GLOB"));
  const auto listed = listed_test_sources(cmake);
  const fs::path tests = source_dir() / "tests";
  std::size_t checked = 0;
  for (const auto& file : sources_under(tests, {".cpp"})) {
    const fs::path relative = file.lexically_relative(tests);
    if (*relative.begin() == "data") continue;  // third-party test data, never compiled
    INFO(relative.string() << " is not named in tests/CMakeLists.txt");
    const auto folder = listed.find(relative.parent_path().string());
    CHECK((folder != listed.end() && folder->second.count(relative.filename().string())));
    ++checked;
  }
  CHECK(checked > 50);  // the walk found the suite (a wrong root would check nothing)
}

TEST_CASE("every folder of lib/samvad has tests in a tests/ folder of the same name", "[layers]") {
  std::size_t layers = 0;
  for (const auto& entry : fs::directory_iterator(source_dir() / "lib" / "samvad")) {
    if (!entry.is_directory()) continue;
    ++layers;
    const fs::path mirror = source_dir() / "tests" / entry.path().filename();
    INFO("lib/samvad/" << entry.path().filename().string() << " has no tests in " << mirror.string());
    CHECK(fs::is_directory(mirror));
    bool has_tests = false;
    if (fs::is_directory(mirror))
      for (const auto& file : fs::directory_iterator(mirror))
        has_tests = has_tests || file.path().filename().string().ends_with("_test.cpp");
    CHECK(has_tests);
  }
  CHECK(layers > 10);
}
