// The engine over RocksDB when syncs are slow (FaultyStore's gate and delay): group
// commit still batches the submitters that pile up behind a slow write, no answer
// comes before its batch is on disk, and a call deadline that passes while a command
// waits is answered as the engine promises: applied once or not at all, and a retry
// with the same request_id tells which.
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

// Collects answers given to Engine::Submit callbacks, and whether each command's
// idempotency record was already on disk when its answer came.
class Answers {
 public:
  explicit Answers(const DiskEngine& disk, size_t count) : disk_(disk), answers_(count) {}

  Engine::Done For(size_t index, const Request& request) {
    return [this, index, caller = request.caller,
            request_id = request.request_id](absl::StatusOr<v1::CommandResult> answer) {
      const bool on_disk = disk_.StoredRequest(caller, request_id).has_value();
      MutexLock lock(&mutex_);
      answers_[index] = std::move(answer);
      if (answers_[index].ok() && !on_disk) ++answered_before_durable_;
      ++answered_;
      changed_.SignalAll();
    };
  }
  void AwaitAll() {
    MutexLock lock(&mutex_);
    changed_.Await(&mutex_, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return answered_ == answers_.size();
    });
  }
  size_t answered() {
    MutexLock lock(&mutex_);
    return answered_;
  }
  size_t answered_before_durable() {
    MutexLock lock(&mutex_);
    return answered_before_durable_;
  }
  absl::StatusOr<v1::CommandResult> at(size_t index) {
    MutexLock lock(&mutex_);
    return answers_[index];
  }

 private:
  const DiskEngine& disk_;
  Mutex mutex_;
  CondVar changed_;
  std::vector<absl::StatusOr<v1::CommandResult>> answers_ ABSL_GUARDED_BY(mutex_);
  size_t answered_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t answered_before_durable_ ABSL_GUARDED_BY(mutex_) = 0;
};

class SlowSyncTest : public ::testing::Test {
 protected:
  void SetUp() override { disk_.Enroll(holder_, "holder"); }

  int64_t Balance() { return disk_.StoredBalance(AccountOf(holder_)); }

  DiskEngine disk_;
  const SigningKey holder_ = TestKey(0x02);
};

TEST_F(SlowSyncTest, SubmittersWaitingBehindASlowSyncAreCommittedAsOneBatch) {
  constexpr size_t kSubmitters = 16;
  std::vector<Request> credits;
  for (size_t i = 0; i <= kSubmitters; ++i) {
    credits.push_back(disk_.Credit(holder_, 10, "credit-" + std::to_string(i)));
  }
  Answers answers(disk_, credits.size());
  const uint64_t batches = disk_.engine().batches_committed();
  // The first credit's write is held at the gate: a sync that takes its time.
  disk_.faults().CloseGate();
  disk_.engine().Submit(credits[0].signed_command, credits[0].action, answers.For(0, credits[0]));
  disk_.faults().AwaitWritesAtGate(1);
  std::vector<std::thread> submitters;
  for (size_t i = 1; i <= kSubmitters; ++i) {
    submitters.emplace_back([&, i] {
      disk_.engine().Submit(credits[i].signed_command, credits[i].action,
                            answers.For(i, credits[i]));
    });
  }
  for (std::thread& submitter : submitters) submitter.join();
  // Submit returns once the command is queued.
  EXPECT_EQ(disk_.engine().queued_commands(), kSubmitters);
  EXPECT_EQ(answers.answered(), 0u);
  EXPECT_EQ(Balance(), 0);
  disk_.faults().OpenGate();
  answers.AwaitAll();

  for (size_t i = 0; i < credits.size(); ++i) EXPECT_TRUE(answers.at(i).ok()) << i;
  EXPECT_EQ(answers.answered_before_durable(), 0u);
  // The held write, then one batch for everyone who queued behind it.
  EXPECT_EQ(disk_.engine().batches_committed(), batches + 2);
  EXPECT_EQ(Balance(), 10 * static_cast<int64_t>(credits.size()));
  EXPECT_TRUE(CheckConservation(disk_.disk()).ok());
}

