// samvad-test-postgres start|stop STATE: the ctest fixture "postgres" (tests/CMakeLists.txt).
// start makes and starts the test run's PostgreSQL server (tests/support/postgres_server.hpp)
// and describes it in STATE, where the [postgres] tests find it (SAMVAD_TEST_POSTGRES=STATE);
// stop stops it and deletes its folder. Both first clear away a server an interrupted run left.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "support/postgres_server.hpp"

namespace fs = std::filesystem;
using samvad::test::PostgresServer;

int main(int argc, char** argv) {
  const std::string command = argc == 3 ? argv[1] : "";
  if (command != "start" && command != "stop") {
    std::cerr << "usage: samvad-test-postgres start|stop STATE\n";
    return 64;
  }
  const fs::path state = argv[2];
  try {
    if (fs::exists(state)) {
      try {
        PostgresServer::adopt(state);  // stopped and deleted at once
      } catch (const std::exception& e) {
        std::cerr << "samvad-test-postgres: ignoring " << state.string() << ": " << e.what() << "\n";
      }
      fs::remove(state);
    }
    if (command == "stop") return 0;
    const auto began = std::chrono::steady_clock::now();
    auto server = PostgresServer::create();
    server->save(state);
    server->release();
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
    std::cout << "PostgreSQL for the [postgres] tests on 127.0.0.1:" << server->port() << " and "
              << server->folder().string() << ", started in " << ms << " ms\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "samvad-test-postgres " << command << ": " << e.what() << "\n";
    return 1;
  }
}
