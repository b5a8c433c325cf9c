// Comparison of the engine's deposit contracts with the model's: state, terms,
// parties, signatures, funding, proposal, dispute, and the settlement receipt, verified
// with the receipt key. Used by the deposit domain on answers and on stored contracts.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_DEPOSIT_COMPARE_H_
#define ARGENTPOCHE_TESTS_SIMULATION_DEPOSIT_COMPARE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "argentpoche/v1/contract.pb.h"
#include "tests/simulation/model.h"

namespace argentpoche::simulation {

// True when `stored` names the same parties and amounts (in `currency`), in order.
bool SamePayouts(const google::protobuf::RepeatedPtrField<v1::Payout>& stored,
                 const std::vector<Share>& expected, const std::string& currency);

// OK when the engine's contract is the model's; a violation naming the difference.
absl::Status CompareContract(const Model& model, const ModelContract& expected,
                             const v1::Contract& stored);

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_DEPOSIT_COMPARE_H_
