// Exact money for the engine: a Money value (ISO 4217 currency plus an int64 count of minor
// units), checked integer arithmetic that fails instead of wrapping, multiplication by a
// ratio with an explicit rounding mode, exact splitting of a total by weights, and decimal
// text parsing and formatting. No floating point is used anywhere.
//
// Every Money holds a known currency and an amount within +/- MaxMinorUnits(exponent).
//
// Thread-safety: Money is a value type with only const methods besides assignment: copy it
// freely; concurrent reads of one Money are safe, a Money being assigned to must not be read
// at the same time. The free functions are pure and callable from any thread.
#ifndef ARGENTPOCHE_ENGINE_MONEY_H_
#define ARGENTPOCHE_ENGINE_MONEY_H_

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/money.pb.h"

namespace argentpoche {

// An amount of one currency. Built only through Create, FromProto or ParseMoney, so it always
// holds a known currency and an amount within range.
class Money {
 public:
  // A Money of `minor_units` in `currency` (upper-case ISO 4217 code).
  // Errors: InvalidArgument "UNKNOWN_CURRENCY" (see CurrencyExponent); OutOfRange
  // "AMOUNT_OUT_OF_RANGE" when |minor_units| > MaxMinorUnits(exponent), the message giving
  // the limit in major units ("... must lie between -1000000000000000.00 and
  // 1000000000000000.00").
  [[nodiscard]] static absl::StatusOr<Money> Create(std::string_view currency, int64_t minor_units);
  // Create(proto.currency(), proto.minor_units()), with the same errors.
  [[nodiscard]] static absl::StatusOr<Money> FromProto(const v1::Money& proto);

  [[nodiscard]] v1::Money ToProto() const;
  [[nodiscard]] const std::string& currency() const { return currency_; }
  [[nodiscard]] int64_t minor_units() const { return minor_units_; }
  // The minor-unit exponent of currency().
  [[nodiscard]] int exponent() const { return exponent_; }

  // this + other. Errors: InvalidArgument "CURRENCY_MISMATCH" (message names both
  // currencies) when the currencies differ; OutOfRange "AMOUNT_OUT_OF_RANGE" when the result
  // is beyond MaxMinorUnits.
  [[nodiscard]] absl::StatusOr<Money> Add(const Money& other) const;
  // this - other, with the same errors as Add.
  [[nodiscard]] absl::StatusOr<Money> Subtract(const Money& other) const;

  // The amount and the code: "1200.50 EUR", "-0.05 EUR", "12 JPY".
  [[nodiscard]] std::string ToString() const;

  bool operator==(const Money& other) const = default;

  // Prints ToString() (used by test frameworks).
  friend std::ostream& operator<<(std::ostream& stream, const Money& money) {
    return stream << money.ToString();
  }

 private:
  Money(std::string currency, int64_t minor_units, int exponent);

  std::string currency_;
  int64_t minor_units_;
  int exponent_;
};

// Money::FromProto(proto), and the amount must be more than zero.
// Errors: InvalidArgument "UNKNOWN_CURRENCY" when the currency is missing or unknown;
// OutOfRange "AMOUNT_OUT_OF_RANGE"; InvalidArgument "AMOUNT_NOT_POSITIVE" when the amount is
// zero or negative ("amount must be more than zero, got -5.00 EUR").
[[nodiscard]] absl::StatusOr<Money> PositiveAmount(const v1::Money& proto);

// left + right and left - right on raw int64.
// Errors: OutOfRange "AMOUNT_OVERFLOW" when the exact result does not fit in int64.
[[nodiscard]] absl::StatusOr<int64_t> CheckedAdd(int64_t left, int64_t right);
[[nodiscard]] absl::StatusOr<int64_t> CheckedSubtract(int64_t left, int64_t right);

// How MultiplyDivide turns an exact fraction into an integer. Named as in Java's
// RoundingMode; all of them are symmetric around zero, so a negative result is rounded like
// its positive counterpart with the sign flipped.
enum class Rounding {
  kDown,      // toward zero (truncation): 2.7 -> 2, -2.7 -> -2.
  kUp,        // away from zero: 2.1 -> 3, -2.1 -> -3.
  kHalfEven,  // nearest; ties to the even neighbor: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
  kHalfUp,    // nearest; ties away from zero: 2.5 -> 3, -2.5 -> -3.
};

// value * numerator / denominator, exact in 128-bit arithmetic, rounded by `rounding`.
// Errors: InvalidArgument "DIVISION_BY_ZERO" when denominator == 0; OutOfRange
// "AMOUNT_OVERFLOW" when the rounded result does not fit in int64.
[[nodiscard]] absl::StatusOr<int64_t> MultiplyDivide(int64_t value, int64_t numerator,
                                                     int64_t denominator, Rounding rounding);

// Splits `total` into one share per weight, proportionally: share i is
// floor(total * weights[i] / sum(weights)), and what those floors leave over (fewer units
// than there are weights) is added to the share at `remainder_index`, so the shares add up to
// `total` exactly. The remainder goes to remainder_index even if its weight is zero.
// Errors: InvalidArgument "INVALID_SPLIT" when total < 0, weights is empty, a weight is
// negative, all weights are zero, or remainder_index >= weights.size().
[[nodiscard]] absl::StatusOr<std::vector<int64_t>> SplitByWeights(
    int64_t total, const std::vector<int64_t>& weights, size_t remainder_index);

// Parses a decimal amount in `currency`: an optional '-', one or more digits, then
// optionally '.' and one or more digits ("1200", "1200.5", "-3.25", "0.001" for BHD). No
// spaces, '+', exponents or digit-group separators. Exact integer parsing.
// Errors: InvalidArgument "UNKNOWN_CURRENCY"; InvalidArgument "MALFORMED_AMOUNT" when the
// text does not follow that grammar (including the empty text); InvalidArgument
// "TOO_MANY_DECIMALS" when there are more decimals than the currency's exponent, even zeros
// ("12.5 JPY", "1.000 EUR"); OutOfRange "AMOUNT_OUT_OF_RANGE" beyond MaxMinorUnits.
[[nodiscard]] absl::StatusOr<Money> ParseMoney(std::string_view amount_text,
                                               std::string_view currency);

// Parses "<amount> <CODE>" or "<CODE> <amount>", separated by exactly one space, such as
// "1200.50 EUR" or "EUR 1200.50". Errors as the two-argument ParseMoney, and
// InvalidArgument "MALFORMED_AMOUNT" when the text is not made of those two parts.
[[nodiscard]] absl::StatusOr<Money> ParseMoney(std::string_view text);

// minor_units written in major units with `exponent` decimals: (120050, 2) -> "1200.50",
// (-5, 2) -> "-0.05", (12, 0) -> "12". Exact for every int64.
// Precondition: 0 <= exponent <= 18 (checked; any other exponent aborts).
[[nodiscard]] std::string FormatAmount(int64_t minor_units, int exponent);

// A wire amount for messages and logs; never fails. "1200.50 EUR" for a known currency
// (even beyond the range limit), otherwise "<n> minor units of <code>", for example
// "5 minor units of \"EUX\"" or "5 minor units of no currency".
[[nodiscard]] std::string FormatMoney(const v1::Money& proto);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_MONEY_H_
