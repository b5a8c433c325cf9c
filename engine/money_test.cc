// Tests of Money: creation and range limits, proto conversion, checked arithmetic, ratio
// rounding, weighted splits, and decimal parsing and formatting.
#include "engine/money.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/currency.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

::testing::AssertionResult HasError(const absl::Status& status, absl::StatusCode code,
                                    std::string_view reason) {
  if (status.code() == code && ReasonOf(status) == reason) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "got " << status << " with reason \"" << ReasonOf(status) << "\", wanted " << code
         << " with reason \"" << reason << "\"";
}

Money MakeMoney(std::string_view currency, int64_t minor_units) {
  absl::StatusOr<Money> money = Money::Create(currency, minor_units);
  EXPECT_TRUE(money.ok()) << money.status();
  return *money;
}

v1::Money MakeProto(std::string_view currency, int64_t minor_units) {
  v1::Money proto;
  proto.set_currency(std::string(currency));
  proto.set_minor_units(minor_units);
  return proto;
}

TEST(MoneyCreateTest, KeepsCurrencyAndMinorUnits) {
  const Money money = MakeMoney("EUR", 120050);
  EXPECT_EQ(money.currency(), "EUR");
  EXPECT_EQ(money.minor_units(), 120050);
  EXPECT_EQ(money.exponent(), 2);
}

TEST(MoneyCreateTest, RefusesAnUnknownCurrency) {
  EXPECT_TRUE(HasError(Money::Create("EUX", 1).status(), absl::StatusCode::kInvalidArgument,
                       "UNKNOWN_CURRENCY"));
}

TEST(MoneyCreateTest, AcceptsTheLimitAndRefusesOneMoreInEveryExponent) {
  for (std::string_view code : {"JPY", "EUR", "BHD", "CLF"}) {
    const int64_t limit = MaxMinorUnits(CurrencyExponent(code).value());
    EXPECT_TRUE(Money::Create(code, limit).ok()) << code;
    EXPECT_TRUE(Money::Create(code, -limit).ok()) << code;
    EXPECT_TRUE(HasError(Money::Create(code, limit + 1).status(), absl::StatusCode::kOutOfRange,
                         "AMOUNT_OUT_OF_RANGE"))
        << code;
    EXPECT_TRUE(HasError(Money::Create(code, -limit - 1).status(), absl::StatusCode::kOutOfRange,
                         "AMOUNT_OUT_OF_RANGE"))
        << code;
  }
}

