// The deterministic simulator (tests/simulation) over a fixed list of seeds: every
// invariant holds after every step and the workload reaches every release path. The
// same seed replays the same run exactly, and a deliberately broken model is caught,
// so the checker can fail. Longer runs: build/dev/tests/poche-simulate (see its header).
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/simulation/simulator.h"

namespace argentpoche::simulation {
namespace {

constexpr int kSteps = 2000;

SimulatorOptions Options(int steps) {
  SimulatorOptions options;
  options.steps = steps;
  return options;
}

class SimulationSeedTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(SimulationSeedTest, EveryInvariantHoldsAfterEveryStep) {
  const SimulationReport report = Simulator(GetParam(), Options(kSteps)).Run();
  ASSERT_TRUE(report.passed) << report.violation
                             << "\nreplay: build/dev/tests/poche-simulate --seed=" << GetParam()
                             << " --steps=" << kSteps << " --trace";
  EXPECT_EQ(report.steps, kSteps);
  const SimulationCounters& counters = report.counters;
  EXPECT_GT(counters.applied, uint64_t{kSteps / 3});
  EXPECT_GT(counters.refused, uint64_t{50});
  EXPECT_GT(counters.replayed, uint64_t{20});
  EXPECT_GT(counters.commit_failed, uint64_t{5});
  EXPECT_GT(counters.deadlines, uint64_t{20});
  EXPECT_GT(counters.restarts, uint64_t{0});
  // Every way a hold or a deposit ends happened at least once.
  for (const char* outcome :
       {"hold released", "hold voided", "hold expired", "deposit SETTLEMENT_OUTCOME_AGREED",
        "deposit SETTLEMENT_OUTCOME_UNCONTESTED", "deposit SETTLEMENT_OUTCOME_ARBITRATED",
        "deposit SETTLEMENT_OUTCOME_REFUNDED", "deposit SETTLEMENT_OUTCOME_EXPIRED",
        "conditional SETTLEMENT_OUTCOME_CONDITION_MET", "conditional SETTLEMENT_OUTCOME_EXPIRED",
        "weather_cover SETTLEMENT_OUTCOME_REFUNDED", "option SETTLEMENT_OUTCOME_REFUNDED",
        "oracle flagged for equivocation"}) {
    EXPECT_GT(report.outcomes.count(outcome), 0u) << outcome;
  }
}

INSTANTIATE_TEST_SUITE_P(FixedSeeds, SimulationSeedTest,
                         ::testing::Values(1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233));

TEST(SimulationTest, ConditionalContractsEndInEveryWayOverAFewSeeds) {
  std::map<std::string, uint64_t> outcomes;
  for (uint64_t seed : {1, 2, 3}) {
    const SimulationReport report = Simulator(seed, Options(kSteps)).Run();
    ASSERT_TRUE(report.passed) << report.violation;
    for (const auto& [outcome, count] : report.outcomes) outcomes[outcome] += count;
  }
  // A quorum's value settles a cover, a dispute ends by the arbiter or by the refund at
  // the hard deadline, silent oracles mean a refund, unfunded contracts expire.
  for (const char* outcome :
       {"weather_cover SETTLEMENT_OUTCOME_CONDITION_MET", "option SETTLEMENT_OUTCOME_CONDITION_MET",
        "weather_cover SETTLEMENT_OUTCOME_ARBITRATED after a dispute",
        "weather_cover SETTLEMENT_OUTCOME_REFUNDED after a dispute",
        "option SETTLEMENT_OUTCOME_REFUNDED after a dispute",
        "weather_cover SETTLEMENT_OUTCOME_EXPIRED", "option SETTLEMENT_OUTCOME_EXPIRED",
        "conditional SETTLEMENT_OUTCOME_REFUNDED"}) {
    EXPECT_GT(outcomes.count(outcome), 0u) << outcome;
  }
}

std::vector<std::string> Trace(uint64_t seed, int steps, SimulationReport& report) {
  std::vector<std::string> lines;
  SimulatorOptions options = Options(steps);
  options.trace = [&lines](const std::string& line) { lines.push_back(line); };
  report = Simulator(seed, options).Run();
  return lines;
}

TEST(SimulationTest, TheSameSeedReplaysTheSameRun) {
  SimulationReport first;
  SimulationReport second;
  SimulationReport other;
  const std::vector<std::string> first_trace = Trace(7, 600, first);
  const std::vector<std::string> second_trace = Trace(7, 600, second);
  Trace(8, 600, other);
  ASSERT_TRUE(first.passed) << first.violation;
  EXPECT_EQ(first.journal_head_hash, second.journal_head_hash);
  EXPECT_EQ(first.journal_records, second.journal_records);
  EXPECT_EQ(first_trace, second_trace);
  EXPECT_NE(first.journal_head_hash, other.journal_head_hash);
}

TEST(SimulationTest, ABrokenModelIsCaughtAtTheSameStepEveryTime) {
  SimulatorOptions options = Options(kSteps);
  options.count_credits_twice = true;
  const SimulationReport first = Simulator(4, options).Run();
  const SimulationReport second = Simulator(4, options).Run();
  ASSERT_FALSE(first.passed);
  EXPECT_LT(first.steps, kSteps);
  EXPECT_NE(first.violation.find("seed 4, step "), std::string::npos) << first.violation;
  EXPECT_NE(first.violation.find("credit an account"), std::string::npos) << first.violation;
  EXPECT_EQ(first.violation, second.violation);
}

}  // namespace
}  // namespace argentpoche::simulation
