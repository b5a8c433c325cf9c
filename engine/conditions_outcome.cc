#include "engine/conditions_outcome.h"

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/check.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/payout_rules.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// True when the branch's payout needs nothing more than the facts hold.
bool PayoutComputable(const v1::PayoutRule& rule, const Facts& facts) {
  if (!rule.has_piecewise_linear()) return true;
  return facts.oracle_values.contains(rule.piecewise_linear().value_source());
}

}  // namespace

Outcome DecideOutcome(const v1::ConditionalTerms& terms, const Facts& facts) {
  POCHE_CHECK(terms.hard_deadline_unix_ms() > 0);
  POCHE_CHECK(static_cast<size_t>(terms.branches_size()) <= limits::kMaxConditionBranches);
  if (facts.now_unix_ms >= terms.hard_deadline_unix_ms()) {
    return Outcome{Outcome::Kind::kRefund, -1};
  }
  for (int i = 0; i < terms.branches_size(); ++i) {
    const v1::ConditionalBranch& branch = terms.branches(i);
    if (Evaluate(branch.condition(), facts) == Truth::kTrue &&
        PayoutComputable(branch.payout(), facts)) {
      return Outcome{Outcome::Kind::kSettle, i};
    }
  }
  return Outcome{};
}

absl::StatusOr<std::vector<v1::Payout>> OutcomePayouts(const v1::ConditionalTerms& terms,
                                                       const Outcome& outcome, const Facts& facts) {
  POCHE_CHECK(outcome.kind != Outcome::Kind::kWaiting);
  POCHE_ASSIGN_OR_RETURN(Money locked_total, PositiveAmount(terms.locked_total()));
  const RoleParties role_parties = RolePartiesOf(terms);
  if (outcome.kind == Outcome::Kind::kRefund) {
    return ComputeFixedTablePayouts(terms.refund(), locked_total, role_parties);
  }
  POCHE_CHECK(outcome.branch_index >= 0 && outcome.branch_index < terms.branches_size());
  return ComputePayouts(terms.branches(outcome.branch_index).payout(), locked_total, role_parties,
                        facts);
}

std::optional<int64_t> NextDecisionTime(const v1::ConditionalTerms& terms, int64_t now_unix_ms) {
  if (now_unix_ms >= terms.hard_deadline_unix_ms()) return std::nullopt;
  int64_t next = terms.hard_deadline_unix_ms();
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    const std::optional<int64_t> change = NextTimeOfChange(branch.condition(), now_unix_ms);
    if (change && *change < next) next = *change;
  }
  POCHE_CHECK(next > now_unix_ms);
  return next;
}

}  // namespace argentpoche
