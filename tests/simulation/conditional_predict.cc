// The answers the engine must give to conditional-contract commands, checks in the
// engine's order (engine/contracts.cc, engine/conditional.cc, engine/conditional_decide.cc).
#include <set>

#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/option_template.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/weather_template.h"
#include "tests/simulation/conditional_rules.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;

Expectation Refused(Code code, std::string reason) {
  return Expectation::Refused(code, std::move(reason));
}

bool Refusal(const Expectation& expectation) {
  return expectation.kind == Expectation::Kind::kRefused;
}

Expectation PredictCreate(const Model& model, const CommandView& view, int64_t now) {
  const ConditionalCreation creation = ParseCreation(view.command);
  if (!creation.compiled.ok()) {
    return Refused(creation.compiled.status().code(), ReasonOf(creation.compiled.status()));
  }
  const v1::ConditionalTerms& terms = *creation.compiled;
  std::set<std::string> parties;
  for (const v1::RoleParty& party : terms.parties()) {
    if (party.party_id().empty()) return Refused(Code::kInvalidArgument, "MISSING_PARTY");
    if (!IsRegistered(model, party.party_id())) {
      return Refused(Code::kNotFound, "PARTY_NOT_FOUND");
    }
    if (!parties.insert(party.party_id()).second) {
      return Refused(Code::kInvalidArgument, "SAME_PARTY");
    }
  }
  if (!parties.contains(view.signer_id)) return Refused(Code::kPermissionDenied, "NOT_A_PARTY");
  for (const v1::ValueSource& source : terms.value_sources()) {
    for (const std::string& id : source.oracle_party_ids()) {
      const auto oracle = model.oracle.oracles.find(id);
      if (oracle == model.oracle.oracles.end()) {
        return Refused(Code::kInvalidArgument, "UNKNOWN_ORACLE");
      }
      if (Expectation standing = OracleStanding(oracle->second); Refusal(standing)) return standing;
      if (!OracleMayAttest(oracle->second, source.feed())) {
        return Refused(Code::kInvalidArgument, "ORACLE_NOT_FOR_FEED");
      }
    }
  }
  if (terms.hard_deadline_unix_ms() <= now) {
    return Refused(Code::kInvalidArgument, "NO_REFUND_PATH");
  }
  if (terms.fund_by_unix_ms() <= now) return Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
  std::set<std::string> money_roles;  // checked in role name order, as the engine does
  for (const v1::FixedAmount& leg : terms.funding()) money_roles.insert(leg.role());
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    for (const v1::FixedAmount& amount : branch.payout().fixed_table().amounts()) {
      money_roles.insert(amount.role());
    }
    for (const std::string* role : {&branch.payout().fixed_table().remainder_role(),
                                    &branch.payout().piecewise_linear().payee_role(),
                                    &branch.payout().piecewise_linear().remainder_role()}) {
      if (!role->empty()) money_roles.insert(*role);
    }
  }
  for (const v1::FixedAmount& amount : terms.refund().amounts()) money_roles.insert(amount.role());
  for (const std::string& role : money_roles) {
    std::string party;
    for (const v1::RoleParty& each : terms.parties()) {
      if (each.role() == role && party.empty()) party = each.party_id();
    }
    if (!FindAccount(model, keys::PartyAccountId(party, terms.locked_total().currency()))) {
      return Refused(Code::kFailedPrecondition, "ACCOUNT_NOT_FOUND");
    }
  }
  return Expectation::Applied();
}

Expectation PredictFund(const Model& model, const ModelConditional& contract,
                        const CommandView& view, int64_t now) {
  const ModelLeg* leg = nullptr;
  for (const ModelLeg& each : contract.legs) {
    if (each.party == view.signer_id) leg = &each;
  }
  if (leg == nullptr) return Refused(Code::kPermissionDenied, "NOT_A_FUNDER");
  if (!leg->hold_id.empty()) return Refused(Code::kFailedPrecondition, "ALREADY_FUNDED");
  if (contract.state == v1::CONTRACT_STATE_PROPOSED) {
    return Refused(Code::kFailedPrecondition, "NOT_SIGNED");
  }
  if (contract.state != v1::CONTRACT_STATE_SIGNED) {
    return Refused(Code::kFailedPrecondition, "WRONG_STATE");
  }
  if (now >= contract.compiled.fund_by_unix_ms()) {
    return Refused(Code::kFailedPrecondition, "DEADLINE_PASSED");
  }
  for (const v1::ValueSource& source : contract.compiled.value_sources()) {
    for (const std::string& id : source.oracle_party_ids()) {
      const ModelOracle& oracle = model.oracle.oracles.at(id);
      if (oracle.revoked_at_unix_ms != 0) {
        return Refused(Code::kFailedPrecondition, "ORACLE_REVOKED");
      }
      if (oracle.flagged) return Refused(Code::kFailedPrecondition, "ORACLE_FLAGGED");
    }
  }
  const ModelAccount* account =
      FindAccount(model, keys::PartyAccountId(view.signer_id, contract.currency));
  if (account == nullptr) return Refused(Code::kNotFound, "ACCOUNT_NOT_FOUND");
  if (account->balance < leg->amount) {
    return Refused(Code::kFailedPrecondition, "INSUFFICIENT_FUNDS");
  }
  return Expectation::Applied();
}

