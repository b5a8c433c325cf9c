// The creation-time check of conditional terms (proto/argentpoche/v1/condition.proto). A
// contract whose terms pass it can be evaluated (engine/conditions.h) and settled
// (engine/conditions_outcome.h) without aborting, and every settlement it can reach pays
// out exactly what it locks and never more: each branch's payout is bounded by the lock,
// and the refund table, which applies at the hard deadline if nothing settled, adds up
// exactly to the lock. So no path can end with money stuck or over-paid.
//
//   ConditionCheckContext context;
//   context.now_unix_ms = ctx.now_unix_ms;
//   context.registered_oracle_party_ids = ...;
//   POCHE_RETURN_IF_ERROR(CheckConditionalTerms(terms, context));
//
// Pure and deterministic; thread-safe (free functions over values the caller owns).
#ifndef ARGENTPOCHE_ENGINE_CONTRACT_CHECKER_H_
#define ARGENTPOCHE_ENGINE_CONTRACT_CHECKER_H_

#include <cstdint>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "argentpoche/v1/condition.pb.h"

namespace argentpoche {

// What the check needs from outside the terms.
struct ConditionCheckContext {
  // The engine's clock at creation: the hard deadline must lie after it, at most
  // limits::kMaxDeadlineAheadMs later.
  int64_t now_unix_ms = 0;
  // The oracles registered with the engine; value sources may name only these.
  std::set<std::string> registered_oracle_party_ids;
};

// OK when `terms` are well formed and safe. Refusals (InvalidArgument unless noted), the
// message saying where ("branch 2: ...") and what:
// - MALFORMED_CONDITION: a missing or empty part (no parties, no branches, an empty all_of,
//   any_of or threshold, a condition or rule of no kind, an unspecified comparison or
//   aggregation); a role, value source or oracle that is unknown, empty or repeated; a
//   threshold of 0 or above the children's total weight, or a weight outside
//   1..limits::kMaxThresholdWeight; a tree deeper than limits::kMaxConditionDepth or with
//   more than limits::kMaxConditionNodes conditions; more branches, parties, value sources,
//   oracles or breakpoints than their limits; a digest that is not 32 bytes; a time <= 0;
//   an observation window that is empty or does not end before the hard deadline; a scale
//   above limits::kMaxValueScale; a negative or (for EXACT) non-zero max spread; a payout
//   rule's malformations (see ValidatePayoutRule); a refund table with a remainder role; a
//   missing party id; a description longer than limits::kMaxDescriptionLength;
// - BREAKPOINTS_NOT_INCREASING: breakpoint x not strictly increasing;
// - PAYOUT_EXCEEDS_LOCK: a branch's fixed table adds up to more than the lock, or its
//   piecewise-linear rule can pay more (min(cap, max(floor, largest y)) > lock);
// - NO_REFUND_PATH: no hard deadline, one not after now or more than
//   limits::kMaxDeadlineAheadMs ahead, or a refund table not adding up exactly to the lock;
// - QUORUM_TOO_LARGE: a quorum of 0 or above the number of oracles named;
// - CURRENCY_MISMATCH: an amount, floor or cap not in the locked currency;
// and from Money for the locked total: UNKNOWN_CURRENCY, AMOUNT_NOT_POSITIVE, OutOfRange
// AMOUNT_OUT_OF_RANGE.
[[nodiscard]] absl::Status CheckConditionalTerms(const v1::ConditionalTerms& terms,
                                                 const ConditionCheckContext& context);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONTRACT_CHECKER_H_
