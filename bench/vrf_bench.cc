// vrf_bench: the VRF of engine/vrf.h (RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI) on one core
// (Google Benchmark). BM_VrfProve makes one 80-byte proof, BM_VrfVerify checks one and
// returns its output, BM_VrfProofToHash only hashes a proof's Gamma; each reports
// operations per second as items_per_second. Figures only, never a pass or a fail.
//
// Run:
//   build/release/bench/vrf_bench [--benchmark_min_time=2]
//
// The seed is a labelled bench constant: this program never makes a real key.
#include <benchmark/benchmark.h>

#include <string>

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/strings.h"
#include "engine/vrf.h"

namespace argentpoche {
namespace {

// BENCH SEED, NOT A SECRET.
const std::string kBenchSeed(kSeedBytes, '\x5a');

// A different alpha per iteration, as draws are in a contract.
std::string Alpha(int64_t iteration) { return Concat("lottery 2027-01 draw ", iteration); }

void BM_VrfProve(benchmark::State& state) {
  int64_t iteration = 0;
  for (auto _ : state) {
    absl::StatusOr<std::string> proof = VrfProve(kBenchSeed, Alpha(iteration++));
    POCHE_CHECK(proof.ok());
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VrfProve);

void BM_VrfVerify(benchmark::State& state) {
  const std::string public_key = *VrfPublicKey(kBenchSeed);
  constexpr int kProofs = 64;
  std::string proofs[kProofs];
  for (int i = 0; i < kProofs; ++i) proofs[i] = *VrfProve(kBenchSeed, Alpha(i));
  int64_t iteration = 0;
  for (auto _ : state) {
    const int i = static_cast<int>(iteration++ % kProofs);
    absl::StatusOr<std::string> beta = VrfVerify(public_key, Alpha(i), proofs[i]);
    POCHE_CHECK(beta.ok());
    benchmark::DoNotOptimize(beta);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VrfVerify);

void BM_VrfProofToHash(benchmark::State& state) {
  const std::string proof = *VrfProve(kBenchSeed, Alpha(0));
  for (auto _ : state) {
    absl::StatusOr<std::string> beta = VrfProofToHash(proof);
    POCHE_CHECK(beta.ok());
    benchmark::DoNotOptimize(beta);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VrfProofToHash);

}  // namespace
}  // namespace argentpoche

BENCHMARK_MAIN();
