#include "engine/money.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/check.h"
#include "engine/currency.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

constexpr int kMaxFormatExponent = 18;
// More significant integer digits than this cannot be within any range limit (10^18).
constexpr size_t kMaxSignificantDigits = 19;
constexpr size_t kMaxShownDigits = 40;

// The range error for an amount shown as `shown_amount` in `currency`.
absl::Status AmountOutOfRange(std::string_view shown_amount, std::string_view currency,
                              int exponent) {
  const std::string limit = FormatAmount(MaxMinorUnits(exponent), exponent);
  const std::string code(currency);
  return OutOfRange(
      "AMOUNT_OUT_OF_RANGE",
      absl::StrCat("amount ", std::string(shown_amount), " ", code, " is out of range: amounts in ",
                   code, " must lie between -", limit, " and ", limit));
}

// Decimal digits cut to a readable length for messages.
std::string ShortenDigits(std::string_view digits) {
  if (digits.size() <= kMaxShownDigits) return std::string(digits);
  return absl::StrCat(std::string(digits.substr(0, kMaxShownDigits)), "...");
}

absl::int128 PowerOfTen(int exponent) {
  absl::int128 power = 1;
  for (int step = 0; step < exponent; ++step) power *= 10;
  return power;
}

bool IsDigit(char character) { return character >= '0' && character <= '9'; }

bool IsAllDigits(std::string_view text) {
  for (char character : text) {
    if (!IsDigit(character)) return false;
  }
  return true;
}

// The pieces of "-123.45": negative, "123", "45". Empty optional when `text` does not follow
// the grammar documented at ParseMoney.
struct DecimalParts {
  bool negative = false;
  std::string_view integer_digits;
  std::string_view fraction_digits;
};

std::optional<DecimalParts> SplitDecimal(std::string_view text) {
  DecimalParts parts;
  if (!text.empty() && text.front() == '-') {
    parts.negative = true;
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  parts.integer_digits = text.substr(0, point);
  if (point != std::string_view::npos) {
    parts.fraction_digits = text.substr(point + 1);
    if (parts.fraction_digits.empty()) return std::nullopt;
  }
  if (parts.integer_digits.empty() || !IsAllDigits(parts.integer_digits) ||
      !IsAllDigits(parts.fraction_digits)) {
    return std::nullopt;
  }
  return parts;
}

// Digits (at most kMaxSignificantDigits after leading zeros) as a number.
absl::int128 DigitsValue(std::string_view digits) {
  absl::int128 value = 0;
  for (char digit : digits) value = value * 10 + (digit - '0');
  return value;
}

std::string_view WithoutLeadingZeros(std::string_view digits) {
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  return digits;
}

bool IsPlainCode(std::string_view code) {
  if (code.empty() || code.size() > kMaxShownDigits) return false;
  for (char character : code) {
    const bool alphanumeric = IsDigit(character) || (character >= 'A' && character <= 'Z') ||
                              (character >= 'a' && character <= 'z');
    if (!alphanumeric) return false;
  }
  return true;
}

}  // namespace

Money::Money(std::string currency, int64_t minor_units, int exponent)
    : currency_(std::move(currency)), minor_units_(minor_units), exponent_(exponent) {}

absl::StatusOr<Money> Money::Create(std::string_view currency, int64_t minor_units) {
  POCHE_ASSIGN_OR_RETURN(const int exponent, CurrencyExponent(currency));
  const int64_t maximum = MaxMinorUnits(exponent);
  if (minor_units > maximum || minor_units < -maximum) {
    return AmountOutOfRange(FormatAmount(minor_units, exponent), currency, exponent);
  }
  return Money(std::string(currency), minor_units, exponent);
}

absl::StatusOr<Money> Money::FromProto(const v1::Money& proto) {
  return Create(proto.currency(), proto.minor_units());
}

v1::Money Money::ToProto() const {
  v1::Money proto;
  proto.set_currency(currency_);
  proto.set_minor_units(minor_units_);
  return proto;
}

absl::StatusOr<Money> Money::Add(const Money& other) const {
  if (other.currency_ != currency_) {
    return InvalidArgument(
        "CURRENCY_MISMATCH",
        absl::StrCat("cannot add ", other.ToString(), " to ", ToString(),
                     ": the currencies differ (", currency_, " and ", other.currency_, ")"));
  }
  absl::StatusOr<int64_t> sum = CheckedAdd(minor_units_, other.minor_units_);
  if (!sum.ok()) {
    return OutOfRange("AMOUNT_OUT_OF_RANGE",
                      absl::StrCat("adding ", other.ToString(), " to ", ToString(), " overflows"));
  }
  return Create(currency_, *sum);
}

