#include "engine/rate_limiter.h"

#include <algorithm>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {

absl::Status ValidateRateLimitOptions(const RateLimitOptions& options) {
  if (options.per_second < 0 || options.per_second > limits::kMaxRateLimitPerSecond) {
    return InvalidArgument("BAD_RATE_LIMIT",
                           Concat("the rate limit must be between 0 (off) and ",
                                  limits::kMaxRateLimitPerSecond, " requests per second"));
  }
  if (options.per_second > 0 && (options.burst < 1 || options.burst > limits::kMaxRateLimitBurst)) {
    return InvalidArgument("BAD_RATE_LIMIT", Concat("the rate limit burst must be between 1 and ",
                                                    limits::kMaxRateLimitBurst, " requests"));
  }
  if (options.max_callers < 1) {
    return InvalidArgument("BAD_RATE_LIMIT", "the rate limiter must track at least one caller");
  }
  return absl::OkStatus();
}

RateLimiter::RateLimiter(const Clock* clock, RateLimitOptions options)
    : clock_(clock),
      options_(options),
      capacity_milli_tokens_(options.burst * kMilliTokensPerRequest) {
  POCHE_CHECK(clock != nullptr);
  POCHE_CHECK(ValidateRateLimitOptions(options).ok());
}

void RateLimiter::Refill(Bucket& bucket, int64_t now_unix_ms) const {
  // A clock that steps back adds nothing; one that jumps ahead fills the bucket at most.
  const int64_t elapsed_ms = std::max<int64_t>(0, now_unix_ms - bucket.updated_unix_ms);
  const int64_t missing = capacity_milli_tokens_ - bucket.milli_tokens;
  // elapsed_ms * per_second cannot overflow once elapsed_ms is capped at the fill time.
  const int64_t fill_time_ms = (missing + options_.per_second - 1) / options_.per_second;
  bucket.milli_tokens += std::min(elapsed_ms, fill_time_ms) * options_.per_second;
  bucket.milli_tokens = std::min(bucket.milli_tokens, capacity_milli_tokens_);
  bucket.updated_unix_ms = std::max(bucket.updated_unix_ms, now_unix_ms);
}

void RateLimiter::MakeRoom() {
  while (buckets_.size() >= options_.max_callers) {
    POCHE_CHECK(!recency_.empty());
    // The least recently seen caller: the most likely to be idle with a full bucket.
    const auto forgotten = buckets_.find(recency_.back());
    POCHE_CHECK(forgotten != buckets_.end());
    buckets_.erase(forgotten);
    recency_.pop_back();
  }
}

RateDecision RateLimiter::Acquire(const std::string& caller, std::string_view who) {
  if (!enabled()) return RateDecision{};
  const int64_t now_unix_ms = clock_->NowUnixMs();
  MutexLock lock(&mutex_);
  auto found = buckets_.find(caller);
  if (found == buckets_.end()) {
    MakeRoom();
    recency_.push_front(caller);
    Bucket fresh;
    fresh.milli_tokens = capacity_milli_tokens_;
    fresh.updated_unix_ms = now_unix_ms;
    fresh.recency = recency_.begin();
    found = buckets_.emplace(caller, fresh).first;
  } else {
    recency_.splice(recency_.begin(), recency_, found->second.recency);
  }
  Bucket& bucket = found->second;
  Refill(bucket, now_unix_ms);
  POCHE_CHECK(bucket.milli_tokens >= 0 && bucket.milli_tokens <= capacity_milli_tokens_);
  if (bucket.milli_tokens >= kMilliTokensPerRequest) {
    bucket.milli_tokens -= kMilliTokensPerRequest;
    bucket.refusing = false;
    return RateDecision{};
  }
  const int64_t missing = kMilliTokensPerRequest - bucket.milli_tokens;
  const int64_t wait_ms = (missing + options_.per_second - 1) / options_.per_second;
  RateDecision decision;
  decision.first_refusal = !bucket.refusing;
  bucket.refusing = true;
  decision.status =
      WithRetryDelay(Error(absl::StatusCode::kResourceExhausted, "RATE_LIMITED",
                           Concat("too many requests from ", who, ": the limit is ",
                                  options_.per_second, " per second in bursts of at most ",
                                  options_.burst, "; retry in ", wait_ms, " ms")),
                     wait_ms);
  return decision;
}

size_t RateLimiter::tracked_callers() const {
  MutexLock lock(&mutex_);
  return buckets_.size();
}

}  // namespace argentpoche
