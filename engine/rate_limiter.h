// RateLimiter: a token bucket per caller (a party id, or a peer for what no verified
// party is charged with). A bucket holds up to `burst` requests and refills at
// `per_second`; a request takes one, or is refused RESOURCE_EXHAUSTED "RATE_LIMITED"
// with the time to wait in the message and as a retry delay (RetryDelayMsOf).
//
//   RateLimiter limiter(&clock, RateLimitOptions{.per_second = 1000, .burst = 2000});
//   POCHE_RETURN_IF_ERROR(limiter.Acquire("party:3fa2...", "party 3fa2...").status);
//
// Time comes from the Clock port, so a ManualClock makes it deterministic. Memory is
// bounded: at most `max_callers` buckets; past that the least recently seen caller is
// forgotten (an idle caller's bucket is full, so forgetting it changes nothing).
//
// Thread-safe. `clock` must outlive the limiter.
#ifndef ARGENTPOCHE_ENGINE_RATE_LIMITER_H_
#define ARGENTPOCHE_ENGINE_RATE_LIMITER_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "engine/clock.h"
#include "engine/limits.h"
#include "engine/sync.h"

namespace argentpoche {

struct RateLimitOptions {
  // Requests per second each caller may make on average; 0 turns the limit off.
  int64_t per_second = limits::kDefaultRateLimitPerSecond;
  // Requests a caller may make at once after a pause (the bucket's size).
  int64_t burst = limits::kDefaultRateLimitBurst;
  // Buckets kept at once.
  size_t max_callers = limits::kMaxRateLimitCallers;
};

// INVALID_ARGUMENT "BAD_RATE_LIMIT" unless 0 <= per_second <= kMaxRateLimitPerSecond,
// 1 <= burst <= kMaxRateLimitBurst when the limit is on, and max_callers >= 1.
[[nodiscard]] absl::Status ValidateRateLimitOptions(const RateLimitOptions& options);

// What Acquire decided.
struct RateDecision {
  // OK, or RESOURCE_EXHAUSTED "RATE_LIMITED".
  absl::Status status;
  // True for the first refusal after the caller was last admitted: callers log that one
  // and stay quiet for the rest of the streak, so a flood does not flood the log.
  bool first_refusal = false;
};

class RateLimiter {
 public:
  // `options` must pass ValidateRateLimitOptions (checked).
  RateLimiter(const Clock* clock, RateLimitOptions options);

  // Takes one request from the bucket of `caller` (any stable key). `who` names the
  // caller in the refusal's message ("party 3fa2...", "peer 10.0.0.7").
  [[nodiscard]] RateDecision Acquire(const std::string& caller, std::string_view who);

  bool enabled() const { return options_.per_second > 0; }
  // Buckets kept now, for tests and metrics.
  size_t tracked_callers() const;

 private:
  // Tokens are counted in thousandths so that integer refills at millisecond steps are
  // exact: `per_second` thousandths arrive each millisecond.
  static constexpr int64_t kMilliTokensPerRequest = 1000;

  struct Bucket {
    int64_t milli_tokens = 0;
    int64_t updated_unix_ms = 0;
    bool refusing = false;
    std::list<std::string>::iterator recency;
  };

  // Adds what arrived since the bucket was last updated.
  void Refill(Bucket& bucket, int64_t now_unix_ms) const;
  // Forgets least recently seen callers until there is room for one more.
  void MakeRoom() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  // Constant after construction.
  const Clock* const clock_;
  const RateLimitOptions options_;
  const int64_t capacity_milli_tokens_;

  mutable Mutex mutex_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
  // Callers from the most to the least recently seen.
  std::list<std::string> recency_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_RATE_LIMITER_H_
