// Tests of RocksDbStore against a real RocksDB database in a temporary directory.
#include "adapters/rocksdb_store.h"

#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/status.h"
#include "engine/store.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace argentpoche {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

absl::StatusOr<Entries> ScanAll(const Store& store, Table table, std::string_view start,
                                std::string_view end, size_t limit) {
  Entries entries;
  absl::Status status = store.Scan(table, start, end, limit,
                                   [&entries](std::string_view key, std::string_view value) {
                                     entries.emplace_back(key, value);
                                     return true;
                                   });
  if (!status.ok()) return status;
  return entries;
}

// A 20-digit, zero-padded decimal key, as the engine's sequence keys are.
std::string SequenceKey(int number) {
  std::string digits = std::to_string(number);
  return std::string(20 - digits.size(), '0') + digits;
}

class RocksDbStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = "/tmp/rocksdb_store_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    temporary_directory_ = pattern;
    database_directory_ = temporary_directory_ + "/database";
    Reopen();
  }

  void TearDown() override {
    store_.reset();
    std::error_code error;
    std::filesystem::remove_all(temporary_directory_, error);
    EXPECT_FALSE(error) << error.message();
  }

  // Closes the store (if open) and opens the same directory again.
  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<RocksDbStore>> opened =
        RocksDbStore::Open(database_directory_, RocksDbStoreOptions{});
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  void Put(Table table, std::string key, std::string value) {
    WriteBatch batch;
    batch.Put(table, std::move(key), std::move(value));
    ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  }

  std::optional<std::string> GetOrDie(Table table, std::string_view key) {
    absl::StatusOr<std::optional<std::string>> value = store_->Get(table, key);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : std::nullopt;
  }

  std::string temporary_directory_;
  std::string database_directory_;
  std::unique_ptr<RocksDbStore> store_;
};

TEST_F(RocksDbStoreTest, GetReturnsWhatWasPut) {
  Put(Table::kAccounts, "a1", "value1");
  EXPECT_EQ(GetOrDie(Table::kAccounts, "a1"), "value1");
}

TEST_F(RocksDbStoreTest, StoresBinaryKeysAndValues) {
  const std::string key("k\0\xff", 3);
  const std::string value("\0\x01\xfe", 3);
  Put(Table::kIndex, key, value);
  EXPECT_EQ(GetOrDie(Table::kIndex, key), value);
  EXPECT_FALSE(GetOrDie(Table::kIndex, "k").has_value());
}

TEST_F(RocksDbStoreTest, MissingKeyIsNullopt) {
  absl::StatusOr<std::optional<std::string>> value = store_->Get(Table::kAccounts, "absent");
  ASSERT_TRUE(value.ok());
  EXPECT_FALSE(value->has_value());
}

TEST_F(RocksDbStoreTest, DeleteRemovesKey) {
  Put(Table::kHolds, "h", "v");
  WriteBatch remove;
  remove.Delete(Table::kHolds, "h");
  remove.Delete(Table::kHolds, "never-existed");
  ASSERT_TRUE(store_->Write(remove, WriteMode::kSync).ok());
  EXPECT_FALSE(GetOrDie(Table::kHolds, "h").has_value());
}

TEST_F(RocksDbStoreTest, OperationsOfABatchApplyInOrder) {
  WriteBatch batch;
  batch.Put(Table::kMeta, "k", "first");
  batch.Delete(Table::kMeta, "k");
  batch.Put(Table::kMeta, "j", "1");
  batch.Put(Table::kMeta, "j", "2");
  ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  EXPECT_FALSE(GetOrDie(Table::kMeta, "k").has_value());
  EXPECT_EQ(GetOrDie(Table::kMeta, "j"), "2");
}

TEST_F(RocksDbStoreTest, EmptyBatchIsOk) {
  EXPECT_TRUE(store_->Write(WriteBatch{}, WriteMode::kSync).ok());
}

TEST_F(RocksDbStoreTest, TablesAreSeparate) {
  WriteBatch batch;
  batch.Put(Table::kAccounts, "same", "account");
  batch.Put(Table::kTransfers, "same", "transfer");
  ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  EXPECT_EQ(GetOrDie(Table::kAccounts, "same"), "account");
  EXPECT_EQ(GetOrDie(Table::kTransfers, "same"), "transfer");
  EXPECT_FALSE(GetOrDie(Table::kHolds, "same").has_value());
  absl::StatusOr<Entries> accounts = ScanAll(*store_, Table::kAccounts, "", "", 100);
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ(*accounts, (Entries{{"same", "account"}}));
}

TEST_F(RocksDbStoreTest, CreatesOneColumnFamilyPerTable) {
  store_.reset();
  std::vector<std::string> families;
  ASSERT_TRUE(
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), database_directory_, &families).ok());
  std::vector<std::string> expected = {"default"};
  for (int index = 0; index < kTableCount; ++index) {
    expected.emplace_back(TableName(static_cast<Table>(index)));
  }
  std::sort(families.begin(), families.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(families, expected);
}

