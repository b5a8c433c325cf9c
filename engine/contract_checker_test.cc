// Tests of CheckConditionalTerms: a sound weather cover passes, and each refusal reason is
// given for the defect it names.
#include "engine/contract_checker.h"

#include <string>

#include "engine/conditions_testing.h"
#include "engine/limits.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using namespace testing_conditions;  // NOLINT(build/namespaces): test builders.

ConditionCheckContext Context() {
  ConditionCheckContext context;
  context.now_unix_ms = kJune1 - kDayMs;
  context.registered_oracle_party_ids = {"oracle-a", "oracle-b", "oracle-c", "oracle-d"};
  return context;
}

absl::Status Check(const v1::ConditionalTerms& terms) {
  return CheckConditionalTerms(terms, Context());
}

// The weather cover with a second branch whose condition is `condition`, paying everything
// to the insured.
v1::ConditionalTerms WithBranch(const v1::Condition& condition) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  v1::ConditionalBranch* branch = terms.add_branches();
  *branch->mutable_condition() = condition;
  *branch->mutable_payout() = FixedTable({{"insured", 1000000}}, "");
  return terms;
}

TEST(CheckConditionalTermsTest, AcceptsTheWeatherCover) {
  EXPECT_TRUE(Check(WeatherCoverTerms()).ok()) << Check(WeatherCoverTerms());
}

TEST(CheckConditionalTermsTest, AcceptsEveryKindOfCondition) {
  const v1::Condition condition =
      AnyOf({AllOf({SignatureOf("insurer"), Before(kJuly1)}), After(kJuly15),
             AtLeastWeight(2, {{1, PreimageOf(std::string(32, 'h'))},
                               {1, OracleIs("rain", v1::COMPARISON_LT, 100)}})});
  EXPECT_TRUE(Check(WithBranch(condition)).ok()) << Check(WithBranch(condition));
}

