// Tests of MemoryStore (the Store fake) and of the helpers of engine/store.h.
#include "engine/memory_store.h"

#include <atomic>
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

namespace argentpoche {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// All the entries Scan visits, or the scan's error.
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

TEST(TableNameTest, NamesEveryTable) {
  EXPECT_EQ(TableName(Table::kMeta), "meta");
  EXPECT_EQ(TableName(Table::kParties), "parties");
  EXPECT_EQ(TableName(Table::kAccounts), "accounts");
  EXPECT_EQ(TableName(Table::kTransfers), "transfers");
  EXPECT_EQ(TableName(Table::kHolds), "holds");
  EXPECT_EQ(TableName(Table::kContracts), "contracts");
  EXPECT_EQ(TableName(Table::kRequests), "requests");
  EXPECT_EQ(TableName(Table::kJournal), "journal");
  EXPECT_EQ(TableName(Table::kSchedule), "schedule");
  EXPECT_EQ(TableName(Table::kIndex), "index");
}

TEST(TableNameDeathTest, AbortsOnOutOfRangeTable) {
  EXPECT_DEATH((void)TableName(static_cast<Table>(kTableCount)), "check failed");
  EXPECT_DEATH((void)TableName(static_cast<Table>(-1)), "check failed");
}

TEST(PrefixEndTest, IncrementsLastByte) {
  EXPECT_EQ(PrefixEnd("ab"), "ac");
  EXPECT_EQ(PrefixEnd("a"), "b");
}

TEST(PrefixEndTest, DropsTrailingFfBytesBeforeIncrementing) {
  EXPECT_EQ(PrefixEnd("ab\xff"), "ac");
  EXPECT_EQ(PrefixEnd("a\xff\xff"), "b");
}

TEST(PrefixEndTest, IncrementsFeToFf) { EXPECT_EQ(PrefixEnd("a\xfe"), "a\xff"); }

TEST(PrefixEndTest, AllFfOrEmptyMeansNoUpperBound) {
  EXPECT_EQ(PrefixEnd("\xff\xff"), "");
  EXPECT_EQ(PrefixEnd("\xff"), "");
  EXPECT_EQ(PrefixEnd(""), "");
}

TEST(PrefixEndTest, IsAboveEveryKeyWithThePrefix) {
  const std::string end = PrefixEnd("ab\xff");
  EXPECT_LT(std::string("ab\xff\xff\xff"), end);
  EXPECT_LT(std::string("ab"), end);
  EXPECT_GE(std::string("ac"), end);
}

TEST(MemoryStoreTest, GetReturnsWhatWasPut) {
  MemoryStore store;
  WriteBatch batch;
  batch.Put(Table::kAccounts, "a1", "value1");
  ASSERT_TRUE(store.Write(batch, WriteMode::kSync).ok());
  absl::StatusOr<std::optional<std::string>> value = store.Get(Table::kAccounts, "a1");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, "value1");
}

TEST(MemoryStoreTest, PutOverwrites) {
  MemoryStore store;
  WriteBatch first;
  first.Put(Table::kMeta, "k", "old");
  ASSERT_TRUE(store.Write(first, WriteMode::kSync).ok());
  WriteBatch second;
  second.Put(Table::kMeta, "k", "new");
  ASSERT_TRUE(store.Write(second, WriteMode::kNoSync).ok());
  EXPECT_EQ(*store.Get(Table::kMeta, "k"), "new");
}

TEST(MemoryStoreTest, MissingKeyIsNullopt) {
  MemoryStore store;
  absl::StatusOr<std::optional<std::string>> value = store.Get(Table::kAccounts, "absent");
  ASSERT_TRUE(value.ok());
  EXPECT_FALSE(value->has_value());
}

TEST(MemoryStoreTest, DeleteRemovesKey) {
  MemoryStore store;
  WriteBatch put;
  put.Put(Table::kHolds, "h", "v");
  ASSERT_TRUE(store.Write(put, WriteMode::kSync).ok());
  WriteBatch remove;
  remove.Delete(Table::kHolds, "h");
  remove.Delete(Table::kHolds, "never-existed");
  ASSERT_TRUE(store.Write(remove, WriteMode::kSync).ok());
  EXPECT_FALSE(store.Get(Table::kHolds, "h")->has_value());
}