class RocksDbStoreScanTest : public RocksDbStoreTest {
 protected:
  void SetUp() override {
    RocksDbStoreTest::SetUp();
    if (HasFatalFailure()) return;
    WriteBatch batch;
    for (const char* key : {"c", "a", "b\xff", "e", "b", "d", "ba"}) {
      batch.Put(Table::kIndex, key, std::string("v-") + key);
    }
    batch.Put(Table::kJournal, "a", "other table");
    ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  }
};

TEST_F(RocksDbStoreScanTest, VisitsAllKeysInOrderWithoutUpperBound) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kIndex, "", "", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"a", "v-a"},
                               {"b", "v-b"},
                               {"ba", "v-ba"},
                               {"b\xff", "v-b\xff"},
                               {"c", "v-c"},
                               {"d", "v-d"},
                               {"e", "v-e"}}));
}

TEST_F(RocksDbStoreScanTest, StartIsInclusiveAndEndExclusive) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kIndex, "b", "d", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}, {"b\xff", "v-b\xff"}, {"c", "v-c"}}));
}

TEST_F(RocksDbStoreScanTest, PrefixEndBoundsAPrefixScan) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kIndex, "b", PrefixEnd("b"), 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}, {"b\xff", "v-b\xff"}}));
}

TEST_F(RocksDbStoreScanTest, StopsAtLimit) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kIndex, "b", "", 2);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}}));
}

TEST_F(RocksDbStoreScanTest, ZeroLimitVisitsNothing) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kIndex, "", "", 0);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_F(RocksDbStoreScanTest, StopsWhenVisitReturnsFalse) {
  std::vector<std::string> keys;
  ASSERT_TRUE(store_
                  ->Scan(Table::kIndex, "", "", 100,
                         [&keys](std::string_view key, std::string_view) {
                           keys.emplace_back(key);
                           return keys.size() < 3;
                         })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "ba"}));
}

TEST_F(RocksDbStoreScanTest, EmptyOrInvertedRangeVisitsNothing) {
  EXPECT_TRUE(ScanAll(*store_, Table::kIndex, "bb", "bc", 100)->empty());
  EXPECT_TRUE(ScanAll(*store_, Table::kIndex, "d", "b", 100)->empty());
  EXPECT_TRUE(ScanAll(*store_, Table::kIndex, "b", "b", 100)->empty());
  EXPECT_TRUE(ScanAll(*store_, Table::kContracts, "", "", 100)->empty());
}

TEST_F(RocksDbStoreScanTest, ScansOnlyTheGivenTable) {
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kJournal, "", "", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"a", "other table"}}));
}

TEST_F(RocksDbStoreTest, DataSurvivesClosingAndReopening) {
  WriteBatch batch;
  batch.Put(Table::kParties, "p1", "party");
  batch.Put(Table::kJournal, SequenceKey(1), "record");
  batch.Put(Table::kMeta, "gone", "x");
  ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  WriteBatch remove;
  remove.Delete(Table::kMeta, "gone");
  ASSERT_TRUE(store_->Write(remove, WriteMode::kSync).ok());

  Reopen();
  EXPECT_EQ(GetOrDie(Table::kParties, "p1"), "party");
  EXPECT_EQ(GetOrDie(Table::kJournal, SequenceKey(1)), "record");
  EXPECT_FALSE(GetOrDie(Table::kMeta, "gone").has_value());
  // Still writable after reopening.
  Put(Table::kParties, "p2", "second");
  Reopen();
  EXPECT_EQ(GetOrDie(Table::kParties, "p2"), "second");
}

TEST_F(RocksDbStoreTest, NoSyncWritesAlsoSurviveACleanClose) {
  WriteBatch batch;
  batch.Put(Table::kSchedule, "due", "event");
  ASSERT_TRUE(store_->Write(batch, WriteMode::kNoSync).ok());
  Reopen();
  EXPECT_EQ(GetOrDie(Table::kSchedule, "due"), "event");
}

TEST_F(RocksDbStoreTest, SyncedWritesSucceedAndAreReadableAfterReopen) {
  for (int number = 1; number <= 20; ++number) {
    WriteBatch batch;
    batch.Put(Table::kJournal, SequenceKey(number), "record " + std::to_string(number));
    batch.Put(Table::kMeta, "journal_head", SequenceKey(number));
    ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  }
  Reopen();
  EXPECT_EQ(GetOrDie(Table::kMeta, "journal_head"), SequenceKey(20));
  absl::StatusOr<Entries> journal = ScanAll(*store_, Table::kJournal, "", "", 1000);
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->size(), 20u);
  EXPECT_EQ(journal->front().first, SequenceKey(1));
  EXPECT_EQ(journal->back().second, "record 20");
}

