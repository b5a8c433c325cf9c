// The conditional domain: oracles (registered, keys rotated and revoked, flagged when they
// equivocate), the events they announce and the attestations they submit, and conditional
// contracts (weather covers and options compiled from their templates, and small terms
// written directly) created, signed, funded, then settled by a quorum's value, an
// endorsement or a preimage, sent to dispute, decided by the arbiter, refunded at the hard
// deadline or expired unfunded. Its rules are in conditional_rules.h.
#include "tests/simulation/conditional_rules.h"

namespace argentpoche::simulation {
namespace {

bool IsRegistryAction(v1::Command::ActionCase action) {
  return action == v1::Command::kRegisterOracle || action == v1::Command::kRotateOracleKey ||
         action == v1::Command::kRevokeOracle || action == v1::Command::kAnnounceEvent;
}

class ConditionalDomain final : public Domain {
 public:
  bool Handles(v1::Command::ActionCase action) const override {
    return IsRegistryAction(action) || action == v1::Command::kSubmitAttestation ||
           action == v1::Command::kEndorseContract || action == v1::Command::kRevealPreimage;
  }

  bool Claims(const Model& model, const v1::Command& command) const override {
    switch (command.action_case()) {
      case v1::Command::kCreateContract:
        return ParseCreation(command).conditional;
      case v1::Command::kSignContract:
      case v1::Command::kFundContract:
      case v1::Command::kDecideContract:
        return model.oracle.contracts.contains(ContractIdOf(command));
      default:
        return false;
    }
  }

  Expectation Predict(const Model& model, const CommandView& view, int64_t now) const override {
    const v1::Command::ActionCase action = view.command.action_case();
    if (IsRegistryAction(action)) return PredictRegistry(model, view, now);
    if (action == v1::Command::kSubmitAttestation) return PredictAttestation(model, view, now);
    return PredictContract(model, view, now);
  }

  absl::Status Apply(Model& model, const CommandView& view, const v1::CommandResult& result,
                     int64_t now) const override {
    const v1::Command::ActionCase action = view.command.action_case();
    if (IsRegistryAction(action)) return ApplyRegistry(model, view, result, now);
    if (action == v1::Command::kSubmitAttestation) {
      return ApplyAttestation(model, view, result, now);
    }
    return ApplyContract(model, view, result, now);
  }

  uint64_t FireDue(Model& model, int64_t now) const override {
    return FireConditionalDeadlines(model, now);
  }

  uint64_t ScheduledDeadlines(const Model& model) const override {
    uint64_t scheduled = 0;
    for (const auto& [id, contract] : model.oracle.contracts) {
      // The fund-by deadline until funded, then the next moment of decision (the hard
      // deadline once disputed).
      scheduled += contract.state == v1::CONTRACT_STATE_PROPOSED ||
                   contract.state == v1::CONTRACT_STATE_SIGNED ||
                   contract.next_decision_unix_ms != 0;
    }
    return scheduled;
  }

  absl::Status Check(Model& model, const Engine& engine, bool full) const override {
    POCHE_RETURN_IF_ERROR(CheckOracles(model, engine, full));
    return CheckConditionals(model, engine, full);
  }

  void AddOperations(std::vector<Operation>& operations) const override {
    AddOracleOperations(operations);
    AddConditionalOperations(operations);
  }
};

}  // namespace

std::unique_ptr<Domain> MakeConditionalDomain() { return std::make_unique<ConditionalDomain>(); }

}  // namespace argentpoche::simulation
