#include "oracles/daemon_flags.h"

#include <cstdlib>
#include <set>

#include "absl/flags/flag.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

ABSL_FLAG(std::string, engine, "",
          "The engine's address, host:port (default $POCHE_ENGINE or 127.0.0.1:7400). "
          "Plaintext unless the TLS flags are given.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA certificate that issued the engine's certificate: TLS (default $POCHE_TLS_CA).");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM client certificate naming the oracle's party, for an engine that requires "
          "mutual TLS (default $POCHE_TLS_CERT).");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert (default $POCHE_TLS_KEY).");
ABSL_FLAG(std::string, home, "",
          "Where keys live, as DIR/keys/NAME.key, as for the poche client (default "
          "$POCHE_HOME or ~/.poche).");
ABSL_FLAG(std::string, key, "",
          "Name of the oracle's key in the key store (poche keys new NAME). Its id is both "
          "the oracle's party id and its attestation key id. Needed unless --dry_run.");
ABSL_FLAG(std::vector<std::string>, event, {},
          "An event to attest, FEED@EVENT_ID; repeat the flag (or separate with commas) for "
          "more. weather/<source>/<station>/<index>_<unit>@<YYYY-MM-DD>..<YYYY-MM-DD> with "
          "index_unit rain_mm, rain_in, hdd_f, hdd_c, cdd_f, cdd_c, tmax_f or tmax_c; "
          "price/<BASE>-<QUOTE>@at:<unix ms> or @avg:<from ms>..<until ms>.");
ABSL_FLAG(std::string, source, "",
          "The weather source the CSV comes from (fte in weather/fte/KNYC/rain_mm); every "
          "weather event must name it.");
ABSL_FLAG(std::string, station, "",
          "The station the CSV holds (KNYC); every weather event must name it.");
ABSL_FLAG(std::string, weather_csv, "",
          "Daily weather observations, CSV with a header line; read again on every poll.");
ABSL_FLAG(std::string, temperature_unit, "",
          "Unit of the CSV's temperatures: f (°F) or c (°C). Needed with --weather_csv.");
ABSL_FLAG(std::string, precipitation_unit, "",
          "Unit of the CSV's precipitation: in or mm. Needed with --weather_csv.");
ABSL_FLAG(std::string, date_column, "date", "Weather CSV column of the day (YYYY-MM-DD).");
ABSL_FLAG(std::string, min_temperature_column, "actual_min_temp",
          "Weather CSV column of the day's minimum temperature.");
ABSL_FLAG(std::string, max_temperature_column, "actual_max_temp",
          "Weather CSV column of the day's maximum temperature.");
ABSL_FLAG(std::string, precipitation_column, "actual_precipitation",
          "Weather CSV column of the day's precipitation (\"T\", a trace, counts as 0; "
          "empty or \"M\" is not measured).");
ABSL_FLAG(std::string, price_csv, "",
          "Price ticks, CSV with columns time (unix ms or ISO-8601 UTC) and price, strictly "
          "increasing in time; read again on every poll. Holds one feed's ticks.");
ABSL_FLAG(int32_t, price_scale, -1,
          "Decimal places of attested prices (0 to 18). Needed with --price_csv.");
ABSL_FLAG(int32_t, scale, -1,
          "Decimal places of every attested value (0 to 18), instead of the feed's default: "
          "rain_mm 3, rain_in 2, hdd_f/cdd_f 1, hdd_c/cdd_c 2, tmax_f 0, tmax_c 2, prices "
          "--price_scale. Values are exact, then rounded once, half to even.");
ABSL_FLAG(int64_t, window_ms, argentpoche::oracles::kDefaultWindowMs,
          "Length of each announced event's observation window, from its observation moment.");
ABSL_FLAG(bool, once, false,
          "One pass: announce, attest what the data covers, print one line per event, exit "
          "(0 when each event is attested or still waiting for its data).");
ABSL_FLAG(int64_t, poll_ms, 60000,
          "Without --once: how often to read the data again until every event is attested.");
ABSL_FLAG(bool, dry_run, false,
          "Compute and print the attestations that would be submitted (feed, event, value, "
          "scale, observed_at) without contacting the engine; one pass.");

