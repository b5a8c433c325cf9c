// poche-crash: the long run of the crash test (see tests/crash/README.md).
//
//   build/dev/tests/poche-crash --kills=300 --clients=6 --seed=7
//
// Starts the real poche-engine on loopback over a temporary data directory, drives it
// with concurrent clients and SIGKILLs it --kills times at seeded random moments,
// checking after every kill and restart. Prints the counts of operations, retries,
// kills, restarts and violations; exits 1 when there was a violation.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tests/crash/crash_harness.h"

ABSL_FLAG(int, kills, 300, "SIGKILLs (each followed by checks and a restart).");
ABSL_FLAG(int, clients, 6, "Concurrent client threads, each with its own three parties.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the kill moments and of the clients' operations.");
ABSL_FLAG(std::string, engine_binary, POCHE_ENGINE_BINARY, "The poche-engine binary to run.");
ABSL_FLAG(int64_t, min_run_ms, 300, "Shortest time the engine serves between two kills.");
ABSL_FLAG(int64_t, max_run_ms, 2000, "Longest time the engine serves between two kills.");
ABSL_FLAG(int64_t, max_extra_down_ms, 1000,
          "Longest extra time the engine stays down after the checks (deadlines pass).");
ABSL_FLAG(int64_t, max_command_skew_ms, 0,
          "Passed to the engine when > 0: in-doubt commands older than this are abandoned.");
ABSL_FLAG(bool, verbose, true, "One line per kill on stderr.");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Crash test of poche-engine: concurrent clients, SIGKILL at random moments, checks "
      "after every restart.\nUsage: poche-crash --kills=300 --clients=6 --seed=S");
  absl::ParseCommandLine(argc, argv);
  argentpoche::crash::CrashOptions options;
  options.engine_binary = absl::GetFlag(FLAGS_engine_binary);
  options.kills = absl::GetFlag(FLAGS_kills);
  options.clients = absl::GetFlag(FLAGS_clients);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.min_run_ms = absl::GetFlag(FLAGS_min_run_ms);
  options.max_run_ms = absl::GetFlag(FLAGS_max_run_ms);
  options.max_extra_down_ms = absl::GetFlag(FLAGS_max_extra_down_ms);
  options.max_command_skew_ms = absl::GetFlag(FLAGS_max_command_skew_ms);
  options.verbose = absl::GetFlag(FLAGS_verbose);
  if (options.kills < 0 || options.clients < 1 || options.min_run_ms < 0 ||
      options.max_run_ms < options.min_run_ms || options.max_extra_down_ms < 0) {
    std::fprintf(stderr,
                 "poche-crash: --kills >= 0, --clients >= 1, 0 <= --min_run_ms <= "
                 "--max_run_ms and --max_extra_down_ms >= 0\n");
    return 2;
  }
  std::printf("poche-crash: %d kills, %d clients, seed %llu, engine %s\n", options.kills,
              options.clients, static_cast<unsigned long long>(options.seed),
              options.engine_binary.c_str());
  std::fflush(stdout);
  const argentpoche::crash::CrashReport report = argentpoche::crash::RunCrashTest(options);
  std::printf("%s", report.Summary().c_str());
  return report.violation_count == 0 ? 0 : 1;
}
