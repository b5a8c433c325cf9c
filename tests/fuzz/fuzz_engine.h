// The engine the fuzz targets drive: an Engine over a MemoryStore and a ManualClock,
// with a fixed cast of parties whose keys are TEST-ONLY (derived from constant seeds,
// public in this repository, never to be used for anything real).
//
// Every FuzzEngine starts from the same base state, built once per process and copied:
//   - the operator, enrolled from the engine options;
//   - the tenant, the landlord and the arbiter, registered, each with EUR, JPY and BHD
//     accounts; the tenant is credited 10000 of each (major units);
//   - a stranger whose key is never registered;
//   - a pending hold of 50.00 EUR from the tenant to the landlord (BaseHoldId());
//   - a deposit contract of 500.00 EUR between the three, signed and funded
//     (BaseContractId()), and a second one only proposed (BaseProposedContractId()).
// The clock stands at kStartUnixMs. Targets take their engine from EngineInBaseState(),
// so every input starts from exactly the base state: a crash reproduces from its file
// alone.
//
// Thread-safety: a FuzzEngine is used by one thread (the fuzzer's); the engine's own
// threads run inside it.
#ifndef ARGENTPOCHE_TESTS_FUZZ_FUZZ_ENGINE_H_
#define ARGENTPOCHE_TESTS_FUZZ_FUZZ_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "tests/fuzz/fuzz_checks.h"

namespace argentpoche::fuzz {

// The cast of the base state.
enum class Actor : uint8_t { kOperator, kTenant, kLandlord, kArbiter, kStranger };
inline constexpr int kActorCount = 5;

// What separates the steps of a signed_command script (signed_command_fuzz.cc).
inline constexpr std::string_view kScriptStepSeparator = "|step|";

// The test-only key of `actor` (fixed seed).
const SigningKey& KeyOf(Actor actor);
// The actor's party id (its key id).
const std::string& PartyIdOf(Actor actor);
// The actor for a byte chosen by the fuzzer.
Actor ActorFromByte(uint8_t byte);

// Ids in the base state.
const std::string& BaseHoldId();
const std::string& BaseContractId();
const std::string& BaseProposedContractId();

// Deposit terms between the base cast: `amount_minor_units` of `currency`, fund by
// start + 7 days, return by start + 30 days, a 3-day contest window.
v1::ContractTerms DepositTermsFor(std::string_view currency, int64_t amount_minor_units);

class FuzzEngine {
 public:
  // An engine over a fresh copy of the base state.
  FuzzEngine();
  ~FuzzEngine();
  FuzzEngine(const FuzzEngine&) = delete;
  FuzzEngine& operator=(const FuzzEngine&) = delete;

  Engine& engine() { return *engine_; }
  const Store& store() const { return store_; }
  ManualClock& clock() { return clock_; }

  // Batches the engine has committed since it opened: a refused command commits none.
  uint64_t commits() const { return engine_->batches_committed(); }
  // True while the engine is exactly in the base state: nothing committed, the clock
  // where it started.
  bool InBaseState() const { return commits() == 0 && clock_.NowUnixMs() == kStartUnixMs; }

  // Signs `command` as `signer` and executes it as the method of its own action. The
  // caller is always the signer; a zero issued_at is replaced by the clock's time (any
  // other is kept, so the fuzzer can send stale and absurd times). A RegisterParty
  // without a key gets the signer's. An empty request_id becomes "unnamed".
  absl::StatusOr<v1::CommandResult> Run(v1::Command command, Actor signer);

  // Moves the clock forward and fires the deadlines then due; aborts if firing fails.
  void AdvanceAndFire(int64_t delta_ms);

  // Checks what must hold after anything: every currency sums to zero, no party or hold
  // account is negative, every hold's account holds what it locks, every contract is
  // consistent (see CheckContract; signatures are not verified here), and the journal
  // chain verifies up to the stored head. Returns the number of journal records.
  // Aborts on a violation.
  uint64_t CheckInvariants() const;

  // Checks that a contract the engine answered with is the one stored and consistent:
  // its terms hash, parties, signatures (verified), funding leg, hold, receipt (opened
  // with the receipt key) and proposal agree with each other and with its state.
  void CheckContract(const v1::Contract& contract);

 private:
  MemoryStore store_;
  ManualClock clock_{kStartUnixMs};
  std::unique_ptr<Engine> engine_;
};

// The engine for the next input, in the base state: the previous one if it is still
// in it (most inputs are refused and change nothing), else a new one. Also replaced
// after kMaxInputsPerEngine inputs, which bounds what its caches keep. One per process:
// libFuzzer runs inputs one at a time. Closed at exit.
inline constexpr int kMaxInputsPerEngine = 2000;
FuzzEngine& EngineInBaseState();

}  // namespace argentpoche::fuzz

#endif  // ARGENTPOCHE_TESTS_FUZZ_FUZZ_ENGINE_H_
