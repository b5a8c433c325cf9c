// How poche shows any contract to the people in it: a rental deposit as `poche deposit show`
// does; a contract with conditions (conditional terms, an option, a weather cover) with its
// signed terms checked, the attestations of its value sources fetched, and the explanation
// of cli/contract_explain.h printed, then signatures, history and the checked receipt.
#ifndef ARGENTPOCHE_CLI_CONTRACT_VIEW_H_
#define ARGENTPOCHE_CLI_CONTRACT_VIEW_H_

#include <string>

#include "absl/status/status.h"
#include "argentpoche/v1/contract.pb.h"
#include "cli/context.h"

namespace argentpoche::cli {

// The explanation of a contract with conditions (state, locks, value sources, outcomes and
// payouts, refund, dispute). DATA_LOSS when its terms do not check out (see
// SignedConditionalTerms); the engine's errors when the attestations cannot be listed.
[[nodiscard]] absl::Status PrintConditionalExplanation(Context& context,
                                                       const v1::Contract& contract);

// The whole contract in words, whatever its template.
[[nodiscard]] absl::Status ShowContract(Context& context, const v1::Contract& contract);

// "weather cover, 10400.00 USD" (the template and what it locks) for lists.
[[nodiscard]] std::string ContractSummary(const v1::Contract& contract);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONTRACT_VIEW_H_
