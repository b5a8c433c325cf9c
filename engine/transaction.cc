#include "engine/transaction.h"

#include <map>

#include "engine/check.h"
#include "engine/strings.h"

namespace argentpoche {

const std::optional<std::string>* ReadCache::Find(const std::string& layer_key) const {
  auto found = entries_.find(layer_key);
  return found == entries_.end() ? nullptr : &found->second;
}

void ReadCache::Remember(const std::string& layer_key, std::optional<std::string> value) {
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[layer_key] = std::move(value);
}

void ReadCache::Apply(const WriteBatch& batch) {
  for (const WriteBatch::Operation& operation : batch.operations) {
    Remember(Transaction::LayerKey(operation.table, operation.key), operation.value);
  }
}

Transaction::Transaction(const Store* store, ReadCache* cache)
    : store_(store), cache_(cache), layers_(1) {
  POCHE_CHECK(store_ != nullptr);
}

std::string Transaction::LayerKey(Table table, std::string_view key) {
  std::string layer_key(1, static_cast<char>(table));
  layer_key.append(key);
  return layer_key;
}

absl::Status Transaction::CorruptRecord(Table table, std::string_view key) {
  return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
               Concat("the stored record ", TableName(table), "/", key,
                      " does not parse; the data directory is damaged"));
}

absl::StatusOr<std::optional<std::string>> Transaction::Get(Table table,
                                                            std::string_view key) const {
  const std::string layer_key = LayerKey(table, key);
  for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) {
    auto found = layer->find(layer_key);
    if (found != layer->end()) return found->second;
  }
  if (cache_ == nullptr) return store_->Get(table, key);
  if (const std::optional<std::string>* cached = cache_->Find(layer_key)) return *cached;
  absl::StatusOr<std::optional<std::string>> stored = store_->Get(table, key);
  if (stored.ok()) cache_->Remember(layer_key, *stored);
  return stored;
}

void Transaction::Put(Table table, std::string_view key, std::string value) {
  layers_.back()[LayerKey(table, key)] = std::move(value);
}

void Transaction::Delete(Table table, std::string_view key) {
  layers_.back()[LayerKey(table, key)] = std::nullopt;
}

void Transaction::PutMessage(Table table, std::string_view key,
                             const google::protobuf::MessageLite& value) {
  std::string bytes;
  POCHE_CHECK(value.SerializeToString(&bytes));
  Put(table, key, std::move(bytes));
}

absl::StatusOr<Transaction::Entries> Transaction::ScanPrefix(Table table, std::string_view prefix,
                                                             size_t limit) const {
  std::map<std::string, std::string, std::less<>> merged;
  // One more than the limit from the store: deletes below may bring it back under.
  POCHE_RETURN_IF_ERROR(store_->Scan(table, prefix, PrefixEnd(prefix), limit + 1 + OverlaySize(),
                                     [&](std::string_view key, std::string_view value) {
                                       merged.emplace(std::string(key), std::string(value));
                                       return true;
                                     }));
  const std::string layer_prefix = LayerKey(table, prefix);
  for (const Layer& layer : layers_) {
    for (const auto& [layer_key, value] : layer) {
      if (layer_key.compare(0, layer_prefix.size(), layer_prefix) != 0) continue;
      std::string key = layer_key.substr(1);
      if (value) {
        merged[std::move(key)] = *value;
      } else {
        merged.erase(key);
      }
    }
  }
  if (merged.size() > limit) {
    return Error(absl::StatusCode::kResourceExhausted, "TOO_MANY_RECORDS",
                 Concat("more than ", limit, " records under one key in ", TableName(table)));
  }
  return Entries(std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end()));
}

size_t Transaction::OverlaySize() const {
  size_t size = 0;
  for (const Layer& layer : layers_) size += layer.size();
  return size;
}

void Transaction::Begin() { layers_.emplace_back(); }

void Transaction::Commit() {
  POCHE_CHECK(layers_.size() > 1);
  Layer top = std::move(layers_.back());
  layers_.pop_back();
  for (auto& [key, value] : top) layers_.back()[key] = std::move(value);
}

void Transaction::Rollback() {
  POCHE_CHECK(layers_.size() > 1);
  layers_.pop_back();
}

WriteBatch Transaction::TakeBatch() {
  POCHE_CHECK(layers_.size() == 1);
  WriteBatch batch;
  batch.operations.reserve(layers_[0].size());
  for (auto& [layer_key, value] : layers_[0]) {
    POCHE_CHECK(!layer_key.empty());
    const Table table = static_cast<Table>(layer_key[0]);
    std::string key = layer_key.substr(1);
    if (value) {
      batch.Put(table, std::move(key), std::move(*value));
    } else {
      batch.Delete(table, std::move(key));
    }
  }
  layers_[0].clear();
  return batch;
}

}  // namespace argentpoche
