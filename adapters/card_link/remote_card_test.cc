// A payment between two cards whose hosts talk through FrameLinks (a socket pair): the
// payee's box serves its card in a thread, the payer's box runs the PaymentSession with a
// RemoteCardTransport. Then the test drill cuts the link at each of the payee's frames:
// the payer's session fails, and after both cards sync the value is conserved.
#include "adapters/card_link/remote_card.h"

#include <sys/socket.h>

#include <memory>
#include <thread>

#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::card_link {
namespace {

using card::PaymentOutcome;
using card::PaymentSession;
using card::TestCard;
using card::TestIssuer;

constexpr int kTimeoutMs = 3000;

struct Boxes {
  Boxes() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    payer_link = std::make_unique<FrameLink>(fds[0], fds[0], true);
    payee_link = std::make_unique<FrameLink>(fds[1], fds[1], true);
  }
  std::unique_ptr<FrameLink> payer_link;
  std::unique_ptr<FrameLink> payee_link;
};

TEST(RemoteCardTest, APaymentCrossesTheLink) {
  ManualClock clock(card::kTestNowMs);
  TestIssuer issuer;
  TestCard payer(issuer, clock, 1, {});
  TestCard payee(issuer, clock, 2, {});
  Boxes boxes;
  absl::Status served;
  std::thread payee_box([&] {
    served = ServeCard(*boxes.payee_link, payee.transport(), {.frame_timeout_ms = kTimeoutMs});
  });
  RemoteCardTransport remote(*boxes.payer_link, kTimeoutMs);
  const PaymentOutcome outcome = PaymentSession(payer.transport(), remote).Run({"EUR", 12'50});
  boxes.payer_link->Close();
  payee_box.join();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_TRUE(served.ok()) << served;
  EXPECT_EQ(payer.Balance("EUR"), 100'00 - 12'50);
  EXPECT_EQ(payee.Balance("EUR"), 100'00 + 12'50);
  EXPECT_EQ(remote.round_trips(), 2);  // request and ack
  // Each frame carries a 2-byte length prefix on the link.
  EXPECT_EQ(boxes.payer_link->bytes_sent() + boxes.payer_link->bytes_received(),
            outcome.payee_frame_bytes + 2 * 2 * 2);
}

TEST(RemoteCardTest, ACutLinkFailsThePaymentAndValueIsConserved) {
  for (int drop_after = 0; drop_after < 2; ++drop_after) {
    SCOPED_TRACE(drop_after);
    ManualClock clock(card::kTestNowMs);
    TestIssuer issuer;
    TestCard payer(issuer, clock, 1, {});
    TestCard payee(issuer, clock, 2, {});
    Boxes boxes;
    absl::Status served;
    std::thread payee_box([&] {
      served = ServeCard(*boxes.payee_link, payee.transport(),
                         {.frame_timeout_ms = kTimeoutMs, .drop_after_frames = drop_after});
    });
    RemoteCardTransport remote(*boxes.payer_link, kTimeoutMs);
    const PaymentOutcome outcome = PaymentSession(payer.transport(), remote).Run({"EUR", 12'50});
    payee_box.join();
    EXPECT_EQ(ReasonOf(outcome.status), "LINK_DOWN");
    EXPECT_EQ(ReasonOf(served), "LINK_DROPPED");
    payer.PowerCycle();
    payee.PowerCycle();
    card::Reconciler reconciler(issuer.public_keys());
    const bool paid =
        card::SettleAndCheck(payer, payee, issuer, reconciler, "EUR", 12'50, 100'00, 100'00);
    EXPECT_EQ(paid, drop_after == 1);  // the ack was made: the payee credited
  }
}

TEST(RemoteCardTest, ASilentPeerBoxIsALinkDownWithinTheTimeout) {
  Boxes boxes;
  RemoteCardTransport remote(*boxes.payer_link, 100);
  absl::StatusOr<std::string> response = remote.Transmit(std::string("\x80\x5C\x00\x00\x00", 5));
  EXPECT_EQ(ReasonOf(response.status()), "LINK_DOWN");
}

}  // namespace
}  // namespace argentpoche::card_link
