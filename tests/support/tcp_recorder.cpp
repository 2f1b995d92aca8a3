#include "support/tcp_recorder.hpp"

#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace samvad::test {

namespace {
sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}
}  // namespace

TcpRecorder::TcpRecorder(int upstream_port) : upstream_port_(upstream_port) {
  if (::pipe(stop_pipe_) != 0) throw std::runtime_error("pipe failed");
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback(0);
  socklen_t size = sizeof a;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &size) != 0)
    throw std::runtime_error("cannot listen on 127.0.0.1");
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpRecorder::~TcpRecorder() {
  (void)!::write(stop_pipe_[1], "x", 1);  // every poll() below wakes up and returns
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : threads_) t.join();
  ::close(listener_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

std::string TcpRecorder::client_bytes() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

void TcpRecorder::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) return;
    if (fds[1].revents != 0) return;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    threads_.emplace_back([this, client] { relay(client); });
  }
}

void TcpRecorder::relay(int client) {
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback(upstream_port_);
  if (server < 0 || ::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(client);
    if (server >= 0) ::close(server);
    return;
  }
  char buffer[16384];
  for (bool open = true; open;) {
    pollfd fds[3] = {{client, POLLIN, 0}, {server, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0 || fds[2].revents != 0) break;
    for (int i = 0; i < 2 && open; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        open = false;
        break;
      }
      if (i == 0) {
        std::lock_guard lock(mutex_);
        sent_.append(buffer, static_cast<std::size_t>(n));
      }
      const int to = i == 0 ? server : client;
      for (ssize_t done = 0; done < n;) {
        const ssize_t w = ::send(to, buffer + done, static_cast<std::size_t>(n - done), MSG_NOSIGNAL);
        if (w <= 0) {
          open = false;
          break;
        }
        done += w;
      }
    }
  }
  ::close(client);
  ::close(server);
}

}  // namespace samvad::test
