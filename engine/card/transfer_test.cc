// Tests of the transfer between two cards: a completed payment (balances, counters,
// logs, exchanges), and every refusal (balance, offline limits, currency, amount, PIN and
// lockout), each with the status word that says why and no change to the cards.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/card_client.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

class TransferTest : public ::testing::Test {
 protected:
  TestCardOptions Options(int64_t balance, int64_t max_balance) {
    TestCardOptions options;
    options.purses = {{"EUR", balance, max_balance}, {"JPY", 5'000, 100'000}};
    return options;
  }

  // Runs a payment expected to be refused at `step` with `status_word`, and checks that
  // neither card's persistent state changed.
  void ExpectRefused(TestCard& payer, TestCard& payee, const PaymentOrder& order, PaymentStep step,
                     uint16_t status_word) {
    const CardState payer_before = payer.state();
    const CardState payee_before = payee.state();
    const PaymentOutcome outcome = PaymentSession(payer.transport(), payee.transport()).Run(order);
    EXPECT_EQ(ReasonOf(outcome.status), "CARD_REFUSED") << outcome.status;
    EXPECT_EQ(outcome.failed_step, step) << PaymentStepName(outcome.failed_step);
    EXPECT_EQ(outcome.status_word, status_word) << StatusWordName(outcome.status_word);
    EXPECT_EQ(payer.state(), payer_before);
    EXPECT_EQ(payee.state(), payee_before);
  }

