// Exact decimal numbers as data files write them: "0.96" is 96 hundredths, "72" is 72,
// "-3" is -3, "0.0" is zero at one decimal place. No floating point is ever involved: a
// number is an integer count of units of 10^-scale.
//
//   absl::StatusOr<Decimal> rain = ParseDecimal("0.96");  // {.units = 96, .scale = 2}
//   FormatDecimal(12345, 3);                               // "12.345"
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_ORACLES_DECIMAL_H_
#define ARGENTPOCHE_ORACLES_DECIMAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"

namespace argentpoche::oracles {

// units / 10^scale, with scale <= limits::kMaxScale.
struct Decimal {
  int64_t units = 0;
  uint32_t scale = 0;
  friend bool operator==(const Decimal&, const Decimal&) = default;
};

// Parses an optional '-', one or more digits, then optionally '.' and one or more digits;
// nothing else (no '+', no spaces, no exponent, no "1." or ".5"). The scale is the number
// of digits after the point, kept as written ("0.50" has scale 2). Errors:
//   InvalidArgument "MALFORMED_NUMBER" for any other text;
//   InvalidArgument "NUMBER_OUT_OF_RANGE" for more than limits::kMaxScale decimal places
//   or a value whose units do not fit in 64 bits.
// The message quotes at most 40 characters of the text.
[[nodiscard]] absl::StatusOr<Decimal> ParseDecimal(std::string_view text);

// "12.345" for (12345, 3), "-0.05" for (-5, 2), "7" for (7, 0). Aborts (programmer
// error) for a scale above limits::kMaxScale.
[[nodiscard]] std::string FormatDecimal(int64_t units, uint32_t scale);

// -1, 0 or 1 as a is below, equal to or above b, exactly (1.5 equals 1.50).
[[nodiscard]] int CompareDecimals(const Decimal& a, const Decimal& b);

// 10^exponent, for exponent <= 38. Aborts (programmer error) above.
[[nodiscard]] absl::int128 PowerOfTen(uint32_t exponent);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_DECIMAL_H_
