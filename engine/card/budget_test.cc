// The byte and round-trip budget of one payment, measured (the counts are deterministic,
// so they are asserted exactly): four card-to-card messages (hello, request, value, ack)
// in five command/response exchanges; 521 message bytes; each card's link carries under
// 960 bytes, under a second at 9600 baud (8N1: 10 bits a byte). Prints the figures.
#include <gtest/gtest.h>

#include <cstdio>

#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/transfer_messages.h"
#include "engine/clock.h"

namespace argentpoche::card {
namespace {

constexpr double kBytesPerSecondAt9600Baud = 9600.0 / 10;

TEST(BudgetTest, OnePaymentFitsTheBudget) {
  ManualClock clock(kTestNowMs);
  TestIssuer issuer;
  TestCard alice(issuer, clock, 1, {});
  TestCard bob(issuer, clock, 2, {});
  const PaymentOutcome outcome =
      PaymentSession(alice.transport(), bob.transport()).Run({"EUR", 4'20});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;

  EXPECT_EQ(outcome.relayed_messages, 4);
  EXPECT_EQ(outcome.exchanges, 5);
  EXPECT_EQ(outcome.message_bytes, kHelloBytes + kRequestBytes + 2 * kSignedStepBytes);
  EXPECT_EQ(outcome.message_bytes, 521u);
  // HELLO 5+147, VALUE 246+70, CLOSE 73+2 with the payer; REQUEST 164+242, ACK 74+70
  // with the payee.
  EXPECT_EQ(outcome.payer_frame_bytes, 543u);
  EXPECT_EQ(outcome.payee_frame_bytes, 550u);
  EXPECT_LT(outcome.message_bytes, 1024u);
  EXPECT_LT(outcome.payer_frame_bytes, kBytesPerSecondAt9600Baud);
  EXPECT_LT(outcome.payee_frame_bytes, kBytesPerSecondAt9600Baud);

  std::printf("one payment: %d card-to-card messages, %zu message bytes\n",
              outcome.relayed_messages, outcome.message_bytes);
  std::printf(
      "  %d exchanges: payer link %zu bytes (%.2f s at 9600 baud), payee link %zu bytes "
      "(%.2f s), both %zu bytes (%.2f s)\n",
      outcome.exchanges, outcome.payer_frame_bytes,
      outcome.payer_frame_bytes / kBytesPerSecondAt9600Baud, outcome.payee_frame_bytes,
      outcome.payee_frame_bytes / kBytesPerSecondAt9600Baud, outcome.frame_bytes(),
      outcome.frame_bytes() / kBytesPerSecondAt9600Baud);
}

TEST(BudgetTest, PinCostsOneExchange) {
  ManualClock clock(kTestNowMs);
  TestIssuer issuer;
  TestCardOptions with_pin;
  with_pin.pin = "2468";
  TestCard alice(issuer, clock, 1, with_pin);
  TestCard bob(issuer, clock, 2, {});
  PaymentOrder order("EUR", 4'20);
  order.payer_pin = "2468";
  const PaymentOutcome outcome = PaymentSession(alice.transport(), bob.transport()).Run(order);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.exchanges, 6);
  EXPECT_EQ(outcome.payer_frame_bytes, 543u + 4 + 1 + 4 + 2);
}

}  // namespace
}  // namespace argentpoche::card
