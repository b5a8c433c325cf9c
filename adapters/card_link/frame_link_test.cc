// FrameLink and its endpoints: frames round-trip over a socket pair, pipes and loopback
// TCP; an empty or oversize frame is refused on both sides; a silent peer is a timeout,
// never a hang; a peer hanging up between frames or in the middle of one is told apart.
#include "adapters/card_link/frame_link.h"

#include <pty.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "adapters/card_link/link_endpoints.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::card_link {
namespace {

constexpr int kTimeoutMs = 2000;

// Two links joined by a socket pair.
struct LinkPair {
  LinkPair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    a = std::make_unique<FrameLink>(fds[0], fds[0], true);
    b = std::make_unique<FrameLink>(fds[1], fds[1], true);
    raw_b = fds[1];
  }
  std::unique_ptr<FrameLink> a;
  std::unique_ptr<FrameLink> b;
  int raw_b = -1;
};

TEST(FrameLinkTest, FramesRoundTripWithTheirLengthPrefix) {
  LinkPair pair;
  const std::string hello("\x80\x50\x00\x00\x00", 5);
  ASSERT_TRUE(pair.a->Send(hello, kTimeoutMs).ok());
  const std::string longest(kMaxLinkFrameBytes, 'x');
  ASSERT_TRUE(pair.a->Send(longest, kTimeoutMs).ok());
  absl::StatusOr<std::string> first = pair.b->Receive(kTimeoutMs);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, hello);
  absl::StatusOr<std::string> second = pair.b->Receive(kTimeoutMs);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, longest);
  EXPECT_EQ(pair.a->bytes_sent(), 2 + 5 + 2 + kMaxLinkFrameBytes);
  EXPECT_EQ(pair.b->bytes_received(), pair.a->bytes_sent());
  EXPECT_EQ(pair.b->frames_received(), 2u);
}

TEST(FrameLinkTest, EmptyAndOversizeFramesAreNotSent) {
  LinkPair pair;
  EXPECT_EQ(ReasonOf(pair.a->Send("", kTimeoutMs)), "FRAME_TOO_LONG");
  EXPECT_EQ(ReasonOf(pair.a->Send(std::string(kMaxLinkFrameBytes + 1, 'x'), kTimeoutMs)),
            "FRAME_TOO_LONG");
  EXPECT_EQ(pair.a->bytes_sent(), 0u);
}

TEST(FrameLinkTest, AnOversizeLengthPrefixIsRefusedAndClosesTheLink) {
  LinkPair pair;
  ASSERT_EQ(write(pair.raw_b, "\x01\x06xxxx", 6), 6);  // announces 262 bytes
  absl::StatusOr<std::string> frame = pair.a->Receive(kTimeoutMs);
  EXPECT_EQ(ReasonOf(frame.status()), "FRAME_TOO_LONG");
  EXPECT_EQ(ReasonOf(pair.a->Receive(kTimeoutMs).status()), "LINK_DOWN");
}

TEST(FrameLinkTest, ASilentPeerIsATimeoutNotAHang) {
  LinkPair pair;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> frame = pair.a->Receive(150);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ReasonOf(frame.status()), "LINK_TIMEOUT");
  EXPECT_GE(waited, std::chrono::milliseconds(148));  // deadlines are kept in whole ms
  EXPECT_LT(waited, std::chrono::milliseconds(1500));
  // Half a frame, then silence: a timeout as well.
  ASSERT_EQ(write(pair.raw_b, "\x00\x05\x80", 3), 3);
  EXPECT_EQ(ReasonOf(pair.a->Receive(150).status()), "LINK_TIMEOUT");
}

TEST(FrameLinkTest, APeerHangingUpBetweenFramesIsClosedInAFrameIsDown) {
  LinkPair between;
  ASSERT_TRUE(between.b->Send("abc", kTimeoutMs).ok());
  between.b->Close();
  EXPECT_TRUE(between.a->Receive(kTimeoutMs).ok());
  EXPECT_EQ(ReasonOf(between.a->Receive(kTimeoutMs).status()), "LINK_CLOSED");

  LinkPair within;
  ASSERT_EQ(write(within.raw_b, "\x00\x05\x80\x50", 4), 4);
  within.b->Close();
  EXPECT_EQ(ReasonOf(within.a->Receive(kTimeoutMs).status()), "LINK_DOWN");
  // Writing to a peer that hung up fails without killing the process (no SIGPIPE).
  absl::Status sent = absl::OkStatus();
  for (int i = 0; i < 100 && sent.ok(); ++i) sent = within.a->Send("abc", kTimeoutMs);
  EXPECT_EQ(ReasonOf(sent), "LINK_DOWN");
}

