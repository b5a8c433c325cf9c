// DiskEngine: the engine core over the real RocksDB store in a fresh temporary
// directory, wrapped in a FaultyStore (engine/faulty_store.h), driven directly (no
// gRPC) with a manual clock and the scheduler off. It closes and reopens the engine on
// the same directory, so tests can check what a fresh engine finds on disk. Also the
// helpers those tests share: signing, party enrolment, reads straight from the disk.
//
// Test keys only (fixed seeds). Not thread-safe, except engine(), Sign, Credit, Execute
// and the Stored* reads, which any thread may call while no other thread reopens.
#ifndef ARGENTPOCHE_TESTS_STORAGE_DISK_ENGINE_H_
#define ARGENTPOCHE_TESTS_STORAGE_DISK_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/rocksdb_store.h"
#include "argentpoche/v1/command.pb.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "engine/engine.h"
#include "engine/faulty_store.h"

namespace argentpoche::storage_testing {

// 2026-11-25 00:00:00 UTC: the manual clock's start.
inline constexpr int64_t kEpochMs = 1795564800000;

// A signed command and what the engine needs beside it to run it.
struct Request {
  v1::SignedCommand signed_command;
  v1::Command::ActionCase action = v1::Command::ACTION_NOT_SET;
  std::string caller;
  std::string request_id;
};

// The error a failed commit is answered with: UNAVAILABLE "COMMIT_FAILED".
bool IsCommitFailed(const absl::Status& status);

class DiskEngine {
 public:
  // Opens RocksDB in a new temporary directory and the engine over it; aborts on error.
  DiskEngine();
  // Closes the engine and the database, then removes the directory.
  ~DiskEngine();
  DiskEngine(const DiskEngine&) = delete;
  DiskEngine& operator=(const DiskEngine&) = delete;

  // Destroys the engine, the FaultyStore (and its faults) and closes RocksDB, then
  // opens all three again on the same directory, with no fault scheduled.
  void Reopen();

  Engine& engine() { return *engine_; }
  FaultyStore& faults() { return *faulty_; }
  // The store under the faults: what is really on disk.
  const Store& disk() const { return *disk_; }
  ManualClock& clock() { return clock_; }
  const SigningKey& operator_key() const { return operator_key_; }

  // `command` with `request_id`, signed by `key` at the clock's time.
  Request Sign(v1::Command command, const std::string& request_id, const SigningKey& key) const;
  // Runs `request` as a local (in-process) call and waits for the answer.
  absl::StatusOr<v1::CommandResult> Execute(const Request& request);
  // Registers `key`'s party and opens its EUR account; aborts the test on error.
  void Enroll(const SigningKey& key, const std::string& name);
  // An operator credit of `minor_units` EUR to `key`'s account.
  Request Credit(const SigningKey& key, int64_t minor_units, const std::string& request_id) const;

  // Balance of an account as stored on disk; 0 when the account is absent.
  int64_t StoredBalance(const std::string& account_id) const;
  // The idempotency record of (caller, request_id) on disk, nullopt when absent.
  std::optional<v1::IdempotencyRecord> StoredRequest(const std::string& caller,
                                                     const std::string& request_id) const;
  // Records in the journal on disk after verifying its chain; fails the test if broken.
  uint64_t JournalRecords() const;

 private:
  void Open();
  void Close();

  const std::string directory_;
  ManualClock clock_{kEpochMs};
  const SigningKey operator_key_;
  std::unique_ptr<RocksDbStore> disk_;
  std::unique_ptr<FaultyStore> faulty_;
  std::unique_ptr<Engine> engine_;
};

// A test party's key from a fixed seed byte.
SigningKey TestKey(uint8_t seed_byte);
// The EUR account of `key`'s party.
std::string AccountOf(const SigningKey& key);

}  // namespace argentpoche::storage_testing

#endif  // ARGENTPOCHE_TESTS_STORAGE_DISK_ENGINE_H_
