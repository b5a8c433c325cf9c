// FrameLink (see frame_link.h).
#include "adapters/card_link/frame_link.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card_link {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::Status LinkDown(std::string_view what) {
  return Error(absl::StatusCode::kUnavailable, "LINK_DOWN", what);
}

}  // namespace

FrameLink::FrameLink(int read_fd, int write_fd, bool owns_descriptors)
    : read_fd_(read_fd), write_fd_(write_fd), owns_descriptors_(owns_descriptors) {
  POCHE_CHECK(read_fd >= 0 && write_fd >= 0);
}

FrameLink::~FrameLink() { Close(); }

void FrameLink::Close() {
  if (owns_descriptors_) {
    if (read_fd_ >= 0) close(read_fd_);
    if (write_fd_ >= 0 && write_fd_ != read_fd_) close(write_fd_);
  }
  read_fd_ = -1;
  write_fd_ = -1;
}

absl::Status FrameLink::Wait(int fd, short events, int64_t deadline_ms) {
  while (true) {
    if (stop_ != nullptr && stop_->load()) {
      return Error(absl::StatusCode::kCancelled, "STOPPED", "the box was asked to stop");
    }
    const int64_t left_ms = deadline_ms - NowMs();
    if (left_ms <= 0) {
      return Error(absl::StatusCode::kDeadlineExceeded, "LINK_TIMEOUT",
                   "the peer box did not answer in time");
    }
    pollfd entry{fd, events, 0};
    const int ready = poll(&entry, 1, static_cast<int>(std::min<int64_t>(left_ms, kStopPollMs)));
    if (ready < 0 && errno != EINTR) return LinkDown(Concat("poll failed: errno ", errno));
    if (ready > 0) return absl::OkStatus();  // readable, writable, closed or in error
  }
}

absl::Status FrameLink::WriteAll(std::string_view bytes, int64_t deadline_ms) {
  size_t done = 0;
  while (done < bytes.size()) {
    if (absl::Status ready = Wait(write_fd_, POLLOUT, deadline_ms); !ready.ok()) return ready;
    ssize_t written = send(write_fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (written < 0 && errno == ENOTSOCK) {
      written = write(write_fd_, bytes.data() + done, bytes.size() - done);
    }
    if (written < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return LinkDown(Concat("write failed: errno ", errno));
    }
    done += static_cast<size_t>(written);
  }
  return absl::OkStatus();
}

absl::Status FrameLink::ReadExactly(size_t count, std::string& out, int64_t deadline_ms,
                                    bool mid_frame) {
  out.resize(count);
  size_t done = 0;
  while (done < count) {
    if (absl::Status ready = Wait(read_fd_, POLLIN, deadline_ms); !ready.ok()) return ready;
    const ssize_t got = read(read_fd_, out.data() + done, count - done);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return LinkDown(Concat("read failed: errno ", errno));
    }
    if (got == 0) {
      if (done == 0 && !mid_frame) {
        return Error(absl::StatusCode::kUnavailable, "LINK_CLOSED", "the peer box hung up");
      }
      return LinkDown("the peer box hung up in the middle of a frame");
    }
    done += static_cast<size_t>(got);
    bytes_received_ += static_cast<uint64_t>(got);
  }
  return absl::OkStatus();
}

absl::Status FrameLink::Send(std::string_view frame, int timeout_ms) {
  if (frame.empty() || frame.size() > kMaxLinkFrameBytes) {
    return Error(
        absl::StatusCode::kInvalidArgument, "FRAME_TOO_LONG",
        Concat("a link frame holds 1 to ", kMaxLinkFrameBytes, " bytes, not ", frame.size()));
  }
  if (write_fd_ < 0) return LinkDown("the link is closed");
  std::string bytes;
  bytes.reserve(kLinkPrefixBytes + frame.size());
  bytes.push_back(static_cast<char>(frame.size() >> 8));
  bytes.push_back(static_cast<char>(frame.size() & 0xFF));
  bytes.append(frame);
  if (absl::Status written = WriteAll(bytes, NowMs() + timeout_ms); !written.ok()) return written;
  bytes_sent_ += bytes.size();
  ++frames_sent_;
  return absl::OkStatus();
}

absl::StatusOr<std::string> FrameLink::Receive(int timeout_ms) {
  if (read_fd_ < 0) return LinkDown("the link is closed");
  const int64_t deadline_ms = NowMs() + timeout_ms;
  std::string prefix;
  if (absl::Status read = ReadExactly(kLinkPrefixBytes, prefix, deadline_ms, false); !read.ok()) {
    return read;
  }
  const size_t length =
      (static_cast<size_t>(static_cast<uint8_t>(prefix[0])) << 8) | static_cast<uint8_t>(prefix[1]);
  if (length == 0 || length > kMaxLinkFrameBytes) {
    // The stream cannot be trusted past a bad prefix: the link is closed.
    Close();
    return Error(absl::StatusCode::kInvalidArgument, "FRAME_TOO_LONG",
                 Concat("the peer box announced a frame of ", length, " bytes"));
  }
  std::string frame;
  if (absl::Status read = ReadExactly(length, frame, deadline_ms, true); !read.ok()) return read;
  ++frames_received_;
  return frame;
}

}  // namespace argentpoche::card_link
