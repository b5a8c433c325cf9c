// The daemon's sense of time: the engine's clock. Whether an observation moment has come
// and what time a command is signed with are the engine's business (it refuses values
// observed in its future and commands signed too far from its clock), so the daemon
// follows it: this machine's clock plus the offset to the engine's, measured with
// GetEngineInfo before every pass. Until a measurement succeeds the offset is zero.
// Thread-safe (the offset is atomic).
#ifndef ARGENTPOCHE_ORACLES_ENGINE_CLOCK_H_
#define ARGENTPOCHE_ORACLES_ENGINE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "engine/clock.h"

namespace argentpoche::oracles {

class EngineClock final : public Clock {
 public:
  int64_t NowUnixMs() const override { return local_.NowUnixMs() + offset_ms_.load(); }

  // Records the engine's time `engine_now_unix_ms` as read just now.
  void Observe(int64_t engine_now_unix_ms) {
    offset_ms_.store(engine_now_unix_ms - local_.NowUnixMs());
  }
  int64_t offset_ms() const { return offset_ms_.load(); }

 private:
  SystemClock local_;
  std::atomic<int64_t> offset_ms_{0};
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_ENGINE_CLOCK_H_
