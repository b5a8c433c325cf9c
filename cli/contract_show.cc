// poche contract show|list: any contract in words; a contract with conditions explained.
#include "cli/contract_explain.h"
#include "cli/contract_view.h"
#include "cli/deposit_view.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

absl::Status RunContractShow(Context& context) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, context.client().GetContract(context.Operand(0)));
  if (context.out.json()) return context.out.Json(contract);
  return ShowContract(context, contract);
}

std::string StateInWords(const v1::Contract& contract) {
  if (contract.has_conditional()) {
    return ConditionalStateInWords(contract, contract.conditional().terms());
  }
  return DepositStateInWords(contract);
}

absl::Status RunContractList(Context& context) {
  v1::ListContractsRequest request;
  if (context.Has("party")) {
    POCHE_ASSIGN_OR_RETURN(*request.mutable_party_id(), context.Party(context.Flag("party")));
  }
  v1::ListContractsResponse all;
  POCHE_RETURN_IF_ERROR(context.client().ForEachPage(
      &v1::EscrowEngine::Stub::ListContracts, request, [&](const v1::ListContractsResponse& page) {
        for (const v1::Contract& contract : page.contracts()) *all.add_contracts() = contract;
        return absl::OkStatus();
      }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(
      Concat(request.party_id().empty()
                 ? std::string("Every contract")
                 : Concat("Contracts of ", context.parties().Describe(request.party_id())),
             ": ", all.contracts_size()));
  for (const v1::Contract& contract : all.contracts()) {
    context.out.Line(Concat("  ", contract.id(), "  ", ContractSummary(contract)));
    context.out.Line(Concat("      ", StateInWords(contract)));
  }
  return absl::OkStatus();
}

}  // namespace

void AddContractShowCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "contract",
       .verb = "show",
       .operands = "CONTRACT_ID",
       .operand_count = 1,
       .summary = "Explain a contract: state, what is met and awaited, who gets what when.",
       .details = "For a contract with conditions: the value sources with their quorum and "
                  "what arrived, each\noutcome with what each party receives in it, the refund "
                  "at the hard deadline and the\ndispute path; then signatures, history and the "
                  "receipt, each checked.",
       .run = RunContractShow});
  table.push_back({.group = "contract",
                   .verb = "list",
                   .summary = "List the contracts a party is named in (every one without --party).",
                   .flags = {{"party", "NAME|ID", "A party of the contracts."}},
                   .run = RunContractList});
}

}  // namespace argentpoche::cli
