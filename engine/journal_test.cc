#include "engine/journal.h"

#include "engine/keys.h"
#include "engine/memory_store.h"
#include "engine/transaction.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

// Appends `count` records to `store`, one commit each.
void AppendRecords(MemoryStore& store, int count) {
  for (int i = 0; i < count; ++i) {
    Transaction transaction(&store);
    v1::JournalEntry entry;
    entry.set_sequence(*NextJournalSequence(transaction));
    entry.set_applied_at_unix_ms(1000 + i);
    entry.mutable_deadline()->set_kind("test");
    entry.mutable_deadline()->set_subject_id("subject-" + std::to_string(i));
    ASSERT_TRUE(AppendJournal(&transaction, entry).ok());
    ASSERT_TRUE(store.Write(transaction.TakeBatch(), WriteMode::kSync).ok());
  }
}

v1::JournalRecord ReadRecord(const MemoryStore& store, uint64_t sequence) {
  v1::JournalRecord record;
  EXPECT_TRUE(record.ParseFromString(**store.Get(Table::kJournal, keys::Padded(sequence))));
  return record;
}

TEST(JournalTest, AnEmptyJournalVerifiesWithNoRecords) {
  MemoryStore store;
  EXPECT_EQ(*VerifyJournal(store), 0u);
}

TEST(JournalTest, AppendedRecordsChainAndVerify) {
  MemoryStore store;
  AppendRecords(store, 5);
  EXPECT_EQ(*VerifyJournal(store), 5u);
  v1::JournalEntry second;
  ASSERT_TRUE(second.ParseFromString(ReadRecord(store, 2).entry()));
  EXPECT_EQ(second.previous_hash(), ReadRecord(store, 1).hash());
}

TEST(JournalTest, ChangingAnyRecordBreaksTheChain) {
  for (uint64_t victim = 1; victim <= 4; ++victim) {
    MemoryStore store;
    AppendRecords(store, 4);
    v1::JournalRecord record = ReadRecord(store, victim);
    v1::JournalEntry entry;
    ASSERT_TRUE(entry.ParseFromString(record.entry()));
    entry.set_applied_at_unix_ms(entry.applied_at_unix_ms() + 1);
    record.set_entry(entry.SerializeAsString());
    WriteBatch batch;
    batch.Put(Table::kJournal, keys::Padded(victim), record.SerializeAsString());
    ASSERT_TRUE(store.Write(batch, WriteMode::kSync).ok());
    absl::StatusOr<uint64_t> verified = VerifyJournal(store);
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kDataLoss) << victim;
  }
}

TEST(JournalTest, ADeletedRecordOrTruncatedTailIsDetected) {
  MemoryStore store;
  AppendRecords(store, 4);
  WriteBatch middle;
  middle.Delete(Table::kJournal, keys::Padded(2));
  ASSERT_TRUE(store.Write(middle, WriteMode::kSync).ok());
  EXPECT_FALSE(VerifyJournal(store).ok());

  MemoryStore tail_store;
  AppendRecords(tail_store, 4);
  WriteBatch tail;
  tail.Delete(Table::kJournal, keys::Padded(4));
  ASSERT_TRUE(tail_store.Write(tail, WriteMode::kSync).ok());
  EXPECT_FALSE(VerifyJournal(tail_store).ok());
}

}  // namespace
}  // namespace argentpoche
