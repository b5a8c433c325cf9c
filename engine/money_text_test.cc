// Tests of Money as decimal text: ParseMoney, FormatAmount, Money::ToString and FormatMoney.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/currency.h"
#include "engine/money.h"
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

int64_t ParsedMinorUnits(std::string_view amount_text, std::string_view currency) {
  absl::StatusOr<Money> money = ParseMoney(amount_text, currency);
  EXPECT_TRUE(money.ok()) << amount_text << " " << currency << ": " << money.status();
  return money.ok() ? money->minor_units() : 0;
}

v1::Money MakeProto(std::string_view currency, int64_t minor_units) {
  v1::Money proto;
  proto.set_currency(std::string(currency));
  proto.set_minor_units(minor_units);
  return proto;
}

TEST(ParseMoneyTest, ReadsWholeAndDecimalAmounts) {
  EXPECT_EQ(ParsedMinorUnits("1200", "EUR"), 120000);
  EXPECT_EQ(ParsedMinorUnits("1200.5", "EUR"), 120050);
  EXPECT_EQ(ParsedMinorUnits("1200.50", "EUR"), 120050);
  EXPECT_EQ(ParsedMinorUnits("-3.25", "EUR"), -325);
  EXPECT_EQ(ParsedMinorUnits("0.05", "EUR"), 5);
  EXPECT_EQ(ParsedMinorUnits("0.001", "BHD"), 1);
  EXPECT_EQ(ParsedMinorUnits("12.5", "BHD"), 12500);
  EXPECT_EQ(ParsedMinorUnits("1.0001", "CLF"), 10001);
  EXPECT_EQ(ParsedMinorUnits("12", "JPY"), 12);
  EXPECT_EQ(ParsedMinorUnits("007.50", "EUR"), 750);
  EXPECT_EQ(ParsedMinorUnits("-0", "EUR"), 0);
  EXPECT_EQ(ParsedMinorUnits("0000000000000000000000000000001.00", "EUR"), 100);
}

TEST(ParseMoneyTest, RefusesMoreDecimalsThanTheCurrencyHas) {
  const absl::Status yen = ParseMoney("12.5", "JPY").status();
  EXPECT_TRUE(HasError(yen, absl::StatusCode::kInvalidArgument, "TOO_MANY_DECIMALS"));
  EXPECT_EQ(yen.message(), "JPY has no minor unit; 12.5 JPY cannot be paid");
  const absl::Status euro = ParseMoney("12.345", "EUR").status();
  EXPECT_TRUE(HasError(euro, absl::StatusCode::kInvalidArgument, "TOO_MANY_DECIMALS"));
  EXPECT_EQ(euro.message(), "EUR has 2 decimal places; 12.345 EUR cannot be paid");
  for (const auto& [text, code] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"12.0", "JPY"}, {"1.000", "EUR"}, {"0.0001", "BHD"}, {"1.00001", "CLF"}}) {
    EXPECT_TRUE(HasError(ParseMoney(text, code).status(), absl::StatusCode::kInvalidArgument,
                         "TOO_MANY_DECIMALS"))
        << text << " " << code;
  }
}

TEST(ParseMoneyTest, RefusesMalformedText) {
  for (std::string_view text :
       {"",     ".",   "1.2.3", "1e5",   "--1",   " 12",  "12 ", "+12", "1.",
        ".5",   "-",   "-.5",   "1,000", "1_000", "0x10", "12a", "EUR", "\xd9\xa1\xd9\xa2",
        "1.-5", "1..2"}) {
    EXPECT_TRUE(HasError(ParseMoney(text, "EUR").status(), absl::StatusCode::kInvalidArgument,
                         "MALFORMED_AMOUNT"))
        << QuoteForMessage(text);
  }
  EXPECT_TRUE(HasError(ParseMoney(std::string_view("12\0", 3), "EUR").status(),
                       absl::StatusCode::kInvalidArgument, "MALFORMED_AMOUNT"));
  EXPECT_EQ(ParseMoney("1e5", "EUR").status().message(),
            "malformed amount \"1e5\": write digits with an optional leading minus sign and an "
            "optional decimal point followed by digits, such as 1200.50 or -3.25");
}

