#include "engine/conditional_decide.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_join.h"
#include "engine/conditional.h"
#include "engine/conditions.h"
#include "engine/conditions_outcome.h"
#include "engine/contracts.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/oracles.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

// The values of one source's oracles that count: one per oracle (an oracle with two
// different values counts for nothing), observed inside the source's window, rescaled.
absl::StatusOr<std::map<std::string, int64_t>> UsableValues(const ApplyContext& ctx,
                                                            const v1::ValueSource& source,
                                                            const KnownAttestations* known) {
  std::vector<v1::StoredAttestation> read;
  const bool is_known =
      known != nullptr && known->feed == source.feed() && known->event_id == source.event_id();
  if (!is_known) {
    POCHE_ASSIGN_OR_RETURN(read, EventAttestations(ctx, source.feed(), source.event_id()));
  }
  const std::vector<v1::StoredAttestation>& stored = is_known ? *known->attestations : read;
  std::map<std::string, int64_t> values;
  std::map<std::string, int> seen;
  for (const v1::StoredAttestation& each : stored) {
    const v1::Attestation& attestation = each.attestation();
    const std::string& oracle = attestation.oracle_party_id();
    if (std::find(source.oracle_party_ids().begin(), source.oracle_party_ids().end(), oracle) ==
        source.oracle_party_ids().end()) {
      continue;
    }
    if (++seen[oracle] > 1) continue;
    if (attestation.observed_at_unix_ms() < source.observe_from_unix_ms() ||
        attestation.observed_at_unix_ms() >= source.observe_until_unix_ms()) {
      continue;
    }
    const std::optional<int64_t> value =
        Rescale(attestation.value(), attestation.scale(), source.scale());
    if (value) values[oracle] = *value;
  }
  for (const auto& [oracle, count] : seen) {
    if (count > 1) values.erase(oracle);
  }
  return values;
}

std::string DescribeValues(const std::vector<int64_t>& values) {
  return absl::StrJoin(values, ", ");
}

// Fixes the sources whose quorum is reached and fills `facts`; returns a dispute reason
// when a quorum disagrees, else "".
absl::StatusOr<std::string> GatherFacts(const ApplyContext& ctx, v1::ConditionalState& state,
                                        const KnownAttestations* known, Facts& facts) {
  facts.now_unix_ms = ctx.now_unix_ms;
  facts.signed_roles.insert(state.endorsed_roles().begin(), state.endorsed_roles().end());
  facts.revealed_preimages.insert(state.revealed_preimages().begin(),
                                  state.revealed_preimages().end());
  for (const v1::SourceValue& fixed : state.values()) {
    facts.oracle_values[fixed.source()] = fixed.value();
    facts.attestations_received[fixed.source()] = fixed.oracle_party_ids_size();
  }
  for (const v1::ValueSource& source : state.terms().value_sources()) {
    if (facts.oracle_values.contains(source.name())) continue;
    POCHE_ASSIGN_OR_RETURN(auto usable, UsableValues(ctx, source, known));
    facts.attestations_received[source.name()] = static_cast<int>(usable.size());
    if (usable.size() < source.quorum()) continue;
    std::vector<int64_t> sorted;
    for (const auto& [oracle, value] : usable) sorted.push_back(value);
    std::sort(sorted.begin(), sorted.end());
    const absl::int128 spread = absl::int128(sorted.back()) - sorted.front();
    const bool exact = source.aggregation() == v1::AGGREGATION_EXACT;
    if ((exact && spread != 0) || (!exact && spread > source.max_spread())) {
      return Concat("the oracles of ", source.name(), " (", source.feed(), " ", source.event_id(),
                    ") disagree: values ", DescribeValues(sorted),
                    exact ? " are not all equal" : " spread more than allowed (",
                    exact ? "" : std::to_string(source.max_spread()), exact ? "" : ")");
    }
    v1::SourceValue* fixed = state.add_values();
    fixed->set_source(source.name());
    fixed->set_value(sorted[(sorted.size() - 1) / 2]);
    for (const auto& [oracle, value] : usable) {
      fixed->add_oracle_party_ids(oracle);
      fixed->add_values(value);
    }
    fixed->set_fixed_at_unix_ms(ctx.now_unix_ms);
    facts.oracle_values[source.name()] = fixed->value();
  }
  return std::string();
}

}  // namespace

void StopWaiting(ApplyContext& ctx, const v1::Contract& contract) {
  const v1::ConditionalState& state = contract.conditional();
  for (const v1::ValueSource& source : state.terms().value_sources()) {
    ctx.transaction->Delete(Table::kIndex,
                            keys::EventContract(source.feed(), source.event_id(), contract.id()));
    for (const std::string& oracle : source.oracle_party_ids()) {
      ctx.transaction->Delete(Table::kIndex, keys::OracleContract(oracle, contract.id()));
    }
  }
}