absl::StatusOr<Money> Money::Subtract(const Money& other) const {
  if (other.currency_ != currency_) {
    return InvalidArgument(
        "CURRENCY_MISMATCH",
        absl::StrCat("cannot subtract ", other.ToString(), " from ", ToString(),
                     ": the currencies differ (", currency_, " and ", other.currency_, ")"));
  }
  absl::StatusOr<int64_t> difference = CheckedSubtract(minor_units_, other.minor_units_);
  if (!difference.ok()) {
    return OutOfRange("AMOUNT_OUT_OF_RANGE", absl::StrCat("subtracting ", other.ToString(),
                                                          " from ", ToString(), " overflows"));
  }
  return Create(currency_, *difference);
}

std::string Money::ToString() const {
  return absl::StrCat(FormatAmount(minor_units_, exponent_), " ", currency_);
}

absl::StatusOr<Money> PositiveAmount(const v1::Money& proto) {
  POCHE_ASSIGN_OR_RETURN(Money money, Money::FromProto(proto));
  if (money.minor_units() <= 0) {
    return InvalidArgument("AMOUNT_NOT_POSITIVE",
                           absl::StrCat("amount must be more than zero, got ", money.ToString()));
  }
  return money;
}

absl::StatusOr<int64_t> CheckedAdd(int64_t left, int64_t right) {
  int64_t sum = 0;
  if (__builtin_add_overflow(left, right, &sum)) {
    return OutOfRange("AMOUNT_OVERFLOW",
                      absl::StrCat(left, " + ", right, " does not fit in a 64-bit integer"));
  }
  return sum;
}

absl::StatusOr<int64_t> CheckedSubtract(int64_t left, int64_t right) {
  int64_t difference = 0;
  if (__builtin_sub_overflow(left, right, &difference)) {
    return OutOfRange("AMOUNT_OVERFLOW",
                      absl::StrCat(left, " - ", right, " does not fit in a 64-bit integer"));
  }
  return difference;
}

absl::StatusOr<int64_t> MultiplyDivide(int64_t value, int64_t numerator, int64_t denominator,
                                       Rounding rounding) {
  if (denominator == 0) {
    return InvalidArgument(
        "DIVISION_BY_ZERO",
        absl::StrCat("cannot compute ", value, " * ", numerator, " / 0: the denominator is zero"));
  }
  // |value * numerator| <= 2^126, so neither the product nor the division can overflow.
  const absl::int128 product = absl::int128(value) * absl::int128(numerator);
  const absl::int128 divisor(denominator);
  absl::int128 quotient = product / divisor;  // Truncated toward zero.
  const absl::int128 remainder = product % divisor;
  if (remainder != 0) {
    const absl::int128 step = ((product < 0) != (divisor < 0)) ? -1 : 1;
    const absl::int128 twice_remainder = remainder < 0 ? -2 * remainder : 2 * remainder;
    const absl::int128 divisor_magnitude = divisor < 0 ? -divisor : divisor;
    bool away_from_zero = false;
    switch (rounding) {
      case Rounding::kDown:
        break;
      case Rounding::kUp:
        away_from_zero = true;
        break;
      case Rounding::kHalfEven:
        away_from_zero = twice_remainder > divisor_magnitude ||
                         (twice_remainder == divisor_magnitude && quotient % 2 != 0);
        break;
      case Rounding::kHalfUp:
        away_from_zero = twice_remainder >= divisor_magnitude;
        break;
    }
    if (away_from_zero) quotient += step;
  }
  if (quotient > std::numeric_limits<int64_t>::max() ||
      quotient < std::numeric_limits<int64_t>::min()) {
    return OutOfRange("AMOUNT_OVERFLOW", absl::StrCat(value, " * ", numerator, " / ", denominator,
                                                      " does not fit in a 64-bit integer"));
  }
  return static_cast<int64_t>(quotient);
}

absl::StatusOr<std::vector<int64_t>> SplitByWeights(int64_t total,
                                                    const std::vector<int64_t>& weights,
                                                    size_t remainder_index) {
  if (total < 0) {
    return InvalidArgument("INVALID_SPLIT",
                           absl::StrCat("cannot split a negative total (", total, ")"));
  }
  if (weights.empty()) {
    return InvalidArgument("INVALID_SPLIT", "cannot split without weights: give at least one");
  }
  if (remainder_index >= weights.size()) {
    return InvalidArgument("INVALID_SPLIT",
                           absl::StrCat("the remainder goes to share ", remainder_index,
                                        " but there are only ", weights.size(), " weights"));
  }
  absl::int128 weight_sum = 0;
  for (size_t index = 0; index < weights.size(); ++index) {
    if (weights[index] < 0) {
      return InvalidArgument("INVALID_SPLIT", absl::StrCat("weight ", index, " is ", weights[index],
                                                           ": weights must be zero or more"));
    }
    weight_sum += weights[index];
  }
  if (weight_sum == 0) {
    return InvalidArgument("INVALID_SPLIT", "all weights are zero: at least one must be positive");
  }
  std::vector<int64_t> shares;
  shares.reserve(weights.size());
  absl::int128 allocated = 0;
  for (int64_t weight : weights) {
    // Each share is at most `total`, so it fits in int64.
    const absl::int128 share = absl::int128(total) * weight / weight_sum;
    shares.push_back(static_cast<int64_t>(share));
    allocated += share;
  }
  shares[remainder_index] += static_cast<int64_t>(absl::int128(total) - allocated);
  return shares;
}

