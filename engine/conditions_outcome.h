// What conditional terms decide at one moment: keep waiting, settle by a branch, or refund.
// The engine calls DecideOutcome whenever a fact arrives (a signature, an aggregated oracle
// value, a revealed preimage) and at the times NextDecisionTime names, then settles with
// OutcomePayouts in the same commit.
//
//   const Outcome outcome = DecideOutcome(terms, facts);
//   if (outcome.kind != Outcome::Kind::kWaiting) {
//     POCHE_ASSIGN_OR_RETURN(std::vector<v1::Payout> payouts,
//                            OutcomePayouts(terms, outcome, facts));
//   }
//
// Rule: before the hard deadline, the first branch in the terms' order whose condition is
// true and whose payout can be computed (a piecewise-linear rule's value is in) settles;
// so of branches that become true at the same moment the earlier one wins. From the hard
// deadline on (now >= hard_deadline_unix_ms) the refund table applies, whatever the
// branches say: a fact arriving at or after the deadline settles nothing.
//
// Preconditions: the terms passed CheckConditionalTerms. Pure and deterministic;
// thread-safe (free functions over values the caller owns).
#ifndef ARGENTPOCHE_ENGINE_CONDITIONS_OUTCOME_H_
#define ARGENTPOCHE_ENGINE_CONDITIONS_OUTCOME_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/money.pb.h"
#include "engine/conditions.h"

namespace argentpoche {

struct Outcome {
  enum class Kind { kWaiting, kSettle, kRefund };
  Kind kind = Kind::kWaiting;
  // The settling branch (index into terms.branches()) when kind is kSettle, else -1.
  int branch_index = -1;
};

// See the file comment.
Outcome DecideOutcome(const v1::ConditionalTerms& terms, const Facts& facts);

// The payouts of `outcome` (kSettle or kRefund; kWaiting is a programmer error): the
// settling branch's rule, or the refund table. They add up exactly to the locked total
// (see engine/payout_rules.h). Errors as ComputePayouts.
[[nodiscard]] absl::StatusOr<std::vector<v1::Payout>> OutcomePayouts(
    const v1::ConditionalTerms& terms, const Outcome& outcome, const Facts& facts);

// The earliest moment after `now_unix_ms` at which time alone may change DecideOutcome: an
// after() or before() time of some branch, or the hard deadline. std::nullopt once the
// hard deadline has passed.
std::optional<int64_t> NextDecisionTime(const v1::ConditionalTerms& terms, int64_t now_unix_ms);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONDITIONS_OUTCOME_H_
