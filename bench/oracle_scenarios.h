// The oracle workloads of engine_bench, each on its own EngineServer (RocksDB, synced
// writes, group commit as configured) with its own scratch directory:
//
//   attestations  every client is an oracle (registered by the operator for
//                 "weather/bench/*", attesting with its own key); oracles come in groups
//                 of three and each group attests its own stream of announced events, one
//                 event after the other, each oracle once per event. One operation = one
//                 SubmitAttestation: the command signature and the attestation's own
//                 Ed25519 envelope checked, the attestation stored once, the event's
//                 earlier attestations read for replays and equivocations. Events are
//                 announced before the timing (a pool sized by the caller; a client past
//                 the pool announces the next event itself, which is accepted as often
//                 as it is sent). Runs under RunLoad like the scenarios of scenarios.h.
//
//   settlements   MeasureSettlements: `events` events, each awaited by
//                 `contracts_per_event` funded weather covers (CompileWeatherCoverTerms:
//                 one rainy day, 2 of 3 oracles, median within 2.0 mm), created, signed
//                 and funded before the timing on a manual clock; the clock then passes
//                 the end of the period, the event is announced and a first oracle
//                 attests (1 of 2). The timing covers the second oracle's attestations,
//                 sent by the clients at once, one per event: each settles every contract
//                 waiting on its event in its own commit. The deadline scheduler is off,
//                 so that only those attestations settle anything.
//
// Aborts (POCHE_CHECK, or exit 1 with a message) when a server cannot start or set up.
#ifndef ARGENTPOCHE_BENCH_ORACLE_SCENARIOS_H_
#define ARGENTPOCHE_BENCH_ORACLE_SCENARIOS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/scenarios.h"

namespace argentpoche::bench {

// `events_per_group`: events announced before the timing for each group of three oracles.
std::unique_ptr<Scenario> StartAttestations(const ScenarioOptions& options,
                                            size_t events_per_group);

// What MeasureSettlements measured.
struct SettlementResult {
  size_t events = 0;
  size_t contracts_per_event = 0;
  // Contracts settled by the timed attestations (all of them, when nothing failed).
  uint64_t settled = 0;
  // From the first timed attestation sent to the last one answered.
  double seconds = 0;
  // Creating, signing, funding the contracts, announcing and the first attestations.
  double setup_seconds = 0;
  // Each timed attestation's latency.
  std::vector<int64_t> latencies_us;
  uint64_t commits = 0;
  // Empty when everything settled as it should.
  std::string error;

  double SettledPerSecond() const;
  // Wall time per settled contract, in microseconds.
  double MicrosecondsPerContract() const;
  // The mean timed attestation latency divided by the contracts it settled.
  double LatencyPerContractUs() const;
};

SettlementResult MeasureSettlements(const ScenarioOptions& options, size_t events,
                                    size_t contracts_per_event);

}  // namespace argentpoche::bench

#endif  // ARGENTPOCHE_BENCH_ORACLE_SCENARIOS_H_
