#include "tests/simulation/simulator.h"

#include <chrono>
#include <utility>

#include "engine/check.h"
#include "engine/strings.h"

namespace argentpoche::simulation {
namespace {

// After the last step: far enough for every deadline to pass.
constexpr int64_t kFinalDelayMs = int64_t{120} * 24 * 3600 * 1000;
// Tries to find an operation with something to act on before moving the clock instead.
constexpr int kPicksPerStep = 100;

}  // namespace

Simulator::Simulator(uint64_t seed, SimulatorOptions options)
    : seed_(seed), options_(std::move(options)) {
  POCHE_CHECK(options_.steps >= 0 && options_.parties >= 0);
  POCHE_CHECK(options_.full_check_every > 0 && options_.journal_check_every > 0);
}

absl::Status Simulator::Step(Simulation& simulation, std::string& name) {
  for (int pick = 0; pick < kPicksPerStep; ++pick) {
    uint64_t point = simulation.Below(total_weight_);
    const Operation* chosen = &operations_.front();
    for (const Operation& operation : operations_) {
      if (point < static_cast<uint64_t>(operation.weight)) {
        chosen = &operation;
        break;
      }
      point -= static_cast<uint64_t>(operation.weight);
    }
    name = chosen->name;
    absl::StatusOr<bool> done = chosen->run(simulation);
    if (!done.ok()) return done.status();
    if (*done) return absl::OkStatus();
  }
  name = "let time pass";
  return simulation.AdvanceClock(60 * 1000);
}

SimulationReport Simulator::Run() {
  const auto started = std::chrono::steady_clock::now();
  SimulationReport report;
  report.seed = seed_;
  Simulation simulation(seed_, options_.parties, options_.count_credits_twice);
  operations_.clear();
  for (const std::unique_ptr<Domain>& domain : simulation.domains()) {
    domain->AddOperations(operations_);
  }
  AddSystemOperations(operations_);
  total_weight_ = 0;
  for (const Operation& operation : operations_) total_weight_ += operation.weight;

  absl::Status status = simulation.Start();
  if (status.ok()) status = simulation.CheckInvariants(/*full=*/true, /*verify_journal=*/true);
  int step = 0;
  std::string name = "start";
  while (status.ok() && step <= options_.steps) {
    ++step;
    simulation.set_step(step);
    if (step > options_.steps) {  // the end: every deadline passes
      name = "let every deadline pass";
      status = simulation.AdvanceClock(kFinalDelayMs);
    } else {
      if (simulation.Below(1000) < static_cast<uint64_t>(options_.fault_per_mille)) {
        simulation.ArmFault();
      }
      status = Step(simulation, name);
      simulation.DisarmFault();
    }
    const bool last = step > options_.steps;
    if (status.ok()) {
      status = simulation.CheckInvariants(last || step % options_.full_check_every == 0,
                                          last || step % options_.journal_check_every == 0);
    }
    const std::string notes = simulation.TakeNotes();
    if (options_.trace) options_.trace(Concat("step ", step, " (", name, "): ", notes));
    if (!status.ok()) {
      report.violation = Concat("seed ", seed_, ", step ", step, " (", name,
                                "): ", status.message(), "\n  in this step: ", notes);
      break;
    }
    ++report.operations[name];
    report.steps = std::min(step, options_.steps);
  }
  if (step == 0 && !status.ok()) {
    report.violation = Concat("seed ", seed_, ", at the start: ", status.message());
  }
  report.passed = status.ok();
  report.counters = simulation.counters();
  report.journal_records = simulation.model().journal_records;
  report.journal_head_hash = simulation.JournalHeadHash();
  for (const auto& [id, hold] : simulation.model().holds) {
    if (hold.contract_id.empty() && IsFinal(hold.state)) {
      ++report.outcomes[hold.state == v1::HOLD_STATE_RELEASED ? "hold released"
                        : hold.state == v1::HOLD_STATE_VOIDED ? "hold voided"
                                                              : "hold expired"];
    }
  }
  for (const auto& [id, contract] : simulation.model().contracts) {
    if (IsFinal(contract.state)) {
      ++report.outcomes[Concat("deposit ", v1::SettlementOutcome_Name(contract.outcome))];
    }
  }
  for (const auto& [id, contract] : simulation.model().oracle.contracts) {
    if (IsFinal(contract.state)) {
      ++report.outcomes[Concat(contract.template_name, " ",
                               v1::SettlementOutcome_Name(contract.outcome),
                               contract.disputed_at_unix_ms != 0 ? " after a dispute" : "")];
    }
  }
  for (const auto& [id, oracle] : simulation.model().oracle.oracles) {
    if (oracle.flagged) ++report.outcomes["oracle flagged for equivocation"];
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace argentpoche::simulation
