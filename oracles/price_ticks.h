// Price ticks and the port every price data source implements. The index computation
// (price_index.h) reads ticks through PriceTickSource only, so a source other than a CSV
// file (an exchange's API) is one more class.
#ifndef ARGENTPOCHE_ORACLES_PRICE_TICKS_H_
#define ARGENTPOCHE_ORACLES_PRICE_TICKS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "oracles/decimal.h"

namespace argentpoche::oracles {

// One observed price, in the feed's quote currency per unit of its base.
struct PriceTick {
  int64_t time_unix_ms = 0;
  Decimal price;
  friend bool operator==(const PriceTick&, const PriceTick&) = default;
};

// Thread-safety: an implementation may keep a cache, so one caller at a time.
class PriceTickSource {
 public:
  virtual ~PriceTickSource() = default;

  // Every tick the source holds, strictly increasing in time, reading the source again
  // (a file may have grown since the last call). Errors are the source's.
  [[nodiscard]] virtual absl::StatusOr<std::vector<PriceTick>> ReadTicks() = 0;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_PRICE_TICKS_H_
