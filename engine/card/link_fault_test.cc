// Spoiling every frame of a payment in turn: each command delivered twice, each byte of
// each command and of each response flipped (two masks), each frame dropped. Every case
// is refused or harmless: after reconciling both cards' logs, value is conserved and the
// payment happened whole or not at all. Duplicates are answered as the first and change
// nothing, so the payment completes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/clock.h"

namespace argentpoche::card {
namespace {

constexpr int64_t kAmount = 7'00;

struct Fault {
  bool payer_link;
  int exchange;
  LinkFault kind;
  size_t byte_index;
  uint8_t mask;
};

class LinkFaultTest : public ::testing::Test {
 protected:
  LinkFaultTest() {
    TestCardOptions options;
    options.purses = {{"EUR", 1'000'000'00, 10'000'000'00}};
    alice_ = std::make_unique<TestCard>(issuer_, clock_, 1, options);
    bob_ = std::make_unique<TestCard>(issuer_, clock_, 2, options);
    reconciler_ = std::make_unique<Reconciler>(issuer_.public_keys());
    // The frame sizes of one clean payment, to spoil every byte of each.
    FaultyTransport payer_link(alice_->transport());
    FaultyTransport payee_link(bob_->transport());
    EXPECT_TRUE(PaymentSession(payer_link, payee_link).Run({"EUR", kAmount}).status.ok());
    payer_exchanges_ = payer_link.exchanges();
    payee_exchanges_ = payee_link.exchanges();
  }

  // Runs one payment with `fault`, settles it, and returns the outcome.
  PaymentOutcome RunWith(const Fault& fault) {
    FaultyTransport payer_link(alice_->transport());
    FaultyTransport payee_link(bob_->transport());
    (fault.payer_link ? payer_link : payee_link)
        .Arm(fault.exchange, fault.kind, fault.byte_index, fault.mask);
    const int64_t alice_before = alice_->Balance("EUR");
    const int64_t bob_before = bob_->Balance("EUR");
    const PaymentOutcome outcome = PaymentSession(payer_link, payee_link).Run({"EUR", kAmount});
    const bool paid = SettleAndCheck(*alice_, *bob_, issuer_, *reconciler_, "EUR", kAmount,
                                     alice_before, bob_before);
    // A payment the host saw complete is one the cards completed.
    if (outcome.status.ok()) {
      EXPECT_TRUE(paid);
    }
    ++cases_;
    return outcome;
  }

  // Every fault of `kind` on every exchange of both links, over every byte for flips.
  void ForEveryFrame(LinkFault kind, uint8_t mask) {
    for (bool payer_link : {true, false}) {
      const auto& exchanges = payer_link ? payer_exchanges_ : payee_exchanges_;
      for (size_t exchange = 0; exchange < exchanges.size(); ++exchange) {
        size_t bytes = 1;
        if (kind == LinkFault::kFlipCommandByte) bytes = exchanges[exchange].command.size();
        if (kind == LinkFault::kFlipResponseByte) bytes = exchanges[exchange].response.size();
        for (size_t byte = 0; byte < bytes; ++byte) {
          SCOPED_TRACE(::testing::Message() << (payer_link ? "payer" : "payee") << " exchange "
                                            << exchange << " byte " << byte);
          const PaymentOutcome outcome =
              RunWith({payer_link, static_cast<int>(exchange), kind, byte, mask});
          if (kind == LinkFault::kDuplicateCommand) {
            EXPECT_TRUE(outcome.status.ok());
          }
        }
      }
    }
  }

  ManualClock clock_{kTestNowMs};
  TestIssuer issuer_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<TestCard> alice_;
  std::unique_ptr<TestCard> bob_;
  std::vector<FaultyTransport::Exchange> payer_exchanges_;
  std::vector<FaultyTransport::Exchange> payee_exchanges_;
  int cases_ = 0;
};

TEST_F(LinkFaultTest, EveryDuplicatedCommandIsHarmless) {
  ForEveryFrame(LinkFault::kDuplicateCommand, 0);
  EXPECT_EQ(cases_, 5);
}

TEST_F(LinkFaultTest, EveryDroppedFrameIsRecovered) {
  ForEveryFrame(LinkFault::kDropCommand, 0);
  ForEveryFrame(LinkFault::kDropResponse, 0);
  EXPECT_EQ(cases_, 10);
}

TEST_F(LinkFaultTest, EveryFlippedCommandByteIsRefusedOrHarmless) {
  ForEveryFrame(LinkFault::kFlipCommandByte, 0x01);
  ForEveryFrame(LinkFault::kFlipCommandByte, 0x80);
  EXPECT_GT(cases_, 1000);
}

TEST_F(LinkFaultTest, EveryFlippedResponseByteIsRefusedOrHarmless) {
  ForEveryFrame(LinkFault::kFlipResponseByte, 0x01);
  ForEveryFrame(LinkFault::kFlipResponseByte, 0xFF);
  EXPECT_GT(cases_, 1000);
}

}  // namespace
}  // namespace argentpoche::card
