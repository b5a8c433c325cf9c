#include "engine/faulty_store.h"

#include <thread>
#include <utility>

#include "engine/check.h"

namespace argentpoche {
namespace {

constexpr uint32_t kPerMillion = 1000000;

bool Touches(const WriteBatch& batch, Table table) {
  for (const WriteBatch::Operation& operation : batch.operations) {
    if (operation.table == table) return true;
  }
  return false;
}

void CheckRule(StorageFault fault, const absl::Status& error) {
  POCHE_CHECK(fault == StorageFault::kFailedWrite || fault == StorageFault::kFailedSync);
  POCHE_CHECK(!error.ok());
}

}  // namespace

FaultyStore::FaultyStore(Store* inner, SleepFunction sleep)
    : inner_(inner), sleep_(sleep ? std::move(sleep) : [](std::chrono::microseconds delay) {
        std::this_thread::sleep_for(delay);
      }) {
  POCHE_CHECK(inner_ != nullptr);
}

absl::StatusOr<std::optional<std::string>> FaultyStore::Get(Table table,
                                                            std::string_view key) const {
  return inner_->Get(table, key);
}

absl::Status FaultyStore::Scan(
    Table table, std::string_view start, std::string_view end, size_t limit,
    absl::FunctionRef<bool(std::string_view key, std::string_view value)> visit) const {
  return inner_->Scan(table, start, end, limit, visit);
}

absl::Status FaultyStore::Write(const WriteBatch& batch, WriteMode mode) {
  Rule rule;
  {
    MutexLock lock(&mutex_);
    ++counters_.writes;
    rule = NextFault(batch);
  }
  const std::chrono::microseconds delay = PassGate();
  if (delay.count() > 0) sleep_(delay);
  if (rule.fault == StorageFault::kFailedWrite) {
    MutexLock lock(&mutex_);
    ++counters_.failed_writes;
    return rule.error;
  }
  const absl::Status written = inner_->Write(batch, mode);
  MutexLock lock(&mutex_);
  if (written.ok()) ++counters_.applied;
  if (rule.fault == StorageFault::kFailedSync && written.ok()) {
    ++counters_.failed_syncs;
    return rule.error;
  }
  return written;
}

FaultyStore::Rule FaultyStore::NextFault(const WriteBatch& batch) {
  if (next_writes_to_fail_ > 0) {
    --next_writes_to_fail_;
    return next_writes_rule_;
  }
  if (failing_table_.has_value() && Touches(batch, *failing_table_)) return table_rule_;
  if (!random_faults_) return Rule();
  const uint64_t draw = random_() % kPerMillion;
  if (draw < failed_write_per_million_) return Rule{StorageFault::kFailedWrite, random_error_};
  if (draw < uint64_t{failed_write_per_million_} + failed_sync_per_million_) {
    return Rule{StorageFault::kFailedSync, random_error_};
  }
  return Rule();
}

std::chrono::microseconds FaultyStore::PassGate() {
  MutexLock lock(&mutex_);
  if (gate_closed_) {
    ++writes_at_gate_;
    gate_changed_.SignalAll();  // for AwaitWritesAtGate
    gate_changed_.Await(&mutex_,
                        [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return !gate_closed_; });
    --writes_at_gate_;
  }
  return delay_;
}

void FaultyStore::FailNextWrites(int count, StorageFault fault, absl::Status error) {
  POCHE_CHECK(count >= 0);
  CheckRule(fault, error);
  MutexLock lock(&mutex_);
  next_writes_to_fail_ = count;
  next_writes_rule_ = Rule{fault, std::move(error)};
}

void FaultyStore::FailWritesTouching(Table table, StorageFault fault, absl::Status error) {
  CheckRule(fault, error);
  MutexLock lock(&mutex_);
  failing_table_ = table;
  table_rule_ = Rule{fault, std::move(error)};
}

void FaultyStore::FailRandomly(uint64_t seed, uint32_t failed_write_per_million,
                               uint32_t failed_sync_per_million, absl::Status error) {
  POCHE_CHECK(uint64_t{failed_write_per_million} + failed_sync_per_million <= kPerMillion);
  POCHE_CHECK(!error.ok());
  MutexLock lock(&mutex_);
  random_faults_ = true;
  random_.seed(seed);
  failed_write_per_million_ = failed_write_per_million;
  failed_sync_per_million_ = failed_sync_per_million;
  random_error_ = std::move(error);
}

void FaultyStore::ClearFaults() {
  MutexLock lock(&mutex_);
  next_writes_to_fail_ = 0;
  failing_table_.reset();
  random_faults_ = false;
}

void FaultyStore::DelayWrites(std::chrono::microseconds delay) {
  POCHE_CHECK(delay.count() >= 0);
  MutexLock lock(&mutex_);
  delay_ = delay;
}

void FaultyStore::CloseGate() {
  MutexLock lock(&mutex_);
  gate_closed_ = true;
}

void FaultyStore::OpenGate() {
  MutexLock lock(&mutex_);
  gate_closed_ = false;
  gate_changed_.SignalAll();
}

void FaultyStore::AwaitWritesAtGate(int count) {
  POCHE_CHECK(count >= 0);
  MutexLock lock(&mutex_);
  gate_changed_.Await(&mutex_, [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return writes_at_gate_ >= count;
  });
}

FaultyStore::Counters FaultyStore::counters() const {
  MutexLock lock(&mutex_);
  return counters_;
}

}  // namespace argentpoche
