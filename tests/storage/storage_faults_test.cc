// The engine over the real RocksDB store when storage misbehaves (FaultyStore): a write
// that fails, a sync that fails after the batch reached the disk, and slow syncs under
// many submitters and call deadlines. Every answer must tell the truth about what is
// durable, a retry with the same request_id must apply a command exactly once, and a
// fresh engine opened on the directory must find a balanced ledger and a sound journal.
#include <string>
#include <thread>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"
#include "engine/sync.h"
#include "gtest/gtest.h"
#include "tests/storage/disk_engine.h"

namespace argentpoche::storage_testing {
namespace {

absl::Status Injected(const char* what) { return absl::UnavailableError(what); }

class StorageFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override { disk_.Enroll(holder_, "holder"); }

  int64_t Balance() { return disk_.StoredBalance(AccountOf(holder_)); }
  int64_t EngineBalance() {
    absl::StatusOr<v1::Account> account = disk_.engine().GetAccount(AccountOf(holder_));
    EXPECT_TRUE(account.ok()) << account.status();
    return account.ok() ? account->balance().minor_units() : -1;
  }
  void ExpectSoundDisk() {
    EXPECT_TRUE(CheckConservation(disk_.disk()).ok());
    EXPECT_GT(disk_.JournalRecords(), 0u);
  }

  DiskEngine disk_;
  const SigningKey holder_ = TestKey(0x02);
};

TEST_F(StorageFaultsTest, AFailedWriteIsAnsweredCommitFailedAndARetryAppliesOnce) {
  const uint64_t records = disk_.JournalRecords();
  const Request credit = disk_.Credit(holder_, 5000, "wire-1");
  disk_.faults().FailNextWrites(1, StorageFault::kFailedWrite, Injected("disk full"));
  const absl::StatusOr<v1::CommandResult> failed = disk_.Execute(credit);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(failed.status()), "COMMIT_FAILED");
  EXPECT_NE(failed.status().message().find("retry with the same request_id"), std::string::npos);
  EXPECT_EQ(Balance(), 0);
  EXPECT_EQ(EngineBalance(), 0);
  EXPECT_EQ(disk_.JournalRecords(), records);
  EXPECT_FALSE(disk_.StoredRequest(credit.caller, credit.request_id).has_value());

  const absl::StatusOr<v1::CommandResult> applied = disk_.Execute(credit);
  ASSERT_TRUE(applied.ok()) << applied.status();
  const absl::StatusOr<v1::CommandResult> again = disk_.Execute(credit);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), applied->SerializeAsString());
  EXPECT_EQ(Balance(), 5000);
  EXPECT_EQ(disk_.JournalRecords(), records + 1);

  disk_.Reopen();
  EXPECT_EQ(EngineBalance(), 5000);
  EXPECT_EQ(disk_.JournalRecords(), records + 1);
  ExpectSoundDisk();
}