TEST(MoneyCreateTest, OutOfRangeMessageShowsTheLimitInMajorUnits) {
  const absl::Status status = Money::Create("EUR", 100'000'000'000'000'001).status();
  EXPECT_EQ(status.message(),
            "amount 1000000000000000.01 EUR is out of range: amounts in EUR must lie between "
            "-1000000000000000.00 and 1000000000000000.00");
}

TEST(MoneyCreateTest, RefusesInt64Extremes) {
  for (int64_t extreme : {kInt64Max, kInt64Min}) {
    EXPECT_TRUE(HasError(Money::Create("EUR", extreme).status(), absl::StatusCode::kOutOfRange,
                         "AMOUNT_OUT_OF_RANGE"));
  }
  EXPECT_NE(Money::Create("EUR", kInt64Min).status().message().find("-92233720368547758.08"),
            std::string_view::npos);
}

TEST(MoneyProtoTest, RoundTripsThroughTheWireForm) {
  const Money money = MakeMoney("BHD", -1234);
  const v1::Money proto = money.ToProto();
  EXPECT_EQ(proto.currency(), "BHD");
  EXPECT_EQ(proto.minor_units(), -1234);
  EXPECT_EQ(Money::FromProto(proto).value(), money);
}

TEST(MoneyProtoTest, FromProtoValidatesLikeCreate) {
  EXPECT_TRUE(HasError(Money::FromProto(MakeProto("", 5)).status(),
                       absl::StatusCode::kInvalidArgument, "UNKNOWN_CURRENCY"));
  EXPECT_TRUE(HasError(Money::FromProto(MakeProto("JPY", kInt64Max)).status(),
                       absl::StatusCode::kOutOfRange, "AMOUNT_OUT_OF_RANGE"));
}

TEST(MoneyEqualityTest, ComparesCurrencyAndAmount) {
  EXPECT_EQ(MakeMoney("EUR", 5), MakeMoney("EUR", 5));
  EXPECT_NE(MakeMoney("EUR", 5), MakeMoney("USD", 5));
  EXPECT_NE(MakeMoney("EUR", 5), MakeMoney("EUR", 6));
}

TEST(PositiveAmountTest, AcceptsAmountsAboveZero) {
  EXPECT_EQ(PositiveAmount(MakeProto("EUR", 1)).value(), MakeMoney("EUR", 1));
}

TEST(PositiveAmountTest, RefusesZeroAndNegativeAmountsShowingTheAmount) {
  const absl::Status negative = PositiveAmount(MakeProto("EUR", -500)).status();
  EXPECT_TRUE(HasError(negative, absl::StatusCode::kInvalidArgument, "AMOUNT_NOT_POSITIVE"));
  EXPECT_EQ(negative.message(), "amount must be more than zero, got -5.00 EUR");
  EXPECT_TRUE(HasError(PositiveAmount(MakeProto("JPY", 0)).status(),
                       absl::StatusCode::kInvalidArgument, "AMOUNT_NOT_POSITIVE"));
}

TEST(PositiveAmountTest, SaysTheCurrencyIsMissing) {
  const absl::Status status = PositiveAmount(MakeProto("", 500)).status();
  EXPECT_TRUE(HasError(status, absl::StatusCode::kInvalidArgument, "UNKNOWN_CURRENCY"));
  EXPECT_NE(status.message().find("missing"), std::string_view::npos);
}

TEST(PositiveAmountTest, RefusesAmountsBeyondTheLimit) {
  EXPECT_TRUE(HasError(PositiveAmount(MakeProto("EUR", kInt64Max)).status(),
                       absl::StatusCode::kOutOfRange, "AMOUNT_OUT_OF_RANGE"));
}

TEST(MoneyArithmeticTest, AddsAndSubtractsInOneCurrency) {
  EXPECT_EQ(MakeMoney("EUR", 1000).Add(MakeMoney("EUR", 250)).value(), MakeMoney("EUR", 1250));
  EXPECT_EQ(MakeMoney("EUR", 1000).Subtract(MakeMoney("EUR", 1250)).value(),
            MakeMoney("EUR", -250));
}

TEST(MoneyArithmeticTest, RefusesToMixCurrenciesNamingBoth) {
  const absl::Status added = MakeMoney("EUR", 1000).Add(MakeMoney("USD", 500)).status();
  EXPECT_TRUE(HasError(added, absl::StatusCode::kInvalidArgument, "CURRENCY_MISMATCH"));
  EXPECT_EQ(added.message(),
            "cannot add 5.00 USD to 10.00 EUR: the currencies differ (EUR and USD)");
  const absl::Status subtracted = MakeMoney("JPY", 1).Subtract(MakeMoney("EUR", 1)).status();
  EXPECT_TRUE(HasError(subtracted, absl::StatusCode::kInvalidArgument, "CURRENCY_MISMATCH"));
  EXPECT_NE(subtracted.message().find("JPY"), std::string_view::npos);
  EXPECT_NE(subtracted.message().find("EUR"), std::string_view::npos);
}

TEST(MoneyArithmeticTest, RefusesResultsBeyondTheLimit) {
  const int64_t limit = MaxMinorUnits(2);
  const Money top = MakeMoney("EUR", limit);
  const Money bottom = MakeMoney("EUR", -limit);
  const Money cent = MakeMoney("EUR", 1);
  EXPECT_TRUE(
      HasError(top.Add(cent).status(), absl::StatusCode::kOutOfRange, "AMOUNT_OUT_OF_RANGE"));
  EXPECT_TRUE(HasError(bottom.Subtract(cent).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OUT_OF_RANGE"));
  EXPECT_TRUE(HasError(top.Subtract(bottom).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OUT_OF_RANGE"));
  EXPECT_EQ(top.Add(bottom).value(), MakeMoney("EUR", 0));
  EXPECT_EQ(top.Subtract(top).value(), MakeMoney("EUR", 0));
}

TEST(CheckedAddTest, AddsUpToTheInt64EdgesAndRefusesBeyond) {
  EXPECT_EQ(CheckedAdd(kInt64Max, kInt64Min).value(), -1);
  EXPECT_EQ(CheckedAdd(kInt64Max - 1, 1).value(), kInt64Max);
  EXPECT_EQ(CheckedAdd(kInt64Min + 1, -1).value(), kInt64Min);
  EXPECT_TRUE(HasError(CheckedAdd(kInt64Max, 1).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OVERFLOW"));
  EXPECT_TRUE(HasError(CheckedAdd(kInt64Min, -1).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OVERFLOW"));
}

TEST(CheckedSubtractTest, SubtractsUpToTheInt64EdgesAndRefusesBeyond) {
  EXPECT_EQ(CheckedSubtract(-1, kInt64Max).value(), kInt64Min);
  EXPECT_EQ(CheckedSubtract(kInt64Min, kInt64Min).value(), 0);
  EXPECT_TRUE(HasError(CheckedSubtract(kInt64Min, 1).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OVERFLOW"));
  EXPECT_TRUE(HasError(CheckedSubtract(0, kInt64Min).status(), absl::StatusCode::kOutOfRange,
                       "AMOUNT_OVERFLOW"));
}

struct RoundingCase {
  int64_t value;
  int64_t numerator;
  int64_t denominator;
  int64_t down;
  int64_t up;
  int64_t half_even;
  int64_t half_up;
};

TEST(MultiplyDivideTest, RoundsEveryWayForPositiveAndNegativeValuesAndHalves) {
  const RoundingCase cases[] = {
      {5, 1, 2, 2, 3, 2, 3},                     // 2.5
      {7, 1, 2, 3, 4, 4, 4},                     // 3.5
      {-5, 1, 2, -2, -3, -2, -3},                // -2.5
      {-7, 1, 2, -3, -4, -4, -4},                // -3.5
      {5, 1, -2, -2, -3, -2, -3},                // -2.5 through a negative denominator
      {-5, -1, 2, 2, 3, 2, 3},                   // 2.5 through two negative factors
      {27, 1, 10, 2, 3, 3, 3},                   // 2.7
      {21, 1, 10, 2, 3, 2, 2},                   // 2.1
      {-27, 1, 10, -2, -3, -3, -3},              // -2.7
      {-21, 1, 10, -2, -3, -2, -2},              // -2.1
      {1000, 1, 3, 333, 334, 333, 333},          // 333.33...
      {2000, 1, 3, 666, 667, 667, 667},          // 666.66...
      {10000, 15, 100, 1500, 1500, 1500, 1500},  // exact
      {0, 7, 3, 0, 0, 0, 0},
      {1, 1, 3, 0, 1, 0, 0},
      {-1, 1, 3, 0, -1, 0, 0},
      {kInt64Max, kInt64Max, kInt64Max, kInt64Max, kInt64Max, kInt64Max, kInt64Max},
      {kInt64Min, kInt64Min, kInt64Min, kInt64Min, kInt64Min, kInt64Min, kInt64Min},
      {kInt64Min, 1, 1, kInt64Min, kInt64Min, kInt64Min, kInt64Min},
  };
  for (const RoundingCase& item : cases) {
    SCOPED_TRACE(testing::Message()
                 << item.value << " * " << item.numerator << " / " << item.denominator);
    EXPECT_EQ(MultiplyDivide(item.value, item.numerator, item.denominator, Rounding::kDown).value(),
              item.down);
    EXPECT_EQ(MultiplyDivide(item.value, item.numerator, item.denominator, Rounding::kUp).value(),
              item.up);
    EXPECT_EQ(
        MultiplyDivide(item.value, item.numerator, item.denominator, Rounding::kHalfEven).value(),
        item.half_even);
    EXPECT_EQ(
        MultiplyDivide(item.value, item.numerator, item.denominator, Rounding::kHalfUp).value(),
        item.half_up);
  }
}

// The rounded quotient computed another way: from the mathematical floor.
int64_t ReferenceRound(int64_t value, int64_t numerator, int64_t denominator, Rounding rounding) {
  int64_t product = value * numerator;  // Small operands only.
  if (denominator < 0) {
    product = -product;
    denominator = -denominator;
  }
  int64_t floor = product / denominator;
  if (product % denominator != 0 && product < 0) --floor;
  const int64_t twice_fraction = 2 * (product - floor * denominator);  // In [0, 2 * denominator).
  if (twice_fraction == 0) return floor;
  const bool negative = floor < 0;
  switch (rounding) {
    case Rounding::kDown:
      return negative ? floor + 1 : floor;
    case Rounding::kUp:
      return negative ? floor : floor + 1;
    case Rounding::kHalfEven:
      if (twice_fraction != denominator) return twice_fraction > denominator ? floor + 1 : floor;
      return floor % 2 == 0 ? floor : floor + 1;
    case Rounding::kHalfUp:
      if (twice_fraction != denominator) return twice_fraction > denominator ? floor + 1 : floor;
      return negative ? floor : floor + 1;
  }
  return 0;
}

TEST(MultiplyDivideTest, AgreesWithAFloorBasedReferenceOnARandomSweep) {
  std::mt19937_64 generator(20240611);
  std::uniform_int_distribution<int64_t> small(-1000, 1000);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    const int64_t value = small(generator);
    const int64_t numerator = small(generator);
    int64_t denominator = small(generator) % 40;
    if (denominator == 0) denominator = 7;
    for (Rounding rounding :
         {Rounding::kDown, Rounding::kUp, Rounding::kHalfEven, Rounding::kHalfUp}) {
      ASSERT_EQ(MultiplyDivide(value, numerator, denominator, rounding).value(),
                ReferenceRound(value, numerator, denominator, rounding))
          << value << " * " << numerator << " / " << denominator << " mode "
          << static_cast<int>(rounding);
    }
  }
}

TEST(MultiplyDivideTest, RefusesDivisionByZero) {
  EXPECT_TRUE(HasError(MultiplyDivide(10, 1, 0, Rounding::kDown).status(),
                       absl::StatusCode::kInvalidArgument, "DIVISION_BY_ZERO"));
}

TEST(MultiplyDivideTest, RefusesResultsBeyondInt64) {
  EXPECT_TRUE(HasError(MultiplyDivide(kInt64Max, 2, 1, Rounding::kDown).status(),
                       absl::StatusCode::kOutOfRange, "AMOUNT_OVERFLOW"));
  EXPECT_TRUE(HasError(MultiplyDivide(kInt64Min, -1, 1, Rounding::kDown).status(),
                       absl::StatusCode::kOutOfRange, "AMOUNT_OVERFLOW"));
  EXPECT_TRUE(HasError(MultiplyDivide(kInt64Min, 1, -1, Rounding::kHalfEven).status(),
                       absl::StatusCode::kOutOfRange, "AMOUNT_OVERFLOW"));
}

TEST(MultiplyDivideTest, RefusesWhenOnlyTheRoundingStepOverflows) {
  // (2^64 - 1) / 3 * 3 / 2 = kInt64Max + 0.5: truncation fits, rounding away does not.
  const int64_t third = 6148914691236517205;
  EXPECT_EQ(MultiplyDivide(third, 3, 2, Rounding::kDown).value(), kInt64Max);
  for (Rounding rounding : {Rounding::kUp, Rounding::kHalfEven, Rounding::kHalfUp}) {
    EXPECT_TRUE(HasError(MultiplyDivide(third, 3, 2, rounding).status(),
                         absl::StatusCode::kOutOfRange, "AMOUNT_OVERFLOW"));
  }
  EXPECT_EQ(MultiplyDivide(-third, 3, 2, Rounding::kHalfUp).value(), kInt64Min);
}

TEST(SplitByWeightsTest, GivesTheRemainderToTheChosenShare) {
  EXPECT_EQ(SplitByWeights(100, {1, 1, 1}, 0).value(), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(SplitByWeights(100, {1, 1, 1}, 2).value(), (std::vector<int64_t>{33, 33, 34}));
  EXPECT_EQ(SplitByWeights(1000, {70, 30}, 1).value(), (std::vector<int64_t>{700, 300}));
  EXPECT_EQ(SplitByWeights(11, {0, 3, 3}, 0).value(), (std::vector<int64_t>{1, 5, 5}));
  EXPECT_EQ(SplitByWeights(0, {1, 2}, 1).value(), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(SplitByWeights(7, {5}, 0).value(), (std::vector<int64_t>{7}));
}

TEST(SplitByWeightsTest, HandlesInt64SizedTotalsAndWeights) {
  const std::vector<int64_t> shares =
      SplitByWeights(kInt64Max, {kInt64Max, kInt64Max, 1}, 2).value();
  absl::int128 sum = 0;
  for (int64_t share : shares) sum += share;
  EXPECT_EQ(sum, absl::int128(kInt64Max));
}

TEST(SplitByWeightsTest, RefusesBadArguments) {
  const absl::StatusCode invalid = absl::StatusCode::kInvalidArgument;
  EXPECT_TRUE(HasError(SplitByWeights(-1, {1}, 0).status(), invalid, "INVALID_SPLIT"));
  EXPECT_TRUE(HasError(SplitByWeights(10, {}, 0).status(), invalid, "INVALID_SPLIT"));
  EXPECT_TRUE(HasError(SplitByWeights(10, {1, -1, 3}, 0).status(), invalid, "INVALID_SPLIT"));
  EXPECT_TRUE(HasError(SplitByWeights(10, {0, 0}, 0).status(), invalid, "INVALID_SPLIT"));
  EXPECT_TRUE(HasError(SplitByWeights(10, {1, 1}, 2).status(), invalid, "INVALID_SPLIT"));
}

TEST(SplitByWeightsTest, SharesAlwaysAddUpToTheTotalOnARandomSweep) {
  std::mt19937_64 generator(424242);
  std::uniform_int_distribution<int64_t> any_total(0, kInt64Max);
  std::uniform_int_distribution<int64_t> money_total(0, 100'000'000);
  std::uniform_int_distribution<int64_t> big_weight(0, kInt64Max);
  std::uniform_int_distribution<int64_t> small_weight(0, 10);
  std::uniform_int_distribution<size_t> count(1, 16);
  for (int iteration = 0; iteration < 5000; ++iteration) {
    const int64_t total = iteration % 2 == 0 ? money_total(generator) : any_total(generator);
    std::vector<int64_t> weights(count(generator));
    for (int64_t& weight : weights) {
      weight = iteration % 3 == 0 ? big_weight(generator) : small_weight(generator);
    }
    weights[generator() % weights.size()] |= 1;  // At least one positive weight.
    const size_t remainder_index = generator() % weights.size();
    const std::vector<int64_t> shares = SplitByWeights(total, weights, remainder_index).value();
    ASSERT_EQ(shares.size(), weights.size());
    absl::int128 weight_sum = 0;
    for (int64_t weight : weights) weight_sum += weight;
    absl::int128 share_sum = 0;
    for (size_t index = 0; index < shares.size(); ++index) {
      const absl::int128 floor = absl::int128(total) * weights[index] / weight_sum;
      ASSERT_GE(shares[index], 0);
      if (index == remainder_index) {
        ASSERT_GE(shares[index], floor);
        ASSERT_LT(absl::int128(shares[index]) - floor, absl::int128(shares.size()));
      } else {
        ASSERT_EQ(absl::int128(shares[index]), floor);
      }
      share_sum += shares[index];
    }
    ASSERT_EQ(share_sum, absl::int128(total)) << "iteration " << iteration;
  }
}

}  // namespace
}  // namespace argentpoche
