// Tests of payout rules with worked numbers: a weather cover between trigger and exit, a
// call option capped at its collateral, fixed tables, rounding toward the payer, and the
// refusals of ComputePayouts.
#include "engine/payout_rules.h"

#include <cstdint>
#include <string>
#include <vector>

#include "engine/conditions_testing.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using namespace testing_conditions;  // NOLINT(build/namespaces): test builders.

struct Paid {
  std::string party_id;
  int64_t minor_units;
  bool operator==(const Paid& other) const = default;
};

std::ostream& operator<<(std::ostream& stream, const Paid& paid) {
  return stream << paid.party_id << ": " << paid.minor_units;
}

// A payout list of one party, taking everything.
std::vector<Paid> Only(const std::string& party_id, int64_t minor_units) {
  return {{party_id, minor_units}};
}

Money Locked(int64_t minor_units, const std::string& currency = "EUR") {
  return *Money::Create(currency, minor_units);
}

Facts WithValue(const std::string& source, int64_t value) {
  Facts facts;
  facts.now_unix_ms = kJuly15;
  facts.oracle_values[source] = value;
  return facts;
}

std::vector<Paid> PaidOf(const absl::StatusOr<std::vector<v1::Payout>>& payouts,
                         const std::string& currency = "EUR") {
  EXPECT_TRUE(payouts.ok()) << payouts.status();
  std::vector<Paid> paid;
  if (!payouts.ok()) return paid;
  for (const v1::Payout& payout : *payouts) {
    EXPECT_EQ(payout.amount().currency(), currency);
    paid.push_back({payout.party_id(), payout.amount().minor_units()});
  }
  return paid;
}

// The weather cover of WeatherCoverTerms: 10000.00 EUR, trigger 50.0 mm, exit 150.0 mm.
std::vector<Paid> WeatherPayouts(int64_t rain_tenths_mm) {
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  return PaidOf(ComputePayouts(terms.branches(0).payout(), Locked(1000000), RolePartiesOf(terms),
                               WithValue("rain", rain_tenths_mm)));
}

TEST(WeatherCoverTest, PaysNothingBelowOrAtTheTrigger) {
  EXPECT_EQ(WeatherPayouts(-5), Only("party-insurer", 1000000));
  EXPECT_EQ(WeatherPayouts(300), Only("party-insurer", 1000000));
  EXPECT_EQ(WeatherPayouts(500), Only("party-insurer", 1000000));
}

TEST(WeatherCoverTest, PaysTheStraightLineShareBetweenTriggerAndExit) {
  // 50.1 mm: 1/1000 of the limit, 10.00 EUR.
  EXPECT_EQ(WeatherPayouts(501),
            (std::vector<Paid>{{"party-insured", 1000}, {"party-insurer", 999000}}));
  // 87.3 mm: 373/1000 of the limit, 3730.00 EUR; the insurer keeps 6270.00 EUR.
  EXPECT_EQ(WeatherPayouts(873),
            (std::vector<Paid>{{"party-insured", 373000}, {"party-insurer", 627000}}));
  // 123.4 mm: 7340.00 EUR.
  EXPECT_EQ(WeatherPayouts(1234),
            (std::vector<Paid>{{"party-insured", 734000}, {"party-insurer", 266000}}));
  // 149.9 mm: 9990.00 EUR.
  EXPECT_EQ(WeatherPayouts(1499),
            (std::vector<Paid>{{"party-insured", 999000}, {"party-insurer", 1000}}));
}

TEST(WeatherCoverTest, PaysTheLimitAtAndBeyondTheExit) {
  EXPECT_EQ(WeatherPayouts(1500), Only("party-insured", 1000000));
  EXPECT_EQ(WeatherPayouts(2500), Only("party-insured", 1000000));
  EXPECT_EQ(WeatherPayouts(int64_t{1} << 62), Only("party-insured", 1000000));
}

