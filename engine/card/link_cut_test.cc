// Cutting the link at every message boundary of a payment (before each command reaches
// its card, and after the card acted but before its response reaches the host), with and
// without a reset of both cards, then reconciling both cards' logs: value is conserved,
// and the payment either happened whole or not at all, exactly as each cut dictates.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

constexpr int64_t kAmount = 12'34;

// The exchanges of a payment in order: which card, and its index on that card's link.
struct Boundary {
  PaymentStep step;
  bool payer;
  int index;
};
constexpr Boundary kExchanges[] = {{PaymentStep::kHello, true, 0},
                                   {PaymentStep::kRequest, false, 0},
                                   {PaymentStep::kValue, true, 1},
                                   {PaymentStep::kAck, false, 1},
                                   {PaymentStep::kClose, true, 2}};

class LinkCutTest : public ::testing::TestWithParam<std::tuple<int, LinkFault, bool>> {};

TEST_P(LinkCutTest, ReconciliationConservesValueAtEveryCut) {
  const auto [exchange, fault, reset] = GetParam();
  const Boundary& boundary = kExchanges[exchange];
  ManualClock clock(kTestNowMs);
  TestIssuer issuer;
  TestCard alice(issuer, clock, 1, {});
  TestCard bob(issuer, clock, 2, {});
  FaultyTransport payer_link(alice.transport());
  FaultyTransport payee_link(bob.transport());
  (boundary.payer ? payer_link : payee_link).Arm(boundary.index, fault);
  const int64_t alice_before = alice.Balance("EUR");
  const int64_t bob_before = bob.Balance("EUR");

  const PaymentOutcome outcome = PaymentSession(payer_link, payee_link).Run({"EUR", kAmount});
  EXPECT_EQ(ReasonOf(outcome.status), "LINK_DOWN");
  EXPECT_EQ(outcome.failed_step, boundary.step);
  if (reset) {
    alice.PowerCycle();
    bob.PowerCycle();
  }
  // The payer debited when VALUE reached it; the payee credited when ACK reached it.
  const bool acted = fault == LinkFault::kDropResponse;
  const bool debited = exchange > 2 || (exchange == 2 && acted);
  const bool credited = exchange > 3 || (exchange == 3 && acted);
  EXPECT_EQ(alice.Balance("EUR"), alice_before - (debited ? kAmount : 0));
  EXPECT_EQ(bob.Balance("EUR"), bob_before + (credited ? kAmount : 0));

  Reconciler reconciler(issuer.public_keys());
  EXPECT_EQ(
      SettleAndCheck(alice, bob, issuer, reconciler, "EUR", kAmount, alice_before, bob_before),
      credited);
  EXPECT_EQ(reconciler.refund_count(), debited && !credited ? 1u : 0u);
}

std::string CutName(const ::testing::TestParamInfo<LinkCutTest::ParamType>& info) {
  const auto [exchange, fault, reset] = info.param;
  return Concat(PaymentStepName(kExchanges[exchange].step),
                fault == LinkFault::kDropCommand ? "_BeforeDelivery" : "_BeforeResponse",
                reset ? "_ThenReset" : "");
}

INSTANTIATE_TEST_SUITE_P(EveryBoundary, LinkCutTest,
                         ::testing::Combine(::testing::Range(0, 5),
                                            ::testing::Values(LinkFault::kDropCommand,
                                                              LinkFault::kDropResponse),
                                            ::testing::Bool()),
                         CutName);

}  // namespace
}  // namespace argentpoche::card
