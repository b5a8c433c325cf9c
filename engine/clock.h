// The Clock port: the engine's only source of time, in Unix milliseconds. The engine
// is deterministic given its inputs and its clock; tests drive a ManualClock.
// Both implementations are thread-safe.
#ifndef ARGENTPOCHE_ENGINE_CLOCK_H_
#define ARGENTPOCHE_ENGINE_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace argentpoche {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowUnixMs() const = 0;
};

// Wall-clock time.
class SystemClock final : public Clock {
 public:
  int64_t NowUnixMs() const override;
};

// Time that moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_unix_ms) : now_unix_ms_(start_unix_ms) {}
  int64_t NowUnixMs() const override { return now_unix_ms_.load(); }
  void Set(int64_t unix_ms) { now_unix_ms_.store(unix_ms); }
  void Advance(int64_t delta_ms) { now_unix_ms_.fetch_add(delta_ms); }

 private:
  std::atomic<int64_t> now_unix_ms_;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CLOCK_H_
