// What every kind of contract shares on the command line, whether a rental deposit or a
// contract with conditions: fetching a contract with its terms checked against the hash the
// parties sign, the sign and fund commands, and sending a command that answers with the
// contract (printed as JSON with --json, else by the caller's words).
#ifndef ARGENTPOCHE_CLI_CONTRACT_ACTIONS_H_
#define ARGENTPOCHE_CLI_CONTRACT_ACTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "cli/context.h"
#include "cli/contract_terms.h"

namespace argentpoche::cli {

// The contract `contract_id`, its terms checked as VerifiedTerms does.
[[nodiscard]] absl::StatusOr<v1::Contract> FetchVerifiedContract(Context& context,
                                                                 const std::string& contract_id);

// The command by which `key` signs the terms of `contract`. PERMISSION_DENIED "NOT_A_PARTY"
// when the key's party is not named in the contract.
[[nodiscard]] absl::StatusOr<v1::Command> ContractSignCommand(Context& context,
                                                              const v1::Contract& contract,
                                                              const SigningKey& key);

// The command by which `key` locks its funding leg of `contract`: from --account when given
// (an account id, or a key name or party id with the leg's currency), else from the
// party's account in the leg's currency (the engine's default).
[[nodiscard]] absl::StatusOr<v1::Command> ContractFundCommand(Context& context,
                                                              const v1::Contract& contract,
                                                              const SigningKey& key);

// The funding leg of `party_id` in `contract`, or null.
[[nodiscard]] const v1::FundingLeg* LegOf(const v1::Contract& contract,
                                          const std::string& party_id);

// Proposes a contract with `terms` as `key`: checks conditional terms as the engine would
// (usage error, nothing sent, when it would refuse them), sends CreateContract, and prints
// the contract (JSON) or what it says and what comes next. (In contract.cc.)
[[nodiscard]] absl::Status CreateContract(Context& context, const SigningKey& key,
                                          const v1::ContractTerms& terms);

// Sends `command` to `method` as `key` and prints the contract it answers with: as JSON
// with the request id (--json), else by calling `then` with it.
template <typename Then>
absl::Status SendAndReport(Context& context, StubMethod<v1::SignedCommand, v1::Contract> method,
                           const SigningKey& key, v1::Command command, Then then) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, context.Send(method, key, std::move(command)));
  if (context.out.json()) {
    return context.out.MutationJson(context.RequestId(), "contract", contract);
  }
  then(contract);
  return absl::OkStatus();
}

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONTRACT_ACTIONS_H_
