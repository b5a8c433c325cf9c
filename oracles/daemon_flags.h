// The command line of poche-oracle: its flags (defined in daemon_flags.cc, linked into
// the binary only), their help, and their check into the daemon's configuration. A flag
// combination that cannot work is refused before anything starts, with a message saying
// which flag to fix. Called once by main(), before any thread starts.
#ifndef ARGENTPOCHE_ORACLES_DAEMON_FLAGS_H_
#define ARGENTPOCHE_ORACLES_DAEMON_FLAGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cli/client.h"
#include "oracles/daemon.h"
#include "oracles/weather_csv.h"

namespace argentpoche::oracles {

inline constexpr std::string_view kUsage =
    "an ARGENT POCHE oracle. It announces events to the escrow engine and "
    "submits a signed attestation of each as soon as its data covers it.\n"
    "Usage: poche-oracle --key=NAME [--engine=HOST:PORT] --event=FEED@EVENT_ID ... "
    "(--weather_csv=FILE --temperature_unit=f|c --precipitation_unit=in|mm --source=S "
    "--station=S | --price_csv=FILE --price_scale=N) [--once | --poll_ms=N] [--dry_run]";

struct DaemonConfig {
  DaemonOptions daemon;
  std::string engine_target;
  cli::ClientTls tls;
  // The key store's home and the key's name; the name is empty in a dry run without a key.
  std::string home;
  std::string key_name;
  std::string weather_csv;
  WeatherCsvOptions weather_options;
  std::string price_csv;
  bool once = false;
  int64_t poll_ms = 60000;
};

// Every value of `--name=VALUE`, `-name=VALUE` or `--name VALUE` in argv, in order, each
// split at commas as absl's list flags are (stops at "--").
[[nodiscard]] std::vector<std::string> CollectRepeatedFlag(int argc, char** argv,
                                                           std::string_view name);

// The configuration the parsed flags describe, with `events` the values of --event.
// InvalidArgument (reason USAGE, MALFORMED_EVENT_SPEC, MALFORMED_FEED or MALFORMED_EVENT)
// naming the flag to fix.
[[nodiscard]] absl::StatusOr<DaemonConfig> ConfigFromFlags(const std::vector<std::string>& events);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_DAEMON_FLAGS_H_
