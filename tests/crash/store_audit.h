// StoreAuditor: the crash harness's checks while the engine is down. It opens the data
// directory's RocksDB database directly (adapters/rocksdb_store.h), checks it and closes
// it again before the engine restarts:
//   - every currency sums to zero (CheckConservation);
//   - the journal chain verifies (VerifyJournal) and never has fewer records than at
//     the previous check;
//   - no request appears twice among the journal's command records (nothing applied
//     twice);
//   - every acknowledged command given has its idempotency record, holding exactly the
//     answer the client got, and its journal record, holding exactly the signed envelope
//     the client sent;
//   - the float of each currency carries what the operator's acknowledged credits
//     issued, plus at most the credits still in doubt;
//   - when the engine ran longer than the grace period, no deadline due more than the
//     grace period before the kill is still scheduled;
//   - every contract a client saw ended is stored ended, with exactly the receipt seen.
// It also returns the deadlines already due, which must fire right after the restart.
//
// Not thread-safe: the killer thread owns it. It keeps what it learned across checks.
#ifndef ARGENTPOCHE_TESTS_CRASH_STORE_AUDIT_H_
#define ARGENTPOCHE_TESTS_CRASH_STORE_AUDIT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/store.h"
#include "tests/crash/crash_records.h"

namespace argentpoche::crash {

// What one check is told.
struct AuditInput {
  // Acknowledged commands to look up.
  std::vector<std::shared_ptr<const Acknowledged>> acknowledged;
  // Operator credits per currency, taken after the engine died.
  std::map<std::string, IssuedMoney::Range> issued;
  // When the engine run that just ended started serving, and when it was stopped.
  int64_t run_started_ms = 0;
  int64_t stopped_ms = 0;
  // How long after its due time (or the start of the run) a deadline may take to fire.
  int64_t deadline_grace_ms = 2000;
  // Names the moment in violation messages: "after kill 7".
  std::string moment;
  // Contracts seen ended, with the serialized receipt seen.
  std::vector<std::pair<std::string, std::string>> settled;
};

struct AuditResult {
  // False when the database could not be opened (itself a violation).
  bool opened = false;
  uint64_t journal_records = 0;
  // Deadlines due by the end of the check and still scheduled.
  std::vector<v1::DeadlineEvent> overdue;
};

class StoreAuditor {
 public:
  explicit StoreAuditor(Violations* violations) : violations_(violations) {}

  // Opens `database_directory` (the engine must be down), checks it, closes it.
  AuditResult Audit(const std::string& database_directory, const AuditInput& input);

 private:
  void CheckJournal(const Store& store, const AuditInput& input, AuditResult& result);
  // Reads the command records appended since the last check.
  void CheckAppliedOnce(const Store& store, const AuditInput& input);
  void CheckAcknowledged(const Store& store, const AuditInput& input);
  void CheckFloat(const Store& store, const AuditInput& input);
  void CheckDeadlines(const Store& store, const AuditInput& input, AuditResult& result);
  void CheckSettled(const Store& store, const AuditInput& input);
  void Violation(const AuditInput& input, const std::string& what);

  Violations* const violations_;
  uint64_t last_journal_records_ = 0;
  // Journal records already read for command requests.
  uint64_t scanned_records_ = 0;
  // keys::Request(caller, request id) of every command record read so far.
  absl::flat_hash_set<std::string> applied_requests_;
};

// The resource inside a stored result, serialized as the gRPC answer carries it.
std::string AnswerBytes(const v1::CommandResult& result);

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_STORE_AUDIT_H_