namespace argentpoche::oracles {
namespace {

absl::Status Usage(std::string_view message) { return InvalidArgument("USAGE", message); }

std::string FlagOrEnvironment(const std::string& flag, const char* variable,
                              const std::string& fallback) {
  if (!flag.empty()) return flag;
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : fallback;
}

absl::Status CheckScale(int32_t scale, std::string_view flag) {
  if (scale < 0 || static_cast<uint32_t>(scale) > limits::kMaxScale) {
    return Usage(Concat("--", flag, " must be 0 to ", limits::kMaxScale));
  }
  return absl::OkStatus();
}

absl::Status ReadWeatherUnits(DaemonConfig& config) {
  const std::string temperature = absl::GetFlag(FLAGS_temperature_unit);
  const std::string precipitation = absl::GetFlag(FLAGS_precipitation_unit);
  if (temperature != "f" && temperature != "c") {
    return Usage("--temperature_unit must be f or c: the CSV does not say its unit");
  }
  if (precipitation != "in" && precipitation != "mm") {
    return Usage("--precipitation_unit must be in or mm: the CSV does not say its unit");
  }
  config.weather_options = WeatherCsvOptions{
      .temperature_unit =
          temperature == "f" ? TemperatureUnit::kFahrenheit : TemperatureUnit::kCelsius,
      .precipitation_unit =
          precipitation == "in" ? PrecipitationUnit::kInches : PrecipitationUnit::kMillimetres,
      .date_column = absl::GetFlag(FLAGS_date_column),
      .min_temperature_column = absl::GetFlag(FLAGS_min_temperature_column),
      .max_temperature_column = absl::GetFlag(FLAGS_max_temperature_column),
      .precipitation_column = absl::GetFlag(FLAGS_precipitation_column)};
  return absl::OkStatus();
}

// Checks each event against the data sources configured.
absl::Status CheckEvents(const DaemonConfig& config) {
  const std::string source = absl::GetFlag(FLAGS_source);
  const std::string station = absl::GetFlag(FLAGS_station);
  std::set<std::string> labels;
  std::string price_feed;
  for (const EventSpec& event : config.daemon.events) {
    if (!labels.insert(EventLabel(event)).second) {
      return Usage(Concat("--event ", EventLabel(event), " is given twice"));
    }
    if (event.kind == EventKind::kWeather) {
      if (config.weather_csv.empty()) {
        return Usage(Concat("--event ", EventLabel(event), " needs --weather_csv"));
      }
      if (event.weather_feed.source != source || event.weather_feed.station != station) {
        return Usage(Concat("--event ", EventLabel(event), " is not of --source=", source,
                            " --station=", station, ", the data the CSV holds"));
      }
      continue;
    }
    if (config.price_csv.empty()) {
      return Usage(Concat("--event ", EventLabel(event), " needs --price_csv"));
    }
    if (!price_feed.empty() && event.feed != price_feed) {
      return Usage(Concat("--price_csv holds one feed's ticks, but the events name ", price_feed,
                          " and ", event.feed));
    }
    price_feed = event.feed;
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> CollectRepeatedFlag(int argc, char** argv, std::string_view name) {
  std::vector<std::string> values;
  const std::string long_form = Concat("--", name), short_form = Concat("-", name);
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") break;
    std::string value;
    if (word.starts_with(long_form + "=") || word.starts_with(short_form + "=")) {
      value = std::string(word.substr(word.find('=') + 1));
    } else if ((word == long_form || word == short_form) && i + 1 < argc) {
      value = argv[++i];
    } else {
      continue;
    }
    size_t start = 0;
    while (start <= value.size()) {
      const size_t comma = std::min(value.find(',', start), value.size());
      if (comma > start) values.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return values;
}

absl::StatusOr<DaemonConfig> ConfigFromFlags(const std::vector<std::string>& events) {
  DaemonConfig config;
  config.daemon.dry_run = absl::GetFlag(FLAGS_dry_run);
  config.once = absl::GetFlag(FLAGS_once);
  config.poll_ms = absl::GetFlag(FLAGS_poll_ms);
  config.daemon.window_ms = absl::GetFlag(FLAGS_window_ms);
  config.engine_target =
      FlagOrEnvironment(absl::GetFlag(FLAGS_engine), "POCHE_ENGINE", "127.0.0.1:7400");
  config.tls = cli::ClientTls{
      .ca_file = FlagOrEnvironment(absl::GetFlag(FLAGS_tls_ca), "POCHE_TLS_CA", ""),
      .certificate_file = FlagOrEnvironment(absl::GetFlag(FLAGS_tls_cert), "POCHE_TLS_CERT", ""),
      .private_key_file = FlagOrEnvironment(absl::GetFlag(FLAGS_tls_key), "POCHE_TLS_KEY", "")};
  const char* user_home = std::getenv("HOME");
  config.home = FlagOrEnvironment(absl::GetFlag(FLAGS_home), "POCHE_HOME",
                                  user_home != nullptr ? Concat(user_home, "/.poche") : "");
  config.key_name = absl::GetFlag(FLAGS_key);
  config.weather_csv = absl::GetFlag(FLAGS_weather_csv);
  config.price_csv = absl::GetFlag(FLAGS_price_csv);
  if (events.empty()) return Usage("give at least one --event=FEED@EVENT_ID");
  if (events.size() > limits::kMaxEvents) {
    return Usage(Concat("at most ", limits::kMaxEvents, " events per daemon"));
  }
  if (config.key_name.empty() && !config.daemon.dry_run) {
    return Usage("--key=NAME is needed: the key that signs the announcements and attestations");
  }
  if (config.tls.certificate_file.empty() != config.tls.private_key_file.empty()) {
    return Usage("--tls_cert and --tls_key go together");
  }
  if (config.poll_ms < 1 || config.poll_ms > 24LL * 60 * 60 * 1000) {
    return Usage("--poll_ms must be 1 to 86400000 (a day)");
  }
  if (config.daemon.window_ms <= 0) return Usage("--window_ms must be positive");
  if (const int32_t scale = absl::GetFlag(FLAGS_scale); scale != -1) {
    POCHE_RETURN_IF_ERROR(CheckScale(scale, "scale"));
    config.daemon.scale = static_cast<uint32_t>(scale);
  }
  if (!config.weather_csv.empty()) POCHE_RETURN_IF_ERROR(ReadWeatherUnits(config));
  if (const int32_t price_scale = absl::GetFlag(FLAGS_price_scale);
      !config.price_csv.empty() && (price_scale != -1 || !config.daemon.scale.has_value())) {
    POCHE_RETURN_IF_ERROR(CheckScale(price_scale, "price_scale"));
    config.daemon.price_scale = static_cast<uint32_t>(price_scale);
  }
  for (const std::string& text : events) {
    absl::StatusOr<EventSpec> event = ParseEventSpec(text);
    if (!event.ok()) {
      return Error(event.status().code(), ReasonOf(event.status()),
                   Concat("--event: ", event.status().message()));
    }
    config.daemon.events.push_back(*std::move(event));
  }
  POCHE_RETURN_IF_ERROR(CheckEvents(config));
  return config;
}

}  // namespace argentpoche::oracles
