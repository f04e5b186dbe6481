// Conn: a raw HTTP/1.1 client socket for tests, from a chosen loopback
// address (127.0.0.2-127.0.0.11 play several clients), so the bytes on the
// wire are exactly what a test writes. Reads are bounded by deadlines. One
// thread per Conn.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace feedback::central::testing {

class Conn {
 public:
  explicit Conn(int port, const char* from = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    (void)::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Conn() { ::close(fd_); }
  bool connected() const { return connected_; }

  // False once the server closed (EPIPE / reset).
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Everything until the server closes or `deadline` passes.
  std::string ReadUntilClose(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::string out;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  // One whole response (head + Content-Length body), or "" on close/timeout.
  std::string ReadResponse(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end) {
      const size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length = 0;
        const size_t cl = pending_.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end) length = std::stoul(pending_.substr(cl + 16));
        if (pending_.size() >= head_end + 4 + length) {
          std::string one = pending_.substr(0, head_end + 4 + length);
          pending_.erase(0, one.size());
          return one;
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return "";
      }
      pending_.append(buf, static_cast<size_t>(n));
    }
    return "";
  }

  // True when the server has closed the connection (within the deadline).
  bool WaitClosed(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    ReadUntilClose(deadline);
    return closed_;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string pending_;
};

inline int StatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return -1;
  return std::stoi(response.substr(9, 3));
}

inline std::string BodyOf(const std::string& response) {
  const size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

inline bool Closes(const std::string& response) {
  return response.find("Connection: close\r\n") != std::string::npos;
}

}  // namespace feedback::central::testing