// A European call on 3 units, strike 30000.00 USD, the writer's collateral 10000.00 USD:
// the buyer gets 3 x max(S - K, 0) capped at the collateral, the writer the rest. Prices at
// scale 2 are cents, so the line rises 3 cents per cent above the strike.
std::vector<Paid> CallPayouts(int64_t settlement_price_cents) {
  const v1::PayoutRule rule = PiecewiseLinear("price", {{3000000, 0}, {4000000, 3000000}}, 0,
                                              1000000, "buyer", "writer", "USD");
  const RoleParties parties = {{"buyer", "party-buyer"}, {"writer", "party-writer"}};
  return PaidOf(ComputePayouts(rule, Locked(1000000, "USD"), parties,
                               WithValue("price", settlement_price_cents)),
                "USD");
}

TEST(CallOptionTest, PaysNothingAtOrBelowTheStrike) {
  EXPECT_EQ(CallPayouts(2900000), Only("party-writer", 1000000));
  EXPECT_EQ(CallPayouts(3000000), Only("party-writer", 1000000));
}

TEST(CallOptionTest, PaysQuantityTimesTheGainAboveTheStrike) {
  // S = 31234.56: 3 x 1234.56 = 3703.68 USD.
  EXPECT_EQ(CallPayouts(3123456),
            (std::vector<Paid>{{"party-buyer", 370368}, {"party-writer", 629632}}));
  // S = 33333.33: 3 x 3333.33 = 9999.99 USD, one cent left to the writer.
  EXPECT_EQ(CallPayouts(3333333),
            (std::vector<Paid>{{"party-buyer", 999999}, {"party-writer", 1}}));
}

TEST(CallOptionTest, CapsThePayoutAtTheCollateral) {
  EXPECT_EQ(CallPayouts(3333334), Only("party-buyer", 1000000));
  EXPECT_EQ(CallPayouts(5000000), Only("party-buyer", 1000000));
}

TEST(PiecewiseLinearTest, RoundsDownTowardThePayerOnRisingAndFallingSegments) {
  const v1::PayoutRule rising = PiecewiseLinear("v", {{0, 0}, {3, 100}}, 0, 100, "payee", "payer");
  const v1::PayoutRule falling = PiecewiseLinear("v", {{0, 100}, {3, 0}}, 0, 100, "payee", "payer");
  // Exact values 33.33, 66.67 and 66.67, 33.33: the payee never gets the fraction.
  EXPECT_EQ(*PiecewiseLinearMinorUnits(rising.piecewise_linear(), 1), 33);
  EXPECT_EQ(*PiecewiseLinearMinorUnits(rising.piecewise_linear(), 2), 66);
  EXPECT_EQ(*PiecewiseLinearMinorUnits(falling.piecewise_linear(), 1), 66);
  EXPECT_EQ(*PiecewiseLinearMinorUnits(falling.piecewise_linear(), 2), 33);
  const RoleParties parties = {{"payee", "p1"}, {"payer", "p2"}};
  EXPECT_EQ(PaidOf(ComputePayouts(falling, Locked(100), parties, WithValue("v", 1))),
            (std::vector<Paid>{{"p1", 66}, {"p2", 34}}));
}

TEST(PiecewiseLinearTest, RaisesToTheFloorAndFollowsSeveralSegments) {
  // Drought cover: 0 above 40 mm, rising to 600.00 at 20 mm and 1000.00 at 0 mm; floor 50.00.
  const v1::PayoutRule rule = PiecewiseLinear("rain", {{0, 100000}, {200, 60000}, {400, 0}}, 5000,
                                              100000, "insured", "insurer");
  const RoleParties parties = {{"insured", "i"}, {"insurer", "r"}};
  EXPECT_EQ(PaidOf(ComputePayouts(rule, Locked(100000), parties, WithValue("rain", 100))),
            (std::vector<Paid>{{"i", 80000}, {"r", 20000}}));
  EXPECT_EQ(PaidOf(ComputePayouts(rule, Locked(100000), parties, WithValue("rain", 390))),
            (std::vector<Paid>{{"i", 5000}, {"r", 95000}}));
  EXPECT_EQ(PaidOf(ComputePayouts(rule, Locked(100000), parties, WithValue("rain", 900))),
            (std::vector<Paid>{{"i", 5000}, {"r", 95000}}));
}

