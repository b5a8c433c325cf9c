#include "tests/simulation/model.h"

#include <utility>

#include "engine/check.h"
#include "engine/keys.h"

namespace argentpoche::simulation {

bool IsRegistered(const Model& model, const std::string& party_id) {
  if (party_id == model.operator_id) return true;
  const auto found = model.parties.find(party_id);
  return found != model.parties.end() && found->second.registered;
}

const ModelAccount* FindAccount(const Model& model, const std::string& account_id) {
  const auto found = model.accounts.find(account_id);
  return found == model.accounts.end() ? nullptr : &found->second;
}

void ResolveHold(Model& model, ModelHold& hold, std::vector<Share> payouts,
                 v1::HoldState final_state, int64_t now) {
  POCHE_CHECK(hold.state == v1::HOLD_STATE_PENDING);
  int64_t remaining = hold.amount;
  for (const Share& payout : payouts) {
    POCHE_CHECK(payout.minor_units > 0 && payout.minor_units <= remaining);
    model.accounts.at(payout.to).balance += payout.minor_units;
    remaining -= payout.minor_units;
  }
  model.accounts.at(hold.payer_account_id).balance += remaining;
  hold.payouts = std::move(payouts);
  hold.state = final_state;
  hold.resolved_at_unix_ms = now;
}

void SettleContract(Model& model, ModelContract& contract, std::vector<Share> payouts,
                    v1::SettlementOutcome outcome, v1::ContractState final_state, int64_t now) {
  if (!contract.hold_id.empty()) {
    std::vector<Share> shares;
    for (const Share& payout : payouts) {
      if (payout.minor_units == 0) continue;
      shares.push_back({keys::PartyAccountId(payout.to, contract.currency), payout.minor_units});
    }
    const v1::HoldState hold_state =
        outcome == v1::SETTLEMENT_OUTCOME_EXPIRED ? v1::HOLD_STATE_VOIDED : v1::HOLD_STATE_RELEASED;
    ResolveHold(model, model.holds.at(contract.hold_id), std::move(shares), hold_state, now);
  }
  contract.state = final_state;
  contract.outcome = outcome;
  contract.settled_payouts = std::move(payouts);
}

bool IsFinal(v1::HoldState state) { return state != v1::HOLD_STATE_PENDING; }

bool IsFinal(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED ||
         state == v1::CONTRACT_STATE_EXPIRED;
}

bool IsLegalTransition(v1::HoldState before, v1::HoldState after) {
  if (before == after) return true;
  if (before == v1::HOLD_STATE_UNSPECIFIED) return after == v1::HOLD_STATE_PENDING;
  return before == v1::HOLD_STATE_PENDING && after != v1::HOLD_STATE_UNSPECIFIED;
}

bool IsLegalTransition(v1::ContractState before, v1::ContractState after) {
  if (before == after) return true;
  switch (before) {
    case v1::CONTRACT_STATE_UNSPECIFIED:
      return after == v1::CONTRACT_STATE_PROPOSED;
    case v1::CONTRACT_STATE_PROPOSED:
      return after == v1::CONTRACT_STATE_SIGNED || after == v1::CONTRACT_STATE_EXPIRED;
    case v1::CONTRACT_STATE_SIGNED:
      return after == v1::CONTRACT_STATE_FUNDED || after == v1::CONTRACT_STATE_EXPIRED;
    case v1::CONTRACT_STATE_FUNDED:
      return after == v1::CONTRACT_STATE_SETTLED || after == v1::CONTRACT_STATE_REFUNDED ||
             after == v1::CONTRACT_STATE_DISPUTED;
    case v1::CONTRACT_STATE_DISPUTED:
      return after == v1::CONTRACT_STATE_SETTLED;
    default:
      return false;
  }
}

}  // namespace argentpoche::simulation
