// The option template (proto/argentpoche/v1/templates.proto, OptionTerms) compiled into
// conditional terms (condition.proto) that the contract checker accepts and the engine
// evaluates: the writer locks the collateral, the buyer the premium; after expiry the
// oracles' settlement price S pays the buyer quantity x max(S - K, 0) for a call, or
// quantity x max(K - S, 0) for a put, in minor units of the quote currency rounded down,
// at most the collateral; the writer gets the rest. No settlement price by expiry + grace
// period: the collateral goes back to the writer and the premium to the buyer.
//
//   POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms terms, CompileOptionTerms(option));
//   POCHE_RETURN_IF_ERROR(CheckConditionalTerms(terms, context));
//
// What the compiled terms hold: roles "writer", "buyer" (and "arbiter" when one is named);
// one value source "settlement_price" (the template's feed, event "at:<expiry>" or
// "avg:<expiry - window>..<expiry>", observed in [expiry, expiry + grace - 1)); one branch,
// after(expiry), whose piecewise-linear breakpoints lie exactly on the payout line, so the
// payout rules' rounding down is the only rounding; the hard deadline at expiry + grace.
//
// Pure and deterministic (no clock): the same template gives byte-identical terms.
// Thread-safe.
#ifndef ARGENTPOCHE_ENGINE_OPTION_TEMPLATE_H_
#define ARGENTPOCHE_ENGINE_OPTION_TEMPLATE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/templates.pb.h"

namespace argentpoche {

// The template's name, as contracts record it.
inline constexpr std::string_view kOptionTemplate = "option";

// The conditional terms of `option` (see the file comment). Refusals, all InvalidArgument
// unless noted:
// - MALFORMED_TEMPLATE: a missing or repeated party; an unspecified kind; a feed that is
//   not "price/<BASE>-<QUOTE>"; a strike or quantity <= 0, or a strike beyond
//   limits::kMaxOracleValueMagnitude; a price scale above limits::kMaxValueScale, or price
//   and quantity scales adding up to more than 18; an expiry <= 0; a settlement window < 0
//   or longer than the time since 1970; a grace period under 2 ms; a fund-by time <= 0 or
//   not before expiry; a payout line leaving +/- limits::kMaxOracleValueMagnitude before it
//   reaches the collateral; a description too long;
// - CURRENCY_MISMATCH: the premium, or the feed's quote, not in the collateral's currency;
// - AMOUNT_NOT_POSITIVE: collateral <= 0 or premium < 0;
// - UNKNOWN_CURRENCY, and OutOfRange AMOUNT_OUT_OF_RANGE for amounts (the locked total, or
//   the payout line's end) beyond the currency's range.
// Oracles and quorum are copied as they are: CheckConditionalTerms judges them.
[[nodiscard]] absl::StatusOr<v1::ConditionalTerms> CompileOptionTerms(
    const v1::OptionTerms& option);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_OPTION_TEMPLATE_H_
