// A TCP relay on loopback that records what the client sends: put between samvad and a
// stand-in, it shows exactly which bytes crossed the wire (e.g. whether a password went in
// clear before TLS). RAII: the destructor closes every connection and joins its threads.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace samvad::test {

class TcpRecorder {
 public:
  // Listens on 127.0.0.1 (a free port) and relays each connection to 127.0.0.1:upstream_port.
  explicit TcpRecorder(int upstream_port);
  ~TcpRecorder();
  TcpRecorder(const TcpRecorder&) = delete;
  TcpRecorder& operator=(const TcpRecorder&) = delete;

  int port() const { return port_; }
  // Every byte clients sent so far, all connections in order of arrival.
  std::string client_bytes() const;
  int connections() const { return connections_.load(); }

 private:
  void accept_loop();
  void relay(int client);

  int upstream_port_;
  int port_ = 0;
  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::string sent_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace samvad::test
