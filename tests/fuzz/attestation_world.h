// The engine attestation_fuzz.cc drives: an Engine over a MemoryStore and a ManualClock,
// every input starting from the same base state, built once per process and copied:
//   - the operator, who is also the insured; an insurer; both with EUR accounts (the
//     insurer credited);
//   - oracles A, B and C, registered for "weather/fuzz/*" and "price/*", each attesting
//     with a key of its own; C's first key was rotated out for a second one;
//   - the event kAttestedFeed / kAttestedEvent announced, observed in [kObservedAt, kObservedAt + 7
//   days);
//   - a flood cover between them (trigger 10.0 mm, exit 20.0 mm, limit 10,000.00 EUR, no
//     premium), 2 of A, B and C within 2.0 mm, funded and waiting on that event; A's
//     attestation of 12.0 mm stored;
//   - the clock an hour after the covered day.
// The keys are TEST-ONLY (constant seeds in attestation_world.cc). A refused input changes
// nothing; an applied one changes the world, which is then replaced for the next input.
//
// Thread-safety: one thread (the fuzzer's) uses a world; the engine's threads run inside.
#ifndef ARGENTPOCHE_TESTS_FUZZ_ATTESTATION_WORLD_H_
#define ARGENTPOCHE_TESTS_FUZZ_ATTESTATION_WORLD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "tests/fuzz/fuzz_checks.h"

namespace argentpoche::fuzz {

inline constexpr char kAttestedFeed[] = "weather/fuzz/KNYC/rain_mm";
inline constexpr char kAttestedEvent[] = "2026-11-25..2026-11-25";
// 2026-11-26 00:00 UTC: the day after the covered day.
inline constexpr int64_t kObservedAt = kStartUnixMs + kDayMs;

// Who signs a SubmitAttestation command.
enum class Caller : uint8_t { kOracleA, kOracleB, kOracleC, kInsurer, kOperator };
inline constexpr int kCallerCount = 5;
// The caller for a step header: its low three bits, modulo kCallerCount.
Caller CallerFromByte(uint8_t byte);
// The party key of a caller (it signs the command).
const SigningKey& PartyKey(Caller caller);
// Attestation keys: 0, 1, 2 are A's, B's and C's current ones; 3 is C's rotated-out key;
// 4 is a key no oracle has.
inline constexpr int kAttestationKeyCount = 5;
const SigningKey& AttestationKey(int index);
// The attestation key of oracle 0 (A), 1 (B), 2 (C) now.
const SigningKey& CurrentKeyOf(int oracle);

// An attestation of the base event by `oracle` (0..2) with its current key, observed at
// kObservedAt, at scale 1.
v1::Attestation AttestationOf(int oracle, int64_t value);

// The contract id of the base state's cover.
const std::string& CoverId();

class AttestationWorld {
 public:
  AttestationWorld();
  ~AttestationWorld();
  AttestationWorld(const AttestationWorld&) = delete;
  AttestationWorld& operator=(const AttestationWorld&) = delete;

  Engine& engine() { return *engine_; }
  uint64_t commits() const { return engine_->batches_committed(); }
  bool InBaseState() const { return commits() == 0; }

  // SubmitAttestation of `envelope`, signed by `caller` now with request id `request_id`.
  absl::StatusOr<v1::CommandResult> Submit(Caller caller, const v1::SignedEnvelope& envelope,
                                           std::string_view request_id);

  // Aborts unless: every currency sums to zero, no party or hold account is below zero, the
  // journal verifies, and every contract is consistent (a settlement pays out exactly the
  // lock, the holds match its state). Returns the number of stored attestations.
  size_t CheckInvariants() const;

 private:
  MemoryStore store_;
  ManualClock clock_{kObservedAt + kHourMs};
  std::unique_ptr<Engine> engine_;
};

// The world for the next input, in the base state (reused while inputs change nothing).
AttestationWorld& AttestationWorldInBaseState();

}  // namespace argentpoche::fuzz

#endif  // ARGENTPOCHE_TESTS_FUZZ_ATTESTATION_WORLD_H_