TEST(FixedTableTest, PaysTheTableAndTheRemainderToItsRole) {
  const RoleParties parties = {{"tenant", "t"}, {"landlord", "l"}, {"arbiter", "a"}};
  const v1::PayoutRule rule = FixedTable({{"tenant", 30000}, {"landlord", 50000}}, "arbiter");
  EXPECT_EQ(PaidOf(ComputePayouts(rule, Locked(100000), parties, Facts{})),
            (std::vector<Paid>{{"t", 30000}, {"l", 50000}, {"a", 20000}}));
}

TEST(FixedTableTest, MergesRolesOfOnePartyAndLeavesOutZeros) {
  const RoleParties parties = {{"tenant", "t"}, {"landlord", "l"}, {"arbiter", "l"}};
  const v1::PayoutRule rule = FixedTable({{"tenant", 0}, {"landlord", 50000}}, "arbiter");
  EXPECT_EQ(PaidOf(ComputePayouts(rule, Locked(100000), parties, Facts{})), (Only("l", 100000)));
}

TEST(ComputePayoutsTest, WaitsForTheValueOfAPiecewiseLinearRule) {
  const v1::ConditionalTerms terms = WeatherCoverTerms();
  EXPECT_TRUE(HasReason(ComputePayouts(terms.branches(0).payout(), Locked(1000000),
                                       RolePartiesOf(terms), WithValue("other", 1))
                            .status(),
                        "VALUE_NOT_AVAILABLE"));
}

TEST(ComputePayoutsTest, RefusesRulesThatCouldPayMoreThanTheLock) {
  const RoleParties parties = {{"a", "pa"}, {"b", "pb"}};
  EXPECT_TRUE(HasReason(
      ComputePayouts(FixedTable({{"a", 60}, {"b", 41}}, ""), Locked(100), parties, Facts{})
          .status(),
      "PAYOUT_EXCEEDS_LOCK"));
  EXPECT_TRUE(HasReason(ComputePayouts(PiecewiseLinear("v", {{0, 0}, {10, 200}}, 0, 101, "a", "b"),
                                       Locked(100), parties, WithValue("v", 0))
                            .status(),
                        "PAYOUT_EXCEEDS_LOCK"));
}

TEST(ComputePayoutsTest, RefusesOtherCurrenciesUnknownRolesAndMissingRemainders) {
  const RoleParties parties = {{"a", "pa"}, {"b", "pb"}};
  EXPECT_TRUE(HasReason(
      ComputePayouts(FixedTable({{"a", 60}}, "b", "USD"), Locked(100), parties, Facts{}).status(),
      "CURRENCY_MISMATCH"));
  EXPECT_TRUE(HasReason(
      ComputePayouts(FixedTable({{"c", 60}}, "b"), Locked(100), parties, Facts{}).status(),
      "MALFORMED_CONDITION"));
  EXPECT_TRUE(
      HasReason(ComputePayouts(FixedTable({{"a", 60}}, ""), Locked(100), parties, Facts{}).status(),
                "MALFORMED_CONDITION"));
}

TEST(MaxPayoutTest, IsTheLargestYBetweenFloorAndCap) {
  EXPECT_EQ(
      MaxPayoutMinorUnits(PiecewiseLinear("v", {{0, 10}, {5, 70}, {9, 30}}, 0, 100, "a", "b")), 70);
  EXPECT_EQ(MaxPayoutMinorUnits(PiecewiseLinear("v", {{0, 10}, {5, 70}}, 0, 50, "a", "b")), 50);
  EXPECT_EQ(MaxPayoutMinorUnits(PiecewiseLinear("v", {{0, 10}, {5, 70}}, 80, 90, "a", "b")), 80);
  EXPECT_EQ(MaxPayoutMinorUnits(FixedTable({{"a", 10}, {"b", 15}}, "a")), 25);
}

}  // namespace
}  // namespace argentpoche
