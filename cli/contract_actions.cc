#include "cli/contract_actions.h"

#include "cli/deposit_view.h"
#include "engine/command_signing.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {

absl::StatusOr<v1::Contract> FetchVerifiedContract(Context& context,
                                                   const std::string& contract_id) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, context.client().GetContract(contract_id));
  POCHE_RETURN_IF_ERROR(VerifiedTerms(contract).status());
  return contract;
}

absl::StatusOr<v1::Command> ContractSignCommand(Context& context, const v1::Contract& contract,
                                                const SigningKey& key) {
  if (RoleIn(contract, key.key_id()).empty()) {
    return PermissionDenied("NOT_A_PARTY", Concat("the key ", context.Flag("key"),
                                                  " is not named in contract ", contract.id()));
  }
  v1::Command command;
  command.mutable_sign_contract()->set_contract_id(contract.id());
  command.mutable_sign_contract()->set_signature(SignContractTerms(contract.terms_hash(), key));
  return command;
}

const v1::FundingLeg* LegOf(const v1::Contract& contract, const std::string& party_id) {
  for (const v1::FundingLeg& leg : contract.funding_legs()) {
    if (leg.party_id() == party_id) return &leg;
  }
  return nullptr;
}

absl::StatusOr<v1::Command> ContractFundCommand(Context& context, const v1::Contract& contract,
                                                const SigningKey& key) {
  v1::Command command;
  command.mutable_fund_contract()->set_contract_id(contract.id());
  if (context.Has("account")) {
    const v1::FundingLeg* leg = LegOf(contract, key.key_id());
    if (leg == nullptr && !contract.funding_legs().empty()) leg = &contract.funding_legs(0);
    POCHE_ASSIGN_OR_RETURN(
        *command.mutable_fund_contract()->mutable_account_id(),
        context.Account(context.Flag("account"), leg == nullptr ? "" : leg->amount().currency()));
  }
  return command;
}

}  // namespace argentpoche::cli