TEST(ParseMoneyTest, ChecksTheCurrencyFirst) {
  EXPECT_TRUE(HasError(ParseMoney("12", "EUX").status(), absl::StatusCode::kInvalidArgument,
                       "UNKNOWN_CURRENCY"));
  EXPECT_TRUE(HasError(ParseMoney("12", "").status(), absl::StatusCode::kInvalidArgument,
                       "UNKNOWN_CURRENCY"));
}

TEST(ParseMoneyTest, AcceptsTheLimitAndRefusesOneMinorUnitMore) {
  EXPECT_EQ(ParsedMinorUnits("1000000000000000", "JPY"), 1'000'000'000'000'000);
  EXPECT_EQ(ParsedMinorUnits("-1000000000000000.00", "EUR"), -100'000'000'000'000'000);
  EXPECT_EQ(ParsedMinorUnits("1000000000000000.000", "BHD"), 1'000'000'000'000'000'000);
  EXPECT_EQ(ParsedMinorUnits("100000000000000.0000", "CLF"), 1'000'000'000'000'000'000);
  for (const auto& [text, code] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"1000000000000001", "JPY"},
           {"1000000000000000.01", "EUR"},
           {"-1000000000000000.01", "EUR"},
           {"1000000000000000.001", "BHD"},
           {"100000000000000.0001", "CLF"},
           {"9223372036854775807", "JPY"},
           {"-9223372036854775808", "JPY"},
           {"99999999999999999999999999999999999999999999999999", "EUR"}}) {
    EXPECT_TRUE(HasError(ParseMoney(text, code).status(), absl::StatusCode::kOutOfRange,
                         "AMOUNT_OUT_OF_RANGE"))
        << text << " " << code;
  }
  EXPECT_EQ(ParseMoney("1000000000000000.01", "EUR").status().message(),
            "amount 1000000000000000.01 EUR is out of range: amounts in EUR must lie between "
            "-1000000000000000.00 and 1000000000000000.00");
}

TEST(ParseMoneyTest, ReadsTheAmountAndTheCodeInEitherOrder) {
  EXPECT_EQ(ParseMoney("1200.50 EUR").value(), Money::Create("EUR", 120050).value());
  EXPECT_EQ(ParseMoney("EUR 1200.50").value(), Money::Create("EUR", 120050).value());
  EXPECT_EQ(ParseMoney("-3.25 USD").value(), Money::Create("USD", -325).value());
  EXPECT_EQ(ParseMoney("JPY -12").value(), Money::Create("JPY", -12).value());
}

TEST(ParseMoneyTest, RefusesCombinedTextNotMadeOfAmountSpaceCode) {
  for (std::string_view text : {"1200.50EUR", "1200.50  EUR", "1200.50", "EUR", "", " EUR 12",
                                "12 EUR ", "12\tEUR", "EUR 12 EUR"}) {
    EXPECT_TRUE(
        HasError(ParseMoney(text).status(), absl::StatusCode::kInvalidArgument, "MALFORMED_AMOUNT"))
        << QuoteForMessage(text);
  }
  EXPECT_TRUE(HasError(ParseMoney("EUR 12.5.0").status(), absl::StatusCode::kInvalidArgument,
                       "MALFORMED_AMOUNT"));
  EXPECT_TRUE(HasError(ParseMoney("12 EUX").status(), absl::StatusCode::kInvalidArgument,
                       "UNKNOWN_CURRENCY"));
  EXPECT_TRUE(HasError(ParseMoney("eur 12").status(), absl::StatusCode::kInvalidArgument,
                       "UNKNOWN_CURRENCY"));
  EXPECT_TRUE(HasError(ParseMoney("12.5 JPY").status(), absl::StatusCode::kInvalidArgument,
                       "TOO_MANY_DECIMALS"));
}

