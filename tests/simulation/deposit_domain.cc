// The deposit domain's rules: what the engine must answer to each contract command
// (in the engine's order of checks), what an acknowledged one changes, the contract
// deadlines (fund-by expiry, return-by refund, contest-by settlement), and the check of
// every contract against the model, its receipt verified with the receipt key. The
// random operations are in deposit_operations.cc.
#include <set>

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/strings.h"
#include "tests/simulation/deposit_compare.h"
#include "tests/simulation/domain.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;
constexpr int64_t kMaxContestWindowMs = int64_t{90} * 24 * 3600 * 1000;

std::vector<Share> SharesOf(const google::protobuf::RepeatedPtrField<v1::Payout>& payouts) {
  std::vector<Share> shares;
  for (const v1::Payout& payout : payouts) {
    shares.push_back({payout.party_id(), payout.amount().minor_units()});
  }
  return shares;
}

bool IsTenantOrLandlord(const ModelContract& contract, const std::string& party_id) {
  return party_id == contract.tenant || party_id == contract.landlord;
}

Expectation ValidateSplit(const ModelContract& contract,
                          const google::protobuf::RepeatedPtrField<v1::Payout>& payouts) {
  if (payouts.empty() || payouts.size() > static_cast<int>(limits::kMaxPayouts)) {
    return Expectation::Refused(Code::kInvalidArgument, "SPLIT_MISMATCH");
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (const v1::Payout& payout : payouts) {
    if (!IsTenantOrLandlord(contract, payout.party_id())) {
      return Expectation::Refused(Code::kInvalidArgument, "NOT_A_PAYEE");
    }
    if (!seen.insert(payout.party_id()).second) {
      return Expectation::Refused(Code::kInvalidArgument, "DUPLICATE_PAYEE");
    }
    if (payout.amount().currency() != contract.currency) {
      return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
    }
    if (payout.amount().minor_units() < 0) {
      return Expectation::Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
    }
    sum += payout.amount().minor_units();
  }
  if (sum != contract.amount) return Expectation::Refused(Code::kInvalidArgument, "SPLIT_MISMATCH");
  return Expectation::Applied();
}

// Who must answer the open proposal: FAILED_PRECONDITION / PERMISSION_DENIED otherwise.
Expectation RequireResponder(const ModelContract& contract, const std::string& party_id) {
  if (contract.state != v1::CONTRACT_STATE_FUNDED || contract.proposal_number == 0) {
    return Expectation::Refused(Code::kFailedPrecondition, "NO_PROPOSAL");
  }
  if (!IsTenantOrLandlord(contract, party_id)) {
    return Expectation::Refused(Code::kPermissionDenied, "NOT_ALLOWED");
  }
  if (contract.proposer == party_id) {
    return Expectation::Refused(Code::kPermissionDenied, "OWN_PROPOSAL");
  }
  return Expectation::Applied();
}

Expectation PredictCreate(const Model& model, const CommandView& view, int64_t now) {
  v1::ContractTerms terms;
  const std::string& bytes = view.command.create_contract().terms();
  if (bytes.empty() || !terms.ParseFromString(bytes)) {
    return Expectation::Refused(Code::kInvalidArgument, "MALFORMED_TERMS");
  }
  if (!terms.has_deposit()) return Expectation::Refused(Code::kInvalidArgument, "UNKNOWN_TEMPLATE");
  const v1::DepositTerms& deposit = terms.deposit();
  for (const std::string* party :
       {&deposit.tenant_party_id(), &deposit.landlord_party_id(), &deposit.arbiter_party_id()}) {
    if (party->empty()) return Expectation::Refused(Code::kInvalidArgument, "MISSING_PARTY");
    if (!IsRegistered(model, *party))
      return Expectation::Refused(Code::kNotFound, "PARTY_NOT_FOUND");
  }
  if (deposit.tenant_party_id() == deposit.landlord_party_id() ||
      deposit.arbiter_party_id() == deposit.tenant_party_id() ||
      deposit.arbiter_party_id() == deposit.landlord_party_id()) {
    return Expectation::Refused(Code::kInvalidArgument, "SAME_PARTY");
  }
  if (view.signer_id != deposit.tenant_party_id() &&
      view.signer_id != deposit.landlord_party_id()) {
    return Expectation::Refused(Code::kPermissionDenied, "NOT_A_PARTY");
  }
  if (deposit.amount().minor_units() <= 0) {
    return Expectation::Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
  }
  if (deposit.description().size() > limits::kMaxDescriptionLength) {
    return Expectation::Refused(Code::kInvalidArgument, "TOO_LONG");
  }
  if (deposit.fund_by_unix_ms() <= now) {
    return Expectation::Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
  }
  if (deposit.return_by_unix_ms() <= deposit.fund_by_unix_ms()) {
    return Expectation::Refused(Code::kInvalidArgument, "DEADLINE_ORDER");
  }
  if (deposit.return_by_unix_ms() > now + limits::kMaxDeadlineAheadMs) {
    return Expectation::Refused(Code::kInvalidArgument, "DEADLINE_TOO_FAR");
  }
  if (deposit.contest_window_ms() <= 0 || deposit.contest_window_ms() > kMaxContestWindowMs) {
    return Expectation::Refused(Code::kInvalidArgument, "BAD_CONTEST_WINDOW");
  }
  const std::string& currency = deposit.amount().currency();
  if (!FindAccount(model, keys::PartyAccountId(deposit.tenant_party_id(), currency)) ||
      !FindAccount(model, keys::PartyAccountId(deposit.landlord_party_id(), currency))) {
    return Expectation::Refused(Code::kFailedPrecondition, "ACCOUNT_NOT_FOUND");
  }
  return Expectation::Applied();
}

Expectation PredictSign(const Model& model, const ModelContract& contract,
                        const CommandView& view) {
  if (!IsTenantOrLandlord(contract, view.signer_id) && view.signer_id != contract.arbiter) {
    return Expectation::Refused(Code::kPermissionDenied, "NOT_A_PARTY");
  }
  if (contract.state != v1::CONTRACT_STATE_PROPOSED) {
    return Expectation::Refused(Code::kFailedPrecondition, "WRONG_STATE");
  }
  for (const std::string& signer : contract.signers) {
    if (signer == view.signer_id)
      return Expectation::Refused(Code::kAlreadyExists, "ALREADY_SIGNED");
  }
  if (!VerifySignature(model.parties.at(view.signer_id).key->public_key(),
                       TaggedBytes(domain::kContractSignature, contract.terms_hash),
                       view.command.sign_contract().signature())) {
    return Expectation::Refused(Code::kUnauthenticated, "BAD_SIGNATURE");
  }
  return Expectation::Applied();
}

Expectation PredictFund(const Model& model, const ModelContract& contract, const CommandView& view,
                        int64_t now) {
  if (view.signer_id != contract.tenant) {
    return Expectation::Refused(Code::kPermissionDenied, "NOT_A_FUNDER");
  }
  if (!contract.hold_id.empty()) {
    return Expectation::Refused(Code::kFailedPrecondition, "ALREADY_FUNDED");
  }
  if (contract.state == v1::CONTRACT_STATE_PROPOSED) {
    return Expectation::Refused(Code::kFailedPrecondition, "NOT_SIGNED");
  }
  if (contract.state != v1::CONTRACT_STATE_SIGNED) {
    return Expectation::Refused(Code::kFailedPrecondition, "WRONG_STATE");
  }
  if (now >= contract.fund_by_unix_ms) {
    return Expectation::Refused(Code::kFailedPrecondition, "DEADLINE_PASSED");
  }
  const std::string& account_id = view.command.fund_contract().account_id();
  const ModelAccount* account = FindAccount(
      model,
      account_id.empty() ? keys::PartyAccountId(view.signer_id, contract.currency) : account_id);
  if (account == nullptr) return Expectation::Refused(Code::kNotFound, "ACCOUNT_NOT_FOUND");
  if (account->owner_party_id != view.signer_id) {
    return Expectation::Refused(Code::kPermissionDenied, "NOT_YOUR_ACCOUNT");
  }
  if (account->currency != contract.currency) {
    return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
  }
  if (account->balance < contract.amount) {
    return Expectation::Refused(Code::kFailedPrecondition, "INSUFFICIENT_FUNDS");
  }
  return Expectation::Applied();
}

class DepositDomain final : public Domain {
 public:
  bool Handles(v1::Command::ActionCase action) const override {
    switch (action) {
      case v1::Command::kCreateContract:
      case v1::Command::kSignContract:
      case v1::Command::kFundContract:
      case v1::Command::kProposeSplit:
      case v1::Command::kAcceptSplit:
      case v1::Command::kDisputeContract:
      case v1::Command::kDecideContract:
        return true;
      default:
        return false;
    }
  }

  Expectation Predict(const Model& model, const CommandView& view, int64_t now) const override {
    const v1::Command& command = view.command;
    if (command.has_create_contract()) return PredictCreate(model, view, now);
    const std::string contract_id = ContractIdOf(command);
    const auto found = model.contracts.find(contract_id);
    if (found == model.contracts.end()) {
      return Expectation::Refused(Code::kNotFound, "CONTRACT_NOT_FOUND");
    }
    const ModelContract& contract = found->second;
    switch (command.action_case()) {
      case v1::Command::kSignContract:
        return PredictSign(model, contract, view);
      case v1::Command::kFundContract:
        return PredictFund(model, contract, view, now);
      case v1::Command::kProposeSplit:
        if (!IsTenantOrLandlord(contract, view.signer_id)) {
          return Expectation::Refused(Code::kPermissionDenied, "NOT_ALLOWED");
        }
        if (contract.state != v1::CONTRACT_STATE_FUNDED) {
          return Expectation::Refused(Code::kFailedPrecondition, "NOT_FUNDED");
        }
        if (contract.proposal_number > 0) {
          return Expectation::Refused(Code::kFailedPrecondition, "PROPOSAL_OPEN");
        }
        if (now >= contract.return_by_unix_ms) {
          return Expectation::Refused(Code::kFailedPrecondition, "DEADLINE_PASSED");
        }
        return ValidateSplit(contract, command.propose_split().payouts());
      case v1::Command::kAcceptSplit: {
        const Expectation responder = RequireResponder(contract, view.signer_id);
        if (responder.kind != Expectation::Kind::kApplied) return responder;
        if (command.accept_split().proposal_number() != contract.proposal_number) {
          return Expectation::Refused(Code::kFailedPrecondition, "PROPOSAL_CHANGED");
        }
        return Expectation::Applied();
      }
      case v1::Command::kDisputeContract: {
        const Expectation responder = RequireResponder(contract, view.signer_id);
        if (responder.kind != Expectation::Kind::kApplied) return responder;
        if (now >= contract.contest_by_unix_ms) {
          return Expectation::Refused(Code::kFailedPrecondition, "DEADLINE_PASSED");
        }
        if (command.dispute_contract().reason().size() > limits::kMaxDescriptionLength) {
          return Expectation::Refused(Code::kInvalidArgument, "TOO_LONG");
        }
        return Expectation::Applied();
      }
      default:  // DecideContract
        if (view.signer_id != contract.arbiter) {
          return Expectation::Refused(Code::kPermissionDenied, "NOT_ALLOWED");
        }
        if (contract.state != v1::CONTRACT_STATE_DISPUTED) {
          return Expectation::Refused(Code::kFailedPrecondition, "NOT_DISPUTED");
        }
        return ValidateSplit(contract, command.decide_contract().payouts());
    }
  }

  absl::Status Apply(Model& model, const CommandView& view, const v1::CommandResult& result,
                     int64_t now) const override {
    const v1::Command& command = view.command;
    ModelContract* contract = nullptr;
    if (command.has_create_contract()) {
      contract = &Create(model, view);
    } else {
      contract = &model.contracts.at(ContractIdOf(command));
    }
    switch (command.action_case()) {
      case v1::Command::kSignContract:
        contract->signers.push_back(view.signer_id);
        if (contract->signers.size() == 3) contract->state = v1::CONTRACT_STATE_SIGNED;
        break;
      case v1::Command::kFundContract:
        Fund(model, *contract, command.fund_contract().account_id(), now);
        break;
      case v1::Command::kProposeSplit:
        ++contract->proposal_number;
        contract->proposer = view.signer_id;
        contract->proposal = SharesOf(command.propose_split().payouts());
        contract->contest_by_unix_ms = now + contract->contest_window_ms;
        break;
      case v1::Command::kAcceptSplit:
        SettleContract(model, *contract, contract->proposal, v1::SETTLEMENT_OUTCOME_AGREED,
                       v1::CONTRACT_STATE_SETTLED, now);
        break;
      case v1::Command::kDisputeContract:
        contract->state = v1::CONTRACT_STATE_DISPUTED;
        contract->disputed_by = view.signer_id;
        break;
      case v1::Command::kDecideContract:
        SettleContract(model, *contract, SharesOf(command.decide_contract().payouts()),
                       v1::SETTLEMENT_OUTCOME_ARBITRATED, v1::CONTRACT_STATE_SETTLED, now);
        break;
      default:
        break;
    }
    if (!result.has_contract())
      return Violation(Concat("the answer about ", contract->id, " is no contract"));
    return CompareContract(model, *contract, result.contract());
  }

  uint64_t FireDue(Model& model, int64_t now) const override {
    uint64_t fired = 0;
    for (auto& [id, contract] : model.contracts) {
      const bool open = contract.state == v1::CONTRACT_STATE_PROPOSED ||
                        contract.state == v1::CONTRACT_STATE_SIGNED;
      const bool funded = contract.state == v1::CONTRACT_STATE_FUNDED;
      if (open && contract.fund_by_unix_ms <= now) {
        SettleContract(model, contract, {}, v1::SETTLEMENT_OUTCOME_EXPIRED,
                       v1::CONTRACT_STATE_EXPIRED, now);
      } else if (funded && contract.proposal_number == 0 && contract.return_by_unix_ms <= now) {
        SettleContract(model, contract, {{contract.tenant, contract.amount}},
                       v1::SETTLEMENT_OUTCOME_REFUNDED, v1::CONTRACT_STATE_REFUNDED, now);
      } else if (funded && contract.proposal_number > 0 && contract.contest_by_unix_ms <= now) {
        SettleContract(model, contract, contract.proposal, v1::SETTLEMENT_OUTCOME_UNCONTESTED,
                       v1::CONTRACT_STATE_SETTLED, now);
      } else {
        continue;
      }
      ++fired;
    }
    return fired;
  }

  uint64_t ScheduledDeadlines(const Model& model) const override {
    uint64_t scheduled = 0;
    for (const auto& [id, contract] : model.contracts) {
      // fund-by before funding, then return-by, then contest-by once proposed.
      scheduled += contract.state == v1::CONTRACT_STATE_PROPOSED ||
                   contract.state == v1::CONTRACT_STATE_SIGNED ||
                   contract.state == v1::CONTRACT_STATE_FUNDED;
    }
    return scheduled;
  }

  absl::Status Check(Model& model, const Engine& engine, bool full) const override {
    for (auto& [id, contract] : model.contracts) {
      if (!contract.frozen_record.empty() && !full) continue;
      const absl::StatusOr<v1::Contract> stored = engine.GetContract(id);
      if (!stored.ok()) {
        return Violation(Concat(
            "contract ", id, " was acknowledged but cannot be read: ", stored.status().message()));
      }
      if (!contract.frozen_record.empty()) {
        if (stored->SerializeAsString() != contract.frozen_record) {
          return Violation(Concat("contract ", id, " changed after it ended"));
        }
        continue;
      }
      if (!IsLegalTransition(contract.observed_state, stored->state())) {
        return Violation(Concat("contract ", id, " went from ",
                                v1::ContractState_Name(contract.observed_state), " to ",
                                v1::ContractState_Name(stored->state())));
      }
      contract.observed_state = stored->state();
      POCHE_RETURN_IF_ERROR(CompareContract(model, contract, *stored));
      if (IsFinal(contract.state)) contract.frozen_record = stored->SerializeAsString();
    }
    return absl::OkStatus();
  }

  void AddOperations(std::vector<Operation>& operations) const override {
    AddDepositOperations(operations);
  }

 private:
  static std::string ContractIdOf(const v1::Command& command) {
    switch (command.action_case()) {
      case v1::Command::kSignContract:
        return command.sign_contract().contract_id();
      case v1::Command::kFundContract:
        return command.fund_contract().contract_id();
      case v1::Command::kProposeSplit:
        return command.propose_split().contract_id();
      case v1::Command::kAcceptSplit:
        return command.accept_split().contract_id();
      case v1::Command::kDisputeContract:
        return command.dispute_contract().contract_id();
      case v1::Command::kDecideContract:
        return command.decide_contract().contract_id();
      default:
        return "";
    }
  }

  static ModelContract& Create(Model& model, const CommandView& view) {
    const std::string& bytes = view.command.create_contract().terms();
    v1::ContractTerms terms;
    POCHE_CHECK(terms.ParseFromString(bytes));
    const v1::DepositTerms& deposit = terms.deposit();
    const std::string id = keys::DerivedId("c", view.signer_id, view.command.request_id());
    ModelContract& contract = model.contracts[id];
    contract.id = id;
    contract.terms = bytes;
    contract.terms_hash = Sha256(TaggedBytes(domain::kContractTerms, bytes));
    contract.tenant = deposit.tenant_party_id();
    contract.landlord = deposit.landlord_party_id();
    contract.arbiter = deposit.arbiter_party_id();
    contract.currency = deposit.amount().currency();
    contract.amount = deposit.amount().minor_units();
    contract.fund_by_unix_ms = deposit.fund_by_unix_ms();
    contract.return_by_unix_ms = deposit.return_by_unix_ms();
    contract.contest_window_ms = deposit.contest_window_ms();
    return contract;
  }

  static void Fund(Model& model, ModelContract& contract, const std::string& account_id,
                   int64_t now) {
    contract.hold_id = Concat(contract.id, ".0");
    ModelHold& hold = model.holds[contract.hold_id];
    hold.id = contract.hold_id;
    hold.payer_account_id =
        account_id.empty() ? keys::PartyAccountId(contract.tenant, contract.currency) : account_id;
    hold.currency = contract.currency;
    hold.amount = contract.amount;
    hold.contract_id = contract.id;
    hold.created_at_unix_ms = now;
    model.accounts.at(hold.payer_account_id).balance -= contract.amount;
    contract.state = v1::CONTRACT_STATE_FUNDED;
  }
};

}  // namespace

std::unique_ptr<Domain> MakeDepositDomain() { return std::make_unique<DepositDomain>(); }

}  // namespace argentpoche::simulation
