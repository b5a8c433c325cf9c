// Tests of DecideOutcome, OutcomePayouts and NextDecisionTime: which branch settles, when
// the refund applies, and when the scheduler must look again.
#include "engine/conditions_outcome.h"

#include <vector>

#include "engine/conditions_testing.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using namespace testing_conditions;  // NOLINT(build/namespaces): test builders.

// The weather cover with a first branch: both parties sign to cancel, 500.00 EUR to the
// insured as a goodwill payment, the rest back to the insurer.
v1::ConditionalTerms CancellableCover() {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  v1::ConditionalBranch cancel;
  *cancel.mutable_condition() =
      AllOf({SignatureOf("insurer"), SignatureOf("insured"), Before(kJuly1)});
  *cancel.mutable_payout() = FixedTable({{"insured", 50000}}, "insurer");
  terms.mutable_branches()->Add(std::move(cancel));
  terms.mutable_branches()->SwapElements(0, 1);
  return terms;
}

Facts At(int64_t now_unix_ms) {
  Facts facts;
  facts.now_unix_ms = now_unix_ms;
  return facts;
}

TEST(DecideOutcomeTest, WaitsWhileNoBranchIsTrue) {
  const Outcome outcome = DecideOutcome(CancellableCover(), At(kJuly15));
  EXPECT_EQ(outcome.kind, Outcome::Kind::kWaiting);
  EXPECT_EQ(outcome.branch_index, -1);
}

TEST(DecideOutcomeTest, SettlesByTheFirstTrueBranchInOrder) {
  Facts facts = At(kJune1);
  facts.signed_roles = {"insurer", "insured"};
  facts.oracle_values["rain"] = 873;
  const Outcome outcome = DecideOutcome(CancellableCover(), facts);
  EXPECT_EQ(outcome.kind, Outcome::Kind::kSettle);
  EXPECT_EQ(outcome.branch_index, 0);
  facts.now_unix_ms = kJuly15;  // Too late to cancel: the rainfall branch settles.
  EXPECT_EQ(DecideOutcome(CancellableCover(), facts).branch_index, 1);
}

TEST(DecideOutcomeTest, DoesNotSettleAPiecewiseBranchBeforeItsValueIsIn) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  *terms.mutable_branches(0)->mutable_condition() = After(kJuly1);
  EXPECT_EQ(DecideOutcome(terms, At(kJuly15)).kind, Outcome::Kind::kWaiting);
  Facts facts = At(kJuly15);
  facts.oracle_values["rain"] = 1000;
  EXPECT_EQ(DecideOutcome(terms, facts).kind, Outcome::Kind::kSettle);
}

TEST(DecideOutcomeTest, RefundsFromTheHardDeadlineOnWhateverTheBranchesSay) {
  Facts facts = At(kDecember1 - 1);
  facts.oracle_values["rain"] = 1000;
  EXPECT_EQ(DecideOutcome(WeatherCoverTerms(), facts).kind, Outcome::Kind::kSettle);
  facts.now_unix_ms = kDecember1;
  EXPECT_EQ(DecideOutcome(WeatherCoverTerms(), facts).kind, Outcome::Kind::kRefund);
}

TEST(OutcomePayoutsTest, PaysTheSettlingBranchOrTheRefund) {
  Facts facts = At(kJuly15);
  facts.oracle_values["rain"] = 873;
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  absl::StatusOr<std::vector<v1::Payout>> settled =
      OutcomePayouts(terms, DecideOutcome(terms, facts), facts);
  ASSERT_TRUE(settled.ok()) << settled.status();
  ASSERT_EQ(settled->size(), 2u);
  EXPECT_EQ((*settled)[0].amount().minor_units(), 373000);
  facts.now_unix_ms = kDecember1;
  absl::StatusOr<std::vector<v1::Payout>> refunded =
      OutcomePayouts(terms, DecideOutcome(terms, facts), facts);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  ASSERT_EQ(refunded->size(), 1u);
  EXPECT_EQ((*refunded)[0].party_id(), "party-insurer");
  EXPECT_EQ((*refunded)[0].amount().minor_units(), 1000000);
}

TEST(NextDecisionTimeTest, IsTheNextBranchTimeOrTheHardDeadline) {
  const v1::ConditionalTerms terms = CancellableCover();
  EXPECT_EQ(NextDecisionTime(terms, kJune1), kJuly1);
  EXPECT_EQ(NextDecisionTime(terms, kJuly1), kDecember1);
  EXPECT_EQ(NextDecisionTime(terms, kDecember1), std::nullopt);
}

}  // namespace
}  // namespace argentpoche
