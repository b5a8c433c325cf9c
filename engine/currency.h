// The currencies the engine accepts: the active codes of ISO 4217 list one that have a
// defined minor unit, with that minor-unit exponent (EUR 2, JPY 0, BHD 3, CLF 4, ...).
// Codes whose minor unit is "N.A." (XAU, XDR, XXX, ...) are not money to the engine and are
// unknown here. Amounts are counted in minor units: 1 EUR is 100, 1 JPY is 1, 1 BHD is 1000.
//
// Thread-safety: the table is a constant and every function is pure; all of them may be
// called from any thread at any time.
#ifndef ARGENTPOCHE_ENGINE_CURRENCY_H_
#define ARGENTPOCHE_ENGINE_CURRENCY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace argentpoche {

// Largest minor-unit exponent in the table (CLF and UYW have 4).
inline constexpr int kMaxCurrencyExponent = 4;

// The minor-unit exponent of the ISO 4217 alpha-3 `code` (exact, upper case): 2 for "EUR",
// 0 for "JPY", 3 for "BHD", 4 for "CLF".
// Errors: InvalidArgument "UNKNOWN_CURRENCY" when `code` is empty (the message says the
// currency is missing) or not an active ISO 4217 code with a minor unit, for example
// `unknown currency "EUX": use an ISO 4217 code such as EUR`. A lower-case spelling of a
// known code ("eur") is refused with a message naming the upper-case code.
[[nodiscard]] absl::StatusOr<int> CurrencyExponent(std::string_view code);

// True when CurrencyExponent(code) succeeds.
[[nodiscard]] bool IsKnownCurrency(std::string_view code);

// Every known code, in ascending order (for tests, listings and documentation).
[[nodiscard]] std::vector<std::string_view> KnownCurrencyCodes();

// The largest magnitude, in minor units, of an amount in a currency with `exponent`:
// min(10^(15 + exponent), limits::kMaxAmountMinorUnits). That is a thousand trillion major
// units, capped so that sums of two amounts never overflow int64.
// Precondition: 0 <= exponent (checked; a negative exponent aborts).
[[nodiscard]] int64_t MaxMinorUnits(int exponent);

// `text` between double quotes, made safe for an error message from a caller's input: bytes
// outside printable ASCII become \xNN, `"` and `\` are escaped, and only the first 40 bytes
// are kept (a cut is marked with "...").
[[nodiscard]] std::string QuoteForMessage(std::string_view text);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CURRENCY_H_
