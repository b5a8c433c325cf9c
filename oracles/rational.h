// Exact rational numbers for computing indices (degree days, unit conversions, averages):
// numerator / denominator in 128-bit integers, always reduced, denominator positive.
// Every operation checks for overflow and reports it instead of wrapping; the result is
// rounded to a decimal scale once, at the end, half to even.
//
//   Rational fahrenheit = Rational::FromDecimal({.units = 77, .scale = 0});
//   // (77 - 32) * 5 / 9 = 25 exactly.
//   absl::StatusOr<Rational> celsius = Multiply(*Subtract(fahrenheit, Rational::Integer(32)),
//                                               Rational::Fraction(5, 9));
//   absl::StatusOr<RoundedValue> value = RoundHalfEven(*celsius, 2);  // 2500 at scale 2
//
// Values; thread-safe.
#ifndef ARGENTPOCHE_ORACLES_RATIONAL_H_
#define ARGENTPOCHE_ORACLES_RATIONAL_H_

#include <cstdint>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "oracles/decimal.h"

namespace argentpoche::oracles {

class Rational {
 public:
  // Zero.
  Rational() = default;
  static Rational Integer(int64_t value);
  static Rational FromDecimal(const Decimal& decimal);
  // numerator / denominator reduced. Aborts (programmer error) for a zero denominator or
  // the most negative 128-bit value in either place (never produced by this class).
  static Rational Fraction(absl::int128 numerator, absl::int128 denominator);

  const absl::int128& numerator() const { return numerator_; }
  // Always positive.
  const absl::int128& denominator() const { return denominator_; }
  // -1, 0 or 1.
  int sign() const { return numerator_ < 0 ? -1 : (numerator_ > 0 ? 1 : 0); }
  // "n/d" (or "n" when d is 1), for messages and tests.
  std::string ToString() const;

  friend bool operator==(const Rational&, const Rational&) = default;

 private:
  absl::int128 numerator_ = 0;
  absl::int128 denominator_ = 1;
};

// a + b, a - b, a x b, a / b exactly. OutOfRange "VALUE_OVERFLOW" when a numerator or
// denominator would not fit in 128 bits. Divide aborts (programmer error) when b is zero.
[[nodiscard]] absl::StatusOr<Rational> Add(const Rational& a, const Rational& b);
[[nodiscard]] absl::StatusOr<Rational> Subtract(const Rational& a, const Rational& b);
[[nodiscard]] absl::StatusOr<Rational> Multiply(const Rational& a, const Rational& b);
[[nodiscard]] absl::StatusOr<Rational> Divide(const Rational& a, const Rational& b);

// A value rounded to a decimal scale: value / 10^scale.
struct RoundedValue {
  int64_t value = 0;
  uint32_t scale = 0;
  // True when the exact value had more digits than the scale keeps.
  bool rounded = false;
  friend bool operator==(const RoundedValue&, const RoundedValue&) = default;
};

// `exact` rounded to `scale` decimal places, half to even (2.345 -> 2.34, 2.355 -> 2.36,
// -0.5 -> -0 = 0 at scale 0), symmetric around zero. OutOfRange "VALUE_OVERFLOW" when the
// result does not fit in 64 bits. Aborts (programmer error) for scale above
// limits::kMaxScale.
[[nodiscard]] absl::StatusOr<RoundedValue> RoundHalfEven(const Rational& exact, uint32_t scale);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_RATIONAL_H_