TEST(CheckConditionalTermsTest, RefusesEmptyListsAsMalformed) {
  v1::Condition empty_all_of;
  empty_all_of.mutable_all_of();
  EXPECT_TRUE(HasReason(Check(WithBranch(empty_all_of)), "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(AnyOf({}))), "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(AtLeastWeight(1, {}))), "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(v1::Condition())), "MALFORMED_CONDITION"));
  v1::ConditionalTerms no_branches = WeatherCoverTerms();
  no_branches.clear_branches();
  EXPECT_TRUE(HasReason(Check(no_branches), "MALFORMED_CONDITION"));
  v1::ConditionalTerms no_parties = WeatherCoverTerms();
  no_parties.clear_parties();
  EXPECT_TRUE(HasReason(Check(no_parties), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesAThresholdAboveTheTotalWeightOrOfZero) {
  EXPECT_TRUE(HasReason(Check(WithBranch(AtLeastWeight(
                            4, {{2, SignatureOf("insurer")}, {1, SignatureOf("insured")}}))),
                        "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(AtLeastWeight(0, {{1, SignatureOf("insurer")}}))),
                        "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(AtLeastWeight(1, {{0, SignatureOf("insurer")}}))),
                        "MALFORMED_CONDITION"));
  EXPECT_TRUE(Check(WithBranch(AtLeastWeight(
                        3, {{2, SignatureOf("insurer")}, {1, SignatureOf("insured")}})))
                  .ok());
}

TEST(CheckConditionalTermsTest, RefusesUnknownRolesAndValueSources) {
  EXPECT_TRUE(HasReason(Check(WithBranch(SignatureOf("landlord"))), "MALFORMED_CONDITION"));
  EXPECT_TRUE(
      HasReason(Check(WithBranch(OracleIs("wind", v1::COMPARISON_GT, 1))), "MALFORMED_CONDITION"));
  v1::ConditionalTerms unknown_payee = WeatherCoverTerms();
  unknown_payee.mutable_branches(0)->mutable_payout()->mutable_piecewise_linear()->set_payee_role(
      "landlord");
  EXPECT_TRUE(HasReason(Check(unknown_payee), "MALFORMED_CONDITION"));
  v1::ConditionalTerms unknown_source = WeatherCoverTerms();
  unknown_source.mutable_branches(0)
      ->mutable_payout()
      ->mutable_piecewise_linear()
      ->set_value_source("wind");
  EXPECT_TRUE(HasReason(Check(unknown_source), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesUnregisteredOrRepeatedOracles) {
  v1::ConditionalTerms unregistered = WeatherCoverTerms();
  unregistered.mutable_value_sources(0)->set_oracle_party_ids(2, "oracle-z");
  EXPECT_TRUE(HasReason(Check(unregistered), "MALFORMED_CONDITION"));
  v1::ConditionalTerms repeated = WeatherCoverTerms();
  repeated.mutable_value_sources(0)->set_oracle_party_ids(2, "oracle-a");
  EXPECT_TRUE(HasReason(Check(repeated), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesATreeOneLevelTooDeep) {
  v1::Condition deepest = SignatureOf("insurer");
  for (int level = 1; level < limits::kMaxConditionDepth; ++level) deepest = AllOf({deepest});
  EXPECT_TRUE(Check(WithBranch(deepest)).ok());
  EXPECT_TRUE(HasReason(Check(WithBranch(AllOf({deepest}))), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesATreeOfOneConditionTooMany) {
  v1::Condition wide;
  for (int i = 1; i < limits::kMaxConditionNodes; ++i) {
    *wide.mutable_any_of()->add_conditions() = After(kJuly1 + i);
  }
  EXPECT_TRUE(Check(WithBranch(wide)).ok());
  *wide.mutable_any_of()->add_conditions() = After(kJuly1);
  EXPECT_TRUE(HasReason(Check(WithBranch(wide)), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesMalformedLeaves) {
  EXPECT_TRUE(HasReason(Check(WithBranch(PreimageOf("short"))), "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(After(0))), "MALFORMED_CONDITION"));
  EXPECT_TRUE(HasReason(Check(WithBranch(OracleIs("rain", v1::COMPARISON_UNSPECIFIED, 1))),
                        "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesAnObservationWindowEndingAtTheHardDeadline) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  terms.mutable_value_sources(0)->set_observe_until_unix_ms(terms.hard_deadline_unix_ms());
  EXPECT_TRUE(HasReason(Check(terms), "MALFORMED_CONDITION"));
}

TEST(CheckConditionalTermsTest, RefusesBreakpointsNotStrictlyIncreasing) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  *terms.mutable_branches(0)->mutable_payout() = PiecewiseLinear(
      "rain", {{500, 0}, {900, 500000}, {900, 600000}}, 0, 1000000, "insured", "insurer");
  EXPECT_TRUE(HasReason(Check(terms), "BREAKPOINTS_NOT_INCREASING"));
}

TEST(CheckConditionalTermsTest, RefusesABranchThatCouldPayMoreThanTheLock) {
  v1::ConditionalTerms table = WeatherCoverTerms();
  *table.mutable_branches(0)->mutable_payout() =
      FixedTable({{"insured", 600000}, {"insurer", 400001}}, "");
  EXPECT_TRUE(HasReason(Check(table), "PAYOUT_EXCEEDS_LOCK"));
  v1::ConditionalTerms line = WeatherCoverTerms();
  *line.mutable_branches(0)->mutable_payout() =
      PiecewiseLinear("rain", {{500, 0}, {1500, 2000000}}, 0, 1000001, "insured", "insurer");
  EXPECT_TRUE(HasReason(Check(line), "PAYOUT_EXCEEDS_LOCK"));
  // A cap above the lock is harmless when no breakpoint reaches it.
  *line.mutable_branches(0)->mutable_payout() =
      PiecewiseLinear("rain", {{500, 0}, {1500, 1000000}}, 0, 5000000, "insured", "insurer");
  EXPECT_TRUE(Check(line).ok());
}

TEST(CheckConditionalTermsTest, RefusesTermsWithoutAHardDeadline) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  terms.clear_hard_deadline_unix_ms();
  EXPECT_TRUE(HasReason(Check(terms), "NO_REFUND_PATH"));
  terms.set_hard_deadline_unix_ms(Context().now_unix_ms);
  EXPECT_TRUE(HasReason(Check(terms), "NO_REFUND_PATH"));
  terms.set_hard_deadline_unix_ms(Context().now_unix_ms + limits::kMaxDeadlineAheadMs + 1);
  EXPECT_TRUE(HasReason(Check(terms), "NO_REFUND_PATH"));
}

TEST(CheckConditionalTermsTest, RefusesARefundTableNotAddingUpExactlyToTheLock) {
  v1::ConditionalTerms short_refund = WeatherCoverTerms();
  short_refund.mutable_refund()->mutable_amounts(0)->mutable_amount()->set_minor_units(999999);
  EXPECT_TRUE(HasReason(Check(short_refund), "NO_REFUND_PATH"));
  v1::ConditionalTerms over_refund = WeatherCoverTerms();
  over_refund.mutable_refund()->mutable_amounts(0)->mutable_amount()->set_minor_units(1000001);
  EXPECT_TRUE(HasReason(Check(over_refund), "NO_REFUND_PATH"));
  v1::ConditionalTerms no_refund = WeatherCoverTerms();
  no_refund.clear_refund();
  EXPECT_TRUE(HasReason(Check(no_refund), "NO_REFUND_PATH"));
}

TEST(CheckConditionalTermsTest, RefusesAQuorumAboveTheOraclesOrOfZero) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  terms.mutable_value_sources(0)->set_quorum(4);
  EXPECT_TRUE(HasReason(Check(terms), "QUORUM_TOO_LARGE"));
  terms.mutable_value_sources(0)->set_quorum(0);
  EXPECT_TRUE(HasReason(Check(terms), "QUORUM_TOO_LARGE"));
  terms.mutable_value_sources(0)->set_quorum(3);
  EXPECT_TRUE(Check(terms).ok());
}

TEST(CheckConditionalTermsTest, RefusesAmountsInAnotherCurrency) {
  v1::ConditionalTerms cap = WeatherCoverTerms();
  cap.mutable_branches(0)
      ->mutable_payout()
      ->mutable_piecewise_linear()
      ->mutable_cap()
      ->set_currency("USD");
  EXPECT_TRUE(HasReason(Check(cap), "CURRENCY_MISMATCH"));
  v1::ConditionalTerms refund = WeatherCoverTerms();
  refund.mutable_refund()->mutable_amounts(0)->mutable_amount()->set_currency("USD");
  EXPECT_TRUE(HasReason(Check(refund), "CURRENCY_MISMATCH"));
}

TEST(CheckConditionalTermsTest, RefusesANonPositiveLock) {
  v1::ConditionalTerms terms = WeatherCoverTerms();
  terms.mutable_locked_total()->set_minor_units(0);
  EXPECT_TRUE(HasReason(Check(terms), "AMOUNT_NOT_POSITIVE"));
}

TEST(CheckConditionalTermsTest, NamesTheBranchInTheMessage) {
  const absl::Status status = Check(WithBranch(SignatureOf("landlord")));
  EXPECT_NE(std::string(status.message()).find("branch 2: "), std::string::npos) << status;
}

}  // namespace
}  // namespace argentpoche
