// Tests of the ISO 4217 table: exponents, unknown codes and the range limit per exponent.
#include "engine/currency.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

void ExpectUnknownCurrency(std::string_view code) {
  const absl::StatusOr<int> exponent = CurrencyExponent(code);
  ASSERT_FALSE(exponent.ok()) << QuoteForMessage(code);
  EXPECT_EQ(exponent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(exponent.status()), "UNKNOWN_CURRENCY");
  EXPECT_FALSE(IsKnownCurrency(code));
}

TEST(CurrencyExponentTest, GivesTheIso4217MinorUnitOfCommonCurrencies) {
  EXPECT_EQ(CurrencyExponent("EUR").value(), 2);
  EXPECT_EQ(CurrencyExponent("USD").value(), 2);
  EXPECT_EQ(CurrencyExponent("GBP").value(), 2);
  EXPECT_EQ(CurrencyExponent("JPY").value(), 0);
  EXPECT_EQ(CurrencyExponent("KRW").value(), 0);
  EXPECT_EQ(CurrencyExponent("XOF").value(), 0);
  EXPECT_EQ(CurrencyExponent("BHD").value(), 3);
  EXPECT_EQ(CurrencyExponent("KWD").value(), 3);
  EXPECT_EQ(CurrencyExponent("TND").value(), 3);
  EXPECT_EQ(CurrencyExponent("CLF").value(), 4);
  EXPECT_EQ(CurrencyExponent("UYW").value(), 4);
}

TEST(CurrencyExponentTest, KnowsTheNewestCodes) {
  EXPECT_EQ(CurrencyExponent("ZWG").value(), 2);
  EXPECT_EQ(CurrencyExponent("XCG").value(), 2);
  EXPECT_EQ(CurrencyExponent("SLE").value(), 2);
  EXPECT_EQ(CurrencyExponent("VED").value(), 2);
}

TEST(CurrencyExponentTest, RefusesAnUnknownCodeWithAHelpfulMessage) {
  const absl::StatusOr<int> exponent = CurrencyExponent("EUX");
  ASSERT_FALSE(exponent.ok());
  EXPECT_EQ(exponent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(exponent.status()), "UNKNOWN_CURRENCY");
  EXPECT_EQ(exponent.status().message(),
            "unknown currency \"EUX\": use an ISO 4217 code such as EUR");
}

TEST(CurrencyExponentTest, SaysTheCurrencyIsMissingWhenTheCodeIsEmpty) {
  const absl::StatusOr<int> exponent = CurrencyExponent("");
  ASSERT_FALSE(exponent.ok());
  EXPECT_EQ(ReasonOf(exponent.status()), "UNKNOWN_CURRENCY");
  EXPECT_NE(exponent.status().message().find("missing"), std::string_view::npos);
}

TEST(CurrencyExponentTest, RefusesLowerCaseButNamesTheUpperCaseCode) {
  const absl::StatusOr<int> exponent = CurrencyExponent("eur");
  ASSERT_FALSE(exponent.ok());
  EXPECT_EQ(ReasonOf(exponent.status()), "UNKNOWN_CURRENCY");
  EXPECT_NE(exponent.status().message().find("upper case, write EUR"), std::string_view::npos);
  ExpectUnknownCurrency("Eur");
}

TEST(CurrencyExponentTest, CodesWithoutAMinorUnitAreUnknown) {
  for (std::string_view code : {"XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XBA", "XBB",
                                "XBC", "XBD", "XTS", "XXX"}) {
    ExpectUnknownCurrency(code);
  }
}

TEST(CurrencyExponentTest, WithdrawnCodesAreUnknown) {
  for (std::string_view code : {"HRK", "ZWL", "ANG", "CUC", "SLL", "BGN", "DEM", "FRF", "VEF"}) {
    ExpectUnknownCurrency(code);
  }
}

TEST(CurrencyExponentTest, MalformedCodesAreUnknown) {
  ExpectUnknownCurrency("EU");
  ExpectUnknownCurrency("EURO");
  ExpectUnknownCurrency(" EUR");
  ExpectUnknownCurrency("EUR ");
  ExpectUnknownCurrency(std::string_view("EUR\0", 4));
  ExpectUnknownCurrency("978");
}

TEST(CurrencyExponentTest, QuotesHostileCodesSafelyInTheMessage) {
  const std::string long_code(1000, 'Q');
  const absl::StatusOr<int> exponent = CurrencyExponent(long_code);
  ASSERT_FALSE(exponent.ok());
  EXPECT_LT(exponent.status().message().size(), 120u);
  EXPECT_EQ(QuoteForMessage("a\"b\\c\n\x01\xff"), "\"a\\\"b\\\\c\\x0a\\x01\\xff\"");
  EXPECT_EQ(QuoteForMessage(long_code), "\"" + std::string(40, 'Q') + "...\"");
}

TEST(KnownCurrencyCodesTest, ListsEveryActiveCodeOnceInOrder) {
  const std::vector<std::string_view> codes = KnownCurrencyCodes();
  EXPECT_GE(codes.size(), 150u);
  EXPECT_LE(codes.size(), 180u);
  for (size_t index = 0; index < codes.size(); ++index) {
    const std::string_view code = codes[index];
    ASSERT_EQ(code.size(), 3u) << code;
    for (char character : code) EXPECT_TRUE(character >= 'A' && character <= 'Z') << code;
    if (index > 0) {
      EXPECT_LT(codes[index - 1], code);
    }
    EXPECT_TRUE(IsKnownCurrency(code)) << code;
    const absl::StatusOr<int> exponent = CurrencyExponent(code);
    ASSERT_TRUE(exponent.ok()) << code;
    EXPECT_GE(*exponent, 0) << code;
    EXPECT_LE(*exponent, kMaxCurrencyExponent) << code;
  }
}

TEST(MaxMinorUnitsTest, IsAThousandTrillionMajorUnitsCappedAtTheEngineLimit) {
  EXPECT_EQ(MaxMinorUnits(0), int64_t{1'000'000'000'000'000});
  EXPECT_EQ(MaxMinorUnits(1), int64_t{10'000'000'000'000'000});
  EXPECT_EQ(MaxMinorUnits(2), int64_t{100'000'000'000'000'000});
  EXPECT_EQ(MaxMinorUnits(3), limits::kMaxAmountMinorUnits);
  EXPECT_EQ(MaxMinorUnits(4), limits::kMaxAmountMinorUnits);
  EXPECT_EQ(MaxMinorUnits(18), limits::kMaxAmountMinorUnits);
  EXPECT_EQ(MaxMinorUnits(1000), limits::kMaxAmountMinorUnits);
}

TEST(MaxMinorUnitsTest, LeavesRoomToAddTwoAmountsWithoutOverflow) {
  for (int exponent = 0; exponent <= kMaxCurrencyExponent; ++exponent) {
    EXPECT_LE(MaxMinorUnits(exponent), INT64_MAX / 2) << exponent;
  }
}

TEST(MaxMinorUnitsDeathTest, AbortsOnANegativeExponent) {
  EXPECT_DEATH((void)MaxMinorUnits(-1), "check failed");
}

}  // namespace
}  // namespace argentpoche
