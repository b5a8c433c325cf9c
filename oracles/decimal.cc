#include "oracles/decimal.h"

#include <limits>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

namespace argentpoche::oracles {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The number of leading digits of `text`.
size_t DigitRun(std::string_view text) {
  size_t count = 0;
  while (count < text.size() && IsDigit(text[count])) ++count;
  return count;
}

}  // namespace

absl::int128 PowerOfTen(uint32_t exponent) {
  POCHE_CHECK(exponent <= 38);
  absl::int128 power = 1;
  for (uint32_t i = 0; i < exponent; ++i) power *= 10;
  return power;
}

absl::StatusOr<Decimal> ParseDecimal(std::string_view text) {
  const std::string quoted = Concat("\"", text.substr(0, 40), "\"");
  const auto malformed = [&] {
    return InvalidArgument("MALFORMED_NUMBER",
                           Concat(quoted, " is not a decimal number like 0.96, 72 or -3"));
  };
  if (text.empty() || text.size() > limits::kMaxDecimalLength) return malformed();
  const bool negative = text[0] == '-';
  std::string_view rest = text.substr(negative ? 1 : 0);
  const size_t whole_digits = DigitRun(rest);
  if (whole_digits == 0) return malformed();
  std::string_view fraction;
  if (whole_digits < rest.size()) {
    if (rest[whole_digits] != '.') return malformed();
    fraction = rest.substr(whole_digits + 1);
    if (fraction.empty() || DigitRun(fraction) != fraction.size()) return malformed();
  }
  if (fraction.size() > limits::kMaxScale) {
    return InvalidArgument("NUMBER_OUT_OF_RANGE",
                           Concat(quoted, " has more than ", limits::kMaxScale, " decimal places"));
  }
  // Stops as soon as the magnitude passes 2^63, so it never grows beyond about 2^67.
  absl::int128 magnitude = 0;
  const absl::int128 limit = absl::int128(std::numeric_limits<int64_t>::max()) + 1;
  for (char c : rest) {
    if (c == '.') continue;
    magnitude = magnitude * 10 + (c - '0');
    if (magnitude > limit) break;
  }
  if (magnitude > limit || (!negative && magnitude == limit)) {
    return InvalidArgument("NUMBER_OUT_OF_RANGE", Concat(quoted, " is too large"));
  }
  const absl::int128 value = negative ? -magnitude : magnitude;
  return Decimal{static_cast<int64_t>(value), static_cast<uint32_t>(fraction.size())};
}

std::string FormatDecimal(int64_t units, uint32_t scale) {
  POCHE_CHECK(scale <= limits::kMaxScale);
  const bool negative = units < 0;
  // The magnitude as unsigned digits (INT64_MIN has no positive int64 counterpart).
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(units) : units;
  const std::string digits = std::to_string(magnitude);
  // At least one digit before the point: "0.05", not ".05".
  const size_t padding = digits.size() <= scale ? scale + 1 - digits.size() : 0;
  std::string text(padding, '0');
  text += digits;
  if (scale == 0) return negative ? Concat("-", text) : text;
  const std::string_view all(text);
  const std::string_view whole = all.substr(0, all.size() - scale);
  const std::string_view fraction = all.substr(all.size() - scale);
  return Concat(negative ? "-" : "", whole, ".", fraction);
}

int CompareDecimals(const Decimal& a, const Decimal& b) {
  POCHE_CHECK(a.scale <= limits::kMaxScale && b.scale <= limits::kMaxScale);
  const uint32_t scale = a.scale > b.scale ? a.scale : b.scale;
  // |units| < 2^63 and 10^18 < 2^60: both products fit in 128 bits.
  const absl::int128 left = absl::int128(a.units) * PowerOfTen(scale - a.scale);
  const absl::int128 right = absl::int128(b.units) * PowerOfTen(scale - b.scale);
  return left < right ? -1 : (left > right ? 1 : 0);
}

}  // namespace argentpoche::oracles
