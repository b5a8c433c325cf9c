// poche-oracle: one oracle's daemon. It holds one key (a key file of the poche client's
// key store), reads observations through a data adapter, announces the configured events
// to the engine and submits a signed attestation of each as soon as the data covers it.
//   poche-oracle --engine=127.0.0.1:7400 --key=knyc-oracle --source=fte --station=KNYC
//       --weather_csv=KNYC.csv --temperature_unit=f --precipitation_unit=in
//       --event=weather/fte/KNYC/rain_mm@2014-07-01..2014-07-31
//   poche-oracle --dry_run --price_csv=btc.csv --price_scale=2
//       --event=price/BTC-USD@at:1798732800000
// Exit status: 0 when done (every event attested; with --once or --dry_run, also when
// some still wait for their data), 1 when an event failed or could not be attested, 2
// for bad flags. Stops cleanly (status 0) on SIGTERM or SIGINT. Logs one JSON line per
// action on stderr; prints one line per event on stdout at the end.
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "cli/key_store.h"
#include "engine/clock.h"
#include "engine/event_log.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/daemon.h"
#include "oracles/daemon_flags.h"
#include "oracles/engine_clock.h"
#include "oracles/grpc_oracle_engine.h"
#include "oracles/price_csv.h"
#include "oracles/weather_csv.h"

namespace {

using argentpoche::LogEvent;
using argentpoche::oracles::kOracleComponent;

// Waits up to `timeout_ms` for SIGTERM or SIGINT (blocked in every thread); true if one
// came.
bool StopSignalWithin(const sigset_t& stop_signals, int64_t timeout_ms) {
  timespec timeout{.tv_sec = static_cast<time_t>(timeout_ms / 1000),
                   .tv_nsec = static_cast<long>((timeout_ms % 1000) * 1000000)};
  while (true) {
    const int received = sigtimedwait(&stop_signals, nullptr, &timeout);
    if (received > 0) {
      LogEvent(kOracleComponent, "stopping",
               {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
      return true;
    }
    // Interrupted by another signal: wait again (a poll a little late is fine).
    if (errno != EINTR) return false;
  }
}

void PrintReport(const argentpoche::oracles::OracleDaemon& daemon) {
  for (const argentpoche::oracles::EventProgress& progress : daemon.events()) {
    std::printf("%s\n", argentpoche::oracles::ReportLine(progress).c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  namespace oracles = argentpoche::oracles;
  absl::SetProgramUsageMessage(absl::string_view(oracles::kUsage.data(), oracles::kUsage.size()));
  // --help lists the flags defined in this folder (daemon_flags.cc), not only main.cc's.
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view path) {
    return path.find("oracles/") != absl::string_view::npos;
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  // --event may be repeated: collected before absl (which keeps only the last).
  const std::vector<std::string> event_flags = oracles::CollectRepeatedFlag(argc, argv, "event");
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);

  absl::StatusOr<oracles::DaemonConfig> config =
      positional.size() > 1
          ? argentpoche::InvalidArgument(
                "USAGE", argentpoche::Concat("unexpected argument \"", positional[1],
                                             "\": every setting is a --flag"))
          : oracles::ConfigFromFlags(event_flags);
  if (!config.ok()) {
    LogEvent(kOracleComponent, "bad_flags",
             {{"reason", argentpoche::ReasonOf(config.status())},
              {"detail", std::string(config.status().message())}});
    return 2;
  }

  // Block the stop signals before any thread starts, so that every thread inherits it and
  // the main loop alone receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<argentpoche::SigningKey> key;
  if (!config->key_name.empty()) {
    absl::StatusOr<argentpoche::SigningKey> loaded =
        argentpoche::cli::KeyStore(config->home).Load(config->key_name);
    if (!loaded.ok()) {
      LogEvent(kOracleComponent, "key_unusable",
               {{"reason", argentpoche::ReasonOf(loaded.status())},
                {"detail", std::string(loaded.status().message())}});
      return 1;
    }
    key = std::make_unique<argentpoche::SigningKey>(std::move(*loaded));
  }
  std::unique_ptr<oracles::CsvWeatherSource> weather;
  if (!config->weather_csv.empty()) {
    weather =
        std::make_unique<oracles::CsvWeatherSource>(config->weather_csv, config->weather_options);
  }
  std::unique_ptr<oracles::CsvPriceSource> prices;
  if (!config->price_csv.empty()) {
    prices =
        std::make_unique<oracles::CsvPriceSource>(config->price_csv, oracles::PriceCsvOptions{});
  }
  std::unique_ptr<oracles::GrpcOracleEngine> engine;
  if (!config->daemon.dry_run) {
    engine = std::make_unique<oracles::GrpcOracleEngine>(config->engine_target, config->tls);
  }
  // The engine's time decides (see oracles/engine_clock.h); a dry run has only this
  // machine's.
  oracles::EngineClock clock;
  const auto follow_engine_clock = [&] {
    if (engine == nullptr) return;
    absl::StatusOr<int64_t> engine_now = engine->EngineNowUnixMs();
    if (!engine_now.ok()) return;  // the pass reports the engine unreachable
    clock.Observe(*engine_now);
  };
  const bool single_pass = config->once || config->daemon.dry_run;
  LogEvent(kOracleComponent, "starting",
           {{"party_id", key ? key->key_id() : ""},
            {"engine", config->daemon.dry_run ? "none (dry run)" : config->engine_target},
            {"events", std::to_string(config->daemon.events.size())},
            {"mode", single_pass ? "once" : "poll"}});
  oracles::OracleDaemon daemon(std::move(config->daemon),
                               oracles::DaemonPorts{.key = key.get(),
                                                    .engine = engine.get(),
                                                    .weather = weather.get(),
                                                    .prices = prices.get(),
                                                    .clock = &clock});
  // A stop signal arriving during a pass ends it before the next event.
  const auto stop_pending = [] {
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1;
  };
  while (true) {
    follow_engine_clock();
    daemon.RunPass(stop_pending);
    if (stop_pending()) {
      static_cast<void>(StopSignalWithin(stop_signals, 0));
      LogEvent(kOracleComponent, "stopped", {{"detail", "clean shutdown"}});
      return 0;
    }
    if (single_pass) {
      PrintReport(daemon);
      return daemon.AllAttestedOrWaiting() ? 0 : 1;
    }
    if (daemon.Finished()) {
      PrintReport(daemon);
      const bool all_attested = daemon.AllAttestedOrWaiting();
      LogEvent(kOracleComponent, "done", {{"all_attested", all_attested ? "true" : "false"}});
      return all_attested ? 0 : 1;
    }
    if (StopSignalWithin(stop_signals, config->poll_ms)) {
      LogEvent(kOracleComponent, "stopped", {{"detail", "clean shutdown"}});
      return 0;
    }
  }
}
