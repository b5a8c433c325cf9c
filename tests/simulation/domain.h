// How a family of commands plugs into the simulator. A Domain (ledger, holds,
// deposits, oracles and conditional contracts; later cards) says, for each command it owns, what
// the engine must answer given the model, checks an applied command's result and applies its
// effects to the model, applies the deadlines it knows are due, compares its objects
// with the engine's, and contributes the random Operations that exercise it.
//
// To add a kind of operation: write a Domain (or add Operations to one), add its state
// to Model, and list it in the Simulation constructor (simulation.cc). Violations are
// absl::Status errors made with Violation(); the simulator stops at the first one.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_DOMAIN_H_
#define ARGENTPOCHE_TESTS_SIMULATION_DOMAIN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "engine/engine.h"
#include "tests/simulation/model.h"

namespace argentpoche::simulation {

class Simulation;

// What the model expects the engine to answer to one command.
struct Expectation {
  enum class Kind { kApplied, kRefused, kReplayed };
  Kind kind = Kind::kApplied;
  // kRefused: the status code and the reason (engine/status.h).
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string reason;
  // kReplayed: the serialized first answer.
  std::string first_result;

  static Expectation Applied() { return Expectation(); }
  static Expectation Refused(absl::StatusCode code, std::string reason) {
    Expectation expectation;
    expectation.kind = Kind::kRefused;
    expectation.code = code;
    expectation.reason = std::move(reason);
    return expectation;
  }
  // "applied", "refused (NOT_ALLOWED)", "the first answer again".
  std::string Describe() const;
};

// A signed command as the engine sees it: the parsed command and who signed it.
struct CommandView {
  v1::Command command;
  std::string signer_id;
};

// One kind of random step. `run` returns false when the model offers nothing to do it
// on (the simulator then picks another), an error on a violation.
struct Operation {
  std::string name;
  int weight = 1;
  std::function<absl::StatusOr<bool>(Simulation&)> run;
};

class Domain {
 public:
  virtual ~Domain() = default;

  // True for the actions this domain models.
  virtual bool Handles(v1::Command::ActionCase action) const = 0;
  // True when this domain models `command` although another one Handles its action (a
  // contract command about one of its own contracts, say). Asked of every domain first.
  virtual bool Claims(const Model& model, const v1::Command& command) const {
    (void)model;
    (void)command;
    return false;
  }
  // The answer the engine must give at engine time `now` to a command of a registered
  // signer (any signer for registration), fresh and on time: checks in the engine's
  // order, so the reason of a refusal is the engine's first failing check.
  virtual Expectation Predict(const Model& model, const CommandView& view, int64_t now) const = 0;
  // Applies an acknowledged command's effects to the model and checks its result.
  virtual absl::Status Apply(Model& model, const CommandView& view, const v1::CommandResult& result,
                             int64_t now) const = 0;
  // Applies every deadline of this domain due at `now`; returns how many (each one is
  // a journal record).
  virtual uint64_t FireDue(Model& model, int64_t now) const = 0;
  // How many of this domain's deadlines the engine must have scheduled now.
  virtual uint64_t ScheduledDeadlines(const Model& model) const = 0;
  // Compares the domain's objects with the engine's: live ones always, final ones
  // (which must never change) when `full`.
  virtual absl::Status Check(Model& model, const Engine& engine, bool full) const = 0;
  // The random operations (valid and deliberately invalid) that exercise the domain.
  virtual void AddOperations(std::vector<Operation>& operations) const = 0;
};

std::unique_ptr<Domain> MakeLedgerDomain();
std::unique_ptr<Domain> MakeHoldDomain();
std::unique_ptr<Domain> MakeDepositDomain();
// Oracles, events, attestations and conditional contracts (conditional_domain.cc).
std::unique_ptr<Domain> MakeConditionalDomain();
// The deposit domain's operations (deposit_operations.cc).
void AddDepositOperations(std::vector<Operation>& operations);
// Retries, clock jumps and restarts.
void AddSystemOperations(std::vector<Operation>& operations);

// An invariant violation with `message`.
absl::Status Violation(const std::string& message);

// What an Operation returns once it did its step: true, or the violation it found.
inline absl::StatusOr<bool> Done(absl::Status status) {
  if (!status.ok()) return status;
  return true;
}

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_DOMAIN_H_
