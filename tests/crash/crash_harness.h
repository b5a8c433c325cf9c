// The crash harness (a Jepsen-style bank test of poche-engine): it starts the real
// engine binary on loopback over a RocksDB data directory in a fresh temporary
// directory, drives it with concurrent clients (crash_client.h), and has a killer thread
// SIGKILL it at seeded random moments. After every kill, with the engine down, it checks
// the database directly (store_audit.h); then it restarts the engine on the same
// directory and, before letting the clients back in, checks it through gRPC
// (restart_checks.h). At the end it stops the engine with SIGTERM and checks everything
// acknowledged during the whole run once more.
//
//   CrashOptions options;
//   options.engine_binary = "build/dev/engine/server/poche-engine";
//   CrashReport report = RunCrashTest(options);
//   std::cout << report.Summary();  // violations: 0
//
// Everything is bounded: calls have deadlines, waits have limits, the run stops after
// `kills` kills (or `max_wall_ms`), and the temporary directory is removed.
#ifndef ARGENTPOCHE_TESTS_CRASH_CRASH_HARNESS_H_
#define ARGENTPOCHE_TESTS_CRASH_CRASH_HARNESS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace argentpoche::crash {

struct CrashOptions {
  // Path of the poche-engine binary.
  std::string engine_binary;
  int kills = 20;
  int clients = 6;
  uint64_t seed = 1;
  int64_t scheduler_poll_ms = 50;
  // How long the engine serves between a restart and the next kill: uniform in
  // [min_run_ms, max_run_ms], and at least until one command was acknowledged.
  int64_t min_run_ms = 300;
  int64_t max_run_ms = 2000;
  // Extra time the engine stays down after the offline checks, so that deadlines pass.
  int64_t max_extra_down_ms = 1000;
  // Acknowledged commands of earlier runs looked up in the store at each kill and
  // re-sent at each restart, besides every one acknowledged since the previous check.
  size_t lookup_sample = 500;
  size_t resend_sample = 200;
  // How late a deadline may fire: after a restart, and while the engine runs.
  int64_t restart_fire_timeout_ms = 2000;
  int64_t deadline_grace_ms = 2000;
  // Passed to the engine when > 0 (its own default otherwise).
  int64_t max_command_skew_ms = 0;
  int64_t call_timeout_ms = 10000;
  int64_t startup_timeout_ms = 60000;
  // Stop killing once the run has lasted this long (0: no limit).
  int64_t max_wall_ms = 0;
  // One line per kill on stderr.
  bool verbose = false;
};

struct CrashReport {
  int64_t operations_attempted = 0;
  int64_t operations_acknowledged = 0;
  int64_t operations_refused = 0;
  int64_t retries = 0;
  int64_t blind_retries = 0;
  int64_t signed_again = 0;
  int64_t resent_after_restart = 0;
  int64_t abandoned = 0;
  int64_t kills = 0;
  int64_t restarts = 0;
  // Engine runs (between restarts) in which nothing was acknowledged.
  int64_t runs_without_acknowledgement = 0;
  // Conditional contracts funded, seen settled by an attestation, seen refunded; contracts
  // seen ended (their receipts checked after every kill and restart), and those checks.
  int64_t covers_funded = 0;
  int64_t covers_settled = 0;
  int64_t covers_refunded = 0;
  int64_t settled_contracts = 0;
  int64_t settled_checked_after_restart = 0;
  int64_t overdue_deadlines = 0;
  int64_t slowest_overdue_fire_ms = 0;
  uint64_t journal_records = 0;
  int64_t violation_count = 0;
  // The first violations, in words.
  std::vector<std::string> violations;
  double seconds = 0;

  // Several lines: counts of operations, retries, kills, restarts and violations.
  std::string Summary() const;
};

CrashReport RunCrashTest(const CrashOptions& options);

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_CRASH_HARNESS_H_
