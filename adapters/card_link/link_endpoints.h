// Where a relay box's FrameLink comes from: a TCP connection (listening or connecting,
// IPv4 numeric addresses or "localhost"), or a serial line. A serial line is just a file
// descriptor: the device is opened read-write and put in termios raw mode (no echo, no
// line editing, no translation of bytes), and the link frames bytes on it as on a pipe.
//
//   absl::StatusOr<TcpListener> listener = TcpListener::Open("127.0.0.1:0");
//   absl::StatusOr<std::unique_ptr<FrameLink>> link = listener->Accept(30000, &stop);
//
// Errors: InvalidArgument "BAD_ADDRESS" (not HOST:PORT); Unavailable "LINK_DOWN" (cannot
// bind, connect or open); DeadlineExceeded "LINK_TIMEOUT"; Cancelled "STOPPED".
// Thread-safety: one thread at a time.
#ifndef ARGENTPOCHE_ADAPTERS_CARD_LINK_LINK_ENDPOINTS_H_
#define ARGENTPOCHE_ADAPTERS_CARD_LINK_LINK_ENDPOINTS_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "adapters/card_link/frame_link.h"

namespace argentpoche::card_link {

class TcpListener {
 public:
  // Listens on `host_port` ("127.0.0.1:7600"; port 0 picks a free one).
  [[nodiscard]] static absl::StatusOr<TcpListener> Open(std::string_view host_port);
  TcpListener(TcpListener&& other) noexcept : fd_(other.fd_), port_(other.port_) { other.fd_ = -1; }
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener();

  [[nodiscard]] int port() const { return port_; }
  // The next peer box's connection. `stop` (borrowed, may be null) ends the wait.
  [[nodiscard]] absl::StatusOr<std::unique_ptr<FrameLink>> Accept(int timeout_ms,
                                                                  const std::atomic<bool>* stop);

 private:
  TcpListener(int fd, int port) : fd_(fd), port_(port) {}
  int fd_;
  int port_;
};

// A connection to the box listening at `host_port`.
[[nodiscard]] absl::StatusOr<std::unique_ptr<FrameLink>> ConnectTcp(std::string_view host_port,
                                                                    int timeout_ms);

// The serial device at `path`, opened read-write in raw mode.
[[nodiscard]] absl::StatusOr<std::unique_ptr<FrameLink>> OpenSerial(const std::string& path);

}  // namespace argentpoche::card_link

#endif  // ARGENTPOCHE_ADAPTERS_CARD_LINK_LINK_ENDPOINTS_H_
