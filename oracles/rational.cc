#include "oracles/rational.h"

#include <limits>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

namespace argentpoche::oracles {
namespace {

// The operations run on the compiler's 128-bit integers, whose overflow builtins report
// a result that does not fit instead of wrapping.
using Wide = __int128;

absl::Status Overflow() {
  return OutOfRange("VALUE_OVERFLOW",
                    "the exact value does not fit in 128-bit integers; the data holds numbers "
                    "too large or with too many decimal places");
}

bool CheckedMultiply(absl::int128 a, absl::int128 b, absl::int128* out) {
  Wide product = 0;
  if (__builtin_mul_overflow(static_cast<Wide>(a), static_cast<Wide>(b), &product)) return false;
  if (product == std::numeric_limits<Wide>::min()) return false;
  *out = absl::int128(product);
  return true;
}

bool CheckedAdd(absl::int128 a, absl::int128 b, absl::int128* out) {
  Wide sum = 0;
  if (__builtin_add_overflow(static_cast<Wide>(a), static_cast<Wide>(b), &sum)) return false;
  if (sum == std::numeric_limits<Wide>::min()) return false;
  *out = absl::int128(sum);
  return true;
}

absl::uint128 Magnitude(absl::int128 value) {
  return value < 0 ? absl::uint128(-value) : absl::uint128(value);
}

absl::uint128 GreatestCommonDivisor(absl::uint128 a, absl::uint128 b) {
  while (b != 0) {
    const absl::uint128 remainder = a % b;
    a = b;
    b = remainder;
  }
  return a;
}

}  // namespace

Rational Rational::Integer(int64_t value) { return Fraction(value, 1); }

Rational Rational::FromDecimal(const Decimal& decimal) {
  POCHE_CHECK(decimal.scale <= limits::kMaxScale);
  return Fraction(decimal.units, PowerOfTen(decimal.scale));
}

Rational Rational::Fraction(absl::int128 numerator, absl::int128 denominator) {
  const absl::int128 most_negative = absl::int128(std::numeric_limits<Wide>::min());
  POCHE_CHECK(denominator != 0);
  POCHE_CHECK(numerator != most_negative && denominator != most_negative);
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const absl::uint128 divisor = GreatestCommonDivisor(Magnitude(numerator), Magnitude(denominator));
  Rational result;
  // divisor >= 1 since the denominator is not zero; it divides both exactly.
  result.numerator_ = numerator / absl::int128(divisor);
  result.denominator_ = denominator / absl::int128(divisor);
  POCHE_CHECK(result.denominator_ > 0);
  return result;
}

std::string Rational::ToString() const {
  const auto text = [](absl::int128 value) {
    const std::string digits = absl::Uint128High64(Magnitude(value)) == 0
                                   ? std::to_string(absl::Uint128Low64(Magnitude(value)))
                                   : "(huge)";
    return value < 0 ? Concat("-", digits) : digits;
  };
  if (denominator_ == 1) return text(numerator_);
  return Concat(text(numerator_), "/", text(denominator_));
}

absl::StatusOr<Rational> Add(const Rational& a, const Rational& b) {
  // a/b + c/d = (a (d/g) + c (b/g)) / (b/g d), g = gcd(b, d): keeps the terms small.
  const absl::int128 g =
      absl::int128(GreatestCommonDivisor(Magnitude(a.denominator()), Magnitude(b.denominator())));
  absl::int128 left, right, numerator, denominator;
  if (!CheckedMultiply(a.numerator(), b.denominator() / g, &left) ||
      !CheckedMultiply(b.numerator(), a.denominator() / g, &right) ||
      !CheckedAdd(left, right, &numerator) ||
      !CheckedMultiply(a.denominator() / g, b.denominator(), &denominator)) {
    return Overflow();
  }
  return Rational::Fraction(numerator, denominator);
}

absl::StatusOr<Rational> Subtract(const Rational& a, const Rational& b) {
  // The numerator is never the most negative value, so its negation fits.
  return Add(a, Rational::Fraction(-b.numerator(), b.denominator()));
}

absl::StatusOr<Rational> Multiply(const Rational& a, const Rational& b) {
  // Cross-reduce first: (a/b)(c/d) = ((a/g1)(c/g2)) / ((b/g2)(d/g1)).
  const absl::int128 g1 =
      absl::int128(GreatestCommonDivisor(Magnitude(a.numerator()), Magnitude(b.denominator())));
  const absl::int128 g2 =
      absl::int128(GreatestCommonDivisor(Magnitude(b.numerator()), Magnitude(a.denominator())));
  if (g1 == 0 || g2 == 0) return Rational();  // A zero numerator: the product is zero.
  absl::int128 numerator, denominator;
  if (!CheckedMultiply(a.numerator() / g1, b.numerator() / g2, &numerator) ||
      !CheckedMultiply(a.denominator() / g2, b.denominator() / g1, &denominator)) {
    return Overflow();
  }
  return Rational::Fraction(numerator, denominator);
}

absl::StatusOr<Rational> Divide(const Rational& a, const Rational& b) {
  POCHE_CHECK(b.sign() != 0);
  return Multiply(a, Rational::Fraction(b.denominator(), b.numerator()));
}

absl::StatusOr<RoundedValue> RoundHalfEven(const Rational& exact, uint32_t scale) {
  POCHE_CHECK(scale <= limits::kMaxScale);
  absl::int128 scaled;
  if (!CheckedMultiply(exact.numerator(), PowerOfTen(scale), &scaled)) return Overflow();
  // Rounded on the magnitude: half to even is symmetric around zero.
  const absl::uint128 magnitude = Magnitude(scaled);
  const absl::uint128 denominator = Magnitude(exact.denominator());
  absl::uint128 quotient = magnitude / denominator;
  const absl::uint128 remainder = magnitude % denominator;
  // remainder against denominator - remainder: no doubling, so no overflow.
  const absl::uint128 rest = denominator - remainder;
  if (remainder > rest || (remainder == rest && (quotient & 1) == 1)) quotient += 1;
  const absl::uint128 limit = absl::uint128(std::numeric_limits<int64_t>::max());
  if (quotient > limit) return Overflow();
  const int64_t value = static_cast<int64_t>(quotient);
  return RoundedValue{
      .value = scaled < 0 ? -value : value, .scale = scale, .rounded = remainder != 0};
}

}  // namespace argentpoche::oracles
