// Transaction: a read-your-writes overlay over a Store, with nested savepoints, used by
// the single writer to apply a batch of commands before one atomic commit.
//
//   Transaction tx(&store);
//   tx.Begin();                      // savepoint for one command
//   tx.Put(Table::kAccounts, id, bytes);
//   ok ? tx.Commit() : tx.Rollback();
//   store.Write(tx.TakeBatch(), WriteMode::kSync);
//
// Not thread-safe: owned and used by one thread. `store` must outlive it.
#ifndef ARGENTPOCHE_ENGINE_TRANSACTION_H_
#define ARGENTPOCHE_ENGINE_TRANSACTION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "engine/status.h"
#include "engine/store.h"
#include "google/protobuf/message_lite.h"

namespace argentpoche {

// Durable values the single writer has recently read or committed, so that applying a
// command does not go back to the store for them. Only the writer uses it, and it only
// ever holds what is durable: it is updated after a commit succeeds, never before, and
// cleared after a commit fails (the store may then hold the batch or not). Bounded: it forgets
// everything when it reaches its limit. Not thread-safe.
class ReadCache {
 public:
  explicit ReadCache(size_t max_entries) : max_entries_(max_entries) {}
  // nullptr when unknown; otherwise the durable value (nullopt: known to be absent).
  const std::optional<std::string>* Find(const std::string& layer_key) const;
  void Remember(const std::string& layer_key, std::optional<std::string> value);
  // Records what a successful commit wrote.
  void Apply(const WriteBatch& batch);
  // Forgets everything: after a commit that failed, the store may hold all of its
  // batch or none of it.
  void Clear() { entries_.clear(); }

 private:
  const size_t max_entries_;
  absl::flat_hash_map<std::string, std::optional<std::string>> entries_;
};

class Transaction {
 public:
  // `cache`, when given, is consulted before the store and fed with what is read.
  explicit Transaction(const Store* store, ReadCache* cache = nullptr);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // The value as this transaction sees it: its own writes first, then the store.
  [[nodiscard]] absl::StatusOr<std::optional<std::string>> Get(Table table,
                                                               std::string_view key) const;
  void Put(Table table, std::string_view key, std::string value);
  void Delete(Table table, std::string_view key);

  // Reads and parses a message; a value that does not parse is DATA_LOSS.
  template <typename Message>
  [[nodiscard]] absl::StatusOr<std::optional<Message>> GetMessage(Table table,
                                                                  std::string_view key) const {
    POCHE_ASSIGN_OR_RETURN(std::optional<std::string> bytes, Get(table, key));
    if (!bytes) return std::optional<Message>();
    Message message;
    if (!message.ParseFromString(*bytes)) return CorruptRecord(table, key);
    return std::optional<Message>(std::move(message));
  }
  void PutMessage(Table table, std::string_view key, const google::protobuf::MessageLite& value);

  // The keys starting with `prefix` and their values as this transaction sees them (the
  // store's, then this transaction's own writes and deletes), in key order, at most
  // `limit` of them (RESOURCE_EXHAUSTED "TOO_MANY_RECORDS" beyond: the callers bound
  // what they index). Reads the store directly (not the cache), which holds only
  // durable data.
  using Entries = std::vector<std::pair<std::string, std::string>>;
  [[nodiscard]] absl::StatusOr<Entries> ScanPrefix(Table table, std::string_view prefix,
                                                   size_t limit) const;

  // Opens a savepoint; Commit folds it into the enclosing level, Rollback drops it.
  void Begin();
  void Commit();
  void Rollback();
  int depth() const { return static_cast<int>(layers_.size()) - 1; }

  // The committed base level as one batch; the transaction is empty afterwards.
  // Requires no open savepoint.
  WriteBatch TakeBatch();

 public:
  // The key of `key` in `table` as layers and the cache know it.
  static std::string LayerKey(Table table, std::string_view key);

 private:
  using Layer = absl::flat_hash_map<std::string, std::optional<std::string>>;
  static absl::Status CorruptRecord(Table table, std::string_view key);
  size_t OverlaySize() const;

  const Store* const store_;
  ReadCache* const cache_;
  // layers_[0] is the base level; each savepoint pushes one.
  std::vector<Layer> layers_;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_TRANSACTION_H_
