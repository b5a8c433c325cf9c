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

}  // namespace
}  // namespace argentpoche
