// Price indices computed exactly from ticks (feeds in engine/feeds.h):
//   at:T          the price of the last tick at or before T;
//   avg:F..U      the mean of the prices of the ticks with F <= time < U.
//
// What it promises: no floating point; the mean is exact, then rounded once to the scale
// asked for, half to even (the result says whether that lost digits). No tick to go by
// means not available: never estimated.
//
//   absl::StatusOr<IndexValue> settlement = ComputePriceIndex(event, ticks, 2);
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_ORACLES_PRICE_INDEX_H_
#define ARGENTPOCHE_ORACLES_PRICE_INDEX_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/feeds.h"
#include "oracles/index_value.h"
#include "oracles/price_ticks.h"

namespace argentpoche::oracles {

// The index of `event` from `ticks` (strictly increasing in time), rounded to `scale` (at
// most limits::kMaxScale). FailedPrecondition "DATA_MISSING" when no tick is at or before
// T (at:T) or in [F, U) (avg:F..U); OutOfRange "VALUE_OVERFLOW".
[[nodiscard]] absl::StatusOr<IndexValue> ComputePriceIndex(const PriceEvent& event,
                                                           const std::vector<PriceTick>& ticks,
                                                           uint32_t scale);

// True when no tick added later (after the last of `ticks`, so later in time) can change
// the index: the last tick is at or after T (at:T) or at or after U - 1 (avg:F..U).
[[nodiscard]] bool PriceTicksCover(const PriceEvent& event, const std::vector<PriceTick>& ticks);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_PRICE_INDEX_H_