TEST(FrameLinkTest, TheStopFlagEndsAWait) {
  LinkPair pair;
  std::atomic<bool> stop{false};
  pair.a->set_stop_flag(&stop);
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop = true;
  });
  EXPECT_EQ(ReasonOf(pair.a->Receive(10'000).status()), "STOPPED");
  stopper.join();
}

TEST(FrameLinkTest, WorksOverAPairOfPipes) {
  int a_to_b[2];
  int b_to_a[2];
  ASSERT_EQ(pipe(a_to_b), 0);
  ASSERT_EQ(pipe(b_to_a), 0);
  FrameLink a(b_to_a[0], a_to_b[1], true);
  FrameLink b(a_to_b[0], b_to_a[1], true);
  ASSERT_TRUE(a.Send("ping", kTimeoutMs).ok());
  EXPECT_EQ(*b.Receive(kTimeoutMs), "ping");
  ASSERT_TRUE(b.Send("pong", kTimeoutMs).ok());
  EXPECT_EQ(*a.Receive(kTimeoutMs), "pong");
  b.Close();
  EXPECT_EQ(ReasonOf(a.Receive(kTimeoutMs).status()), "LINK_CLOSED");
}

TEST(LinkEndpointsTest, ASerialLineIsRawEveryByteCrossesAsItIs) {
  int master = -1;
  int slave = -1;
  char name[128] = {};
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  absl::StatusOr<std::unique_ptr<FrameLink>> line = OpenSerial(name);
  ASSERT_TRUE(line.ok()) << line.status();
  close(slave);
  FrameLink other_end(master, master, true);
  // Bytes a terminal in its default mode would translate or act on: CR, LF, ^C, ^D, DEL.
  const std::string awkward("\r\n\x03\x04\x7f\x00\x11\x13", 8);
  ASSERT_TRUE((*line)->Send(awkward, kTimeoutMs).ok());
  absl::StatusOr<std::string> received = other_end.Receive(kTimeoutMs);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(*received, awkward);
  ASSERT_TRUE(other_end.Send(awkward, kTimeoutMs).ok());
  received = (*line)->Receive(kTimeoutMs);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(*received, awkward);
}

TEST(LinkEndpointsTest, TcpOnLoopback) {
  absl::StatusOr<TcpListener> listener = TcpListener::Open("127.0.0.1:0");
  ASSERT_TRUE(listener.ok()) << listener.status();
  ASSERT_GT(listener->port(), 0);
  absl::StatusOr<std::unique_ptr<FrameLink>> client =
      ConnectTcp("127.0.0.1:" + std::to_string(listener->port()), kTimeoutMs);
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<std::unique_ptr<FrameLink>> server = listener->Accept(kTimeoutMs, nullptr);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_TRUE((*client)->Send("hello", kTimeoutMs).ok());
  EXPECT_EQ(*(*server)->Receive(kTimeoutMs), "hello");
  EXPECT_EQ(ReasonOf(listener->Accept(100, nullptr).status()), "LINK_TIMEOUT");
}

TEST(LinkEndpointsTest, BadAddressesAndRefusedConnections) {
  EXPECT_EQ(ReasonOf(TcpListener::Open("127.0.0.1").status()), "BAD_ADDRESS");
  EXPECT_EQ(ReasonOf(TcpListener::Open("127.0.0.1:70000").status()), "BAD_ADDRESS");
  EXPECT_EQ(ReasonOf(ConnectTcp("nowhere:12", kTimeoutMs).status()), "BAD_ADDRESS");
  absl::StatusOr<TcpListener> listener = TcpListener::Open("127.0.0.1:0");
  ASSERT_TRUE(listener.ok());
  const std::string address = "127.0.0.1:" + std::to_string(listener->port());
  { TcpListener closed = *std::move(listener); }
  EXPECT_EQ(ReasonOf(ConnectTcp(address, kTimeoutMs).status()), "LINK_DOWN");
  EXPECT_EQ(ReasonOf(OpenSerial("/nonexistent/tty").status()), "LINK_DOWN");
}

}  // namespace
}  // namespace argentpoche::card_link
