// Every limit of the engine in one place: anything that can grow has a named bound.
#ifndef ARGENTPOCHE_ENGINE_LIMITS_H_
#define ARGENTPOCHE_ENGINE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace argentpoche::limits {

// Largest gRPC message the server accepts or sends.
inline constexpr int kMaxMessageBytes = 4 * 1024 * 1024;
// Largest signed command body.
inline constexpr size_t kMaxCommandBytes = 64 * 1024;
inline constexpr size_t kMaxRequestIdLength = 128;
inline constexpr size_t kMaxDisplayNameLength = 200;
inline constexpr size_t kMaxDescriptionLength = 2000;
inline constexpr size_t kMaxReferenceLength = 200;
// Page sizes of list calls.
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;
// Payouts named in one split.
inline constexpr size_t kMaxPayouts = 16;
// Commands applied in one atomic, synced batch (group commit).
inline constexpr size_t kMaxBatchCommands = 512;
// Commands waiting for the writer before new ones are refused as UNAVAILABLE.
inline constexpr size_t kMaxQueuedCommands = 8192;
// Durable records the writer keeps at hand (forgotten all at once past this).
inline constexpr size_t kWriterCacheEntries = 200'000;
// Deadlines fired in one scheduler pass.
inline constexpr size_t kMaxDeadlinesPerPass = 256;
// How far a command's issued_at may be from the engine clock, by default.
inline constexpr int64_t kDefaultMaxCommandSkewMs = 5 * 60 * 1000;
// Per-caller rate limit (token bucket), by default: requests per second on average and
// at once after a pause. The engine refuses RESOURCE_EXHAUSTED "RATE_LIMITED" beyond it.
inline constexpr int64_t kDefaultRateLimitPerSecond = 1000;
inline constexpr int64_t kDefaultRateLimitBurst = 2000;
// The largest rate and burst that may be configured.
inline constexpr int64_t kMaxRateLimitPerSecond = 1'000'000;
inline constexpr int64_t kMaxRateLimitBurst = 1'000'000;
// Callers (parties, peers) whose buckets are kept at once; past this the least recently
// seen caller is forgotten (an idle caller's bucket is full, so that changes nothing).
inline constexpr size_t kMaxRateLimitCallers = 100'000;
// Largest PEM file (certificate, key, CA bundle) the server reads for TLS.
inline constexpr size_t kMaxPemFileBytes = 1024 * 1024;
// Largest amount in minor units of any one movement or balance (10^18 < 2^63).
inline constexpr int64_t kMaxAmountMinorUnits = 1'000'000'000'000'000'000;
// Deadlines may be set at most this far ahead (about 100 years).
inline constexpr int64_t kMaxDeadlineAheadMs = int64_t{100} * 366 * 24 * 3600 * 1000;

// The condition language (engine/conditions.h, engine/contract_checker.h).
// Levels of a condition tree, the root being level 1.
inline constexpr int kMaxConditionDepth = 12;
// Conditions in one tree, leaves included.
inline constexpr int kMaxConditionNodes = 256;
// Branches of one set of conditional terms.
inline constexpr size_t kMaxConditionBranches = 16;
// Breakpoints of one piecewise-linear payout.
inline constexpr size_t kMaxBreakpoints = 64;
// Value sources of one set of conditional terms.
inline constexpr size_t kMaxValueSources = 16;
// Oracles named by one value source (its quorum is at most this).
inline constexpr size_t kMaxOraclesPerQuorum = 32;
// Parties of one set of conditional terms (each may be paid, so at most kMaxPayouts).
inline constexpr size_t kMaxConditionParties = kMaxPayouts;
// Weight of one child of a threshold condition.
inline constexpr uint32_t kMaxThresholdWeight = 1000;
// Length of a role or value source name.
inline constexpr size_t kMaxConditionNameLength = 64;
// Length of a feed name or an event id.
inline constexpr size_t kMaxFeedNameLength = 200;
// Decimal places of an oracle value.
inline constexpr uint32_t kMaxValueScale = 18;
// Magnitude of a breakpoint x (oracle values beyond it still clamp to the end breakpoints).
inline constexpr int64_t kMaxOracleValueMagnitude = 1'000'000'000'000'000'000;

// Oracles (engine/oracles.h).
// Feed patterns and attestation keys of one oracle (rotations included).
inline constexpr size_t kMaxOracleFeeds = 32;
inline constexpr size_t kMaxOracleKeys = 64;
// Attestations kept for one event (each oracle at most two: the second proves an
// equivocation and stops it).
inline constexpr size_t kMaxAttestationsPerEvent = 256;
// Contracts waiting on one event, or relying on one oracle, at once.
inline constexpr size_t kMaxContractsPerEvent = 10'000;
inline constexpr size_t kMaxContractsPerOracle = 100'000;
// Bytes of one revealed hash preimage.
inline constexpr size_t kMaxPreimageBytes = 1024;
// How far after the engine clock an attestation may say it was observed.
inline constexpr int64_t kMaxObservationAheadMs = 5 * 60 * 1000;

}  // namespace argentpoche::limits

#endif  // ARGENTPOCHE_ENGINE_LIMITS_H_
