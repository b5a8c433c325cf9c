// poche-simulate: runs the deterministic simulator (simulator.h) over as many seeds as
// asked and prints the seeds run, the steps, the operations simulated per second and
// every violation, each with the command line that replays it. Exits 1 on a
// violation, 2 on a usage error.
//
//   build/dev/tests/poche-simulate --seeds=200 --steps=2000 --jobs=2
//   build/dev/tests/poche-simulate --seed=17 --steps=2000 --trace   # replay one seed
//
// Flags: --seeds=N (20) seeds from --first_seed=S (1); --seed=S runs that seed only;
// --steps=M (2000) per seed; --parties=P (6); --fault_per_mille=F (30); --jobs=J (1)
// seeds run in parallel; --trace prints every step (with one job).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/simulation/simulator.h"

namespace argentpoche::simulation {
namespace {

struct Flags {
  uint64_t seeds = 20;
  uint64_t first_seed = 1;
  int steps = 2000;
  int parties = 6;
  int fault_per_mille = 30;
  int jobs = 1;
  bool trace = false;
};

bool ParseNumber(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  out = value;
  return true;
}

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--trace") {
      flags.trace = true;
      continue;
    }
    const size_t equals = arg.find('=');
    if (!arg.starts_with("--") || equals == std::string_view::npos) return false;
    const std::string_view name = arg.substr(2, equals - 2);
    uint64_t value = 0;
    if (!ParseNumber(arg.substr(equals + 1), value)) return false;
    if (name == "seeds") {
      flags.seeds = value;
    } else if (name == "first_seed") {
      flags.first_seed = value;
    } else if (name == "seed") {
      flags.first_seed = value;
      flags.seeds = 1;
    } else if (name == "steps" && value <= 100'000'000) {
      flags.steps = static_cast<int>(value);
    } else if (name == "parties" && value >= 3 && value <= 999) {
      flags.parties = static_cast<int>(value);
    } else if (name == "fault_per_mille" && value <= 1000) {
      flags.fault_per_mille = static_cast<int>(value);
    } else if (name == "jobs" && value >= 1 && value <= 256) {
      flags.jobs = static_cast<int>(value);
    } else {
      return false;
    }
  }
  return true;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) {
    std::fprintf(stderr,
                 "usage: poche-simulate [--seeds=N] [--first_seed=S | --seed=S] [--steps=M]\n"
                 "                      [--parties=P] [--fault_per_mille=F] [--jobs=J] "
                 "[--trace]\n");
    return 2;
  }
  SimulatorOptions options;
  options.steps = flags.steps;
  options.parties = flags.parties;
  options.fault_per_mille = flags.fault_per_mille;
  if (flags.trace)
    options.trace = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
  const int jobs = flags.trace ? 1 : flags.jobs;

  const auto started = std::chrono::steady_clock::now();
  std::vector<SimulationReport> reports(flags.seeds);
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> workers;
  for (int job = 0; job < jobs; ++job) {
    workers.emplace_back([&] {
      for (uint64_t i = next++; i < flags.seeds; i = next++) {
        reports[i] = Simulator(flags.first_seed + i, options).Run();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  uint64_t steps = 0, commands = 0, deadlines = 0, restarts = 0, faults = 0, violations = 0;
  std::map<std::string, uint64_t> outcomes;
  for (const SimulationReport& report : reports) {
    for (const auto& [outcome, count] : report.outcomes) outcomes[outcome] += count;
    steps += static_cast<uint64_t>(report.steps);
    commands += report.counters.commands;
    deadlines += report.counters.deadlines;
    restarts += report.counters.restarts;
    faults += report.counters.commit_failed;
    if (report.passed) continue;
    ++violations;
    std::printf(
        "VIOLATION %s\n  replay: poche-simulate --seed=%llu --steps=%d --parties=%d "
        "--fault_per_mille=%d --trace\n",
        report.violation.c_str(), static_cast<unsigned long long>(report.seed), flags.steps,
        flags.parties, flags.fault_per_mille);
  }
  const double rate = seconds > 0 ? 1.0 / seconds : 0;
  std::printf("seeds run: %llu (%llu to %llu), %d steps each, %d job(s)\n",
              static_cast<unsigned long long>(flags.seeds),
              static_cast<unsigned long long>(flags.first_seed),
              static_cast<unsigned long long>(flags.first_seed + flags.seeds - 1), flags.steps,
              jobs);
  std::printf(
      "steps: %llu; engine commands: %llu; deadlines fired: %llu; restarts: %llu; "
      "commits failed on purpose: %llu\n",
      static_cast<unsigned long long>(steps), static_cast<unsigned long long>(commands),
      static_cast<unsigned long long>(deadlines), static_cast<unsigned long long>(restarts),
      static_cast<unsigned long long>(faults));
  std::printf("ended:");
  for (const auto& [outcome, count] : outcomes) {
    std::printf(" %s %llu;", outcome.c_str(), static_cast<unsigned long long>(count));
  }
  std::printf("\n");
  std::printf("time: %.1f s; %.0f operations/s simulated (steps), %.0f engine commands/s\n",
              seconds, static_cast<double>(steps) * rate, static_cast<double>(commands) * rate);
  std::printf("violations: %llu\n", static_cast<unsigned long long>(violations));
  return violations == 0 ? 0 : 1;
}

}  // namespace
}  // namespace argentpoche::simulation

int main(int argc, char** argv) { return argentpoche::simulation::Main(argc, argv); }
