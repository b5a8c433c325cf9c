// Tests of the Reconciler: a cut payment is refunded once the payee's report proves it
// never credited, in whichever order the reports come, and only once; a credited payment
// is settled with nothing due; a transfer waits while the payee has not reported past
// it; forged, foreign, tampered or stale-challenge reports are refused.
#include "engine/card/reconciler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/card/card_client.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/sync_report.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

const std::string kChallenge(16, 'c');

class ReconcilerTest : public ::testing::Test {
 protected:
  // A payment of 3.00 EUR from alice to bob cut on `exchange` of `payer_link`'s side.
  void CutPayment(bool payer_link, int exchange, LinkFault fault) {
    FaultyTransport payer(alice_.transport());
    FaultyTransport payee(bob_.transport());
    (payer_link ? payer : payee).Arm(exchange, fault);
    EXPECT_FALSE(PaymentSession(payer, payee).Run({"EUR", 3'00}).status.ok());
  }

  std::string Report(TestCard& card) {
    const absl::StatusOr<std::string> report = ReadSyncReport(card.transport(), kChallenge);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : "";
  }

  ManualClock clock_{kTestNowMs};
  TestIssuer issuer_;
  TestCard alice_{issuer_, clock_, 1, {}};
  TestCard bob_{issuer_, clock_, 2, {}};
  Reconciler reconciler_{issuer_.public_keys()};
};

TEST_F(ReconcilerTest, ValueLostOnTheWayIsRefundedOnceInEitherOrder) {
  CutPayment(/*payer_link=*/false, /*exchange=*/1, LinkFault::kDropCommand);  // value lost
  const std::string alice_report = Report(alice_);
  const std::string bob_report = Report(bob_);
  // The payer first: undecided until the payee reports.
  absl::StatusOr<std::vector<Refund>> refunds = reconciler_.Submit(alice_report, kChallenge);
  ASSERT_TRUE(refunds.ok()) << refunds.status();
  EXPECT_TRUE(refunds->empty());
  ASSERT_EQ(reconciler_.Undecided().size(), 1u);
  refunds = reconciler_.Submit(bob_report, kChallenge);
  ASSERT_TRUE(refunds.ok());
  ASSERT_EQ(refunds->size(), 1u);
  EXPECT_EQ(refunds->front(), (Refund{alice_.id(), 0, bob_.id(), 0, "EUR", 3'00}));
  // Never twice, whatever is sent again.
  EXPECT_TRUE(reconciler_.Submit(alice_report, kChallenge)->empty());
  EXPECT_TRUE(reconciler_.Submit(bob_report, kChallenge)->empty());
  EXPECT_EQ(reconciler_.refund_count(), 1u);
  EXPECT_TRUE(reconciler_.Undecided().empty());

  // The same story with the payee's report first.
  Reconciler other(issuer_.public_keys());
  EXPECT_TRUE(other.Submit(bob_report, kChallenge)->empty());
  EXPECT_EQ(other.Submit(alice_report, kChallenge)->size(), 1u);
}

TEST_F(ReconcilerTest, CreditedValueIsSettledWithNothingDue) {
  CutPayment(/*payer_link=*/true, /*exchange=*/2, LinkFault::kDropCommand);  // ack lost
  EXPECT_TRUE(reconciler_.Submit(Report(alice_), kChallenge)->empty());
  EXPECT_TRUE(reconciler_.Submit(Report(bob_), kChallenge)->empty());
  EXPECT_EQ(reconciler_.settled_count(), 1u);
  EXPECT_EQ(reconciler_.refund_count(), 0u);
  EXPECT_TRUE(reconciler_.Undecided().empty());
}

TEST_F(ReconcilerTest, PayeeReportFromBeforeTheTransferDecidesNothing) {
  const std::string early_bob_report = Report(bob_);
  CutPayment(/*payer_link=*/false, /*exchange=*/1, LinkFault::kDropCommand);
  EXPECT_TRUE(reconciler_.Submit(early_bob_report, kChallenge)->empty());
  EXPECT_TRUE(reconciler_.Submit(Report(alice_), kChallenge)->empty());
  EXPECT_EQ(reconciler_.Undecided().size(), 1u);
  EXPECT_EQ(reconciler_.Submit(Report(bob_), kChallenge)->size(), 1u);
}

TEST_F(ReconcilerTest, ForgedForeignAndStaleReportsAreRefused) {
  const std::string report = Report(alice_);
  std::string tampered = report;
  tampered[1 + 109 + 16 + 3] ^= 0x01;  // the counter's last byte
  EXPECT_EQ(ReasonOf(reconciler_.Submit(tampered, kChallenge).status()), "BAD_SIGNATURE");
  std::string bad_certificate = report;
  bad_certificate[1 + 1] ^= 0x01;  // the certified card id
  EXPECT_EQ(ReasonOf(reconciler_.Submit(bad_certificate, kChallenge).status()), "BAD_CERTIFICATE");
  EXPECT_EQ(ReasonOf(reconciler_.Submit(report, std::string(16, 'x')).status()), "WRONG_CHALLENGE");
  EXPECT_EQ(ReasonOf(reconciler_.Submit(report.substr(1), kChallenge).status()),
            "MALFORMED_SYNC_REPORT");
  TestIssuer other("other");
  TestCard mallory(other, clock_, 9, {});
  Reconciler ours({{1, issuer_.key(1).public_key()}});
  EXPECT_EQ(ReasonOf(ours.Submit(Report(mallory), kChallenge).status()), "BAD_CERTIFICATE");
  EXPECT_TRUE(reconciler_.Submit(report, kChallenge).ok());
}

TEST_F(ReconcilerTest, SyncAcknowledgementClearsTheLogOnlyForTheReportedState) {
  CutPayment(/*payer_link=*/false, /*exchange=*/1, LinkFault::kDropCommand);
  ASSERT_EQ(alice_.state().log.size(), 1u);
  const uint32_t counter = alice_.state().counter;
  EXPECT_EQ(StatusWordOf(AcknowledgeSync(
                alice_.transport(),
                IssueSyncAcknowledgement(1, alice_.id(), counter - 1, issuer_.key(1)))),
            sw::kStaleUpdate);
  TestIssuer other("other");
  EXPECT_EQ(
      StatusWordOf(AcknowledgeSync(
          alice_.transport(), IssueSyncAcknowledgement(1, alice_.id(), counter, other.key(1)))),
      sw::kOtherIssuer);
  EXPECT_EQ(
      StatusWordOf(AcknowledgeSync(
          alice_.transport(), IssueSyncAcknowledgement(1, bob_.id(), counter, issuer_.key(1)))),
      sw::kWrongData);
  EXPECT_EQ(alice_.state().log.size(), 1u);
  const SyncAcknowledgement ack = IssueSyncAcknowledgement(1, alice_.id(), counter, issuer_.key(1));
  ASSERT_TRUE(AcknowledgeSync(alice_.transport(), ack).ok());
  EXPECT_TRUE(alice_.state().log.empty());
  EXPECT_EQ(alice_.state().counter, counter + 1);
  EXPECT_EQ(StatusWordOf(AcknowledgeSync(alice_.transport(), ack)), sw::kStaleUpdate);
}

}  // namespace
}  // namespace argentpoche::card
