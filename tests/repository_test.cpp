// What a clone of the repository must hold, and must not, for its own tests and tools to work
// on their own: the third-party test data the suite reads, and no stray fuzzer artifacts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support/process.hpp"

namespace fs = std::filesystem;
using samvad::test::read_file;
using samvad::test::source_dir;

TEST_CASE("the twitter-text test data ships inside the repository, with its license", "[repository]") {
  const fs::path data = source_dir() / "tests" / "data" / "twitter-text";
  for (const char* file : {"validate.yml", "tlds.yml", "tld_lib.yml", "v2.json", "v3.json", "LICENSE", "README.md"}) {
    INFO(file);
    CHECK(fs::is_regular_file(data / file));
  }
  REQUIRE(fs::is_regular_file(data / "LICENSE"));
  CHECK_THAT(read_file(data / "LICENSE"), Catch::Contains("Apache License") && Catch::Contains("Version 2.0"));
  REQUIRE(fs::is_regular_file(data / "README.md"));
  CHECK_THAT(read_file(data / "README.md"),
             Catch::Contains("30e2430d90cff3b46393ea54caf511441983c260") && Catch::Contains("twitter-text 3.1.0"));
  // Nothing outside the repository is read: the CMake cache and tests name no ../shared.
  CHECK_THAT(read_file(source_dir() / "tests" / "CMakeLists.txt"), !Catch::Contains("SHARED"));
}

TEST_CASE("libFuzzer artifacts are not kept at the repository root, findings live in fuzz/regressions",
          "[repository]") {
  for (const auto& entry : fs::directory_iterator(source_dir())) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    for (const char* prefix : {"crash-", "leak-", "timeout-", "oom-", "slow-unit-"}) CHECK(name.rfind(prefix, 0) != 0);
  }
  const std::string ignored = read_file(source_dir() / ".gitignore");
  for (const char* pattern : {"/crash-*", "/leak-*", "/timeout-*", "/oom-*"}) CHECK_THAT(ignored, Catch::Contains(pattern));
  // The cron finding once committed at the root, kept as a named regression input.
  CHECK(read_file(source_dir() / "fuzz" / "regressions" / "cron" / "last-minute-of-year-9999-rollover") ==
        std::string("59 23 31 12 7\0" "9999-12-31T23:59", 30));
  CHECK_THAT(read_file(source_dir() / "fuzz" / "regressions" / "README.md"),
             Catch::Contains("cron/last-minute-of-year-9999-rollover"));
}
