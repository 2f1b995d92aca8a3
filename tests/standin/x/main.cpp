// samvad-x-standin: the X API stand-in as a process, so tests (and the e2e suite driving the
// real samvad binary) talk to it over real HTTP on loopback.
//
//   samvad-x-standin --port 0 --accounts FILE.json [--latency-ms N] [--threads N] [--tls-dir DIR] [--verbose]
//
// --threads sets how many requests it answers at once (cpp-httplib's default pool is max(8,
// cores - 1)): --latency-ms sleeps in a pool thread, so a benchmark fanning out to 50 accounts
// needs more than 8 (bench/run uses 64) or the stand-in itself would queue it.
//
// Prints exactly one line, "listening on 127.0.0.1:PORT", once it accepts connections; exits 0
// on SIGTERM or SIGINT, 2 on bad arguments or a bad accounts file. With --tls-dir it serves https
// with a certificate from a throwaway CA it makes in DIR (DIR/ca.pem is what a client must trust).
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <pthread.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "config.hpp"
#include "tls.hpp"
#include "x_standin.hpp"

namespace {

int usage(const std::string& problem) {
  std::cerr << "samvad-x-standin: " << problem << "\n"
            << "usage: samvad-x-standin --port N --accounts FILE.json [--latency-ms N] [--threads N] [--tls-dir DIR] "
               "[--verbose]\n";
  return 2;
}

bool parse_int(const std::string& s, int min, int max, int& out) {
  try {
    std::size_t used = 0;
    const int v = std::stoi(s, &used);
    if (used != s.size() || v < min || v > max) return false;
    out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = -1;
  std::string accounts_path;
  std::string tls_dir;
  int threads = 0;  // cpp-httplib's default
  samvad::standin::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--port" && has_value) {
      if (!parse_int(argv[++i], 0, 65535, port)) return usage("--port must be 0..65535");
    } else if (arg == "--accounts" && has_value) {
      accounts_path = argv[++i];
    } else if (arg == "--latency-ms" && has_value) {
      if (!parse_int(argv[++i], 0, 600'000, options.latency_ms)) return usage("--latency-ms must be 0..600000");
    } else if (arg == "--threads" && has_value) {
      if (!parse_int(argv[++i], 1, 1024, threads)) return usage("--threads must be 1..1024");
    } else if (arg == "--tls-dir" && has_value) {
      tls_dir = argv[++i];
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else {
      return usage("unexpected argument " + arg);
    }
  }
  if (port < 0) return usage("--port is required (0 picks a free port)");
  if (accounts_path.empty()) return usage("--accounts is required");

  try {
    std::ifstream in(accounts_path);
    if (!in) return usage("cannot read " + accounts_path);
    std::stringstream text;
    text << in.rdbuf();
    options.config = samvad::standin::Config::from_json(nlohmann::json::parse(text.str()));
  } catch (const std::exception& e) {
    return usage(accounts_path + ": " + e.what());
  }

  // A dropped connection makes httplib write to a shut-down socket; that must be an error, not death.
  std::signal(SIGPIPE, SIG_IGN);
  // SIGTERM and SIGINT are taken by one thread with sigwait, which may then call Server::stop();
  // blocking them before any other thread starts keeps them away from httplib's workers.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<httplib::Server> served_by;
  if (tls_dir.empty()) {
    served_by = std::make_unique<httplib::Server>();
  } else {
    try {
      const auto files = samvad::standin::make_tls_files(tls_dir);
      served_by = std::make_unique<httplib::SSLServer>(files.certificate.c_str(), files.key.c_str());
    } catch (const std::exception& e) {
      std::cerr << "samvad-x-standin: " << e.what() << "\n";
      return 1;
    }
    if (!served_by->is_valid()) {
      std::cerr << "samvad-x-standin: cannot set up TLS with the files in " << tls_dir << "\n";
      return 1;
    }
    options.tls = true;
  }
  httplib::Server& server = *served_by;
  if (threads > 0) {
    const auto pool = static_cast<std::size_t>(threads);
    server.new_task_queue = [pool] { return new httplib::ThreadPool(pool); };
  }
  // Server::stop() waits for idle keep-alive connections to time out (5 s by default); a short
  // timeout lets every test that stops the stand-in finish promptly.
  server.set_keep_alive_timeout(1);
  samvad::standin::XStandin standin(std::move(options));
  standin.install(server);

  // Loopback only: the stand-in accepts any request its accounts file allows.
  if (port == 0)
    port = server.bind_to_any_port("127.0.0.1");
  else if (!server.bind_to_port("127.0.0.1", port))
    port = -1;
  if (port <= 0) {
    std::cerr << "samvad-x-standin: cannot listen on 127.0.0.1\n";
    return 1;
  }

  std::atomic<bool> stopping = false;
  std::thread signal_thread([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    stopping = true;
    server.stop();
  });

  std::cout << "listening on 127.0.0.1:" << port << std::endl;
  const bool served = server.listen_after_bind();
  const bool asked_to_stop = stopping;
  if (!asked_to_stop) ::kill(::getpid(), SIGTERM);  // listening failed: release the signal thread
  signal_thread.join();
  return served || asked_to_stop ? 0 : 1;
}
