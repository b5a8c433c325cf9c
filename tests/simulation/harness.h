// The engine under simulation and what it runs on: an in-memory store (behind a
// FaultyStore that injects the storage faults) and a manual clock that outlive engine
// restarts, and the fixed TEST keys (never real keys) of the operator, the receipt
// signer, the parties and one stranger who never registers.
// Not thread-safe: one simulation thread drives it.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_HARNESS_H_
#define ARGENTPOCHE_TESTS_SIMULATION_HARNESS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "engine/engine.h"
#include "engine/faulty_store.h"
#include "engine/memory_store.h"

namespace argentpoche::simulation {

// 2026-11-25 00:00:00 UTC: where the simulated clock starts.
inline constexpr int64_t kSimulationEpochMs = 1795564800000;

// A test key from a fixed, readable seed built from `label`: for tests only.
SigningKey TestKey(std::string_view label);

class EngineHarness {
 public:
  explicit EngineHarness(int parties);
  EngineHarness(const EngineHarness&) = delete;
  EngineHarness& operator=(const EngineHarness&) = delete;
  ~EngineHarness();

  // Opens the engine over the store (again, after Close): scheduler off, the operator
  // enrolled, receipts signed by the receipt test key.
  absl::Status Open();
  // Destroys the engine; the store and the clock stay.
  void Close();

  Engine& engine() { return *engine_; }
  // What is stored, under the faults.
  const MemoryStore& store() const { return store_; }
  // The store the engine runs on: it injects the faults into writes to store().
  FaultyStore& faults() { return faults_; }
  ManualClock& clock() { return clock_; }
  const ManualClock& clock() const { return clock_; }
  const SigningKey& operator_key() const { return operator_key_; }
  const std::string& receipt_public_key() const { return receipt_public_key_; }
  const std::vector<SigningKey>& party_keys() const { return party_keys_; }
  const SigningKey& stranger_key() const { return stranger_key_; }

  // The stored journal head (sequence 0 when the journal is empty).
  absl::StatusOr<v1::JournalHead> JournalHead() const;

 private:
  MemoryStore store_;
  FaultyStore faults_{&store_};
  ManualClock clock_{kSimulationEpochMs};
  SigningKey operator_key_;
  std::string receipt_public_key_;
  std::vector<SigningKey> party_keys_;
  SigningKey stranger_key_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_HARNESS_H_
