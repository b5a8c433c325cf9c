#include "adapters/rocksdb_store.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/check.h"
#include "engine/status.h"
#include "engine/store.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/iterator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/status.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace argentpoche {
namespace {

constexpr std::string_view kStorageUnavailable = "STORAGE_UNAVAILABLE";

// UNAVAILABLE / STORAGE_UNAVAILABLE with "<what>: <RocksDB's status>" as the message.
// (std::string rather than absl::StrCat: this abseil's string_view is not std's.)
absl::Status StorageUnavailable(std::string_view what, const rocksdb::Status& status) {
  std::string message(what);
  message.append(": ").append(status.ToString());
  return Error(absl::StatusCode::kUnavailable, kStorageUnavailable, message);
}

// Every read uses these options, spelled out rather than left to RocksDB's defaults.
rocksdb::ReadOptions MakeReadOptions() {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = nullptr;  // An implicit snapshot taken by each read.
  read_options.verify_checksums = true;
  read_options.fill_cache = true;
  read_options.iterate_upper_bound = nullptr;
  return read_options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& directory, const RocksDbStoreOptions& options) {
  rocksdb::DBOptions database_options;
  database_options.create_if_missing = true;
  database_options.create_missing_column_families = true;
  database_options.error_if_exists = false;
  database_options.paranoid_checks = options.paranoid_checks;

  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));

  // The tables first, so that descriptors[i] is Table i; then "default" and any family
  // an existing database has that this code does not know (RocksDB opens all or none).
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int index = 0; index < kTableCount; ++index) {
    descriptors.emplace_back(std::string(TableName(static_cast<Table>(index))), family_options);
  }
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, family_options);
  std::vector<std::string> existing_families;
  // Fails when there is no database yet; then there are no extra families to open.
  if (rocksdb::DB::ListColumnFamilies(database_options, directory, &existing_families).ok()) {
    for (const std::string& name : existing_families) {
      const bool known = std::any_of(descriptors.begin(), descriptors.end(),
                                     [&name](const rocksdb::ColumnFamilyDescriptor& descriptor) {
                                       return descriptor.name == name;
                                     });
      if (!known) descriptors.emplace_back(name, family_options);
    }
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_database = nullptr;
  const rocksdb::Status status =
      rocksdb::DB::Open(database_options, directory, descriptors, &handles, &raw_database);
  if (!status.ok()) {
    return StorageUnavailable("cannot open RocksDB database in " + directory, status);
  }
  std::unique_ptr<rocksdb::DB> database(raw_database);
  POCHE_CHECK(handles.size() == descriptors.size());
  std::array<rocksdb::ColumnFamilyHandle*, kTableCount> table_handles;
  std::copy_n(handles.begin(), kTableCount, table_handles.begin());
  return std::unique_ptr<RocksDbStore>(
      new RocksDbStore(std::move(database), std::move(handles), table_handles));
}

RocksDbStore::RocksDbStore(std::unique_ptr<rocksdb::DB> database,
                           std::vector<rocksdb::ColumnFamilyHandle*> all_handles,
                           std::array<rocksdb::ColumnFamilyHandle*, kTableCount> table_handles)
    : database_(std::move(database)),
      all_handles_(std::move(all_handles)),
      table_handles_(table_handles) {}

RocksDbStore::~RocksDbStore() {
  // A destructor cannot return an error; report it so that an operator can see it.
  for (rocksdb::ColumnFamilyHandle* handle : all_handles_) {
    const rocksdb::Status status = database_->DestroyColumnFamilyHandle(handle);
    if (!status.ok()) {
      std::fprintf(stderr, "RocksDbStore: cannot release a column family handle: %s\n",
                   status.ToString().c_str());
    }
  }
  all_handles_.clear();
  const rocksdb::Status status = database_->Close();
  if (!status.ok()) {
    std::fprintf(stderr, "RocksDbStore: cannot close the database: %s\n",
                 status.ToString().c_str());
  }
  database_.reset();
}

rocksdb::ColumnFamilyHandle* RocksDbStore::HandleOf(Table table) const {
  const int index = static_cast<int>(table);
  POCHE_CHECK(index >= 0 && index < kTableCount);
  return table_handles_[index];
}

absl::StatusOr<std::optional<std::string>> RocksDbStore::Get(Table table,
                                                             std::string_view key) const {
  std::string value;
  const rocksdb::Status status =
      database_->Get(MakeReadOptions(), HandleOf(table), rocksdb::Slice(key), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) {
    return StorageUnavailable("cannot read table " + std::string(TableName(table)), status);
  }
  return std::optional<std::string>(std::move(value));
}

absl::Status RocksDbStore::Scan(
    Table table, std::string_view start, std::string_view end, size_t limit,
    absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const {
  if (limit == 0) return absl::OkStatus();
  if (!end.empty() && start >= end) return absl::OkStatus();
  // Must outlive the iterator, which reads it.
  const rocksdb::Slice upper_bound(end);
  rocksdb::ReadOptions read_options = MakeReadOptions();
  if (!end.empty()) read_options.iterate_upper_bound = &upper_bound;
  const std::unique_ptr<rocksdb::Iterator> iterator(
      database_->NewIterator(read_options, HandleOf(table)));
  size_t visited = 0;
  for (iterator->Seek(rocksdb::Slice(start)); iterator->Valid() && visited < limit;
       iterator->Next()) {
    ++visited;
    if (!visit(iterator->key().ToStringView(), iterator->value().ToStringView())) break;
  }
  const rocksdb::Status status = iterator->status();
  if (!status.ok()) {
    return StorageUnavailable("cannot scan table " + std::string(TableName(table)), status);
  }
  return absl::OkStatus();
}

absl::Status RocksDbStore::Write(const WriteBatch& batch, WriteMode mode) {
  if (batch.empty()) return absl::OkStatus();
  rocksdb::WriteBatch rocksdb_batch;
  for (const WriteBatch::Operation& operation : batch.operations) {
    rocksdb::ColumnFamilyHandle* handle = HandleOf(operation.table);
    const rocksdb::Status status =
        operation.value.has_value() ? rocksdb_batch.Put(handle, rocksdb::Slice(operation.key),
                                                        rocksdb::Slice(*operation.value))
                                    : rocksdb_batch.Delete(handle, rocksdb::Slice(operation.key));
    if (!status.ok()) return StorageUnavailable("cannot build the write batch", status);
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = mode == WriteMode::kSync;
  write_options.disableWAL = false;
  write_options.ignore_missing_column_families = false;
  write_options.no_slowdown = false;
  const rocksdb::Status status = database_->Write(write_options, &rocksdb_batch);
  if (!status.ok()) return StorageUnavailable("cannot write the batch", status);
  return absl::OkStatus();
}

}  // namespace argentpoche
