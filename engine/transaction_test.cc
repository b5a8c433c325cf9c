#include "engine/transaction.h"

#include "engine/memory_store.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

TEST(TransactionTest, ARolledBackSavepointLeavesNoTrace) {
  MemoryStore store;
  Transaction transaction(&store);
  transaction.Put(Table::kMeta, "kept", "1");
  transaction.Begin();
  transaction.Put(Table::kMeta, "dropped", "2");
  transaction.Delete(Table::kMeta, "kept");
  EXPECT_FALSE(transaction.Get(Table::kMeta, "kept")->has_value());
  transaction.Rollback();
  EXPECT_EQ(**transaction.Get(Table::kMeta, "kept"), "1");
  EXPECT_FALSE(transaction.Get(Table::kMeta, "dropped")->has_value());
  ASSERT_TRUE(store.Write(transaction.TakeBatch(), WriteMode::kSync).ok());
  EXPECT_EQ(**store.Get(Table::kMeta, "kept"), "1");
  EXPECT_FALSE(store.Get(Table::kMeta, "dropped")->has_value());
}

TEST(TransactionTest, ACommittedSavepointFoldsIntoTheBatchAndNothingIsWrittenBefore) {
  MemoryStore store;
  Transaction transaction(&store);
  transaction.Begin();
  transaction.Put(Table::kAccounts, "a", "x");
  transaction.Commit();
  EXPECT_FALSE(store.Get(Table::kAccounts, "a")->has_value());
  WriteBatch batch = transaction.TakeBatch();
  ASSERT_EQ(batch.operations.size(), 1u);
  ASSERT_TRUE(store.Write(batch, WriteMode::kSync).ok());
  EXPECT_EQ(**store.Get(Table::kAccounts, "a"), "x");
}

TEST(TransactionTest, APrefixScanSeesTheStoreThenOwnWritesAndDeletesInKeyOrder) {
  MemoryStore store;
  WriteBatch stored;
  stored.Put(Table::kIndex, "p/a", "1");
  stored.Put(Table::kIndex, "p/c", "3");
  stored.Put(Table::kIndex, "q/z", "other prefix");
  stored.Put(Table::kMeta, "p/b", "other table");
  ASSERT_TRUE(store.Write(stored, WriteMode::kSync).ok());
  Transaction transaction(&store);
  transaction.Put(Table::kIndex, "p/b", "2");
  transaction.Begin();
  transaction.Delete(Table::kIndex, "p/a");
  transaction.Put(Table::kIndex, "p/c", "3'");
  absl::StatusOr<Transaction::Entries> entries = transaction.ScanPrefix(Table::kIndex, "p/", 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  const Transaction::Entries expected = {{"p/b", "2"}, {"p/c", "3'"}};
  EXPECT_EQ(*entries, expected);
  transaction.Rollback();
  entries = transaction.ScanPrefix(Table::kIndex, "p/", 10);
  ASSERT_TRUE(entries.ok()) << entries.status();
  const Transaction::Entries after_rollback = {{"p/a", "1"}, {"p/b", "2"}, {"p/c", "3"}};
  EXPECT_EQ(*entries, after_rollback);
  EXPECT_EQ(transaction.ScanPrefix(Table::kIndex, "p/", 2).status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace argentpoche