Expectation PredictDecide(const ModelConditional& contract, const CommandView& view) {
  if (contract.RoleOf(view.signer_id) != "arbiter") {
    return Refused(Code::kPermissionDenied, "NOT_ALLOWED");
  }
  if (contract.state != v1::CONTRACT_STATE_DISPUTED) {
    return Refused(Code::kFailedPrecondition, "NOT_DISPUTED");
  }
  const auto& payouts = view.command.decide_contract().payouts();
  if (payouts.empty() || payouts.size() > static_cast<int>(limits::kMaxPayouts)) {
    return Refused(Code::kInvalidArgument, "SPLIT_MISMATCH");
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (const v1::Payout& payout : payouts) {
    const std::string role = contract.RoleOf(payout.party_id());
    if (role.empty() || role == "arbiter") return Refused(Code::kInvalidArgument, "NOT_A_PAYEE");
    if (!seen.insert(payout.party_id()).second) {
      return Refused(Code::kInvalidArgument, "DUPLICATE_PAYEE");
    }
    if (payout.amount().currency() != contract.currency) {
      return Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
    }
    if (payout.amount().minor_units() < 0) {
      return Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
    }
    sum += payout.amount().minor_units();
  }
  if (sum != contract.locked) return Refused(Code::kInvalidArgument, "SPLIT_MISMATCH");
  return Expectation::Applied();
}

Expectation PredictOnContract(const Model& model, const ModelConditional& contract,
                              const CommandView& view, int64_t now) {
  const v1::Command& command = view.command;
  const std::string role = contract.RoleOf(view.signer_id);
  switch (command.action_case()) {
    case v1::Command::kSignContract:
      if (role.empty()) return Refused(Code::kPermissionDenied, "NOT_A_PARTY");
      if (contract.state != v1::CONTRACT_STATE_PROPOSED) {
        return Refused(Code::kFailedPrecondition, "WRONG_STATE");
      }
      for (const std::string& signer : contract.signers) {
        if (signer == view.signer_id) return Refused(Code::kAlreadyExists, "ALREADY_SIGNED");
      }
      if (!VerifySignature(model.parties.at(view.signer_id).key->public_key(),
                           TaggedBytes(domain::kContractSignature, contract.terms_hash),
                           command.sign_contract().signature())) {
        return Refused(Code::kUnauthenticated, "BAD_SIGNATURE");
      }
      return Expectation::Applied();
    case v1::Command::kFundContract:
      return PredictFund(model, contract, view, now);
    case v1::Command::kEndorseContract:
      if (role.empty()) return Refused(Code::kPermissionDenied, "NOT_A_PARTY");
      if (contract.state != v1::CONTRACT_STATE_FUNDED) {
        return Refused(Code::kFailedPrecondition, "NOT_FUNDED");
      }
      for (const std::string& endorsed : contract.endorsed_roles) {
        if (endorsed == role) return Refused(Code::kAlreadyExists, "ALREADY_ENDORSED");
      }
      return Expectation::Applied();
    case v1::Command::kRevealPreimage: {
      const std::string& preimage = command.reveal_preimage().preimage();
      if (preimage.size() > limits::kMaxPreimageBytes) {
        return Refused(Code::kInvalidArgument, "TOO_LONG");
      }
      if (contract.state != v1::CONTRACT_STATE_FUNDED) {
        return Refused(Code::kFailedPrecondition, "NOT_FUNDED");
      }
      for (const std::string& revealed : contract.revealed) {
        if (revealed == preimage) return Refused(Code::kAlreadyExists, "ALREADY_REVEALED");
      }
      if (contract.secret.empty() || preimage != contract.secret) {
        return Refused(Code::kInvalidArgument, "PREIMAGE_NOT_AWAITED");
      }
      return Expectation::Applied();
    }
    default:
      return PredictDecide(contract, view);
  }
}

}  // namespace

Expectation PredictContract(const Model& model, const CommandView& view, int64_t now) {
  if (view.command.has_create_contract()) return PredictCreate(model, view, now);
  const std::string id = ContractIdOf(view.command);
  const auto found = model.oracle.contracts.find(id);
  if (found != model.oracle.contracts.end()) {
    return PredictOnContract(model, found->second, view, now);
  }
  if (model.contracts.contains(id)) return Refused(Code::kFailedPrecondition, "NOT_CONDITIONAL");
  return Refused(Code::kNotFound, "CONTRACT_NOT_FOUND");
}

ConditionalCreation ParseCreation(const v1::Command& command) {
  ConditionalCreation creation;
  v1::ContractTerms terms;
  const std::string& bytes = command.create_contract().terms();
  if (!command.has_create_contract() || bytes.empty() || !terms.ParseFromString(bytes)) {
    return creation;
  }
  switch (terms.template_case()) {
    case v1::ContractTerms::kConditional:
      creation.template_name = "conditional";
      creation.compiled = terms.conditional();
      break;
    case v1::ContractTerms::kOption:
      creation.template_name = std::string(kOptionTemplate);
      creation.compiled = CompileOptionTerms(terms.option());
      break;
    case v1::ContractTerms::kWeatherCover:
      creation.template_name = std::string(kWeatherCoverTemplate);
      creation.compiled = CompileWeatherCoverTerms(terms.weather_cover());
      break;
    default:
      return creation;
  }
  creation.conditional = true;
  return creation;
}

std::string ContractIdOf(const v1::Command& command) {
  switch (command.action_case()) {
    case v1::Command::kSignContract:
      return command.sign_contract().contract_id();
    case v1::Command::kFundContract:
      return command.fund_contract().contract_id();
    case v1::Command::kDecideContract:
      return command.decide_contract().contract_id();
    case v1::Command::kEndorseContract:
      return command.endorse_contract().contract_id();
    case v1::Command::kRevealPreimage:
      return command.reveal_preimage().contract_id();
    default:
      return "";
  }
}

std::string SecretOf(const std::string& description) {
  return Concat("the simulated secret of ", description);
}

}  // namespace argentpoche::simulation
