// FrameLink: a framed byte link between two relay boxes (docs/cards.md, "The relay box").
// Each frame is a 2-byte big-endian length, then that many bytes (1 to kMaxLinkFrameBytes:
// the longest short command APDU, 5 + 255 + 1 bytes). The link only moves bytes; it reads
// nothing in them. It runs over a connected socket (TCP) or over a pair of file
// descriptors (a pipe, stdin/stdout, a serial line opened raw: see link_endpoints.h).
// Every read and write has a deadline, so a cut or silent link is reported, never a hang.
//
//   FrameLink link(fd, fd, /*owns=*/true);
//   absl::Status sent = link.Send(command_bytes, 2000);
//   absl::StatusOr<std::string> frame = link.Receive(2000);
//
// Errors: InvalidArgument "FRAME_TOO_LONG" (Send of an empty frame or one longer than
// kMaxLinkFrameBytes; Receive of a length prefix that announces one); DeadlineExceeded
// "LINK_TIMEOUT" (nothing, or not all of it, within the time); Unavailable "LINK_CLOSED"
// (the peer closed the link between two frames); Unavailable "LINK_DOWN" (the peer closed
// it in the middle of a frame, or an I/O error); Cancelled "STOPPED" when the stop flag
// (set_stop_flag) was raised while waiting.
//
// Thread-safety: one thread at a time. Owns its descriptors when told so.
#ifndef ARGENTPOCHE_ADAPTERS_CARD_LINK_FRAME_LINK_H_
#define ARGENTPOCHE_ADAPTERS_CARD_LINK_FRAME_LINK_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace argentpoche::card_link {

// CLA INS P1 P2 Lc, 255 data bytes, Le: the longest frame either side sends.
inline constexpr size_t kMaxLinkFrameBytes = 261;
inline constexpr size_t kLinkPrefixBytes = 2;
// The longest a waiting loop sleeps before looking at the stop flag again.
inline constexpr int kStopPollMs = 100;

class FrameLink {
 public:
  FrameLink(int read_fd, int write_fd, bool owns_descriptors);
  ~FrameLink();
  FrameLink(const FrameLink&) = delete;
  FrameLink& operator=(const FrameLink&) = delete;

  [[nodiscard]] absl::Status Send(std::string_view frame, int timeout_ms);
  [[nodiscard]] absl::StatusOr<std::string> Receive(int timeout_ms);
  // Closes both descriptors now (the peer sees the link closed).
  void Close();

  // A flag (borrowed, may be null) that ends any wait with Cancelled "STOPPED".
  void set_stop_flag(const std::atomic<bool>* stop) { stop_ = stop; }

  // Bytes moved on the link, length prefixes included, and frames.
  [[nodiscard]] uint64_t bytes_sent() const { return bytes_sent_; }
  [[nodiscard]] uint64_t bytes_received() const { return bytes_received_; }
  [[nodiscard]] uint64_t frames_sent() const { return frames_sent_; }
  [[nodiscard]] uint64_t frames_received() const { return frames_received_; }

 private:
  // Waits until `fd` is ready for `events` or the deadline passes.
  [[nodiscard]] absl::Status Wait(int fd, short events, int64_t deadline_ms);
  [[nodiscard]] absl::Status WriteAll(std::string_view bytes, int64_t deadline_ms);
  // Reads exactly `count` bytes into `out`; `mid_frame` says whether an end of file here
  // cuts a frame.
  [[nodiscard]] absl::Status ReadExactly(size_t count, std::string& out, int64_t deadline_ms,
                                         bool mid_frame);

  int read_fd_;
  int write_fd_;
  bool owns_descriptors_;
  const std::atomic<bool>* stop_ = nullptr;
  uint64_t bytes_sent_ = 0;
  uint64_t bytes_received_ = 0;
  uint64_t frames_sent_ = 0;
  uint64_t frames_received_ = 0;
};

}  // namespace argentpoche::card_link

#endif  // ARGENTPOCHE_ADAPTERS_CARD_LINK_FRAME_LINK_H_
