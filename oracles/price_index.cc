#include "oracles/price_index.h"

#include <algorithm>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

namespace argentpoche::oracles {
namespace {

absl::Status DataMissing(const PriceEvent& event, const std::vector<PriceTick>& ticks) {
  const std::string span = event.is_average()
                               ? Concat("in [", event.from_unix_ms, ", ", event.until_unix_ms, ")")
                               : Concat("at or before ", event.at_unix_ms);
  const std::string coverage = ticks.empty()
                                   ? "; the data holds no tick at all"
                                   : Concat("; the data spans ", ticks.front().time_unix_ms, " to ",
                                            ticks.back().time_unix_ms);
  return FailedPrecondition("DATA_MISSING", Concat("no price tick ", span, " (event ",
                                                   PriceEventId(event), ")", coverage));
}

bool EarlierThan(const PriceTick& tick, int64_t time_unix_ms) {
  return tick.time_unix_ms < time_unix_ms;
}

}  // namespace

absl::StatusOr<IndexValue> ComputePriceIndex(const PriceEvent& event,
                                             const std::vector<PriceTick>& ticks, uint32_t scale) {
  POCHE_CHECK(scale <= limits::kMaxScale);
  POCHE_CHECK(
      std::adjacent_find(ticks.begin(), ticks.end(), [](const PriceTick& a, const PriceTick& b) {
        return a.time_unix_ms >= b.time_unix_ms;
      }) == ticks.end());
  Rational exact;
  if (!event.is_average()) {
    // The first tick after T; the one before it is the last at or before T.
    const auto after = std::upper_bound(
        ticks.begin(), ticks.end(), event.at_unix_ms,
        [](int64_t time, const PriceTick& tick) { return time < tick.time_unix_ms; });
    if (after == ticks.begin()) return DataMissing(event, ticks);
    exact = Rational::FromDecimal(std::prev(after)->price);
  } else {
    const auto first =
        std::lower_bound(ticks.begin(), ticks.end(), event.from_unix_ms, EarlierThan);
    const auto end = std::lower_bound(first, ticks.end(), event.until_unix_ms, EarlierThan);
    if (first == end) return DataMissing(event, ticks);
    Rational sum;
    for (auto tick = first; tick != end; ++tick) {
      POCHE_ASSIGN_OR_RETURN(sum, Add(sum, Rational::FromDecimal(tick->price)));
    }
    POCHE_ASSIGN_OR_RETURN(exact, Divide(sum, Rational::Integer(end - first)));
  }
  POCHE_ASSIGN_OR_RETURN(const RoundedValue rounded, RoundHalfEven(exact, scale));
  return IndexValue{exact, rounded};
}

bool PriceTicksCover(const PriceEvent& event, const std::vector<PriceTick>& ticks) {
  if (ticks.empty()) return false;
  const int64_t last_time_that_matters =
      event.is_average() ? event.until_unix_ms - 1 : event.at_unix_ms;
  return ticks.back().time_unix_ms >= last_time_that_matters;
}

}  // namespace argentpoche::oracles
