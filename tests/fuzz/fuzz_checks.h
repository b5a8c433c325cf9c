// What every fuzz target shares, with no message type in sight: the checks that turn a
// broken invariant into a crash, quieting libprotobuf, the verbose switch and the fixed
// times of the fuzz world. Kept apart from fuzz_engine.h so that a target can leave the
// engine's messages out of its binary (condition_terms_fuzz.cc must: see there).
#ifndef ARGENTPOCHE_TESTS_FUZZ_FUZZ_CHECKS_H_
#define ARGENTPOCHE_TESTS_FUZZ_FUZZ_CHECKS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace argentpoche::fuzz {

// The engine clock when a fuzz engine opens, and the time conditions are checked at:
// 2026-11-25 00:00:00 UTC.
inline constexpr int64_t kStartUnixMs = 1795564800000;
inline constexpr int64_t kHourMs = int64_t{3600} * 1000;
inline constexpr int64_t kDayMs = 24 * kHourMs;

// The bytes condition_terms_fuzz.cc reveals as a hash preimage (its seeds use their
// SHA-256).
inline constexpr std::string_view kConditionPreimage = "fuzz preimage";

// Aborts with `what` and the status when `status` is not OK: a broken invariant is a
// crash for the fuzzer.
void CheckOk(const absl::Status& status, std::string_view what);
// Aborts with `what` when `condition` is false.
void Check(bool condition, std::string_view what);

// True when POCHE_FUZZ_VERBOSE is set: the engine targets then print every command they
// run and its outcome, and every clock step, to stderr (for reading what an input does).
bool Verbose();

// Stops libprotobuf logging about the malformed messages a fuzzer feeds it. Idempotent.
void SilenceProtobufLogs();

}  // namespace argentpoche::fuzz

#endif  // ARGENTPOCHE_TESTS_FUZZ_FUZZ_CHECKS_H_
