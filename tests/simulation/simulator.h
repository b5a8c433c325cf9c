// Simulator: the engine core driven in one process by a seeded random workload on a
// simulated clock. Each step picks a weighted operation (parties, accounts, credits
// and debits, holds, deposit contracts over every release path, deliberately invalid
// commands, blind retries, clock jumps, restarts), sometimes with a storage fault
// armed, then checks every invariant (simulation.h, checks.cc). The run stops at the
// first violation with a message naming the seed and the step; everything depends on
// the seed alone (std::mt19937_64, fixed test keys, a manual clock), so the same seed
// replays the same run exactly.
//
//   SimulationReport report = Simulator(42, {.steps = 1500}).Run();
//   if (!report.passed) std::cerr << report.violation;
#ifndef ARGENTPOCHE_TESTS_SIMULATION_SIMULATOR_H_
#define ARGENTPOCHE_TESTS_SIMULATION_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {

struct SimulatorOptions {
  int steps = 1500;
  // Holders (the operator and one unregistered stranger come on top).
  int parties = 6;
  // Chance per step, in thousandths, that the step's first store write fails.
  int fault_per_mille = 30;
  // Every so many steps: compare final holds and contracts and count every table.
  int full_check_every = 100;
  // Every so many steps: recompute the journal's hash chain (always at the end).
  int journal_check_every = 250;
  // Test hook: a deliberately broken model that counts credits twice.
  bool count_credits_twice = false;
  // Called after each step with what it did, when set.
  std::function<void(const std::string&)> trace;
};

struct SimulationReport {
  uint64_t seed = 0;
  bool passed = false;
  // Steps completed without a violation.
  int steps = 0;
  // "seed 7, step 412 (release a hold): ..." when !passed.
  std::string violation;
  uint64_t journal_records = 0;
  std::string journal_head_hash;  // hex
  SimulationCounters counters;
  // Steps per operation name.
  std::map<std::string, uint64_t> operations;
  // How the holds (not contracts') and the contracts ended: "hold expired",
  // "deposit SETTLEMENT_OUTCOME_AGREED", "weather_cover SETTLEMENT_OUTCOME_CONDITION_MET",
  // "option SETTLEMENT_OUTCOME_REFUNDED after a dispute", ...; and "oracle flagged ...".
  std::map<std::string, uint64_t> outcomes;
  double seconds = 0;
};

class Simulator {
 public:
  Simulator(uint64_t seed, SimulatorOptions options);
  // Runs the steps, then lets every deadline pass and checks everything once more.
  SimulationReport Run();

 private:
  // Runs one operation that has something to act on; its name in `name`.
  absl::Status Step(Simulation& simulation, std::string& name);

  const uint64_t seed_;
  const SimulatorOptions options_;
  std::vector<Operation> operations_;
  uint64_t total_weight_ = 0;
};

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_SIMULATOR_H_
