// Tests of the condition language's evaluation: each kind of condition under three-valued
// logic, the next time of change, and the explanations in words.
#include "engine/conditions.h"

#include <string>
#include <vector>

#include "engine/conditions_testing.h"
#include "engine/crypto.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using namespace testing_conditions;  // NOLINT(build/namespaces): test builders.

Facts At(int64_t now_unix_ms) {
  Facts facts;
  facts.now_unix_ms = now_unix_ms;
  return facts;
}

TEST(EvaluateTest, SignatureIsUnknownUntilTheRoleSigns) {
  Facts facts = At(kJune1);
  EXPECT_EQ(Evaluate(SignatureOf("landlord"), facts), Truth::kUnknown);
  facts.signed_roles.insert("tenant");
  EXPECT_EQ(Evaluate(SignatureOf("landlord"), facts), Truth::kUnknown);
  facts.signed_roles.insert("landlord");
  EXPECT_EQ(Evaluate(SignatureOf("landlord"), facts), Truth::kTrue);
}

TEST(EvaluateTest, AfterIsUnknownBeforeItsTimeAndTrueFromItsTimeOn) {
  EXPECT_EQ(Evaluate(After(kJuly1), At(kJuly1 - 1)), Truth::kUnknown);
  EXPECT_EQ(Evaluate(After(kJuly1), At(kJuly1)), Truth::kTrue);
  EXPECT_EQ(Evaluate(After(kJuly1), At(kDecember1)), Truth::kTrue);
}

TEST(EvaluateTest, BeforeIsTrueUntilItsTimeAndFalseFromItsTimeOn) {
  EXPECT_EQ(Evaluate(Before(kJuly1), At(kJuly1 - 1)), Truth::kTrue);
  EXPECT_EQ(Evaluate(Before(kJuly1), At(kJuly1)), Truth::kFalse);
  EXPECT_EQ(Evaluate(Before(kJuly1), At(kDecember1)), Truth::kFalse);
}

TEST(EvaluateTest, OracleComparisonIsUnknownUntilTheValueIsIn) {
  Facts facts = At(kJuly15);
  EXPECT_EQ(Evaluate(OracleIs("rain", v1::COMPARISON_GE, 500), facts), Truth::kUnknown);
  facts.oracle_values["other"] = 900;
  EXPECT_EQ(Evaluate(OracleIs("rain", v1::COMPARISON_GE, 500), facts), Truth::kUnknown);
  facts.oracle_values["rain"] = 499;
  EXPECT_EQ(Evaluate(OracleIs("rain", v1::COMPARISON_GE, 500), facts), Truth::kFalse);
  facts.oracle_values["rain"] = 500;
  EXPECT_EQ(Evaluate(OracleIs("rain", v1::COMPARISON_GE, 500), facts), Truth::kTrue);
}

TEST(EvaluateTest, EveryComparisonComparesTheValueWithTheConstant) {
  struct Case {
    v1::Comparison comparison;
    Truth below, equal, above;
  };
  const Truth t = Truth::kTrue;
  const Truth f = Truth::kFalse;
  const std::vector<Case> cases = {
      {v1::COMPARISON_LT, t, f, f}, {v1::COMPARISON_LE, t, t, f}, {v1::COMPARISON_EQ, f, t, f},
      {v1::COMPARISON_NE, t, f, t}, {v1::COMPARISON_GE, f, t, t}, {v1::COMPARISON_GT, f, f, t},
  };
  for (const Case& c : cases) {
    Facts facts = At(kJuly15);
    facts.oracle_values["price"] = -11;
    EXPECT_EQ(Evaluate(OracleIs("price", c.comparison, -10), facts), c.below) << c.comparison;
    facts.oracle_values["price"] = -10;
    EXPECT_EQ(Evaluate(OracleIs("price", c.comparison, -10), facts), c.equal) << c.comparison;
    facts.oracle_values["price"] = -9;
    EXPECT_EQ(Evaluate(OracleIs("price", c.comparison, -10), facts), c.above) << c.comparison;
  }
}

TEST(EvaluateTest, PreimageIsTrueOnlyOnceBytesHashingToTheDigestAreRevealed) {
  const v1::Condition condition = PreimageOf(Sha256("open sesame"));
  Facts facts = At(kJune1);
  EXPECT_EQ(Evaluate(condition, facts), Truth::kUnknown);
  facts.revealed_preimages.insert("open sesame!");
  EXPECT_EQ(Evaluate(condition, facts), Truth::kUnknown);
  facts.revealed_preimages.insert("open sesame");
  EXPECT_EQ(Evaluate(condition, facts), Truth::kTrue);
}

TEST(EvaluateTest, AllOfIsFalseOnOneFalseChildTrueOnAllTrueElseUnknown) {
  Facts facts = At(kJuly15);
  facts.signed_roles.insert("buyer");
  EXPECT_EQ(Evaluate(AllOf({SignatureOf("buyer"), After(kJuly1)}), facts), Truth::kTrue);
  EXPECT_EQ(Evaluate(AllOf({SignatureOf("buyer"), SignatureOf("seller")}), facts), Truth::kUnknown);
  EXPECT_EQ(Evaluate(AllOf({SignatureOf("seller"), Before(kJuly1)}), facts), Truth::kFalse);
}

TEST(EvaluateTest, AnyOfIsTrueOnOneTrueChildFalseOnAllFalseElseUnknown) {
  Facts facts = At(kJuly15);
  facts.signed_roles.insert("buyer");
  EXPECT_EQ(Evaluate(AnyOf({SignatureOf("seller"), SignatureOf("buyer")}), facts), Truth::kTrue);
  EXPECT_EQ(Evaluate(AnyOf({SignatureOf("seller"), Before(kJuly1)}), facts), Truth::kUnknown);
  EXPECT_EQ(Evaluate(AnyOf({Before(kJune1), Before(kJuly1)}), facts), Truth::kFalse);
}