TEST(MemoryStoreTest, OperationsOfABatchApplyInOrder) {
  MemoryStore store;
  WriteBatch batch;
  batch.Put(Table::kMeta, "k", "first");
  batch.Delete(Table::kMeta, "k");
  batch.Put(Table::kMeta, "j", "1");
  batch.Put(Table::kMeta, "j", "2");
  ASSERT_TRUE(store.Write(batch, WriteMode::kSync).ok());
  EXPECT_FALSE(store.Get(Table::kMeta, "k")->has_value());
  EXPECT_EQ(*store.Get(Table::kMeta, "j"), "2");
}

TEST(MemoryStoreTest, TablesAreSeparate) {
  MemoryStore store;
  WriteBatch batch;
  batch.Put(Table::kAccounts, "same", "account");
  batch.Put(Table::kTransfers, "same", "transfer");
  ASSERT_TRUE(store.Write(batch, WriteMode::kSync).ok());
  EXPECT_EQ(*store.Get(Table::kAccounts, "same"), "account");
  EXPECT_EQ(*store.Get(Table::kTransfers, "same"), "transfer");
  EXPECT_FALSE(store.Get(Table::kHolds, "same")->has_value());
  WriteBatch remove;
  remove.Delete(Table::kAccounts, "same");
  ASSERT_TRUE(store.Write(remove, WriteMode::kSync).ok());
  EXPECT_EQ(*store.Get(Table::kTransfers, "same"), "transfer");
}

class MemoryStoreScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteBatch batch;
    // Written out of order; Scan must return key order.
    for (const char* key : {"c", "a", "b\xff", "e", "b", "d", "ba"}) {
      batch.Put(Table::kIndex, key, std::string("v-") + key);
    }
    batch.Put(Table::kJournal, "a", "other table");
    ASSERT_TRUE(store_.Write(batch, WriteMode::kSync).ok());
  }
  MemoryStore store_;
};

TEST_F(MemoryStoreScanTest, VisitsAllKeysInOrderWithoutUpperBound) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kIndex, "", "", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"a", "v-a"},
                               {"b", "v-b"},
                               {"ba", "v-ba"},
                               {"b\xff", "v-b\xff"},
                               {"c", "v-c"},
                               {"d", "v-d"},
                               {"e", "v-e"}}));
}

TEST_F(MemoryStoreScanTest, StartIsInclusiveAndEndExclusive) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kIndex, "b", "d", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}, {"b\xff", "v-b\xff"}, {"c", "v-c"}}));
}

TEST_F(MemoryStoreScanTest, PrefixEndBoundsAPrefixScan) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kIndex, "b", PrefixEnd("b"), 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}, {"b\xff", "v-b\xff"}}));
}

TEST_F(MemoryStoreScanTest, StopsAtLimit) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kIndex, "b", "", 2);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"b", "v-b"}, {"ba", "v-ba"}}));
}

TEST_F(MemoryStoreScanTest, ZeroLimitVisitsNothing) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kIndex, "", "", 0);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_F(MemoryStoreScanTest, StopsWhenVisitReturnsFalse) {
  std::vector<std::string> keys;
  ASSERT_TRUE(store_
                  .Scan(Table::kIndex, "", "", 100,
                        [&keys](std::string_view key, std::string_view) {
                          keys.emplace_back(key);
                          return keys.size() < 3;
                        })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "ba"}));
}

TEST_F(MemoryStoreScanTest, EmptyOrInvertedRangeVisitsNothing) {
  EXPECT_TRUE(ScanAll(store_, Table::kIndex, "bb", "bc", 100)->empty());
  EXPECT_TRUE(ScanAll(store_, Table::kIndex, "d", "b", 100)->empty());
  EXPECT_TRUE(ScanAll(store_, Table::kIndex, "b", "b", 100)->empty());
  EXPECT_TRUE(ScanAll(store_, Table::kContracts, "", "", 100)->empty());
}

TEST_F(MemoryStoreScanTest, ScansOnlyTheGivenTable) {
  absl::StatusOr<Entries> entries = ScanAll(store_, Table::kJournal, "", "", 100);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(*entries, (Entries{{"a", "other table"}}));
}

