// The weather cover template (proto/argentpoche/v1/templates.proto, WeatherCoverTerms)
// compiled into conditional terms (condition.proto) that the contract checker accepts and
// the engine evaluates: the insurer locks the limit, the insured the premium; after the
// period the oracles' index decides the insured's payout, nothing at or beyond the trigger
// (below it for an excess cover, above it for a shortfall cover), the whole limit at or
// beyond the exit, a straight line rounded down to the minor unit in between; the insurer
// gets the rest. No index by the day after the period + grace period: the limit goes back
// to the insurer and the premium to the insured.
//
//   POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms terms, CompileWeatherCoverTerms(cover));
//   POCHE_RETURN_IF_ERROR(CheckConditionalTerms(terms, context));
//
// What the compiled terms hold: roles "insurer", "insured" (and "arbiter" when one is
// named); one value source "index" (feed "weather/<source>/<station>/<index>_<unit>",
// event "<start>..<end>", observed from the day after the period, 00:00 UTC, until one
// millisecond before the hard deadline); one branch, after(the day after the period), with
// breakpoints (trigger, 0) and (exit, limit) in increasing x; the hard deadline at the day
// after the period + grace period.
//
// Pure and deterministic (no clock): the same template gives byte-identical terms.
// Thread-safe.
#ifndef ARGENTPOCHE_ENGINE_WEATHER_TEMPLATE_H_
#define ARGENTPOCHE_ENGINE_WEATHER_TEMPLATE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/templates.pb.h"

namespace argentpoche {

// The template's name, as contracts record it.
inline constexpr std::string_view kWeatherCoverTemplate = "weather_cover";

// The conditional terms of `cover` (see the file comment). Refusals, all InvalidArgument
// unless noted:
// - MALFORMED_TEMPLATE: a missing or repeated party; an unspecified index, unit or
//   direction; a unit that does not fit the index (rainfall in mm or inches, the others in
//   °C or °F); a source or station that is empty or holds '/'; a scale above
//   limits::kMaxValueScale; a day that is not "YYYY-MM-DD" or a period ending before it
//   starts; a trigger or exit beyond limits::kMaxOracleValueMagnitude, or an exit not
//   beyond the trigger in the cover's direction; a grace period under 2 ms; a fund-by time
//   <= 0 or not before the end of the period; a description too long;
// - CURRENCY_MISMATCH: the premium not in the limit's currency;
// - AMOUNT_NOT_POSITIVE: limit <= 0 or premium < 0;
// - UNKNOWN_CURRENCY, and OutOfRange AMOUNT_OUT_OF_RANGE from Money.
// Oracles and quorum are copied as they are: CheckConditionalTerms judges them.
[[nodiscard]] absl::StatusOr<v1::ConditionalTerms> CompileWeatherCoverTerms(
    const v1::WeatherCoverTerms& cover);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_WEATHER_TEMPLATE_H_
