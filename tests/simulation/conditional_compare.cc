// The engine's oracles and conditional contracts against the model: every field the
// model knows, the receipt verified with the receipt key, and the invariants of
// conditional contracts (a settlement pays out exactly the lock; a contract that relied on
// an oracle when it was flagged never settles by a branch; states move only forward).
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"
#include "tests/simulation/deposit_compare.h"

namespace argentpoche::simulation {
namespace {

bool IsFinalState(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED ||
         state == v1::CONTRACT_STATE_EXPIRED;
}

bool LegalTransition(v1::ContractState before, v1::ContractState after) {
  if (before == after || before == v1::CONTRACT_STATE_UNSPECIFIED) return true;
  switch (before) {
    case v1::CONTRACT_STATE_PROPOSED:
      return after == v1::CONTRACT_STATE_SIGNED || after == v1::CONTRACT_STATE_EXPIRED;
    case v1::CONTRACT_STATE_SIGNED:
      return after == v1::CONTRACT_STATE_FUNDED || after == v1::CONTRACT_STATE_EXPIRED;
    case v1::CONTRACT_STATE_FUNDED:
      return after == v1::CONTRACT_STATE_SETTLED || after == v1::CONTRACT_STATE_REFUNDED ||
             after == v1::CONTRACT_STATE_DISPUTED;
    case v1::CONTRACT_STATE_DISPUTED:
      return after == v1::CONTRACT_STATE_SETTLED || after == v1::CONTRACT_STATE_REFUNDED;
    default:
      return false;
  }
}

bool SameState(const ModelConditional& expected, const v1::ConditionalState& state) {
  bool same = state.terms().SerializeAsString() == expected.compiled.SerializeAsString() &&
              state.endorsed_roles_size() == static_cast<int>(expected.endorsed_roles.size()) &&
              state.revealed_preimages_size() == static_cast<int>(expected.revealed.size()) &&
              state.values_size() == static_cast<int>(expected.fixed.size()) &&
              state.settled_branch() == expected.settled_branch &&
              state.next_decision_unix_ms() == expected.next_decision_unix_ms;
  for (int i = 0; same && i < state.endorsed_roles_size(); ++i) {
    same = state.endorsed_roles(i) == expected.endorsed_roles[i];
  }
  for (int i = 0; same && i < state.revealed_preimages_size(); ++i) {
    same = state.revealed_preimages(i) == expected.revealed[i];
  }
  for (int i = 0; same && i < state.values_size(); ++i) {
    const v1::SourceValue& value = state.values(i);
    const ModelFixedValue& fixed = expected.fixed[i];
    same = value.source() == fixed.source && value.value() == fixed.value &&
           value.fixed_at_unix_ms() == fixed.fixed_at_unix_ms &&
           std::vector<std::string>(value.oracle_party_ids().begin(),
                                    value.oracle_party_ids().end()) == fixed.oracles &&
           std::vector<int64_t>(value.values().begin(), value.values().end()) == fixed.values;
  }
  return same;
}

bool SameParties(const ModelConditional& expected, const v1::Contract& stored) {
  bool same = stored.parties_size() == static_cast<int>(expected.parties.size()) &&
              stored.signatures_size() == static_cast<int>(expected.signers.size()) &&
              stored.funding_legs_size() == static_cast<int>(expected.legs.size());
  for (int i = 0; same && i < stored.parties_size(); ++i) {
    same = stored.parties(i).role() == expected.parties[i].first &&
           stored.parties(i).party_id() == expected.parties[i].second;
  }
  for (int i = 0; same && i < stored.signatures_size(); ++i) {
    same = stored.signatures(i).party_id() == expected.signers[i];
  }
  for (int i = 0; same && i < stored.funding_legs_size(); ++i) {
    const v1::FundingLeg& leg = stored.funding_legs(i);
    same = leg.party_id() == expected.legs[i].party &&
           leg.amount().minor_units() == expected.legs[i].amount &&
           leg.amount().currency() == expected.currency &&
           leg.hold_id() == expected.legs[i].hold_id &&
           leg.funded_at_unix_ms() == expected.legs[i].funded_at_unix_ms;
  }
  return same;
}

absl::Status CompareConditionalReceipt(const Model& model, const ModelConditional& expected,
                                       const v1::Contract& stored) {
  if (!IsFinalState(expected.state)) {
    if (!stored.has_receipt()) return absl::OkStatus();
    return Violation(Concat("contract ", expected.id, " has a receipt before it ended"));
  }
  const absl::StatusOr<std::string> payload =
      OpenEnvelope(stored.receipt(), domain::kReceipt, model.receipt_public_key);
  v1::SettlementReceipt receipt;
  if (!payload.ok() || !receipt.ParseFromString(*payload)) {
    return Violation(Concat("the receipt of contract ", expected.id, " does not verify"));
  }
  int64_t paid = 0;
  for (const v1::Payout& payout : receipt.payouts()) paid += payout.amount().minor_units();
  int64_t locked = 0;
  for (const ModelLeg& leg : expected.legs) locked += leg.hold_id.empty() ? 0 : leg.amount;
  if (expected.state != v1::CONTRACT_STATE_EXPIRED && paid != expected.locked) {
    return Violation(Concat("contract ", expected.id, " locked ", expected.locked, " but its ",
                            v1::ContractState_Name(expected.state), " receipt pays ", paid));
  }
  if (paid != locked) {
    return Violation(
        Concat("contract ", expected.id, " pays out ", paid, " of ", locked, " locked"));
  }
  if (receipt.contract_id() != expected.id || receipt.terms_hash() != expected.terms_hash ||
      receipt.outcome() != expected.outcome ||
      !SamePayouts(receipt.payouts(), expected.settled_payouts, expected.currency)) {
    std::string expected_payouts, stored_payouts;
    for (const Share& share : expected.settled_payouts) {
      expected_payouts += Concat(" ", share.to.substr(0, 6), ":", share.minor_units);
    }
    for (const v1::Payout& payout : receipt.payouts()) {
      stored_payouts +=
          Concat(" ", payout.party_id().substr(0, 6), ":", payout.amount().minor_units());
    }
    return Violation(Concat("the receipt of contract ", expected.id, " says ",
                            v1::SettlementOutcome_Name(receipt.outcome()), stored_payouts,
                            "; the model expects ", v1::SettlementOutcome_Name(expected.outcome),
                            expected_payouts));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CompareOracle(const Model& model, const ModelOracle& expected,
                           const v1::Oracle& stored) {
  bool same =
      stored.party_id() == expected.party_id &&
      std::vector<std::string>(stored.feeds().begin(), stored.feeds().end()) == expected.feeds &&
      stored.keys_size() == static_cast<int>(expected.keys.size()) &&
      stored.flagged() == expected.flagged &&
      std::vector<std::string>(stored.equivocation_proof_ids().begin(),
                               stored.equivocation_proof_ids().end()) == expected.proof_ids &&
      stored.registered_at_unix_ms() == expected.registered_at_unix_ms &&
      stored.revoked_at_unix_ms() == expected.revoked_at_unix_ms &&
      stored.display_name() == model.parties.at(expected.party_id).display_name;
  for (int i = 0; same && i < stored.keys_size(); ++i) {
    const v1::OracleKey& key = stored.keys(i);
    const ModelOracleKey& model_key = expected.keys[i];
    same = key.key_id() == model_key.id() && key.public_key() == model_key.public_key &&
           key.valid_from_unix_ms() == model_key.valid_from_unix_ms &&
           key.valid_until_unix_ms() == model_key.valid_until_unix_ms &&
           key.revoked_at_unix_ms() == model_key.revoked_at_unix_ms;
  }
  if (same) return absl::OkStatus();
  return Violation(Concat("oracle ", expected.party_id, " has ", stored.keys_size(),
                          " keys, flagged ", stored.flagged(), ", revoked at ",
                          stored.revoked_at_unix_ms(), "; the model expects ", expected.keys.size(),
                          " keys, flagged ", expected.flagged, ", revoked at ",
                          expected.revoked_at_unix_ms));
}

absl::Status CompareConditional(const Model& model, const ModelConditional& expected,
                                const v1::Contract& stored) {
  const bool same = stored.id() == expected.id && stored.template_() == expected.template_name &&
                    stored.terms() == expected.terms &&
                    stored.terms_hash() == expected.terms_hash &&
                    stored.state() == expected.state &&
                    stored.fund_by_unix_ms() == expected.compiled.fund_by_unix_ms() &&
                    stored.created_by_party_id() == expected.created_by &&
                    stored.created_at_unix_ms() == expected.created_at_unix_ms &&
                    stored.has_dispute() == (expected.disputed_at_unix_ms != 0) &&
                    stored.dispute().disputed_at_unix_ms() == expected.disputed_at_unix_ms &&
                    SameParties(expected, stored) && SameState(expected, stored.conditional());
  if (!same) {
    return Violation(
        Concat(expected.template_name, " contract ", expected.id, " is ",
               v1::ContractState_Name(stored.state()), " with ", stored.signatures_size(),
               " signatures, ", stored.conditional().values_size(), " values fixed, next decision ",
               stored.conditional().next_decision_unix_ms(), ", disputed at ",
               stored.dispute().disputed_at_unix_ms(), "; the model expects ",
               v1::ContractState_Name(expected.state), " with ", expected.signers.size(),
               " signatures, ", expected.fixed.size(), " values fixed, next decision ",
               expected.next_decision_unix_ms, ", disputed at ", expected.disputed_at_unix_ms));
  }
  return CompareConditionalReceipt(model, expected, stored);
}

absl::Status CheckConditionals(Model& model, const Engine& engine, bool full) {
  for (auto& [id, contract] : model.oracle.contracts) {
    if (!contract.frozen_record.empty() && !full) continue;
    const absl::StatusOr<v1::Contract> stored = engine.GetContract(id);
    if (!stored.ok()) {
      return Violation(Concat("contract ", id, " cannot be read: ", stored.status().message()));
    }
    if (!contract.frozen_record.empty()) {
      if (stored->SerializeAsString() != contract.frozen_record) {
        return Violation(Concat("contract ", id, " changed after it ended"));
      }
      continue;
    }
    if (!LegalTransition(contract.observed_state, stored->state())) {
      return Violation(Concat("contract ", id, " went from ",
                              v1::ContractState_Name(contract.observed_state), " to ",
                              v1::ContractState_Name(stored->state())));
    }
    contract.observed_state = stored->state();
    if (contract.tainted && stored->state() == v1::CONTRACT_STATE_SETTLED &&
        stored->conditional().settled_branch() != 0) {
      return Violation(Concat("contract ", id, " settled by branch ",
                              stored->conditional().settled_branch(),
                              " although an oracle it relies on was flagged before"));
    }
    POCHE_RETURN_IF_ERROR(CompareConditional(model, contract, *stored));
    if (IsFinalState(contract.state)) contract.frozen_record = stored->SerializeAsString();
  }
  return absl::OkStatus();
}

}  // namespace argentpoche::simulation
