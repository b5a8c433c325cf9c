// The Store port: an ordered key-value store with named tables and atomic batches.
// The engine core sees only this interface; adapters/ implements it on RocksDB, and
// MemoryStore (engine/memory_store.h) implements it for unit tests.
//
// Implementations must be thread-safe: many readers may call Get and Scan while one
// writer calls Write. A Write is atomic (all of the batch or none of it) and, with
// WriteMode::kSync, durable when it returns OK.
#ifndef ARGENTPOCHE_ENGINE_STORE_H_
#define ARGENTPOCHE_ENGINE_STORE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace argentpoche {

// The tables of the engine (RocksDB column families).
enum class Table : int {
  kMeta = 0,            // engine identity, journal head, counters
  kParties = 1,         // party id -> Party
  kAccounts = 2,        // account id -> Account
  kTransfers = 3,       // 20-digit transfer id -> Transfer
  kHolds = 4,           // hold id -> Hold
  kContracts = 5,       // contract id -> Contract
  kRequests = 6,        // caller id + "/" + request id -> idempotency record
  kJournal = 7,         // 20-digit sequence -> JournalRecord
  kSchedule = 8,        // 20-digit due time + "/" + kind + "/" + subject -> DeadlineEvent
  kIndex = 9,           // secondary indexes, "<index>/<key>/<...>" -> ""
  kOracles = 10,        // oracle party id -> Oracle
  kOracleEvents = 11,   // feed "\0" event id -> OracleEvent
  kAttestations = 12,   // feed "\0" event id "\0" oracle "\0" digest -> StoredAttestation
  kEquivocations = 13,  // proof id -> EquivocationProof
};
inline constexpr int kTableCount = 14;

// The stable name of a table (the RocksDB column family name).
std::string_view TableName(Table table);

// Puts and deletes applied together by Store::Write, in order.
struct WriteBatch {
  struct Operation {
    Table table;
    std::string key;
    // nullopt deletes the key.
    std::optional<std::string> value;
  };
  std::vector<Operation> operations;

  void Put(Table table, std::string key, std::string value) {
    operations.push_back({table, std::move(key), std::move(value)});
  }
  void Delete(Table table, std::string key) {
    operations.push_back({table, std::move(key), std::nullopt});
  }
  bool empty() const { return operations.empty(); }
};

enum class WriteMode {
  // Returns once the batch is on stable storage (fsync).
  kSync,
  // Returns once the batch is in the OS's hands; for tests and benchmarks only.
  kNoSync,
};

class Store {
 public:
  virtual ~Store() = default;

  // The value at `key`, nullopt when absent; an error only when the store failed.
  [[nodiscard]] virtual absl::StatusOr<std::optional<std::string>> Get(
      Table table, std::string_view key) const = 0;

  // Calls `visit(key, value)` for the keys k with start <= k < end (no upper bound when
  // `end` is empty), in key order, at most `limit` times; stops early when `visit`
  // returns false.
  [[nodiscard]] virtual absl::Status Scan(
      Table table, std::string_view start, std::string_view end, size_t limit,
      absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const = 0;

  // Applies `batch` atomically. On error nothing of the batch is visible.
  [[nodiscard]] virtual absl::Status Write(const WriteBatch& batch, WriteMode mode) = 0;
};

// The smallest key greater than every key starting with `prefix` (for Scan's `end`).
std::string PrefixEnd(std::string_view prefix);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_STORE_H_
