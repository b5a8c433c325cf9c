// The poche-oracle binary as an operator runs it: --dry_run on generated CSVs prints the
// attestations it would submit, bad flags exit 2 naming the flag, --help documents every
// flag, an unreachable engine is an error in --once, and SIGTERM stops the polling loop
// cleanly. No key material ever reaches its output.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/key_store.h"
#include "engine/crypto.h"
#include "gtest/gtest.h"
#include "oracles/test_files.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

struct Outcome {
  int exit_status = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Starts poche-oracle with `arguments`, its output going to files in `directory`.
pid_t Start(const TestDirectory& directory, const std::vector<std::string>& arguments) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string out = directory.path() + "/stdout", err = directory.path() + "/stderr";
    if (freopen(out.c_str(), "w", stdout) == nullptr) _exit(126);
    if (freopen(err.c_str(), "w", stderr) == nullptr) _exit(126);
    std::vector<char*> argv = {const_cast<char*>("poche-oracle")};
    for (const std::string& argument : arguments)
      argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    execv(POCHE_ORACLE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

Outcome Wait(const TestDirectory& directory, pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                 ReadAll(directory.path() + "/stdout"), ReadAll(directory.path() + "/stderr")};
}

Outcome RunOracle(const TestDirectory& directory, const std::vector<std::string>& arguments) {
  return Wait(directory, Start(directory, arguments));
}

// 2021-01-01..03 in °F and inches (see weather_index_test.cc for the figures).
constexpr std::string_view kWeather =
    "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
    "2021-1-1,30,41,0.96\n2021-1-2,50,71,T\n2021-1-3,60,85,0.05\n";

std::vector<std::string> WeatherFlags(const std::string& csv) {
  return {"--weather_csv=" + csv, "--temperature_unit=f", "--precipitation_unit=in", "--source=t",
          "--station=S"};
}

TEST(OracleProcessTest, DryRunPrintsTheWeatherAttestationsItWouldSubmit) {
  TestDirectory directory;
  std::vector<std::string> arguments = WeatherFlags(directory.Write("w.csv", kWeather));
  arguments.insert(arguments.end(),
                   {"--dry_run", "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03", "--event",
                    "weather/t/S/hdd_c@2021-1-1..2021-1-3",
                    "--event=weather/t/S/cdd_f@2021-01-01..2021-01-03,"
                    "weather/t/S/tmax_f@2021-01-01..2021-01-04"});
  const Outcome outcome = RunOracle(directory, arguments);
  EXPECT_EQ(outcome.exit_status, 0) << outcome.err;
  // 1.01 in = 25.654 mm; HDD °C 164/9 = 18.22 (rounded); CDD °F 7.5; the fourth day is not
  // in the data yet: waiting. Observed at 2021-01-04T00:00:00Z = 1609718400000.
  EXPECT_EQ(outcome.out,
            "would_attest feed=weather/t/S/rain_mm event=2021-01-01..2021-01-03 value=25654 "
            "scale=3 decimal=25.654 observed_at_unix_ms=1609718400000 "
            "observed_at=2021-01-04T00:00:00Z rounded=no\n"
            "would_attest feed=weather/t/S/hdd_c event=2021-01-01..2021-01-03 value=1822 "
            "scale=2 decimal=18.22 observed_at_unix_ms=1609718400000 "
            "observed_at=2021-01-04T00:00:00Z rounded=yes\n"
            "would_attest feed=weather/t/S/cdd_f event=2021-01-01..2021-01-03 value=75 "
            "scale=1 decimal=7.5 observed_at_unix_ms=1609718400000 "
            "observed_at=2021-01-04T00:00:00Z rounded=no\n"
            "waiting feed=weather/t/S/tmax_f event=2021-01-01..2021-01-04 "
            "detail=\"DATA_MISSING: no observation for 2021-01-04 in the data (period "
            "2021-01-01..2021-01-04); the data ends on 2021-01-03\"\n");
  EXPECT_NE(outcome.err.find("\"event\":\"would_attest\""), std::string::npos);
}

TEST(OracleProcessTest, DryRunPrintsPriceAttestations) {
  TestDirectory directory;
  // 1000 -> 100.00, 2000 -> 101.50, 2021-01-01T00:00:00Z (1609459200000) -> 99.
  const std::string csv =
      directory.Write("p.csv", "time,price\n1000,100.00\n2000,101.50\n2021-01-01T00:00:00Z,99\n");
  const Outcome outcome = RunOracle(
      directory, {"--dry_run", "--price_csv=" + csv, "--price_scale=1",
                  "--event=price/BTC-USD@at:1999", "--event=price/BTC-USD@avg:1000..3000"});
  EXPECT_EQ(outcome.exit_status, 0) << outcome.err;
  // at:1999 -> 100.0; avg: (100.00 + 101.50) / 2 = 100.75 -> 100.8 (half to even).
  EXPECT_EQ(outcome.out,
            "would_attest feed=price/BTC-USD event=at:1999 value=1000 scale=1 decimal=100.0 "
            "observed_at_unix_ms=1999 observed_at=1970-01-01T00:00:01.999Z rounded=no\n"
            "would_attest feed=price/BTC-USD event=avg:1000..3000 value=1008 scale=1 "
            "decimal=100.8 observed_at_unix_ms=3000 observed_at=1970-01-01T00:00:03Z "
            "rounded=yes\n");
}

TEST(OracleProcessTest, MissingDataInsideThePeriodIsAnErrorInAOnePass) {
  TestDirectory directory;
  std::vector<std::string> arguments =
      WeatherFlags(directory.Write("w.csv",
                                   "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
                                   "2021-1-1,30,41,0.96\n2021-1-3,60,85,0.05\n"));
  arguments.insert(arguments.end(),
                   {"--dry_run", "--event=weather/t/S/rain_in@2021-01-01..2021-01-03"});
  const Outcome outcome = RunOracle(directory, arguments);
  EXPECT_EQ(outcome.exit_status, 1);
  EXPECT_NE(outcome.out.find("unavailable feed=weather/t/S/rain_in"), std::string::npos);
}

TEST(OracleProcessTest, BadFlagsExitTwoNamingTheFlag) {
  TestDirectory directory;
  const std::string csv = directory.Write("w.csv", kWeather);
  const struct {
    std::vector<std::string> arguments;
    std::string_view says;
  } cases[] = {
      {{"--dry_run"}, "--event"},
      {{"--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"}, "--key"},
      {{"--dry_run", "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"}, "--weather_csv"},
      {{"--dry_run", "--weather_csv=" + csv, "--temperature_unit=k", "--precipitation_unit=in",
        "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"},
       "--temperature_unit"},
      {{"--dry_run", "--weather_csv=" + csv, "--temperature_unit=f", "--precipitation_unit=in",
        "--source=t", "--station=OTHER", "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"},
       "--station=OTHER"},
      {{"--dry_run", "--event=weather/t/S/rain_furlongs@2021-01-01..2021-01-03"}, "--event"},
      {{"--dry_run", "--price_csv=" + csv, "--event=price/BTC-USD@at:5"}, "--price_scale"},
      {{"--dry_run", "--event=price/BTC-USD@at:5", "stray"}, "unexpected argument \\\"stray"},
  };
  for (const auto& each : cases) {
    const Outcome outcome = RunOracle(directory, each.arguments);
    EXPECT_EQ(outcome.exit_status, 2) << each.says;
    EXPECT_NE(outcome.err.find(each.says), std::string::npos) << each.says << ": " << outcome.err;
  }
}

TEST(OracleProcessTest, HelpDocumentsEveryFlag) {
  TestDirectory directory;
  const Outcome outcome = RunOracle(directory, {"--help"});
  const std::string help = outcome.out + outcome.err;
  for (std::string_view flag : {"--engine",
                                "--tls_ca",
                                "--tls_cert",
                                "--tls_key",
                                "--home",
                                "--key",
                                "--event",
                                "--source",
                                "--station",
                                "--weather_csv",
                                "--temperature_unit",
                                "--precipitation_unit",
                                "--date_column",
                                "--min_temperature_column",
                                "--max_temperature_column",
                                "--precipitation_column",
                                "--price_csv",
                                "--price_scale",
                                "--scale",
                                "--window_ms",
                                "--once",
                                "--poll_ms",
                                "--dry_run"}) {
    EXPECT_NE(help.find(std::string(flag) + " ("), std::string::npos) << flag;
  }
}

// A key in a key store under `directory`, as `poche keys new oracle` makes it.
std::string MakeKey(const TestDirectory& directory, std::string* seed_hex) {
  const std::string home = directory.path() + "/home";
  absl::StatusOr<SigningKey> key = cli::KeyStore(home).Create("oracle");
  EXPECT_TRUE(key.ok()) << key.status();
  *seed_hex = Hex(key->Seed());
  return home;
}

TEST(OracleProcessTest, AnUnreachableEngineIsAnErrorInOnceModeAndNoSecretIsPrinted) {
  TestDirectory directory;
  std::string seed_hex;
  const std::string home = MakeKey(directory, &seed_hex);
  std::vector<std::string> arguments = WeatherFlags(directory.Write("w.csv", kWeather));
  arguments.insert(arguments.end(),
                   {"--once", "--home=" + home, "--key=oracle", "--engine=127.0.0.1:1",
                    "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"});
  const Outcome outcome = RunOracle(directory, arguments);
  EXPECT_EQ(outcome.exit_status, 1) << outcome.err;
  EXPECT_NE(outcome.out.find("retrying feed=weather/t/S/rain_mm"), std::string::npos)
      << outcome.out;
  EXPECT_EQ(outcome.out.find(seed_hex), std::string::npos);
  EXPECT_EQ(outcome.err.find(seed_hex), std::string::npos);
}

TEST(OracleProcessTest, SigtermStopsThePollingLoopCleanly) {
  TestDirectory directory;
  std::string seed_hex;
  const std::string home = MakeKey(directory, &seed_hex);
  std::vector<std::string> arguments = WeatherFlags(directory.Write("w.csv", kWeather));
  arguments.insert(arguments.end(),
                   {"--home=" + home, "--key=oracle", "--engine=127.0.0.1:1", "--poll_ms=60000",
                    "--event=weather/t/S/rain_mm@2021-01-01..2021-01-03"});
  const pid_t pid = Start(directory, arguments);
  // Wait for the first pass to be logged, then stop it.
  for (int i = 0;
       i < 100 && ReadAll(directory.path() + "/stderr").find("\"retrying\"") == std::string::npos;
       ++i) {
    usleep(100 * 1000);
  }
  kill(pid, SIGTERM);
  const Outcome outcome = Wait(directory, pid);
  EXPECT_EQ(outcome.exit_status, 0) << outcome.err;
  EXPECT_NE(outcome.err.find("\"stopping\""), std::string::npos) << outcome.err;
  EXPECT_EQ(outcome.err.find(seed_hex), std::string::npos);
}

}  // namespace
}  // namespace argentpoche::oracles
