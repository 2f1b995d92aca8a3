// Small helpers the end-to-end tests share: reading samvad's --json output and waiting for
// something a background process or a stand-in is doing.
#pragma once

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace samvad::test {

// The JSON samvad printed on stdout; fails the test (showing both streams) when there is none.
inline nlohmann::json parse_json(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE_FALSE(r.out.empty());
  return nlohmann::json::parse(r.out);
}

// Polls `ready` every 50 ms until it is true (returns true) or about `tries` × 50 ms have passed.
template <typename F>
bool eventually(F ready, int tries = 200) {
  for (int i = 0; i < tries; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace samvad::test
