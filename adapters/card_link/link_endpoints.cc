// Link endpoints (see link_endpoints.h).
#include "adapters/card_link/link_endpoints.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card_link {
namespace {

absl::StatusOr<sockaddr_in> ParseAddress(std::string_view host_port) {
  const size_t colon = host_port.rfind(':');
  const absl::Status bad = Error(absl::StatusCode::kInvalidArgument, "BAD_ADDRESS",
                                 Concat("expected HOST:PORT, got \"", host_port, "\""));
  if (colon == std::string_view::npos) return bad;
  std::string host(host_port.substr(0, colon));
  if (host == "localhost") host = "127.0.0.1";
  const std::string_view port_text = host_port.substr(colon + 1);
  int port = -1;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return bad;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return bad;
  return address;
}

absl::Status LinkDown(std::string_view what) {
  return Error(absl::StatusCode::kUnavailable, "LINK_DOWN", Concat(what, ": errno ", errno));
}

std::unique_ptr<FrameLink> SocketLink(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small frames, sent now
  return std::make_unique<FrameLink>(fd, fd, /*owns_descriptors=*/true);
}

}  // namespace

absl::StatusOr<TcpListener> TcpListener::Open(std::string_view host_port) {
  absl::StatusOr<sockaddr_in> address = ParseAddress(host_port);
  if (!address.ok()) return address.status();
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return LinkDown("socket");
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0 ||
      listen(fd, 1) != 0) {
    const absl::Status failed = LinkDown(Concat("cannot listen on ", host_port));
    close(fd);
    return failed;
  }
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  return TcpListener(fd, ntohs(bound.sin_port));
}

TcpListener::~TcpListener() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<std::unique_ptr<FrameLink>> TcpListener::Accept(int timeout_ms,
                                                               const std::atomic<bool>* stop) {
  for (int waited_ms = 0;; waited_ms += kStopPollMs) {
    if (stop != nullptr && stop->load()) {
      return Error(absl::StatusCode::kCancelled, "STOPPED", "the box was asked to stop");
    }
    if (waited_ms >= timeout_ms) {
      return Error(absl::StatusCode::kDeadlineExceeded, "LINK_TIMEOUT",
                   "no peer box connected in time");
    }
    pollfd entry{fd_, POLLIN, 0};
    if (poll(&entry, 1, kStopPollMs) > 0) break;
  }
  const int fd = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return LinkDown("accept");
  return SocketLink(fd);
}

absl::StatusOr<std::unique_ptr<FrameLink>> ConnectTcp(std::string_view host_port, int timeout_ms) {
  absl::StatusOr<sockaddr_in> address = ParseAddress(host_port);
  if (!address.ok()) return address.status();
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return LinkDown("socket");
  if (connect(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
    if (errno != EINPROGRESS) {
      const absl::Status failed = LinkDown(Concat("cannot connect to ", host_port));
      close(fd);
      return failed;
    }
    pollfd entry{fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    if (poll(&entry, 1, std::max(timeout_ms, 0)) <= 0 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
      close(fd);
      return Error(absl::StatusCode::kUnavailable, "LINK_DOWN",
                   Concat("cannot connect to ", host_port, ": errno ", error));
    }
  }
  return SocketLink(fd);
}

absl::StatusOr<std::unique_ptr<FrameLink>> OpenSerial(const std::string& path) {
  const int fd = open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return LinkDown(Concat("cannot open ", path));
  termios settings{};
  if (tcgetattr(fd, &settings) == 0) {  // not a terminal (a fifo, say): used as it is
    cfmakeraw(&settings);
    settings.c_cflag |= CLOCAL | CREAD;
    if (tcsetattr(fd, TCSANOW, &settings) != 0) {
      const absl::Status failed = LinkDown(Concat("cannot set raw mode on ", path));
      close(fd);
      return failed;
    }
  }
  return std::make_unique<FrameLink>(fd, fd, /*owns_descriptors=*/true);
}

}  // namespace argentpoche::card_link
