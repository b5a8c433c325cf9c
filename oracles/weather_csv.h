// The CSV adapter for daily weather: a file with one line per day, columns found by their
// header names (by default those of the KNYC record: date, actual_min_temp,
// actual_max_temp, actual_precipitation; other columns are ignored). The file carries no
// units, so the caller states them.
//
// What it promises: every day appears at most once (a second line for a day is refused,
// naming both lines); every number is read exactly (decimal.h); a bad date or number is
// refused naming the file, the line and the column. Values:
//   - dates as engine/feeds.h ParseDay reads them ("2014-07-01" or "2014-7-1");
//   - an empty field or "M" means not measured: that value is absent for the day, and an
//     index needing it is not available;
//   - "T" in the precipitation column (a trace, under 0.005 in or 0.1 mm) counts as 0, as
//     in the totals published by the weather services; elsewhere it is refused;
//   - precipitation below zero, or a minimum above the day's maximum, is refused.
//
//   CsvWeatherSource source("KNYC.csv", WeatherCsvOptions{
//       .temperature_unit = TemperatureUnit::kFahrenheit,
//       .precipitation_unit = PrecipitationUnit::kInches});
//   absl::StatusOr<DailyWeather> july = source.Read(period);
#ifndef ARGENTPOCHE_ORACLES_WEATHER_CSV_H_
#define ARGENTPOCHE_ORACLES_WEATHER_CSV_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "oracles/daily_weather.h"

namespace argentpoche::oracles {

struct WeatherCsvOptions {
  TemperatureUnit temperature_unit = TemperatureUnit::kFahrenheit;
  PrecipitationUnit precipitation_unit = PrecipitationUnit::kInches;
  std::string date_column = "date";
  std::string min_temperature_column = "actual_min_temp";
  std::string max_temperature_column = "actual_max_temp";
  std::string precipitation_column = "actual_precipitation";
};

// Every day of the CSV `text`, sorted by day. `source_name` names it in errors.
// InvalidArgument with reason MALFORMED_CSV or MISSING_COLUMN (csv.h), MALFORMED_DATE,
// MALFORMED_NUMBER or NUMBER_OUT_OF_RANGE (for the field, with file:line: and column),
// DUPLICATE_DATE, or IMPLAUSIBLE_OBSERVATION (negative precipitation, minimum above
// maximum).
[[nodiscard]] absl::StatusOr<std::vector<DailyObservation>> ParseWeatherCsv(
    std::string_view text, std::string_view source_name, const WeatherCsvOptions& options);

// A DailyWeatherSource reading a CSV file on every Read. The file is parsed again only
// when its bytes differ from the last read's (many events read one file each pass).
// Not thread-safe.
class CsvWeatherSource : public DailyWeatherSource {
 public:
  CsvWeatherSource(std::string path, WeatherCsvOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}

  // The errors of ReadDataFile (csv.h) and ParseWeatherCsv.
  [[nodiscard]] absl::StatusOr<DailyWeather> Read(const WeatherPeriod& period) override;

 private:
  // Constant after construction.
  const std::string path_;
  const WeatherCsvOptions options_;
  // The last file content parsed cleanly, and what it held.
  std::string cached_text_;
  std::vector<DailyObservation> cached_days_;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_WEATHER_CSV_H_
