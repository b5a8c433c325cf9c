// MemoryStore: an in-memory fake of the Store port (engine/store.h), for unit tests only.
// Nothing is persisted; WriteMode is accepted and ignored. Production code uses the
// RocksDB adapter (adapters/rocksdb_store.h).
//
// Each table is a std::map guarded by one Mutex (engine/sync.h), so a Write is atomic:
// readers see all of a batch or none of it. Tests can make writes fail with
// FailNextWrites(), or wrap the store in a FaultyStore (engine/faulty_store.h).
//
// Thread-safety: every member function may be called from any thread concurrently.
// Ownership: the store owns copies of all keys and values; nothing it returns refers to
// its internal state once the call has returned.
#ifndef ARGENTPOCHE_ENGINE_MEMORY_STORE_H_
#define ARGENTPOCHE_ENGINE_MEMORY_STORE_H_

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/store.h"
#include "engine/sync.h"

namespace argentpoche {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;
  ~MemoryStore() override = default;

  // The value at `key` in `table`, nullopt when absent. Never fails.
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> Get(Table table,
                                                               std::string_view key) const override;

  // Calls `visit` for start <= key < end (no upper bound when `end` is empty), in key
  // order, at most `limit` times (so never when `limit` is 0), stopping when `visit`
  // returns false. The entries are copied under the lock and visited without it, so
  // `visit` sees the table as it was when Scan was called and may call back into the
  // store. Never fails.
  [[nodiscard]] absl::Status Scan(
      Table table, std::string_view start, std::string_view end, size_t limit,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const override;

  // Applies `batch` atomically, in order. Returns the injected error (and applies
  // nothing) while writes are set to fail by FailNextWrites(); OK otherwise.
  [[nodiscard]] absl::Status Write(const WriteBatch& batch, WriteMode mode) override;

  // Makes the next `count` calls to Write return `error` without applying anything.
  // Replaces any earlier injection; a `count` of 0 cancels it. Requires count >= 0 and
  // !error.ok() (checked).
  void FailNextWrites(int count, absl::Status error);

 private:
  // std::less<> allows lookups by std::string_view without building a std::string.
  using TableMap = std::map<std::string, std::string, std::less<>>;

  mutable Mutex mutex_;
  std::array<TableMap, kTableCount> tables_ ABSL_GUARDED_BY(mutex_);
  int writes_to_fail_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Status write_error_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_MEMORY_STORE_H_
