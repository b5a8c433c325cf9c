// Daily weather observations and the port every weather data source implements. The
// index computation (weather_index.h) reads observations through DailyWeatherSource only,
// so a source other than a CSV file (GHCN-Daily, an HTTP service) is one more class.
//
//   std::unique_ptr<DailyWeatherSource> source = ...;
//   absl::StatusOr<DailyWeather> july = source->Read(period);
//
// A source says in which units its numbers are: the data itself often does not (a CSV
// carries bare numbers), so whoever configures the source states them.
#ifndef ARGENTPOCHE_ORACLES_DAILY_WEATHER_H_
#define ARGENTPOCHE_ORACLES_DAILY_WEATHER_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/feeds.h"
#include "oracles/decimal.h"

namespace argentpoche::oracles {

enum class TemperatureUnit { kFahrenheit, kCelsius };
enum class PrecipitationUnit { kInches, kMillimetres };

// One day's record. A value the source marks as not measured is absent, never zero.
struct DailyObservation {
  CivilDay day;
  std::optional<Decimal> min_temperature;
  std::optional<Decimal> max_temperature;
  std::optional<Decimal> precipitation;
};

struct DailyWeather {
  TemperatureUnit temperature_unit = TemperatureUnit::kFahrenheit;
  PrecipitationUnit precipitation_unit = PrecipitationUnit::kInches;
  // The records of the days asked for that the source holds, sorted by day, at most one
  // per day. A day the source has no record of is absent.
  std::vector<DailyObservation> days;
  // The latest day the source holds any record of, inside the range asked for or not;
  // absent when it holds none. A period ending after it is not covered yet.
  std::optional<CivilDay> latest_day;
};

// Thread-safety: an implementation may keep a cache, so one caller at a time.
class DailyWeatherSource {
 public:
  virtual ~DailyWeatherSource() = default;

  // The observations of the days of `period` (both ends included), reading the source
  // again (a file may have grown since the last call). Errors are the source's: an
  // unreadable file, malformed data (naming where), a network failure.
  [[nodiscard]] virtual absl::StatusOr<DailyWeather> Read(const WeatherPeriod& period) = 0;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_DAILY_WEATHER_H_
