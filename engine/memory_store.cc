#include "engine/memory_store.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/check.h"

namespace argentpoche {
namespace {

int TableIndex(Table table) {
  const int index = static_cast<int>(table);
  POCHE_CHECK(index >= 0 && index < kTableCount);
  return index;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> MemoryStore::Get(Table table,
                                                            std::string_view key) const {
  MutexLock lock(&mutex_);
  const TableMap& entries = tables_[TableIndex(table)];
  const auto found = entries.find(key);
  if (found == entries.end()) return std::optional<std::string>();
  return std::optional<std::string>(found->second);
}

absl::Status MemoryStore::Scan(
    Table table, std::string_view start, std::string_view end, size_t limit,
    absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const {
  std::vector<std::pair<std::string, std::string>> matches;
  {
    MutexLock lock(&mutex_);
    const TableMap& entries = tables_[TableIndex(table)];
    for (auto entry = entries.lower_bound(start); entry != entries.end() && matches.size() < limit;
         ++entry) {
      if (!end.empty() && entry->first >= end) break;
      matches.emplace_back(entry->first, entry->second);
    }
  }
  for (const auto& [key, value] : matches) {
    if (!visit(key, value)) break;
  }
  return absl::OkStatus();
}

absl::Status MemoryStore::Write(const WriteBatch& batch, WriteMode /*mode*/) {
  MutexLock lock(&mutex_);
  if (writes_to_fail_ > 0) {
    --writes_to_fail_;
    return write_error_;
  }
  for (const WriteBatch::Operation& operation : batch.operations) {
    TableMap& entries = tables_[TableIndex(operation.table)];
    if (operation.value.has_value()) {
      entries.insert_or_assign(operation.key, *operation.value);
    } else {
      entries.erase(operation.key);
    }
  }
  return absl::OkStatus();
}

void MemoryStore::FailNextWrites(int count, absl::Status error) {
  POCHE_CHECK(count >= 0);
  POCHE_CHECK(!error.ok());
  MutexLock lock(&mutex_);
  writes_to_fail_ = count;
  write_error_ = std::move(error);
}

}  // namespace argentpoche