TEST_F(MemoryStoreScanTest, VisitMayCallBackIntoTheStore) {
  int visited = 0;
  ASSERT_TRUE(store_
                  .Scan(Table::kIndex, "", "", 100,
                        [this, &visited](std::string_view key, std::string_view) {
                          WriteBatch batch;
                          batch.Put(Table::kMeta, std::string(key), "seen");
                          EXPECT_TRUE(store_.Write(batch, WriteMode::kNoSync).ok());
                          ++visited;
                          return true;
                        })
                  .ok());
  EXPECT_EQ(visited, 7);
  EXPECT_EQ(*store_.Get(Table::kMeta, "e"), "seen");
}

TEST(MemoryStoreFaultTest, FailedWriteAppliesNothingOfTheBatch) {
  MemoryStore store;
  WriteBatch existing;
  existing.Put(Table::kAccounts, "kept", "original");
  ASSERT_TRUE(store.Write(existing, WriteMode::kSync).ok());

  store.FailNextWrites(1, Error(absl::StatusCode::kUnavailable, "STORAGE_UNAVAILABLE", "disk"));
  WriteBatch batch;
  batch.Put(Table::kAccounts, "new", "v");
  batch.Put(Table::kAccounts, "kept", "changed");
  batch.Delete(Table::kAccounts, "kept");
  batch.Put(Table::kJournal, "00000000000000000001", "record");
  const absl::Status status = store.Write(batch, WriteMode::kSync);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(status), "STORAGE_UNAVAILABLE");

  EXPECT_FALSE(store.Get(Table::kAccounts, "new")->has_value());
  EXPECT_EQ(*store.Get(Table::kAccounts, "kept"), "original");
  EXPECT_FALSE(store.Get(Table::kJournal, "00000000000000000001")->has_value());
}

TEST(MemoryStoreFaultTest, FailsExactlyTheNextCountWrites) {
  MemoryStore store;
  store.FailNextWrites(2, absl::DataLossError("injected"));
  WriteBatch batch;
  batch.Put(Table::kMeta, "k", "v");
  EXPECT_EQ(store.Write(batch, WriteMode::kSync).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(store.Write(batch, WriteMode::kSync).code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(store.Get(Table::kMeta, "k")->has_value());
  EXPECT_TRUE(store.Write(batch, WriteMode::kSync).ok());
  EXPECT_EQ(*store.Get(Table::kMeta, "k"), "v");
}

TEST(MemoryStoreFaultTest, ZeroCountCancelsInjection) {
  MemoryStore store;
  store.FailNextWrites(5, absl::InternalError("injected"));
  store.FailNextWrites(0, absl::InternalError("injected"));
  WriteBatch batch;
  batch.Put(Table::kMeta, "k", "v");
  EXPECT_TRUE(store.Write(batch, WriteMode::kSync).ok());
}

TEST(MemoryStoreConcurrencyTest, ReadersNeverSeeHalfABatch) {
  MemoryStore store;
  constexpr int kReaders = 2;
  constexpr int kWrites = 2000;
  constexpr int kMinimumReadsPerReader = 100;
  std::atomic<int> readers_started = 0;
  std::atomic<bool> writer_done = false;
  std::atomic<int> torn_reads = 0;
  std::vector<std::thread> readers;
  for (int reader = 0; reader < kReaders; ++reader) {
    readers.emplace_back([&] {
      ++readers_started;
      for (int read = 0; read < kMinimumReadsPerReader || !writer_done.load(); ++read) {
        std::vector<std::string> values;
        const absl::Status status = store.Scan(Table::kAccounts, "", "", 10,
                                               [&values](std::string_view, std::string_view value) {
                                                 values.emplace_back(value);
                                                 return true;
                                               });
        // The writer always puts "a" and "b" together with the same value.
        if (!status.ok() || values.size() == 1 || (values.size() == 2 && values[0] != values[1])) {
          ++torn_reads;
        }
      }
    });
  }
  while (readers_started.load() < kReaders) std::this_thread::yield();
  for (int write = 0; write < kWrites; ++write) {
    WriteBatch batch;
    batch.Put(Table::kAccounts, "a", std::to_string(write));
    batch.Put(Table::kAccounts, "b", std::to_string(write));
    // Not ASSERT: the readers must be joined whatever happens.
    EXPECT_TRUE(store.Write(batch, WriteMode::kNoSync).ok());
  }
  writer_done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(torn_reads.load(), 0);
  EXPECT_EQ(*store.Get(Table::kAccounts, "a"), std::to_string(kWrites - 1));
}

}  // namespace
}  // namespace argentpoche
