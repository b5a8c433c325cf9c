// Weather indices computed exactly from daily observations (feeds in engine/feeds.h):
//   rain_mm, rain_in   total precipitation of the period (1 in = 25.4 mm exactly);
//   hdd_f, hdd_c       heating degree days: the sum over the days of max(0, base - mean);
//   cdd_f, cdd_c       cooling degree days: the sum over the days of max(0, mean - base);
//   tmax_f, tmax_c     the highest daily maximum of the period;
// where mean = (max + min) / 2, not rounded, and base = 65 °F for *_f feeds, 18 °C for
// *_c feeds. Temperatures are converted to the feed's unit first, exactly:
// °C = (°F - 32) x 5/9, °F = °C x 9/5 + 32.
//
// What it promises: no floating point anywhere; the exact rational result is rounded once,
// to the scale asked for, half to even, and the result says whether that lost digits. A
// period with a day the data lacks (or a day without the value the index needs) is not
// available: never estimated.
//
//   absl::StatusOr<IndexValue> rain = ComputeWeatherIndex(feed, period, weather, 3);
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_ORACLES_WEATHER_INDEX_H_
#define ARGENTPOCHE_ORACLES_WEATHER_INDEX_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "engine/feeds.h"
#include "oracles/daily_weather.h"
#include "oracles/index_value.h"

namespace argentpoche::oracles {

// The scale an index is attested at unless told otherwise: as many decimal places as the
// index needs to be exact from whole °F and hundredths of inches: rain_mm 3, rain_in 2,
// hdd_f and cdd_f 1 (half degrees), hdd_c and cdd_c 2, tmax_f 0, tmax_c 2 (rounded).
[[nodiscard]] uint32_t DefaultWeatherScale(const WeatherFeed& feed);

// The index of `feed` over `period` (both days included) from `weather`, rounded to
// `scale` (at most limits::kMaxScale). Errors:
//   FailedPrecondition "DATA_MISSING": a day of the period has no record, or its record
//     lacks a value the index needs; the message names the first such day (and the last
//     day of the data when the period goes beyond it);
//   InvalidArgument "PERIOD_TOO_LONG": more than limits::kMaxPeriodDays days;
//   InvalidArgument "MALFORMED_FEED": an index and unit that do not go together;
//   InvalidArgument "MALFORMED_EVENT": a period that ends before it starts;
//   OutOfRange "VALUE_OVERFLOW": numbers too large to compute with.
[[nodiscard]] absl::StatusOr<IndexValue> ComputeWeatherIndex(const WeatherFeed& feed,
                                                             const WeatherPeriod& period,
                                                             const DailyWeather& weather,
                                                             uint32_t scale);

// A temperature in `from` converted exactly to `to`. OutOfRange "VALUE_OVERFLOW".
[[nodiscard]] absl::StatusOr<Rational> ConvertTemperature(const Rational& value,
                                                          TemperatureUnit from, TemperatureUnit to);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_WEATHER_INDEX_H_
