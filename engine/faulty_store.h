// FaultyStore: a Store (engine/store.h) that wraps another one and injects storage
// faults into its writes, for tests: how the engine answers a write that fails, a sync
// that fails after the data reached the store, and writes that are slow. It runs over
// MemoryStore in unit tests and over the real RocksDbStore in
// tests/storage_faults_test.cc.
//
//   RocksDbStore& disk = ...;
//   FaultyStore store(&disk);
//   store.FailNextWrites(1, StorageFault::kFailedSync, absl::UnavailableError("fsync"));
//   // The next Write reaches RocksDB, then reports the error.
//
// Reads (Get, Scan) pass through unchanged. Each Write, in this order:
//   1. takes a fault from the schedules, first match wins: the next-N count
//      (FailNextWrites), then the table rule (FailWritesTouching), then the seeded
//      random draw (FailRandomly); with no schedule, no fault;
//   2. waits while the gate is closed (CloseGate), then sleeps the write delay
//      (DelayWrites): a slow write, of which nothing is visible until it returns;
//   3. kFailedWrite: returns the error; the inner store is not touched.
//      kFailedSync: writes the batch to the inner store and then returns the error
//      even though the batch was applied (and, on RocksDB, may be durable). It is the
//      dangerous case: the caller is told "failed" about data readers can already see.
//      No fault: returns what the inner store returned.
//
// Promises: given the same sequence of writes and the same schedules, the same writes
// fail the same way (the random draw comes from its own generator, seeded by the test,
// and is drawn once per write while random faults are on); counters() is exact.
//
// Thread-safety: every member function may be called from any thread concurrently;
// the inner store is called without any lock of ours held.
// Ownership: `inner` is borrowed and must outlive the FaultyStore. A test that closes
// the gate must open it again before whatever writes (the engine, say) is destroyed.
#ifndef ARGENTPOCHE_ENGINE_FAULTY_STORE_H_
#define ARGENTPOCHE_ENGINE_FAULTY_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/store.h"
#include "engine/sync.h"

namespace argentpoche {

enum class StorageFault {
  kNone,
  // The write fails before anything is applied.
  kFailedWrite,
  // The write is applied, then reported as failed (an fsync that returns an error).
  kFailedSync,
};

class FaultyStore final : public Store {
 public:
  // Sleeps for the write delay; std::this_thread::sleep_for unless a test gives another.
  using SleepFunction = std::function<void(std::chrono::microseconds)>;

  struct Counters {
    uint64_t writes = 0;         // calls to Write
    uint64_t failed_writes = 0;  // kFailedWrite injected
    uint64_t failed_syncs = 0;   // kFailedSync injected (the batch was applied)
    uint64_t applied = 0;        // batches the inner store accepted, failed syncs included
  };

  explicit FaultyStore(Store* inner, SleepFunction sleep = nullptr);
  FaultyStore(const FaultyStore&) = delete;
  FaultyStore& operator=(const FaultyStore&) = delete;
  ~FaultyStore() override = default;

  // Passed to the inner store.
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> Get(Table table,
                                                               std::string_view key) const override;
  [[nodiscard]] absl::Status Scan(
      Table table, std::string_view start, std::string_view end, size_t limit,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const override;

  // The inner store's Write with the scheduled fault, gate and delay (file comment).
  // Returns the injected error for a fault, otherwise the inner store's answer.
  [[nodiscard]] absl::Status Write(const WriteBatch& batch, WriteMode mode) override;

  // The next `count` writes get `fault` and return `error`. Replaces an earlier count;
  // 0 cancels it. Requires count >= 0, a fault other than kNone and !error.ok().
  void FailNextWrites(int count, StorageFault fault, absl::Status error);
  // Every write whose batch puts or deletes a key of `table` gets `fault` and returns
  // `error`, until ClearFaults. Replaces an earlier table rule. Same requirements.
  void FailWritesTouching(Table table, StorageFault fault, absl::Status error);
  // Each write draws from a generator seeded with `seed`: it gets kFailedWrite with
  // probability failed_write_per_million / 10^6, else kFailedSync with probability
  // failed_sync_per_million / 10^6, and returns `error` if it got one. Replaces earlier
  // random faults. Requires the two to sum to at most 10^6 and !error.ok().
  void FailRandomly(uint64_t seed, uint32_t failed_write_per_million,
                    uint32_t failed_sync_per_million, absl::Status error);
  // Cancels every fault schedule (not the gate, not the delay).
  void ClearFaults();

  // Every write sleeps `delay` before it reaches the inner store; 0 turns it off.
  // Requires delay >= 0.
  void DelayWrites(std::chrono::microseconds delay);
  // While the gate is closed, writes wait before reaching the inner store.
  void CloseGate();
  void OpenGate();
  // Returns once at least `count` writes wait at the closed gate.
  void AwaitWritesAtGate(int count);

  Counters counters() const;

 private:
  struct Rule {
    StorageFault fault = StorageFault::kNone;
    absl::Status error;
  };
  // The fault for `batch` under the schedules, consuming the count and a random draw.
  Rule NextFault(const WriteBatch& batch) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Waits at the gate, then returns the delay to sleep.
  std::chrono::microseconds PassGate();

  // Constant after construction.
  Store* const inner_;
  const SleepFunction sleep_;

  mutable Mutex mutex_;
  CondVar gate_changed_;
  int next_writes_to_fail_ ABSL_GUARDED_BY(mutex_) = 0;
  Rule next_writes_rule_ ABSL_GUARDED_BY(mutex_);
  std::optional<Table> failing_table_ ABSL_GUARDED_BY(mutex_);
  Rule table_rule_ ABSL_GUARDED_BY(mutex_);
  bool random_faults_ ABSL_GUARDED_BY(mutex_) = false;
  std::mt19937_64 random_ ABSL_GUARDED_BY(mutex_);
  uint32_t failed_write_per_million_ ABSL_GUARDED_BY(mutex_) = 0;
  uint32_t failed_sync_per_million_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Status random_error_ ABSL_GUARDED_BY(mutex_);
  std::chrono::microseconds delay_ ABSL_GUARDED_BY(mutex_){0};
  bool gate_closed_ ABSL_GUARDED_BY(mutex_) = false;
  int writes_at_gate_ ABSL_GUARDED_BY(mutex_) = 0;
  Counters counters_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_FAULTY_STORE_H_