absl::StatusOr<Money> ParseMoney(std::string_view amount_text, std::string_view currency) {
  POCHE_ASSIGN_OR_RETURN(const int exponent, CurrencyExponent(currency));
  const std::string code(currency);
  if (amount_text.empty()) {
    return InvalidArgument("MALFORMED_AMOUNT", "the amount is empty: write digits such as 1200.50");
  }
  const std::optional<DecimalParts> parts = SplitDecimal(amount_text);
  if (!parts.has_value()) {
    return InvalidArgument(
        "MALFORMED_AMOUNT",
        absl::StrCat("malformed amount ", QuoteForMessage(amount_text),
                     ": write digits with an optional leading minus sign and an optional "
                     "decimal point followed by digits, such as 1200.50 or -3.25"));
  }
  if (parts->fraction_digits.size() > static_cast<size_t>(exponent)) {
    const std::string shown = absl::StrCat(ShortenDigits(amount_text), " ", code);
    if (exponent == 0) {
      return InvalidArgument("TOO_MANY_DECIMALS",
                             absl::StrCat(code, " has no minor unit; ", shown, " cannot be paid"));
    }
    return InvalidArgument("TOO_MANY_DECIMALS",
                           absl::StrCat(code, " has ", exponent,
                                        exponent == 1 ? " decimal place; " : " decimal places; ",
                                        shown, " cannot be paid"));
  }
  const std::string_view significant = WithoutLeadingZeros(parts->integer_digits);
  if (significant.size() > kMaxSignificantDigits) {
    return AmountOutOfRange(ShortenDigits(amount_text), code, exponent);
  }
  const int missing_decimals = exponent - static_cast<int>(parts->fraction_digits.size());
  absl::int128 magnitude = DigitsValue(significant) * PowerOfTen(exponent) +
                           DigitsValue(parts->fraction_digits) * PowerOfTen(missing_decimals);
  if (magnitude > MaxMinorUnits(exponent)) {
    return AmountOutOfRange(ShortenDigits(amount_text), code, exponent);
  }
  const int64_t minor_units = static_cast<int64_t>(magnitude);
  return Money::Create(code, parts->negative ? -minor_units : minor_units);
}

absl::StatusOr<Money> ParseMoney(std::string_view text) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
    return InvalidArgument(
        "MALFORMED_AMOUNT",
        absl::StrCat("malformed money ", QuoteForMessage(text),
                     ": write an amount and a currency code separated by one space, such as "
                     "\"1200.50 EUR\" or \"EUR 1200.50\""));
  }
  const std::string_view first = text.substr(0, space);
  const std::string_view second = text.substr(space + 1);
  const bool currency_first = !first.empty() && ((first.front() >= 'A' && first.front() <= 'Z') ||
                                                 (first.front() >= 'a' && first.front() <= 'z'));
  return currency_first ? ParseMoney(second, first) : ParseMoney(first, second);
}

std::string FormatAmount(int64_t minor_units, int exponent) {
  POCHE_CHECK(exponent >= 0 && exponent <= kMaxFormatExponent);
  const auto decimals = static_cast<size_t>(exponent);
  const bool negative = minor_units < 0;
  // Unsigned negation is exact for every int64, the minimum included.
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(minor_units)
                                      : static_cast<uint64_t>(minor_units);
  std::string digits = std::to_string(magnitude);
  if (digits.size() <= decimals) digits = std::string(decimals + 1 - digits.size(), '0') + digits;
  // Built by appending (GCC 12's -Wrestrict misfires on std::string::insert at -O3).
  std::string text = negative ? "-" : "";
  text.append(digits, 0, digits.size() - decimals);
  if (decimals > 0) {
    text.push_back('.');
    text.append(digits, digits.size() - decimals, decimals);
  }
  return text;
}

std::string FormatMoney(const v1::Money& proto) {
  const std::string& code = proto.currency();
  if (absl::StatusOr<int> exponent = CurrencyExponent(code); exponent.ok()) {
    return absl::StrCat(FormatAmount(proto.minor_units(), *exponent), " ", code);
  }
  if (code.empty()) return absl::StrCat(proto.minor_units(), " minor units of no currency");
  return absl::StrCat(proto.minor_units(), " minor units of ",
                      IsPlainCode(code) ? code : QuoteForMessage(code));
}

}  // namespace argentpoche
