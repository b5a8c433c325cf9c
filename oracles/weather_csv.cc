#include "oracles/weather_csv.h"

#include <algorithm>
#include <map>
#include <optional>

#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/csv.h"

namespace argentpoche::oracles {
namespace {

struct Columns {
  size_t date = 0;
  size_t min_temperature = 0;
  size_t max_temperature = 0;
  size_t precipitation = 0;
};

// The same status code and reason, with where it happened before the message.
absl::Status At(const CsvTable& table, const CsvRecord& record, std::string_view column,
                const absl::Status& status) {
  return Error(
      status.code(), ReasonOf(status),
      Concat(WhereIs(table.source_name, record.line), "column ", column, ": ", status.message()));
}

// A temperature or precipitation field: absent when not measured ("" or "M").
absl::StatusOr<std::optional<Decimal>> ParseValue(std::string_view text, bool trace_allowed) {
  if (text.empty() || text == "M") return std::optional<Decimal>();
  if (trace_allowed && text == "T") return std::optional<Decimal>(Decimal{0, 0});
  absl::StatusOr<Decimal> value = ParseDecimal(text);
  if (!value.ok()) return value.status();
  return std::optional<Decimal>(*value);
}

absl::StatusOr<DailyObservation> ParseRecord(const CsvTable& table, const CsvRecord& record,
                                             const Columns& columns,
                                             const WeatherCsvOptions& options) {
  DailyObservation observation;
  absl::StatusOr<CivilDay> day = ParseDay(record.fields[columns.date]);
  if (!day.ok()) return At(table, record, options.date_column, day.status());
  observation.day = *day;
  struct Field {
    size_t column;
    const std::string& name;
    std::optional<Decimal>* value;
    bool trace_allowed;
  };
  const Field fields[] = {
      {columns.min_temperature, options.min_temperature_column, &observation.min_temperature,
       false},
      {columns.max_temperature, options.max_temperature_column, &observation.max_temperature,
       false},
      {columns.precipitation, options.precipitation_column, &observation.precipitation, true},
  };
  for (const Field& field : fields) {
    absl::StatusOr<std::optional<Decimal>> value =
        ParseValue(record.fields[field.column], field.trace_allowed);
    if (!value.ok()) return At(table, record, field.name, value.status());
    *field.value = *value;
  }
  if (observation.precipitation.has_value() && observation.precipitation->units < 0) {
    return At(table, record, options.precipitation_column,
              InvalidArgument("IMPLAUSIBLE_OBSERVATION", "precipitation cannot be negative"));
  }
  if (observation.min_temperature.has_value() && observation.max_temperature.has_value() &&
      CompareDecimals(*observation.min_temperature, *observation.max_temperature) > 0) {
    return At(table, record, options.min_temperature_column,
              InvalidArgument("IMPLAUSIBLE_OBSERVATION", "the day's minimum is above its maximum"));
  }
  return observation;
}

}  // namespace

absl::StatusOr<std::vector<DailyObservation>> ParseWeatherCsv(std::string_view text,
                                                              std::string_view source_name,
                                                              const WeatherCsvOptions& options) {
  POCHE_ASSIGN_OR_RETURN(const CsvTable table, ParseCsv(text, source_name));
  Columns columns;
  POCHE_ASSIGN_OR_RETURN(columns.date, ColumnIndex(table, options.date_column));
  POCHE_ASSIGN_OR_RETURN(columns.min_temperature,
                         ColumnIndex(table, options.min_temperature_column));
  POCHE_ASSIGN_OR_RETURN(columns.max_temperature,
                         ColumnIndex(table, options.max_temperature_column));
  POCHE_ASSIGN_OR_RETURN(columns.precipitation, ColumnIndex(table, options.precipitation_column));
  // Day start (ms) -> the observation and the line it came from.
  std::map<int64_t, std::pair<DailyObservation, int64_t>> by_day;
  for (const CsvRecord& record : table.records) {
    POCHE_ASSIGN_OR_RETURN(DailyObservation observation,
                           ParseRecord(table, record, columns, options));
    const int64_t key = DayStartUnixMs(observation.day);
    const auto [existing, inserted] = by_day.try_emplace(key, observation, record.line);
    if (!inserted) {
      return InvalidArgument(
          "DUPLICATE_DATE",
          Concat(WhereIs(source_name, record.line), FormatDay(observation.day),
                 " appears a second time (first on line ", existing->second.second, ")"));
    }
  }
  std::vector<DailyObservation> days;
  days.reserve(by_day.size());
  for (const auto& [key, entry] : by_day) days.push_back(entry.first);
  return days;
}

absl::StatusOr<DailyWeather> CsvWeatherSource::Read(const WeatherPeriod& period) {
  POCHE_ASSIGN_OR_RETURN(std::string text, ReadDataFile(path_));
  if (text != cached_text_ || cached_text_.empty()) {
    POCHE_ASSIGN_OR_RETURN(cached_days_, ParseWeatherCsv(text, path_, options_));
    cached_text_ = std::move(text);
  }
  const std::vector<DailyObservation>& all = cached_days_;
  DailyWeather weather;
  weather.temperature_unit = options_.temperature_unit;
  weather.precipitation_unit = options_.precipitation_unit;
  const int64_t first = DayStartUnixMs(period.start);
  const int64_t last = DayStartUnixMs(period.end);
  for (const DailyObservation& observation : all) {
    const int64_t key = DayStartUnixMs(observation.day);
    if (key >= first && key <= last) weather.days.push_back(observation);
  }
  if (!all.empty()) weather.latest_day = all.back().day;
  return weather;
}

}  // namespace argentpoche::oracles
