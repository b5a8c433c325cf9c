#include "engine/currency.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/check.h"
#include "engine/limits.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

struct CurrencyEntry {
  std::string_view code;
  int exponent;
};

// ISO 4217 list one as published on 1 January 2026, restricted to codes with a numeric
// minor unit. Sorted by code for binary search (checked below at compile time).
// Gone from the list and therefore unknown: ANG (now XCG), BGN (now EUR), CUC, HRK, SLL
// (now SLE), ZWL (now ZWG).
constexpr auto kCurrencies = std::to_array<CurrencyEntry>({
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2},
    {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2},
    {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4}, {"CLP", 0}, {"CNY", 2},
    {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0}, {"DKK", 2},
    {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2},
    {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3},
    {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2},
    {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2},
    {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2},
    {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2},
    {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2},
    {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
    {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2},
    {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2},
    {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2},
    {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0},
    {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2}, {"VED", 2}, {"VES", 2},
    {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAD", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0},
    {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
});

constexpr bool IsSortedWithoutDuplicates() {
  for (size_t index = 1; index < kCurrencies.size(); ++index) {
    if (!(kCurrencies[index - 1].code < kCurrencies[index].code)) return false;
  }
  return true;
}
static_assert(IsSortedWithoutDuplicates(), "kCurrencies must be sorted by code");

constexpr bool ExponentsInRange() {
  for (const CurrencyEntry& entry : kCurrencies) {
    if (entry.exponent < 0 || entry.exponent > kMaxCurrencyExponent) return false;
  }
  return true;
}
static_assert(ExponentsInRange(), "every exponent must lie in [0, kMaxCurrencyExponent]");

const CurrencyEntry* FindCurrency(std::string_view code) {
  const auto* found = std::lower_bound(
      kCurrencies.begin(), kCurrencies.end(), code,
      [](const CurrencyEntry& entry, std::string_view wanted) { return entry.code < wanted; });
  if (found == kCurrencies.end() || found->code != code) return nullptr;
  return found;
}

constexpr size_t kMaxQuotedBytes = 40;

}  // namespace

absl::StatusOr<int> CurrencyExponent(std::string_view code) {
  if (const CurrencyEntry* entry = FindCurrency(code); entry != nullptr) return entry->exponent;
  if (code.empty()) {
    return InvalidArgument("UNKNOWN_CURRENCY",
                           "the currency is missing: use an ISO 4217 code such as EUR");
  }
  std::string upper(code);
  for (char& character : upper) {
    if (character >= 'a' && character <= 'z') character = static_cast<char>(character - 'a' + 'A');
  }
  if (upper != code && FindCurrency(upper) != nullptr) {
    return InvalidArgument("UNKNOWN_CURRENCY",
                           absl::StrCat("unknown currency ", QuoteForMessage(code),
                                        ": currency codes are upper case, write ", upper));
  }
  return InvalidArgument("UNKNOWN_CURRENCY",
                         absl::StrCat("unknown currency ", QuoteForMessage(code),
                                      ": use an ISO 4217 code such as EUR"));
}

bool IsKnownCurrency(std::string_view code) { return FindCurrency(code) != nullptr; }

std::vector<std::string_view> KnownCurrencyCodes() {
  std::vector<std::string_view> codes;
  codes.reserve(kCurrencies.size());
  for (const CurrencyEntry& entry : kCurrencies) codes.push_back(entry.code);
  return codes;
}

int64_t MaxMinorUnits(int exponent) {
  POCHE_CHECK(exponent >= 0);
  int64_t maximum = 1'000'000'000'000'000;  // 10^15 major units at exponent 0.
  for (int step = 0; step < exponent; ++step) {
    if (maximum > limits::kMaxAmountMinorUnits / 10) return limits::kMaxAmountMinorUnits;
    maximum *= 10;
  }
  return std::min(maximum, limits::kMaxAmountMinorUnits);
}

std::string QuoteForMessage(std::string_view text) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string quoted = "\"";
  for (char character : text.substr(0, kMaxQuotedBytes)) {
    const auto byte = static_cast<unsigned char>(character);
    if (character == '"' || character == '\\') {
      quoted.push_back('\\');
      quoted.push_back(character);
    } else if (byte < 0x20 || byte >= 0x7f) {
      quoted.append("\\x");
      quoted.push_back(kHexDigits[byte >> 4]);
      quoted.push_back(kHexDigits[byte & 0xf]);
    } else {
      quoted.push_back(character);
    }
  }
  if (text.size() > kMaxQuotedBytes) quoted.append("...");
  quoted.push_back('"');
  return quoted;
}

}  // namespace argentpoche
