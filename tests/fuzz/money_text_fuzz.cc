// Fuzz target: money as text (tests/fuzz/README.md), as the CLI reads it from its user
// ("--amount 1200.50 --currency EUR", "--amount '1200.50 EUR'").
//
// Input: a mode byte (taken modulo 3), then
//   0: text given to ParseMoney(text);
//   1: "<amount>\n<currency>" given to ParseMoney(amount, currency) (no newline: the
//      whole text is the amount, in EUR);
//   2: 8 bytes of minor units (little-endian) then a currency code, for Money::Create;
//      any amount's FormatAmount text parses back exactly when Create takes it.
// Whatever parses must be in range and survive every round trip through text:
// FormatAmount, Money::ToString, "<CODE> <amount>" and FormatMoney all read back (or
// print) the same Money.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/currency.h"
#include "engine/money.h"
#include "engine/strings.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

void CheckSame(const absl::StatusOr<Money>& read, const Money& money, std::string_view how) {
  CheckOk(read.status(), Concat(how, " of ", money.ToString(), " parses"));
  Check(*read == money, Concat(how, " of ", money.ToString(), " reads back the same"));
}

void CheckRoundTrips(const Money& money) {
  absl::StatusOr<int> exponent = CurrencyExponent(money.currency());
  CheckOk(exponent.status(), "a parsed currency is known");
  Check(*exponent == money.exponent(), "a Money has its currency's exponent");
  const int64_t maximum = MaxMinorUnits(money.exponent());
  Check(money.minor_units() <= maximum && money.minor_units() >= -maximum,
        "a Money is within range");
  const std::string amount = FormatAmount(money.minor_units(), money.exponent());
  CheckSame(ParseMoney(amount, money.currency()), money, "FormatAmount");
  CheckSame(ParseMoney(money.ToString()), money, "ToString");
  CheckSame(ParseMoney(Concat(money.currency(), " ", amount)), money, "code first");
  CheckSame(Money::FromProto(money.ToProto()), money, "the wire form");
  Check(FormatMoney(money.ToProto()) == money.ToString(), "FormatMoney prints as ToString");
}

void Run(uint8_t mode, std::string_view rest) {
  absl::StatusOr<Money> money;
  switch (mode % 3) {
    case 0:
      money = ParseMoney(rest);
      break;
    case 1: {
      const size_t newline = rest.find('\n');
      money = newline == std::string_view::npos
                  ? ParseMoney(rest, "EUR")
                  : ParseMoney(rest.substr(0, newline), rest.substr(newline + 1));
      break;
    }
    default: {
      if (rest.size() < sizeof(int64_t)) return;
      uint64_t bits = 0;
      for (size_t index = 0; index < sizeof(int64_t); ++index) {
        bits |= uint64_t{static_cast<uint8_t>(rest[index])} << (8 * index);
      }
      int64_t minor_units = 0;
      std::memcpy(&minor_units, &bits, sizeof(minor_units));
      const std::string_view currency = rest.substr(sizeof(int64_t));
      money = Money::Create(currency, minor_units);
      // Any amount prints, and its text parses exactly when the amount is in range.
      if (absl::StatusOr<int> exponent = CurrencyExponent(currency); exponent.ok()) {
        const std::string text = FormatAmount(minor_units, *exponent);
        Check(ParseMoney(text, currency).ok() == money.ok(),
              Concat(text, " parses exactly when Money::Create takes it"));
      }
      break;
    }
  }
  if (money.ok()) CheckRoundTrips(*money);
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  argentpoche::fuzz::Run(data[0],
                         std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}