  ManualClock clock_{kTestNowMs};
  TestIssuer issuer_;
  TestCard alice_{issuer_, clock_, 1, Options(100'00, 1'000'00)};
  TestCard bob_{issuer_, clock_, 2, Options(20'00, 150'00)};
};

TEST_F(TransferTest, CompletedPaymentMovesTheAmountExactly) {
  const PaymentOutcome outcome =
      PaymentSession(alice_.transport(), bob_.transport()).Run({"EUR", 12'34});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_TRUE(outcome.payee_credited);
  EXPECT_EQ(alice_.Balance("EUR"), 100'00 - 12'34);
  EXPECT_EQ(bob_.Balance("EUR"), 20'00 + 12'34);
  EXPECT_EQ(alice_.Balance("JPY"), 5'000);
  EXPECT_EQ(alice_.state().counter, 1u);
  EXPECT_EQ(bob_.state().counter, 1u);
  EXPECT_TRUE(alice_.state().log.empty());
  EXPECT_TRUE(bob_.state().log.empty());
  EXPECT_EQ(alice_.state().offline_payments, 1);
  EXPECT_EQ(bob_.state().offline_payments, 0);
  // Both cards derived the same session key.
  EXPECT_FALSE(alice_.card().session_key_fingerprint().empty());
  EXPECT_EQ(alice_.card().session_key_fingerprint(), bob_.card().session_key_fingerprint());

  const absl::StatusOr<CardStatus> status = ReadCardStatus(bob_.transport());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->purses[0].balance, 20'00 + 12'34);
  EXPECT_EQ(status->counter, 1u);
}

TEST_F(TransferTest, PaymentsInBothDirectionsAndCurrencies) {
  ASSERT_TRUE(PaymentSession(alice_.transport(), bob_.transport()).Run({"EUR", 1}).status.ok());
  ASSERT_TRUE(PaymentSession(bob_.transport(), alice_.transport()).Run({"JPY", 4'999}).status.ok());
  ASSERT_TRUE(PaymentSession(bob_.transport(), alice_.transport()).Run({"EUR", 1}).status.ok());
  EXPECT_EQ(alice_.Balance("EUR"), 100'00);
  EXPECT_EQ(bob_.Balance("EUR"), 20'00);
  EXPECT_EQ(alice_.Balance("JPY"), 9'999);
  EXPECT_EQ(bob_.Balance("JPY"), 1);
}

TEST_F(TransferTest, AmountAbovePayeeMaximumBalanceIsRefusedByThePayee) {
  ExpectRefused(alice_, bob_, {"EUR", 130'01}, PaymentStep::kRequest, sw::kOfflineLimit);
}

TEST_F(TransferTest, CurrencyThePayeeDoesNotHoldIsRefused) {
  ExpectRefused(alice_, bob_, {"USD", 1'00}, PaymentStep::kRequest, sw::kUnknownCurrency);
}

TEST_F(TransferTest, ZeroAndNegativeAmountsAreRefused) {
  ExpectRefused(alice_, bob_, {"EUR", 0}, PaymentStep::kRequest, sw::kInvalidAmount);
  ExpectRefused(alice_, bob_, {"EUR", -5}, PaymentStep::kRequest, sw::kInvalidAmount);
}

TEST_F(TransferTest, OfflinePaymentAllowanceStopsThePayerUntilItSyncs) {
  TestCardOptions options = Options(100'00, 1'000'00);
  options.max_offline_payments = 2;
  TestCard carol(issuer_, clock_, 3, options);
  ASSERT_TRUE(PaymentSession(carol.transport(), bob_.transport()).Run({"EUR", 1}).status.ok());
  ASSERT_TRUE(PaymentSession(carol.transport(), bob_.transport()).Run({"EUR", 1}).status.ok());
  ExpectRefused(carol, bob_, {"EUR", 1}, PaymentStep::kHello, sw::kOfflineLimit);
  Reconciler reconciler(issuer_.public_keys());
  std::vector<Refund> refunds;
  SyncCard(carol, issuer_, reconciler, refunds);
  EXPECT_TRUE(refunds.empty());
  EXPECT_TRUE(PaymentSession(carol.transport(), bob_.transport()).Run({"EUR", 1}).status.ok());
}

// The payer learns the amount from the payee's sealed request, so these refusals come
// after the payee logged "awaiting": the payer changes nothing, the payee's balances do
// not move, and its orphan entry settles to nothing at sync.
TEST_F(TransferTest, PayerRefusalsChangeNoBalanceAndSettleToNothing) {
  struct Case {
    PaymentOrder order;
    uint16_t status_word;
  };
  TestCardOptions options;
  options.purses = {{"EUR", 5'00, 1'000'00}, {"USD", 0, 1'000'00}};
  TestCard dave(issuer_, clock_, 4, options);
  for (const Case& refusal :
       {Case{{"EUR", 100'01}, sw::kInsufficientFunds}, Case{{"USD", 1}, sw::kUnknownCurrency}}) {
    const CardState alice_before = alice_.state();
    const PaymentOutcome outcome =
        PaymentSession(alice_.transport(), dave.transport()).Run(refusal.order);
    EXPECT_EQ(outcome.failed_step, PaymentStep::kValue);
    EXPECT_EQ(outcome.status_word, refusal.status_word) << StatusWordName(outcome.status_word);
    EXPECT_EQ(alice_.state(), alice_before);
    EXPECT_EQ(dave.Balance("EUR"), 5'00);
    EXPECT_EQ(dave.Balance("USD"), 0);
  }
  Reconciler reconciler(issuer_.public_keys());
  std::vector<Refund> refunds;
  SyncCard(alice_, issuer_, reconciler, refunds);
  SyncCard(dave, issuer_, reconciler, refunds);
  EXPECT_TRUE(refunds.empty());
  EXPECT_TRUE(reconciler.Undecided().empty());
}

TEST_F(TransferTest, PinIsNeededAndLocksAfterTheTryLimit) {
  TestCardOptions options = Options(100'00, 1'000'00);
  options.pin = "2468";
  options.pin_try_limit = 3;
  TestCard erin(issuer_, clock_, 5, options);
  ExpectRefused(erin, bob_, {"EUR", 1'00}, PaymentStep::kHello, sw::kSecurityNotSatisfied);

  PaymentOrder order{"EUR", 1'00};
  order.payer_pin = "1111";
  for (uint16_t tries_left : {2, 1, 0}) {
    const int64_t balance = erin.Balance("EUR");
    const PaymentOutcome outcome = PaymentSession(erin.transport(), bob_.transport()).Run(order);
    EXPECT_EQ(outcome.failed_step, PaymentStep::kVerifyPin);
    EXPECT_EQ(outcome.status_word, sw::kWrongPinBase | tries_left);
    EXPECT_EQ(erin.state().pin_tries_left, tries_left);
    EXPECT_EQ(erin.Balance("EUR"), balance);
  }
  order.payer_pin = "2468";  // Right, but too late.
  ExpectRefused(erin, bob_, order, PaymentStep::kVerifyPin, sw::kPinBlocked);
  order.payer_pin.clear();
  ExpectRefused(erin, bob_, order, PaymentStep::kHello, sw::kPinBlocked);
  EXPECT_EQ(erin.Balance("EUR"), 100'00);
}

TEST_F(TransferTest, RightPinPaysAndResetsTheTries) {
  TestCardOptions options = Options(100'00, 1'000'00);
  options.pin = "2468";
  TestCard erin(issuer_, clock_, 5, options);
  PaymentOrder order{"EUR", 1'00};
  order.payer_pin = "0000";
  EXPECT_EQ(PaymentSession(erin.transport(), bob_.transport()).Run(order).status_word,
            sw::kWrongPinBase | 2);
  order.payer_pin = "2468";
  const PaymentOutcome outcome = PaymentSession(erin.transport(), bob_.transport()).Run(order);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.exchanges, 6);
  EXPECT_EQ(erin.state().pin_tries_left, 3);
  // Verified until the card is reset.
  ASSERT_TRUE(PaymentSession(erin.transport(), bob_.transport()).Run({"EUR", 1}).status.ok());
  erin.PowerCycle();
  ExpectRefused(erin, bob_, {"EUR", 1}, PaymentStep::kHello, sw::kSecurityNotSatisfied);
}

}  // namespace
}  // namespace argentpoche::card
