// RocksDbStore: the Store port (engine/store.h) on an embedded RocksDB database. Each
// Table is one column family named by TableName(); the "default" column family exists
// (RocksDB requires it) but holds nothing of ours.
//
// Durability: a Write with WriteMode::kSync returns once RocksDB has fsynced its
// write-ahead log; the WAL is never disabled. A Write is one rocksdb::WriteBatch, so it
// is applied atomically, also across a crash.
//
// Thread-safety: rocksdb::DB is thread-safe and the column family handles are fixed
// after Open, so Get, Scan and Write may be called from any thread concurrently. Each
// Scan reads from an implicit snapshot taken when it starts.
//
// Ownership: the store owns the database and its column family handles; destroying the
// store closes the database. Only one RocksDbStore (one process) may have a directory
// open at a time; RocksDB's lock file enforces it.
#ifndef ARGENTPOCHE_ADAPTERS_ROCKSDB_STORE_H_
#define ARGENTPOCHE_ADAPTERS_ROCKSDB_STORE_H_

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/store.h"
#include "rocksdb/db.h"

namespace argentpoche {

// How RocksDbStore::Open configures RocksDB.
struct RocksDbStoreOptions {
  // Capacity of the LRU block cache shared by all column families.
  size_t block_cache_bytes = 64 << 20;
  // RocksDB's paranoid_checks: refuse to open or keep writing on detected corruption.
  bool paranoid_checks = true;
};

class RocksDbStore final : public Store {
 public:
  // Opens the database in `directory`, creating it (the directory itself, not its
  // parents) and any missing table column family when needed. An existing database is
  // opened with all of its column families, including ones this code does not know.
  // Errors: UNAVAILABLE with reason STORAGE_UNAVAILABLE when RocksDB cannot open the
  // database (missing parent directory, no permission, corruption, directory locked by
  // another open store, ...); the message carries RocksDB's status.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(
      const std::string& directory, const RocksDbStoreOptions& options);

  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  // Releases the column family handles and closes the database. Writes made with
  // WriteMode::kNoSync that the OS has not flushed may be lost if the machine (not the
  // process) crashes afterwards.
  ~RocksDbStore() override;

  // The value at `key` in `table`, nullopt when absent.
  // Errors: UNAVAILABLE / STORAGE_UNAVAILABLE when RocksDB fails to read.
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> Get(Table table,
                                                               std::string_view key) const override;

  // Calls `visit` for start <= key < end (no upper bound when `end` is empty), in key
  // order, at most `limit` times (so never when `limit` is 0), stopping when `visit`
  // returns false. The views passed to `visit` are valid only during that call.
  // Errors: UNAVAILABLE / STORAGE_UNAVAILABLE when the iteration fails; `visit` may
  // have been called for some keys before.
  [[nodiscard]] absl::Status Scan(
      Table table, std::string_view start, std::string_view end, size_t limit,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const override;

  // Applies `batch` atomically; with WriteMode::kSync, durable when it returns OK. An
  // empty batch is OK and writes nothing.
  // Errors: UNAVAILABLE / STORAGE_UNAVAILABLE when RocksDB rejects or fails the write;
  // nothing of the batch is then applied.
  [[nodiscard]] absl::Status Write(const WriteBatch& batch, WriteMode mode) override;

 private:
  RocksDbStore(std::unique_ptr<rocksdb::DB> database,
               std::vector<rocksdb::ColumnFamilyHandle*> all_handles,
               std::array<rocksdb::ColumnFamilyHandle*, kTableCount> table_handles);

  // The column family of `table`; checks that `table` is a valid Table.
  rocksdb::ColumnFamilyHandle* HandleOf(Table table) const;

  std::unique_ptr<rocksdb::DB> database_;
  // Every handle returned by rocksdb::DB::Open (tables, "default", unknown families);
  // owned here and destroyed before the database is closed.
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
  // Borrowed from all_handles_, indexed by the numeric value of Table.
  std::array<rocksdb::ColumnFamilyHandle*, kTableCount> table_handles_;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ADAPTERS_ROCKSDB_STORE_H_
