// The crash test, short run: the real poche-engine binary on loopback, six concurrent
// clients, twenty SIGKILLs at seeded random moments, each followed by the checks of
// tests/crash (acknowledged commands kept and answered the same, nothing applied twice,
// every currency summing to zero, the journal chain intact, overdue deadlines fired,
// every contract seen ended still ended with the receipt seen).
// The long run is the poche-crash binary (tests/crash/README.md).
#include <cstdlib>
#include <iostream>

#include "gtest/gtest.h"
#include "tests/crash/crash_harness.h"

namespace argentpoche::crash {
namespace {

TEST(CrashTest, TwentyKillsUnderConcurrentLoadLoseAndRepeatNothing) {
  CrashOptions options;
  options.engine_binary = POCHE_ENGINE_BINARY;
  options.kills = 20;
  options.clients = 6;
  // POCHE_CRASH_SEED replays another schedule of kills and operations.
  const char* seed = std::getenv("POCHE_CRASH_SEED");
  options.seed = seed != nullptr ? std::strtoull(seed, nullptr, 10) : 20261125;
  options.min_run_ms = 300;
  options.max_run_ms = 1500;
  options.max_extra_down_ms = 800;
  // A safety bound only: a healthy run takes about a minute, also under ASan.
  options.max_wall_ms = 240000;
  options.verbose = true;

  const CrashReport report = RunCrashTest(options);
  std::cout << "seed " << options.seed << "\n" << report.Summary();
  EXPECT_EQ(report.violation_count, 0) << report.Summary();
  EXPECT_EQ(report.kills, options.kills);
  EXPECT_EQ(report.restarts, options.kills);
  // Operations were acknowledged between every two kills, and the kills hit calls in
  // flight and left deadlines to pass while the engine was down.
  EXPECT_EQ(report.runs_without_acknowledgement, 0);
  EXPECT_GT(report.operations_acknowledged, 50 * options.kills);
  EXPECT_GT(report.retries, 0);
  EXPECT_GT(report.blind_retries, 0);
  EXPECT_GT(report.resent_after_restart, report.operations_acknowledged / 2);
  EXPECT_GT(report.overdue_deadlines, 0);
  // Conditional contracts were settled by their oracles' attestations, and every contract
  // seen ended kept its receipt through the kills.
  EXPECT_GT(report.covers_settled, 0);
  EXPECT_GT(report.settled_contracts, 0);
  EXPECT_GT(report.journal_records, static_cast<uint64_t>(report.operations_acknowledged));
}

}  // namespace
}  // namespace argentpoche::crash
