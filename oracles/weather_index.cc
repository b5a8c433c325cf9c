#include "oracles/weather_index.h"

#include <optional>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

namespace argentpoche::oracles {
namespace {

absl::CivilDay ToCivil(const CivilDay& day) { return absl::CivilDay(day.year, day.month, day.day); }

absl::Status DataMissing(const WeatherPeriod& period, const CivilDay& day, std::string_view what,
                         const DailyWeather& weather) {
  std::string coverage;
  if (!weather.latest_day.has_value()) {
    coverage = "; the data holds no day at all";
  } else if (ToCivil(*weather.latest_day) < ToCivil(period.end)) {
    coverage = Concat("; the data ends on ", FormatDay(*weather.latest_day));
  }
  return FailedPrecondition("DATA_MISSING",
                            Concat("no ", what, " for ", FormatDay(day), " in the data (period ",
                                   WeatherEventId(period), ")", coverage));
}

// The record of each day of the period, in order. DATA_MISSING for the first day the
// data lacks.
absl::StatusOr<std::vector<const DailyObservation*>> DaysOf(const WeatherPeriod& period,
                                                            const DailyWeather& weather) {
  const absl::CivilDay first = ToCivil(period.start);
  const absl::CivilDay last = ToCivil(period.end);
  if (first > last) {
    return InvalidArgument("MALFORMED_EVENT", "a period cannot end before it starts");
  }
  if (last - first + 1 > limits::kMaxPeriodDays) {
    return InvalidArgument("PERIOD_TOO_LONG",
                           Concat("the period ", WeatherEventId(period), " is longer than ",
                                  limits::kMaxPeriodDays, " days"));
  }
  std::vector<const DailyObservation*> days;
  size_t next = 0;  // weather.days is sorted: one pass over it.
  for (absl::CivilDay day = first; day <= last; ++day) {
    while (next < weather.days.size() && ToCivil(weather.days[next].day) < day) ++next;
    const CivilDay wanted{static_cast<int>(day.year()), day.month(), day.day()};
    if (next >= weather.days.size() || !(weather.days[next].day == wanted)) {
      return DataMissing(period, wanted, "observation", weather);
    }
    days.push_back(&weather.days[next]);
  }
  return days;
}

bool IsCelsius(v1::WeatherUnit unit) { return unit == v1::WEATHER_UNIT_CELSIUS; }

absl::StatusOr<Rational> RainTotal(const WeatherFeed& feed, const WeatherPeriod& period,
                                   const DailyWeather& weather,
                                   const std::vector<const DailyObservation*>& days) {
  Rational total;
  for (const DailyObservation* day : days) {
    if (!day->precipitation.has_value()) {
      return DataMissing(period, day->day, "precipitation", weather);
    }
    POCHE_ASSIGN_OR_RETURN(total, Add(total, Rational::FromDecimal(*day->precipitation)));
  }
  const bool in_millimetres = weather.precipitation_unit == PrecipitationUnit::kMillimetres;
  const bool want_millimetres = feed.unit == v1::WEATHER_UNIT_MILLIMETRES;
  if (in_millimetres == want_millimetres) return total;
  // 1 in = 25.4 mm = 254/10 mm exactly.
  return want_millimetres ? Multiply(total, Rational::Fraction(254, 10))
                          : Multiply(total, Rational::Fraction(10, 254));
}

absl::StatusOr<Rational> DegreeDays(const WeatherFeed& feed, const WeatherPeriod& period,
                                    const DailyWeather& weather,
                                    const std::vector<const DailyObservation*>& days) {
  const TemperatureUnit unit =
      IsCelsius(feed.unit) ? TemperatureUnit::kCelsius : TemperatureUnit::kFahrenheit;
  const Rational base = Rational::Integer(IsCelsius(feed.unit) ? 18 : 65);
  const bool heating = feed.index == v1::WEATHER_INDEX_HEATING_DEGREE_DAYS;
  Rational total;
  for (const DailyObservation* day : days) {
    if (!day->min_temperature.has_value() || !day->max_temperature.has_value()) {
      return DataMissing(period, day->day, "minimum and maximum temperature", weather);
    }
    POCHE_ASSIGN_OR_RETURN(const Rational sum, Add(Rational::FromDecimal(*day->max_temperature),
                                                   Rational::FromDecimal(*day->min_temperature)));
    POCHE_ASSIGN_OR_RETURN(const Rational mean_as_read, Multiply(sum, Rational::Fraction(1, 2)));
    POCHE_ASSIGN_OR_RETURN(const Rational mean,
                           ConvertTemperature(mean_as_read, weather.temperature_unit, unit));
    POCHE_ASSIGN_OR_RETURN(const Rational degrees,
                           heating ? Subtract(base, mean) : Subtract(mean, base));
    if (degrees.sign() > 0) {
      POCHE_ASSIGN_OR_RETURN(total, Add(total, degrees));
    }
  }
  return total;
}

absl::StatusOr<Rational> HighestMaximum(const WeatherFeed& feed, const WeatherPeriod& period,
                                        const DailyWeather& weather,
                                        const std::vector<const DailyObservation*>& days) {
  std::optional<Decimal> highest;
  for (const DailyObservation* day : days) {
    if (!day->max_temperature.has_value()) {
      return DataMissing(period, day->day, "maximum temperature", weather);
    }
    if (!highest.has_value() || CompareDecimals(*day->max_temperature, *highest) > 0) {
      highest = day->max_temperature;
    }
  }
  POCHE_CHECK(highest.has_value());  // A period has at least one day.
  return ConvertTemperature(
      Rational::FromDecimal(*highest), weather.temperature_unit,
      IsCelsius(feed.unit) ? TemperatureUnit::kCelsius : TemperatureUnit::kFahrenheit);
}

}  // namespace

uint32_t DefaultWeatherScale(const WeatherFeed& feed) {
  const bool celsius = IsCelsius(feed.unit);
  switch (feed.index) {
    case v1::WEATHER_INDEX_RAINFALL:
      return feed.unit == v1::WEATHER_UNIT_MILLIMETRES ? 3 : 2;
    case v1::WEATHER_INDEX_HEATING_DEGREE_DAYS:
    case v1::WEATHER_INDEX_COOLING_DEGREE_DAYS:
      return celsius ? 2 : 1;
    case v1::WEATHER_INDEX_MAX_TEMPERATURE:
      return celsius ? 2 : 0;
    default:
      return 0;
  }
}

absl::StatusOr<Rational> ConvertTemperature(const Rational& value, TemperatureUnit from,
                                            TemperatureUnit to) {
  if (from == to) return value;
  const Rational thirty_two = Rational::Integer(32);
  if (from == TemperatureUnit::kFahrenheit) {
    POCHE_ASSIGN_OR_RETURN(const Rational above_freezing, Subtract(value, thirty_two));
    return Multiply(above_freezing, Rational::Fraction(5, 9));
  }
  POCHE_ASSIGN_OR_RETURN(const Rational scaled, Multiply(value, Rational::Fraction(9, 5)));
  return Add(scaled, thirty_two);
}

absl::StatusOr<IndexValue> ComputeWeatherIndex(const WeatherFeed& feed, const WeatherPeriod& period,
                                               const DailyWeather& weather, uint32_t scale) {
  POCHE_CHECK(scale <= limits::kMaxScale);
  POCHE_RETURN_IF_ERROR(WeatherFeedName(feed).status());
  POCHE_ASSIGN_OR_RETURN(const std::vector<const DailyObservation*> days, DaysOf(period, weather));
  absl::StatusOr<Rational> exact;
  switch (feed.index) {
    case v1::WEATHER_INDEX_RAINFALL:
      exact = RainTotal(feed, period, weather, days);
      break;
    case v1::WEATHER_INDEX_HEATING_DEGREE_DAYS:
    case v1::WEATHER_INDEX_COOLING_DEGREE_DAYS:
      exact = DegreeDays(feed, period, weather, days);
      break;
    default:
      exact = HighestMaximum(feed, period, weather, days);
      break;
  }
  if (!exact.ok()) return exact.status();
  POCHE_ASSIGN_OR_RETURN(const RoundedValue rounded, RoundHalfEven(*exact, scale));
  return IndexValue{*exact, rounded};
}

}  // namespace argentpoche::oracles
