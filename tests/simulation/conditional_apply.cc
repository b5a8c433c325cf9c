// What an acknowledged conditional-contract command changes in the model (creation,
// signatures, funding legs locked as holds, endorsements, preimages, the arbiter's
// decision), each fact followed by the decision the engine must take at once, and the
// check of the contract the engine answered with.
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"

namespace argentpoche::simulation {
namespace {

// True when the terms wait for the preimage `secret` somewhere in their branches.
bool Awaits(const v1::Condition& condition, const std::string& digest) {
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      for (const v1::Condition& child : condition.all_of().conditions()) {
        if (Awaits(child, digest)) return true;
      }
      return false;
    case v1::Condition::kAnyOf:
      for (const v1::Condition& child : condition.any_of().conditions()) {
        if (Awaits(child, digest)) return true;
      }
      return false;
    case v1::Condition::kThreshold:
      for (const v1::WeightedCondition& child : condition.threshold().children()) {
        if (Awaits(child.condition(), digest)) return true;
      }
      return false;
    case v1::Condition::kSha256Preimage:
      return condition.sha256_preimage().sha256() == digest;
    default:
      return false;
  }
}

ModelConditional& Create(Model& model, const CommandView& view, int64_t now) {
  const ConditionalCreation creation = ParseCreation(view.command);
  const std::string id = keys::DerivedId("c", view.signer_id, view.command.request_id());
  ModelConditional& contract = model.oracle.contracts[id];
  contract.id = id;
  contract.template_name = creation.template_name;
  contract.terms = view.command.create_contract().terms();
  contract.terms_hash = Sha256(TaggedBytes(domain::kContractTerms, contract.terms));
  contract.created_by = view.signer_id;
  contract.created_at_unix_ms = now;
  contract.compiled = *creation.compiled;
  contract.currency = contract.compiled.locked_total().currency();
  contract.locked = contract.compiled.locked_total().minor_units();
  for (const v1::RoleParty& party : contract.compiled.parties()) {
    contract.parties.emplace_back(party.role(), party.party_id());
  }
  for (const v1::FixedAmount& leg : contract.compiled.funding()) {
    contract.legs.push_back({contract.PartyOf(leg.role()), leg.amount().minor_units(), "", 0});
  }
  const std::string secret = SecretOf(contract.compiled.description());
  for (const v1::ConditionalBranch& branch : contract.compiled.branches()) {
    if (Awaits(branch.condition(), Sha256(secret))) contract.secret = secret;
  }
  return contract;
}

void Fund(Model& model, ModelConditional& contract, const std::string& funder, int64_t now) {
  size_t index = contract.legs.size();
  for (size_t i = 0; i < contract.legs.size(); ++i) {
    if (contract.legs[i].party == funder) index = i;
  }
  ModelLeg& leg = contract.legs.at(index);
  leg.hold_id = Concat(contract.id, ".", index);
  leg.funded_at_unix_ms = now;
  ModelHold& hold = model.holds[leg.hold_id];
  hold.id = leg.hold_id;
  hold.payer_account_id = keys::PartyAccountId(funder, contract.currency);
  hold.currency = contract.currency;
  hold.amount = leg.amount;
  hold.contract_id = contract.id;
  hold.created_at_unix_ms = now;
  model.accounts.at(hold.payer_account_id).balance -= leg.amount;
  for (const ModelLeg& each : contract.legs) {
    if (each.hold_id.empty()) return;
  }
  contract.state = v1::CONTRACT_STATE_FUNDED;
  DecideFunded(model, contract, now);
}

}  // namespace

absl::Status ApplyContract(Model& model, const CommandView& view, const v1::CommandResult& result,
                           int64_t now) {
  const v1::Command& command = view.command;
  ModelConditional* contract = nullptr;
  if (command.has_create_contract()) {
    contract = &Create(model, view, now);
  } else {
    contract = &model.oracle.contracts.at(ContractIdOf(command));
  }
  switch (command.action_case()) {
    case v1::Command::kSignContract:
      contract->signers.push_back(view.signer_id);
      if (contract->signers.size() == contract->parties.size()) {
        contract->state = v1::CONTRACT_STATE_SIGNED;
      }
      break;
    case v1::Command::kFundContract:
      Fund(model, *contract, view.signer_id, now);
      break;
    case v1::Command::kEndorseContract:
      contract->endorsed_roles.push_back(contract->RoleOf(view.signer_id));
      DecideFunded(model, *contract, now);
      break;
    case v1::Command::kRevealPreimage:
      contract->revealed.push_back(command.reveal_preimage().preimage());
      DecideFunded(model, *contract, now);
      break;
    case v1::Command::kDecideContract: {
      std::vector<Share> payouts;
      for (const v1::Payout& payout : command.decide_contract().payouts()) {
        payouts.push_back({payout.party_id(), payout.amount().minor_units()});
      }
      SettleConditional(model, *contract, std::move(payouts), v1::SETTLEMENT_OUTCOME_ARBITRATED,
                        v1::CONTRACT_STATE_SETTLED, now);
      break;
    }
    default:
      break;
  }
  if (!result.has_contract()) {
    return Violation(Concat("the answer about ", contract->id, " is no contract"));
  }
  return CompareConditional(model, *contract, result.contract());
}

}  // namespace argentpoche::simulation