TEST(FormatAmountTest, WritesMajorUnitsWithTheExponentsDecimals) {
  EXPECT_EQ(FormatAmount(120050, 2), "1200.50");
  EXPECT_EQ(FormatAmount(-5, 2), "-0.05");
  EXPECT_EQ(FormatAmount(0, 2), "0.00");
  EXPECT_EQ(FormatAmount(12, 0), "12");
  EXPECT_EQ(FormatAmount(-12, 0), "-12");
  EXPECT_EQ(FormatAmount(1, 3), "0.001");
  EXPECT_EQ(FormatAmount(-10001, 4), "-1.0001");
  EXPECT_EQ(FormatAmount(0, 4), "0.0000");
}

TEST(FormatAmountTest, IsExactAtTheInt64Extremes) {
  EXPECT_EQ(FormatAmount(kInt64Max, 0), "9223372036854775807");
  EXPECT_EQ(FormatAmount(kInt64Min, 0), "-9223372036854775808");
  EXPECT_EQ(FormatAmount(kInt64Min, 2), "-92233720368547758.08");
  EXPECT_EQ(FormatAmount(kInt64Max, 18), "9.223372036854775807");
  EXPECT_EQ(FormatAmount(1, 18), "0.000000000000000001");
}

TEST(FormatAmountDeathTest, AbortsOnAnExponentOutsideZeroToEighteen) {
  EXPECT_DEATH((void)FormatAmount(1, -1), "check failed");
  EXPECT_DEATH((void)FormatAmount(1, 19), "check failed");
}

TEST(MoneyToStringTest, WritesTheAmountThenTheCode) {
  EXPECT_EQ(Money::Create("EUR", 120050).value().ToString(), "1200.50 EUR");
  EXPECT_EQ(Money::Create("EUR", -5).value().ToString(), "-0.05 EUR");
  EXPECT_EQ(Money::Create("JPY", 12).value().ToString(), "12 JPY");
  EXPECT_EQ(Money::Create("BHD", 1).value().ToString(), "0.001 BHD");
}

TEST(MoneyTextTest, FormatThenParseRoundTripsInEveryKnownCurrency) {
  for (std::string_view code : KnownCurrencyCodes()) {
    const int exponent = CurrencyExponent(code).value();
    const int64_t limit = MaxMinorUnits(exponent);
    for (int64_t minor_units :
         {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{5}, int64_t{10}, int64_t{99}, int64_t{100},
          int64_t{-1001}, int64_t{123456789}, limit - 1, limit, -limit}) {
      const Money money = Money::Create(code, minor_units).value();
      const std::string amount_text = FormatAmount(minor_units, exponent);
      EXPECT_EQ(ParseMoney(amount_text, code).value(), money) << amount_text << " " << code;
      EXPECT_EQ(ParseMoney(money.ToString()).value(), money) << money;
      EXPECT_EQ(ParseMoney(std::string(code) + " " + amount_text).value(), money) << money;
      EXPECT_EQ(FormatMoney(money.ToProto()), money.ToString());
    }
  }
}

TEST(FormatMoneyTest, NeverFailsEvenForUnknownCurrenciesOrOutOfRangeAmounts) {
  EXPECT_EQ(FormatMoney(MakeProto("EUR", 120050)), "1200.50 EUR");
  EXPECT_EQ(FormatMoney(MakeProto("EUR", kInt64Max)), "92233720368547758.07 EUR");
  EXPECT_EQ(FormatMoney(MakeProto("EUX", 5)), "5 minor units of EUX");
  EXPECT_EQ(FormatMoney(MakeProto("", -5)), "-5 minor units of no currency");
  EXPECT_EQ(FormatMoney(MakeProto("E\"U\nX", 5)), "5 minor units of \"E\\\"U\\x0aX\"");
}

}  // namespace
}  // namespace argentpoche
