#include "engine/rate_limiter.h"

#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

constexpr int64_t kStartMs = 1'800'000'000'000;

// Requests `caller` may make now, up to `at_most`.
int Admitted(RateLimiter& limiter, const std::string& caller, int at_most) {
  int admitted = 0;
  while (admitted < at_most && limiter.Acquire(caller, caller).status.ok()) ++admitted;
  return admitted;
}

TEST(RateLimiterTest, ABurstIsAdmittedThenRefusedWithTheTimeToWait) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 10, .burst = 3});
  EXPECT_EQ(Admitted(limiter, "party:a", 100), 3);
  const RateDecision refused = limiter.Acquire("party:a", "party a");
  EXPECT_EQ(refused.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused.status), "RATE_LIMITED");
  EXPECT_EQ(RetryDelayMsOf(refused.status), 100);
  EXPECT_NE(refused.status.message().find("party a"), absl::string_view::npos);
  EXPECT_NE(refused.status.message().find("retry in 100 ms"), absl::string_view::npos);
}

TEST(RateLimiterTest, TokensComeBackAtTheConfiguredRateAndNoFasterThanTheBurst) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 10, .burst = 3});
  EXPECT_EQ(Admitted(limiter, "a", 100), 3);
  clock.Advance(99);
  EXPECT_EQ(Admitted(limiter, "a", 100), 0);
  EXPECT_EQ(RetryDelayMsOf(limiter.Acquire("a", "a").status), 1);
  clock.Advance(1);
  EXPECT_EQ(Admitted(limiter, "a", 100), 1);
  clock.Advance(3'600'000);  // an hour idle refills the bucket, not more
  EXPECT_EQ(Admitted(limiter, "a", 100), 3);
}

TEST(RateLimiterTest, CallersHaveTheirOwnBuckets) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 1, .burst = 2});
  EXPECT_EQ(Admitted(limiter, "a", 100), 2);
  EXPECT_EQ(Admitted(limiter, "b", 100), 2);
}

TEST(RateLimiterTest, OnlyTheFirstRefusalOfAStreakIsMarkedForTheLog) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 1, .burst = 1});
  EXPECT_TRUE(limiter.Acquire("a", "a").status.ok());
  EXPECT_TRUE(limiter.Acquire("a", "a").first_refusal);
  EXPECT_FALSE(limiter.Acquire("a", "a").first_refusal);
  clock.Advance(1000);
  EXPECT_TRUE(limiter.Acquire("a", "a").status.ok());
  EXPECT_TRUE(limiter.Acquire("a", "a").first_refusal);
}

TEST(RateLimiterTest, AClockSteppingBackAddsNothing) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 1, .burst = 1});
  EXPECT_TRUE(limiter.Acquire("a", "a").status.ok());
  clock.Set(kStartMs - 60'000);
  EXPECT_FALSE(limiter.Acquire("a", "a").status.ok());
  clock.Set(kStartMs + 999);
  EXPECT_FALSE(limiter.Acquire("a", "a").status.ok());
  clock.Set(kStartMs + 1000);
  EXPECT_TRUE(limiter.Acquire("a", "a").status.ok());
}

TEST(RateLimiterTest, MemoryIsBoundedByForgettingTheLeastRecentlySeen) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 1, .burst = 1, .max_callers = 3});
  for (const std::string caller : {"a", "b", "c"}) {
    EXPECT_TRUE(limiter.Acquire(caller, caller).status.ok());
  }
  EXPECT_FALSE(limiter.Acquire("a", "a").status.ok());  // "a" is now the most recent
  EXPECT_TRUE(limiter.Acquire("d", "d").status.ok());   // forgets "b"
  EXPECT_EQ(limiter.tracked_callers(), 3u);
  EXPECT_FALSE(limiter.Acquire("a", "a").status.ok());  // "a" was kept, still empty
  EXPECT_FALSE(limiter.Acquire("c", "c").status.ok());
  for (int i = 0; i < 1000; ++i) {
    const std::string caller = "flood-" + std::to_string(i);
    EXPECT_TRUE(limiter.Acquire(caller, caller).status.ok());
  }
  EXPECT_EQ(limiter.tracked_callers(), 3u);
}

TEST(RateLimiterTest, ZeroTurnsTheLimitOff) {
  ManualClock clock(kStartMs);
  RateLimiter limiter(&clock, {.per_second = 0, .burst = 0});
  EXPECT_FALSE(limiter.enabled());
  EXPECT_EQ(Admitted(limiter, "a", 100'000), 100'000);
  EXPECT_EQ(limiter.tracked_callers(), 0u);
}

TEST(RateLimiterTest, OptionsOutOfRangeAreRefused) {
  EXPECT_TRUE(ValidateRateLimitOptions({.per_second = 1000, .burst = 2000}).ok());
  EXPECT_TRUE(ValidateRateLimitOptions({.per_second = 0, .burst = 0}).ok());
  for (const RateLimitOptions& options :
       {RateLimitOptions{.per_second = -1, .burst = 1},
        RateLimitOptions{.per_second = 1, .burst = 0},
        RateLimitOptions{.per_second = limits::kMaxRateLimitPerSecond + 1, .burst = 1},
        RateLimitOptions{.per_second = 1, .burst = limits::kMaxRateLimitBurst + 1},
        RateLimitOptions{.per_second = 1, .burst = 1, .max_callers = 0}}) {
    const absl::Status status = ValidateRateLimitOptions(options);
    EXPECT_EQ(ReasonOf(status), "BAD_RATE_LIMIT") << options.per_second << " " << options.burst;
  }
}

}  // namespace
}  // namespace argentpoche