TEST_F(RocksDbStoreTest, ThousandPutBatchIsVisibleAllAtOnceAfterWrite) {
  WriteBatch batch;
  for (int number = 0; number < 1000; ++number) {
    batch.Put(Table::kTransfers, SequenceKey(number), "transfer " + std::to_string(number));
  }
  EXPECT_TRUE(ScanAll(*store_, Table::kTransfers, "", "", 2000)->empty());
  ASSERT_TRUE(store_->Write(batch, WriteMode::kSync).ok());
  absl::StatusOr<Entries> entries = ScanAll(*store_, Table::kTransfers, "", "", 2000);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1000u);
  for (int number = 0; number < 1000; ++number) {
    EXPECT_EQ((*entries)[number].first, SequenceKey(number));
    EXPECT_EQ((*entries)[number].second, "transfer " + std::to_string(number));
  }
}

TEST_F(RocksDbStoreTest, OpensExistingDatabaseWithUnknownColumnFamily) {
  Put(Table::kMeta, "k", "v");
  store_.reset();
  {
    // Add a family this code does not know, as a later version might.
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (int index = 0; index < kTableCount; ++index) {
      descriptors.emplace_back(std::string(TableName(static_cast<Table>(index))),
                               rocksdb::ColumnFamilyOptions());
    }
    descriptors.emplace_back("future_table", rocksdb::ColumnFamilyOptions());
    rocksdb::DBOptions options;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* database = nullptr;
    ASSERT_TRUE(
        rocksdb::DB::Open(options, database_directory_, descriptors, &handles, &database).ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      ASSERT_TRUE(database->DestroyColumnFamilyHandle(handle).ok());
    }
    ASSERT_TRUE(database->Close().ok());
    delete database;
  }
  Reopen();
  EXPECT_EQ(GetOrDie(Table::kMeta, "k"), "v");
}

TEST_F(RocksDbStoreTest, SecondOpenOfSameDirectoryIsUnavailable) {
  absl::StatusOr<std::unique_ptr<RocksDbStore>> second =
      RocksDbStore::Open(database_directory_, RocksDbStoreOptions{});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(second.status()), "STORAGE_UNAVAILABLE");
}

TEST_F(RocksDbStoreTest, OpenWithMissingParentDirectoryIsUnavailable) {
  absl::StatusOr<std::unique_ptr<RocksDbStore>> opened = RocksDbStore::Open(
      temporary_directory_ + "/missing/parent/database",
      RocksDbStoreOptions{.block_cache_bytes = 1 << 20, .paranoid_checks = true});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(opened.status()), "STORAGE_UNAVAILABLE");
}

TEST_F(RocksDbStoreTest, ConcurrentReadersNeverSeeHalfABatch) {
  constexpr int kReaders = 2;
  constexpr int kWrites = 300;
  // Each reader reads at least this often, so the test checks something even when the
  // writer finishes first; it also keeps reading until the writer is done.
  constexpr int kMinimumReadsPerReader = 100;
  std::atomic<int> readers_started = 0;
  std::atomic<bool> writer_done = false;
  std::atomic<int> read_errors = 0;
  std::atomic<int> torn_reads = 0;
  std::vector<std::thread> readers;
  for (int reader = 0; reader < kReaders; ++reader) {
    readers.emplace_back([&] {
      ++readers_started;
      for (int read = 0; read < kMinimumReadsPerReader || !writer_done.load(); ++read) {
        std::vector<std::string> values;
        const absl::Status status = store_->Scan(
            Table::kAccounts, "", "", 10, [&values](std::string_view, std::string_view value) {
              values.emplace_back(value);
              return true;
            });
        if (!status.ok()) ++read_errors;
        // The writer puts "a" and "b" together with the same value; each Scan reads an
        // implicit snapshot, so it sees both or neither.
        if (values.size() == 1 || (values.size() == 2 && values[0] != values[1])) ++torn_reads;
        if (!store_->Get(Table::kAccounts, "a").ok()) ++read_errors;
      }
    });
  }
  while (readers_started.load() < kReaders) std::this_thread::yield();
  for (int write = 0; write < kWrites; ++write) {
    WriteBatch batch;
    batch.Put(Table::kAccounts, "a", std::to_string(write));
    batch.Put(Table::kAccounts, "b", std::to_string(write));
    // Not ASSERT: the readers must be joined whatever happens.
    EXPECT_TRUE(store_->Write(batch, WriteMode::kNoSync).ok());
  }
  writer_done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(read_errors.load(), 0);
  EXPECT_EQ(torn_reads.load(), 0);
  EXPECT_EQ(GetOrDie(Table::kAccounts, "b"), std::to_string(kWrites - 1));
}

}  // namespace
}  // namespace argentpoche