TEST_F(SlowSyncTest, ACallDeadlinePassingDuringASlowSyncAppliesOnceOrNotAtAll) {
  RequestOrigin origin;
  origin.remote = true;
  origin.peer = "address:127.0.0.1";
  origin.time_left_ms = 1000;
  const Request in_sync = disk_.Credit(holder_, 100, "in-sync");
  const Request queued = disk_.Credit(holder_, 20, "queued");
  const Request patient = disk_.Credit(holder_, 3, "patient");  // no deadline
  Answers answers(disk_, 3);
  disk_.faults().CloseGate();
  disk_.engine().Submit(in_sync.signed_command, in_sync.action, origin, answers.For(0, in_sync));
  disk_.faults().AwaitWritesAtGate(1);
  disk_.engine().Submit(queued.signed_command, queued.action, origin, answers.For(1, queued));
  disk_.engine().Submit(patient.signed_command, patient.action, answers.For(2, patient));
  // Both callers' deadlines pass while the sync is slow.
  disk_.clock().Advance(5000);
  disk_.faults().OpenGate();
  answers.AwaitAll();

  // Already in the batch being synced: applied, and answered once durable (the
  // transport, whose call is over by now, drops the answer; the retry below tells).
  ASSERT_TRUE(answers.at(0).ok()) << answers.at(0).status();
  // Still queued when its deadline passed: not applied.
  EXPECT_EQ(answers.at(1).status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ReasonOf(answers.at(1).status()), "CALL_DEADLINE_EXCEEDED");
  EXPECT_FALSE(disk_.StoredRequest(queued.caller, queued.request_id).has_value());
  EXPECT_TRUE(answers.at(2).ok());
  EXPECT_EQ(answers.answered_before_durable(), 0u);
  EXPECT_EQ(Balance(), 103);

  // The retries: the applied one answers its first result, the other applies now.
  const absl::StatusOr<v1::CommandResult> first = disk_.Execute(in_sync);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->SerializeAsString(), answers.at(0)->SerializeAsString());
  ASSERT_TRUE(disk_.Execute(queued).ok());
  ASSERT_TRUE(disk_.Execute(queued).ok());
  EXPECT_EQ(Balance(), 123);
  disk_.Reopen();
  EXPECT_EQ(Balance(), 123);
  EXPECT_TRUE(CheckConservation(disk_.disk()).ok());
  EXPECT_GT(disk_.JournalRecords(), 0u);
}

TEST_F(SlowSyncTest, ManySubmittersOverSlowSyncsAreEachAppliedOnceAfterTheirWrite) {
  constexpr int kThreads = 8;
  constexpr int kCreditsEach = 20;
  // A real, short sleep per write: enough for submitters to pile up behind it.
  disk_.faults().DelayWrites(std::chrono::microseconds(2000));
  const uint64_t batches = disk_.engine().batches_committed();
  std::vector<std::thread> threads;
  std::vector<int> not_durable(kThreads, 0);
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int i = 0; i < kCreditsEach; ++i) {
        const Request credit =
            disk_.Credit(holder_, 1, "slow-" + std::to_string(thread) + "-" + std::to_string(i));
        const absl::StatusOr<v1::CommandResult> answer = disk_.Execute(credit);
        EXPECT_TRUE(answer.ok()) << answer.status();
        if (!disk_.StoredRequest(credit.caller, credit.request_id).has_value()) {
          ++not_durable[thread];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  disk_.faults().DelayWrites(std::chrono::microseconds(0));
  for (int thread = 0; thread < kThreads; ++thread) EXPECT_EQ(not_durable[thread], 0);
  EXPECT_EQ(Balance(), kThreads * kCreditsEach);
  // How much grouping the timing allowed is recorded, not asserted (the test above
  // shows batching deterministically).
  RecordProperty("batches", static_cast<int>(disk_.engine().batches_committed() - batches));
  disk_.Reopen();
  EXPECT_EQ(Balance(), kThreads * kCreditsEach);
  EXPECT_TRUE(CheckConservation(disk_.disk()).ok());
}

}  // namespace
}  // namespace argentpoche::storage_testing
