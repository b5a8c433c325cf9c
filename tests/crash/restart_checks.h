// The crash harness's checks right after a restart, through gRPC, while the clients are
// still held back (nothing else talks to the engine):
//   - every deadline that was overdue at restart fires within a bounded time: its hold
//     or contract leaves the state that was waiting for it;
//   - re-sending acknowledged signed commands returns exactly the first answer
//     (byte-identical serialized response);
//   - the journal gains no command record meanwhile (nothing is applied again); only
//     deadline records may appear;
//   - every contract a client saw ended is still ended, with exactly the receipt seen.
#ifndef ARGENTPOCHE_TESTS_CRASH_RESTART_CHECKS_H_
#define ARGENTPOCHE_TESTS_CRASH_RESTART_CHECKS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "argentpoche/v1/journal.pb.h"
#include "tests/crash/crash_records.h"
#include "tests/crash/engine_link.h"

namespace argentpoche::crash {

struct RestartCheckInput {
  // Deadlines due and still scheduled when the engine was down.
  std::vector<v1::DeadlineEvent> overdue;
  // Journal records counted while the engine was down.
  uint64_t journal_records = 0;
  // Acknowledged commands to send again.
  std::vector<std::shared_ptr<const Acknowledged>> resend;
  // When the restarted engine reported listening (wall clock).
  int64_t started_ms = 0;
  // How long the overdue deadlines may take to fire after the restart.
  int64_t fire_timeout_ms = 2000;
  int64_t call_timeout_ms = 10000;
  // Names the moment in violation messages: "after restart 7".
  std::string moment;
  // Contracts seen ended, with the serialized receipt seen.
  std::vector<std::pair<std::string, std::string>> settled;
};

struct RestartCheckResult {
  // From the restart until every overdue deadline had fired.
  int64_t fired_after_ms = 0;
  int64_t resent = 0;
  int64_t settled_checked = 0;
};

RestartCheckResult CheckAfterRestart(Stub& stub, const RestartCheckInput& input,
                                     Violations* violations);

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_RESTART_CHECKS_H_
