// Exact decimals: what ParseDecimal accepts, what it refuses and why, formatting and
// comparing.
#include "oracles/decimal.h"

#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::oracles {
namespace {

Decimal Parsed(std::string_view text) {
  absl::StatusOr<Decimal> value = ParseDecimal(text);
  EXPECT_TRUE(value.ok()) << text << ": " << value.status();
  return value.value_or(Decimal{});
}

TEST(DecimalTest, ParsesIntegersAndFractionsExactly) {
  EXPECT_EQ(Parsed("0.96"), (Decimal{96, 2}));
  EXPECT_EQ(Parsed("72"), (Decimal{72, 0}));
  EXPECT_EQ(Parsed("-3"), (Decimal{-3, 0}));
  EXPECT_EQ(Parsed("0.0"), (Decimal{0, 1}));
  EXPECT_EQ(Parsed("0.50"), (Decimal{50, 2}));
  EXPECT_EQ(Parsed("-12.345"), (Decimal{-12345, 3}));
  EXPECT_EQ(Parsed("0.000000000000000001"), (Decimal{1, 18}));
  EXPECT_EQ(Parsed("9223372036854775807"), (Decimal{INT64_MAX, 0}));
  EXPECT_EQ(Parsed("-9223372036854775808"), (Decimal{INT64_MIN, 0}));
}

TEST(DecimalTest, RefusesGarbageAsMalformedNumber) {
  for (std::string_view text : {"", "-", ".5", "5.", "1.2.3", "+1", " 1", "1 ", "1e3", "abc", "T",
                                "0x10", "1,5", "--1", "NaN"}) {
    const absl::StatusOr<Decimal> value = ParseDecimal(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(ReasonOf(value.status()), "MALFORMED_NUMBER") << text;
    EXPECT_NE(value.status().message().find("is not a decimal number"), absl::string_view::npos);
  }
}

TEST(DecimalTest, RefusesTooManyPlacesAndTooLargeValues) {
  for (std::string_view text : {"0.0000000000000000001", "9223372036854775808",
                                "-9223372036854775809", "123456789012345678901234567890"}) {
    const absl::StatusOr<Decimal> value = ParseDecimal(text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(ReasonOf(value.status()), "NUMBER_OUT_OF_RANGE") << text;
  }
}

TEST(DecimalTest, FormatsWithTheScaleGiven) {
  EXPECT_EQ(FormatDecimal(12345, 3), "12.345");
  EXPECT_EQ(FormatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatDecimal(7, 0), "7");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(INT64_MIN, 0), "-9223372036854775808");
}

TEST(DecimalTest, ComparesAcrossScales) {
  EXPECT_EQ(CompareDecimals({15, 1}, {150, 2}), 0);
  EXPECT_EQ(CompareDecimals({-1, 0}, {0, 3}), -1);
  EXPECT_EQ(CompareDecimals({91, 0}, {9099, 2}), 1);
  EXPECT_EQ(CompareDecimals({INT64_MAX, 0}, {INT64_MAX, 18}), 1);
}

}  // namespace
}  // namespace argentpoche::oracles