namespace {

void SetNextDecision(ApplyContext& ctx, v1::Contract& contract, int64_t due_unix_ms) {
  v1::ConditionalState& state = *contract.mutable_conditional();
  if (state.next_decision_unix_ms() == due_unix_ms) return;
  if (state.next_decision_unix_ms() != 0) {
    CancelDeadline(ctx.transaction, state.next_decision_unix_ms(), deadline::kDecide,
                   contract.id());
  }
  if (due_unix_ms != 0)
    ScheduleDeadline(ctx.transaction, due_unix_ms, deadline::kDecide, contract.id());
  state.set_next_decision_unix_ms(due_unix_ms);
}

absl::Status SettleInPlace(ApplyContext& ctx, v1::Contract& contract,
                           const std::vector<v1::Payout>& payouts, v1::SettlementOutcome outcome,
                           v1::ContractState final_state, std::string_view why) {
  StopWaiting(ctx, contract);
  SetNextDecision(ctx, contract, 0);
  POCHE_RETURN_IF_ERROR(SettleContract(ctx, contract, payouts, outcome, final_state));
  AddHistory(ctx, contract, Concat(why, ": paid ", DescribePayouts(ctx, contract, payouts)));
  return absl::OkStatus();
}

}  // namespace

std::optional<int64_t> Rescale(int64_t value, uint32_t from_scale, uint32_t to_scale) {
  absl::int128 result = value;
  for (uint32_t scale = from_scale; scale < to_scale; ++scale) result *= 10;
  if (to_scale < from_scale) {
    absl::int128 divisor = 1;
    for (uint32_t scale = to_scale; scale < from_scale; ++scale) divisor *= 10;
    absl::int128 quotient = result / divisor;
    absl::int128 remainder = result % divisor;  // same sign as result
    const absl::int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
    if (twice > divisor || (twice == divisor && quotient % 2 != 0)) {
      quotient += result < 0 ? -1 : 1;
    }
    result = quotient;
  }
  if (result > limits::kMaxOracleValueMagnitude || result < -limits::kMaxOracleValueMagnitude) {
    return std::nullopt;
  }
  return static_cast<int64_t>(result);
}

void DisputeInPlace(ApplyContext& ctx, v1::Contract& contract, std::string_view reason) {
  StopWaiting(ctx, contract);
  contract.set_state(v1::CONTRACT_STATE_DISPUTED);
  v1::Dispute* dispute = contract.mutable_dispute();
  dispute->set_reason(std::string(reason));
  dispute->set_disputed_at_unix_ms(ctx.now_unix_ms);
  const v1::ConditionalTerms& terms = contract.conditional().terms();
  SetNextDecision(ctx, contract, terms.hard_deadline_unix_ms());
  bool has_arbiter = false;
  for (const v1::ContractParty& party : contract.parties()) {
    has_arbiter = has_arbiter || party.role() == kArbiterRole;
  }
  AddHistory(ctx, contract,
             Concat("in dispute, nothing is paid out: ", reason,
                    has_arbiter ? "; the arbiter may decide, else the refund applies on "
                                : "; the refund applies on ",
                    FormatTime(terms.hard_deadline_unix_ms())));
}

absl::Status RefundInPlace(ApplyContext& ctx, v1::Contract& contract, std::string_view why) {
  const v1::ConditionalTerms& terms = contract.conditional().terms();
  POCHE_ASSIGN_OR_RETURN(std::vector<v1::Payout> payouts,
                         OutcomePayouts(terms, Outcome{.kind = Outcome::Kind::kRefund}, Facts{}));
  return SettleInPlace(ctx, contract, payouts, v1::SETTLEMENT_OUTCOME_REFUNDED,
                       v1::CONTRACT_STATE_REFUNDED, why);
}

absl::StatusOr<bool> DecideFunded(ApplyContext& ctx, v1::Contract& contract,
                                  const KnownAttestations* known) {
  v1::ConditionalState& state = *contract.mutable_conditional();
  Facts facts;
  POCHE_ASSIGN_OR_RETURN(std::string disagreement, GatherFacts(ctx, state, known, facts));
  if (!disagreement.empty()) {
    DisputeInPlace(ctx, contract, disagreement);
    return true;
  }
  const v1::ConditionalTerms& terms = state.terms();
  const Outcome outcome = DecideOutcome(terms, facts);
  if (outcome.kind == Outcome::Kind::kRefund) {
    POCHE_RETURN_IF_ERROR(RefundInPlace(
        ctx, contract, "nothing was decided by the hard deadline: the refund table applies"));
    return true;
  }
  if (outcome.kind == Outcome::Kind::kSettle) {
    POCHE_ASSIGN_OR_RETURN(std::vector<v1::Payout> payouts, OutcomePayouts(terms, outcome, facts));
    state.set_settled_branch(outcome.branch_index + 1);
    const v1::ConditionalBranch& branch = terms.branches(outcome.branch_index);
    const std::string name = branch.description().empty()
                                 ? Concat("branch ", outcome.branch_index + 1)
                                 : Concat("\"", branch.description(), "\"");
    POCHE_RETURN_IF_ERROR(SettleInPlace(ctx, contract, payouts,
                                        v1::SETTLEMENT_OUTCOME_CONDITION_MET,
                                        v1::CONTRACT_STATE_SETTLED, Concat(name, " holds")));
    return true;
  }
  const std::optional<int64_t> next = NextDecisionTime(terms, ctx.now_unix_ms);
  SetNextDecision(ctx, contract, next.value_or(0));
  return false;
}

}  // namespace argentpoche
