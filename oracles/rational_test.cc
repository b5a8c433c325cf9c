// Exact rationals: reduction, checked arithmetic and the one rounding, half to even.
#include "oracles/rational.h"

#include <limits>

#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::oracles {
namespace {

RoundedValue Rounded(const Rational& value, uint32_t scale) {
  absl::StatusOr<RoundedValue> rounded = RoundHalfEven(value, scale);
  EXPECT_TRUE(rounded.ok()) << rounded.status();
  return rounded.value_or(RoundedValue{});
}

TEST(RationalTest, KeepsFractionsReducedWithAPositiveDenominator) {
  EXPECT_EQ(Rational::Fraction(10, -254).ToString(), "-5/127");
  EXPECT_EQ(Rational::Fraction(0, 7).ToString(), "0");
  EXPECT_EQ(Rational::FromDecimal({250, 2}).ToString(), "5/2");
}

TEST(RationalTest, ConvertsFahrenheitToCelsiusExactly) {
  // (77 - 32) x 5/9 = 45 x 5/9 = 25; (70 - 32) x 5/9 = 190/9.
  const Rational five_ninths = Rational::Fraction(5, 9);
  absl::StatusOr<Rational> above = Subtract(Rational::Integer(77), Rational::Integer(32));
  ASSERT_TRUE(above.ok());
  EXPECT_EQ(Multiply(*above, five_ninths).value(), Rational::Integer(25));
  above = Subtract(Rational::Integer(70), Rational::Integer(32));
  EXPECT_EQ(Multiply(*above, five_ninths).value(), Rational::Fraction(190, 9));
  EXPECT_EQ(Divide(Rational::Integer(3), Rational::Integer(-6)).value(), Rational::Fraction(-1, 2));
}

TEST(RationalTest, RoundsOnceHalfToEven) {
  // 2.345 -> 2.34 (4 is even), 2.355 -> 2.36, 2.3451 -> 2.35 (above the half).
  EXPECT_EQ(Rounded(Rational::Fraction(2345, 1000), 2), (RoundedValue{234, 2, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(2355, 1000), 2), (RoundedValue{236, 2, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(23451, 10000), 2), (RoundedValue{235, 2, true}));
  // Symmetric around zero: -2.5 -> -2, -3.5 -> -4, 0.5 -> 0.
  EXPECT_EQ(Rounded(Rational::Fraction(-5, 2), 0), (RoundedValue{-2, 0, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(-7, 2), 0), (RoundedValue{-4, 0, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(1, 2), 0), (RoundedValue{0, 0, true}));
  // 190/9 = 21.111... -> 21.11; 1/3 -> 0.333; exact values are not "rounded".
  EXPECT_EQ(Rounded(Rational::Fraction(190, 9), 2), (RoundedValue{2111, 2, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(1, 3), 3), (RoundedValue{333, 3, true}));
  EXPECT_EQ(Rounded(Rational::Fraction(5, 2), 1), (RoundedValue{25, 1, false}));
  EXPECT_EQ(Rounded(Rational::Integer(-12), 3), (RoundedValue{-12000, 3, false}));
}

TEST(RationalTest, ReportsOverflowInsteadOfWrapping) {
  const Rational huge = Rational::Integer(std::numeric_limits<int64_t>::max());
  absl::StatusOr<Rational> square = Multiply(huge, huge);
  ASSERT_TRUE(square.ok());  // About 2^126: fits.
  absl::StatusOr<Rational> fourth = Multiply(*square, *square);
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ReasonOf(fourth.status()), "VALUE_OVERFLOW");
  // Twice the square is just below 2^127; three times is not.
  absl::StatusOr<Rational> twice = Add(*square, *square);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(ReasonOf(Add(*twice, *square).status()), "VALUE_OVERFLOW");
  EXPECT_EQ(ReasonOf(Subtract(Rational(), *twice).status()), "");
  EXPECT_EQ(ReasonOf(Subtract(Subtract(Rational(), *twice).value(), *square).status()),
            "VALUE_OVERFLOW");
  // Fits in 128 bits, but not in the 64 bits of an attested value.
  EXPECT_EQ(ReasonOf(RoundHalfEven(huge, 1).status()), "VALUE_OVERFLOW");
  EXPECT_EQ(Rounded(huge, 0).value, std::numeric_limits<int64_t>::max());
}

}  // namespace
}  // namespace argentpoche::oracles