TEST(EvaluateTest, TwoOfThreeSignaturesNeedsTwo) {
  const v1::Condition two_of_three =
      AtLeastWeight(2, {{1, SignatureOf("a")}, {1, SignatureOf("b")}, {1, SignatureOf("c")}});
  Facts facts = At(kJune1);
  facts.signed_roles.insert("a");
  EXPECT_EQ(Evaluate(two_of_three, facts), Truth::kUnknown);
  facts.signed_roles.insert("c");
  EXPECT_EQ(Evaluate(two_of_three, facts), Truth::kTrue);
}

TEST(EvaluateTest, WeightedThresholdIsFalseOnceTheRemainingWeightCannotReachIt) {
  // The arbiter alone (weight 2) or both parties (1 + 1) before July 1.
  const v1::Condition condition =
      AtLeastWeight(2, {{2, AllOf({SignatureOf("arbiter"), Before(kJuly1)})},
                        {1, SignatureOf("tenant")},
                        {1, AllOf({SignatureOf("landlord"), Before(kJune1)})}});
  Facts facts = At(kJune1);
  facts.signed_roles.insert("arbiter");
  EXPECT_EQ(Evaluate(condition, facts), Truth::kTrue);
  facts = At(kJuly1);
  facts.signed_roles.insert("tenant");
  EXPECT_EQ(Evaluate(condition, facts), Truth::kFalse);
  facts.now_unix_ms = kJune1 - 1;
  EXPECT_EQ(Evaluate(condition, facts), Truth::kUnknown);
}

TEST(NextTimeOfChangeTest, IsTheEarliestAfterOrBeforeTimeStillAhead) {
  const v1::Condition condition =
      AnyOf({AllOf({After(kJuly15), SignatureOf("a")}), Before(kJuly1), After(kDecember1)});
  EXPECT_EQ(NextTimeOfChange(condition, kJune1), kJuly1);
  EXPECT_EQ(NextTimeOfChange(condition, kJuly1), kJuly15);
  EXPECT_EQ(NextTimeOfChange(condition, kJuly15), kDecember1);
  EXPECT_EQ(NextTimeOfChange(condition, kDecember1), std::nullopt);
  EXPECT_EQ(NextTimeOfChange(SignatureOf("a"), kJune1), std::nullopt);
}

TEST(ExplainTest, SaysWhichOraclesAreAwaitedForWhichFeed) {
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  Facts facts = At(kJuly15);
  facts.attestations_received["rain"] = 1;
  EXPECT_EQ(Explain(OracleIs("rain", v1::COMPARISON_GE, 500), terms.value_sources(), facts),
            std::vector<std::string>{
                "waiting for 2 of 3 weather oracles to attest weather/ghcn/USW00094728/PRCP for "
                "event 2026-06 (met if at least 50.0; 1 attested so far)"});
  facts.oracle_values["rain"] = 873;
  EXPECT_EQ(Explain(OracleIs("rain", v1::COMPARISON_GE, 500), terms.value_sources(), facts),
            std::vector<std::string>{
                "met: weather/ghcn/USW00094728/PRCP for event 2026-06 is 87.3 (needed at least "
                "50.0)"});
}

TEST(ExplainTest, DescribesATreeOneLinePerConditionIndentedUnderItsParent) {
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  Facts facts = At(kDecember1);
  const v1::Condition condition =
      AllOf({After(kDecember1), AnyOf({SignatureOf("insurer"), Before(kJuly1)}),
             AtLeastWeight(3, {{2, SignatureOf("insured")}, {1, PreimageOf(Sha256("x"))}})});
  EXPECT_EQ(Explain(condition, terms.value_sources(), facts),
            (std::vector<std::string>{
                "waiting: all of 3 conditions (1 met)",
                "  met: after 2026-12-01 00:00 UTC",
                "  waiting: any of 2 conditions (none met yet)",
                "    waiting for the signature of the insurer",
                "    not met: before 2026-07-01 00:00 UTC (that time has passed)",
                "  waiting: conditions weighing at least 3 of 3 (weight 0 met)",
                "    weight 2: waiting for the signature of the insured",
                "    weight 1: waiting for the preimage of SHA-256 2d711642b726b044...",
            }));
}

TEST(ExplainTest, SaysMetAndNotMetForDecidedLists) {
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  Facts facts = At(kJuly15);
  facts.signed_roles.insert("insured");
  EXPECT_EQ(Explain(AnyOf({SignatureOf("insured"), Before(kJune1)}), terms.value_sources(), facts)
                .front(),
            "met: any of 2 conditions (1 met)");
  EXPECT_EQ(Explain(AllOf({SignatureOf("insured"), Before(kJune1)}), terms.value_sources(), facts)
                .front(),
            "not met: all of 2 conditions (1 failed)");
  EXPECT_EQ(Explain(AtLeastWeight(1, {{1, SignatureOf("insured")}, {1, After(kDecember1)}}),
                    terms.value_sources(), facts)
                .front(),
            "met: at least 1 of 2 conditions (1 met)");
}

TEST(DescribeTimeTest, ShowsSecondsAndMillisecondsOnlyWhenPresent) {
  EXPECT_EQ(DescribeTime(kDecember1), "2026-12-01 00:00 UTC");
  EXPECT_EQ(DescribeTime(kDecember1 + 30'000), "2026-12-01 00:00:30 UTC");
  EXPECT_EQ(DescribeTime(kDecember1 + 30'250), "2026-12-01 00:00:30.250 UTC");
}

}  // namespace
}  // namespace argentpoche