// Regression: the writer's read cache kept what it had read before a commit whose sync
// failed after the batch reached the disk. The next commands then applied on top of
// the stale values: they overwrote the credit's balance, transfer and journal record,
// while its idempotency record stayed, so a retry answered "done" for money that was
// gone. The writer now forgets its cache whenever a commit fails.
TEST_F(StorageFaultsTest, AFailedSyncThatReachedTheDiskIsNeverAppliedTwiceNorLost) {
  ASSERT_TRUE(disk_.Execute(disk_.Credit(holder_, 1000, "wire-0")).ok());
  const uint64_t records = disk_.JournalRecords();
  const Request credit = disk_.Credit(holder_, 5000, "wire-1");
  disk_.faults().FailNextWrites(1, StorageFault::kFailedSync, Injected("fsync failed"));
  const absl::StatusOr<v1::CommandResult> failed = disk_.Execute(credit);
  // Never "done" for a write the store did not confirm.
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(failed.status()), "COMMIT_FAILED");
  // The batch is on disk all the same, and the engine reads what is on disk.
  EXPECT_EQ(Balance(), 6000);
  EXPECT_EQ(EngineBalance(), 6000);
  const std::optional<v1::IdempotencyRecord> stored =
      disk_.StoredRequest(credit.caller, credit.request_id);
  ASSERT_TRUE(stored.has_value());

  // Another command on the same accounts builds on the disk, not on what the writer
  // had read before the failed sync.
  ASSERT_TRUE(disk_.Execute(disk_.Credit(holder_, 700, "wire-2")).ok());
  EXPECT_EQ(Balance(), 6700);
  // The retry gets the stored first answer and moves nothing.
  const absl::StatusOr<v1::CommandResult> retried = disk_.Execute(credit);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->SerializeAsString(), stored->result().SerializeAsString());
  EXPECT_EQ(Balance(), 6700);
  EXPECT_EQ(disk_.JournalRecords(), records + 2);
  ExpectSoundDisk();

  disk_.Reopen();
  EXPECT_EQ(EngineBalance(), 6700);
  const absl::StatusOr<v1::CommandResult> after_restart = disk_.Execute(credit);
  ASSERT_TRUE(after_restart.ok()) << after_restart.status();
  EXPECT_EQ(after_restart->SerializeAsString(), stored->result().SerializeAsString());
  EXPECT_EQ(Balance(), 6700);
  EXPECT_EQ(disk_.JournalRecords(), records + 2);
  ExpectSoundDisk();
}

TEST_F(StorageFaultsTest, AFailedSyncOfABatchAnswersEveryCommandInItCommitFailed) {
  const uint64_t records = disk_.JournalRecords();
  // Three credits queued behind a held writer make one batch; its sync fails.
  disk_.engine().HoldWriterForTesting(true);
  std::vector<Request> credits;
  std::vector<absl::StatusOr<v1::CommandResult>> answers(3);
  Mutex mutex;
  CondVar answered;
  int pending = 3;
  for (int i = 0; i < 3; ++i) {
    credits.push_back(disk_.Credit(holder_, 100 * (i + 1), "batch-" + std::to_string(i)));
    disk_.engine().Submit(credits[i].signed_command, credits[i].action,
                          [&, i](absl::StatusOr<v1::CommandResult> answer) {
                            MutexLock lock(&mutex);
                            answers[i] = std::move(answer);
                            --pending;
                            answered.SignalAll();
                          });
  }
  disk_.faults().FailNextWrites(1, StorageFault::kFailedSync, Injected("fsync failed"));
  disk_.engine().HoldWriterForTesting(false);
  {
    MutexLock lock(&mutex);
    answered.Await(&mutex, [&pending] { return pending == 0; });
  }
  for (const auto& answer : answers) EXPECT_TRUE(IsCommitFailed(answer.status()));
  EXPECT_EQ(disk_.faults().counters().failed_syncs, 1u);
  EXPECT_EQ(Balance(), 600);
  for (const Request& credit : credits) {
    const absl::StatusOr<v1::CommandResult> retried = disk_.Execute(credit);
    EXPECT_TRUE(retried.ok()) << retried.status();
  }
  EXPECT_EQ(Balance(), 600);
  EXPECT_EQ(disk_.JournalRecords(), records + 3);
  disk_.Reopen();
  EXPECT_EQ(EngineBalance(), 600);
  ExpectSoundDisk();
}

TEST_F(StorageFaultsTest, AFailedWriteOfTheJournalTableLeavesNothingBehind) {
  const uint64_t records = disk_.JournalRecords();
  disk_.faults().FailWritesTouching(Table::kJournal, StorageFault::kFailedWrite,
                                    Injected("journal volume full"));
  const Request credit = disk_.Credit(holder_, 250, "wire-j");
  EXPECT_TRUE(IsCommitFailed(disk_.Execute(credit).status()));
  EXPECT_TRUE(IsCommitFailed(disk_.Execute(credit).status()));
  EXPECT_EQ(Balance(), 0);
  disk_.faults().ClearFaults();
  ASSERT_TRUE(disk_.Execute(credit).ok());
  EXPECT_EQ(Balance(), 250);
  EXPECT_EQ(disk_.JournalRecords(), records + 1);
}

}  // namespace
}  // namespace argentpoche::storage_testing
