// Payout rules of the condition language: a fixed table (role -> amount, the rest to a
// remainder role) or a piecewise-linear function of an aggregated oracle value with a floor
// and a cap (the rest to a remainder role). ComputePayouts turns a rule, the locked total
// and the facts into the payouts of a settlement.
//
//   absl::StatusOr<std::vector<v1::Payout>> payouts =
//       ComputePayouts(branch.payout(), locked_total, RolePartiesOf(terms), facts);
//
// Guarantees of every payout list returned: it adds up EXACTLY to the locked total, every
// amount is more than zero and at most the locked total, in the locked currency, each party
// named once (roles played by one party are merged), in the order of first appearance
// (table order, then the remainder). Nothing is paid beyond the lock: a rule that could pay
// more is an error, never trimmed.
//
// Rounding: the piecewise-linear value between two breakpoints is the exact line through
// them rounded DOWN (toward minus infinity) to the minor unit, on rising and falling
// segments alike, so the fraction always stays with the remainder role (the payer): the
// payee never receives a fraction of a minor unit the line does not fully grant.
//
// Pure and deterministic, integers only (128-bit intermediates through MultiplyDivide).
// Thread-safe: free functions over values the caller owns.
#ifndef ARGENTPOCHE_ENGINE_PAYOUT_RULES_H_
#define ARGENTPOCHE_ENGINE_PAYOUT_RULES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/money.pb.h"
#include "engine/conditions.h"
#include "engine/money.h"

namespace argentpoche {

// Role name -> the party id playing it.
using RoleParties = std::map<std::string, std::string>;

// The terms' parties as a map (a role named twice keeps its first party; the checker
// refuses such terms).
RoleParties RolePartiesOf(const v1::ConditionalTerms& terms);

// Checks one rule against the lock, without looking at value sources (the checker does):
// - CURRENCY_MISMATCH: an amount, floor or cap not in the locked currency;
// - MALFORMED_CONDITION: no rule set, a role not in `role_parties` or named twice, a
//   negative amount, too many amounts, a missing value source name, no breakpoints or more
//   than limits::kMaxBreakpoints, x beyond limits::kMaxOracleValueMagnitude, y negative or
//   beyond the currency's range, floor or cap missing, floor < 0 or floor > cap, a table
//   adding up to less than the lock without a remainder role;
// - BREAKPOINTS_NOT_INCREASING: x not strictly increasing;
// - PAYOUT_EXCEEDS_LOCK: the most the rule can pay its payees exceeds the lock (see
//   MaxPayoutMinorUnits);
// and AMOUNT_OUT_OF_RANGE from Money. All InvalidArgument except the last (OutOfRange).
[[nodiscard]] absl::Status ValidatePayoutRule(const v1::PayoutRule& rule, const Money& locked_total,
                                              const RoleParties& role_parties);
// The sum of a fixed table's amounts in minor units, at most the lock, ignoring its
// remainder role. Errors: CURRENCY_MISMATCH, MALFORMED_CONDITION (unknown or repeated role,
// negative amount, too many amounts), PAYOUT_EXCEEDS_LOCK (the amounts add up to more than
// the lock), AMOUNT_OUT_OF_RANGE.
[[nodiscard]] absl::StatusOr<int64_t> FixedTableSum(const v1::FixedTable& table,
                                                    const Money& locked_total,
                                                    const RoleParties& role_parties);
// The checks of ValidatePayoutRule for a fixed table alone.
[[nodiscard]] absl::Status ValidateFixedTable(const v1::FixedTable& table,
                                              const Money& locked_total,
                                              const RoleParties& role_parties);

// The most a valid rule can pay to roles other than its remainder role, in minor units: the
// sum of a fixed table; for piecewise-linear min(cap, max(floor, largest y)), attained at a
// breakpoint or the floor. Precondition: ValidatePayoutRule passed (a piecewise-linear rule
// may also have failed only with PAYOUT_EXCEEDS_LOCK); a rule without a kind aborts.
[[nodiscard]] int64_t MaxPayoutMinorUnits(const v1::PayoutRule& rule);

// The piecewise-linear payout for `value` in minor units: y of the end breakpoint beyond
// either end, the exact line rounded down in between, then at least floor and at most cap.
// Precondition: the rule passed ValidatePayoutRule (checked where cheap).
[[nodiscard]] absl::StatusOr<int64_t> PiecewiseLinearMinorUnits(
    const v1::PiecewiseLinearPayout& rule, int64_t value);

// The payouts of `rule` under `facts` (see the file comment for the guarantees).
// Errors: every error of ValidatePayoutRule; FailedPrecondition "VALUE_NOT_AVAILABLE" when
// a piecewise-linear rule's value source has no value in facts.oracle_values yet.
[[nodiscard]] absl::StatusOr<std::vector<v1::Payout>> ComputePayouts(
    const v1::PayoutRule& rule, const Money& locked_total, const RoleParties& role_parties,
    const Facts& facts);

// The payouts of a fixed table (a refund, for example); errors as ValidateFixedTable.
[[nodiscard]] absl::StatusOr<std::vector<v1::Payout>> ComputeFixedTablePayouts(
    const v1::FixedTable& table, const Money& locked_total, const RoleParties& role_parties);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_PAYOUT_RULES_H_
