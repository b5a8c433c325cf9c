// Weather indices on small generated CSVs, every figure worked out by hand in the
// comments: rain totals across units, degree days in °F and °C, the highest maximum with
// rounding half to even, and a missing day.
#include "oracles/weather_index.h"

#include "engine/status.h"
#include "gtest/gtest.h"
#include "oracles/test_files.h"
#include "oracles/weather_csv.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

// Three days in °F and inches:
//   day          min  max  mean  precipitation
//   2021-01-01    30   41  35.5  0.96
//   2021-01-02    50   71  60.5  T (a trace: 0)
//   2021-01-03    60   85  72.5  0.05
constexpr std::string_view kFahrenheitInches =
    "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
    "2021-1-1,30,41,0.96\n"
    "2021-1-2,50,71,T\n"
    "2021-1-3,60,85,0.05\n";
const WeatherPeriod kThreeDays{{2021, 1, 1}, {2021, 1, 3}};

class WeatherIndexTest : public ::testing::Test {
 protected:
  // The index `feed` over `period` of `csv`, read with the units given.
  absl::StatusOr<IndexValue> Compute(std::string_view csv, std::string_view feed,
                                     const WeatherPeriod& period, uint32_t scale,
                                     TemperatureUnit temperature = TemperatureUnit::kFahrenheit,
                                     PrecipitationUnit precipitation = PrecipitationUnit::kInches) {
    CsvWeatherSource source(
        directory_.Write("weather.csv", csv),
        WeatherCsvOptions{.temperature_unit = temperature, .precipitation_unit = precipitation});
    absl::StatusOr<DailyWeather> weather = source.Read(period);
    if (!weather.ok()) return weather.status();
    absl::StatusOr<WeatherFeed> parsed = ParseWeatherFeed(feed);
    EXPECT_TRUE(parsed.ok()) << feed;
    return ComputeWeatherIndex(*parsed, period, *weather, scale);
  }
  RoundedValue Value(std::string_view csv, std::string_view feed, const WeatherPeriod& period,
                     uint32_t scale, TemperatureUnit temperature = TemperatureUnit::kFahrenheit,
                     PrecipitationUnit precipitation = PrecipitationUnit::kInches) {
    absl::StatusOr<IndexValue> value =
        Compute(csv, feed, period, scale, temperature, precipitation);
    EXPECT_TRUE(value.ok()) << feed << ": " << value.status();
    return value.ok() ? value->rounded : RoundedValue{-1, 0, false};
  }

  TestDirectory directory_;
};

TEST_F(WeatherIndexTest, RainTotalInInchesAndInMillimetresFromInches) {
  // 0.96 + 0 + 0.05 = 1.01 in.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/rain_in", kThreeDays, 2),
            (RoundedValue{101, 2, false}));
  // 1.01 x 25.4 = 25.654 mm: exact at scale 3 (the default for rain_mm).
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/rain_mm", kThreeDays, 3),
            (RoundedValue{25654, 3, false}));
  // At scale 2: 2565.4 hundredths -> 2565; at scale 1: 256.54 tenths -> 257.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/rain_mm", kThreeDays, 2),
            (RoundedValue{2565, 2, true}));
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/rain_mm", kThreeDays, 1),
            (RoundedValue{257, 1, true}));
}

TEST_F(WeatherIndexTest, DegreeDaysInFahrenheit) {
  // Base 65 °F. HDD: (65 - 35.5) + (65 - 60.5) + 0 = 29.5 + 4.5 = 34.0.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/hdd_f", kThreeDays, 1),
            (RoundedValue{340, 1, false}));
  // CDD: 0 + 0 + (72.5 - 65) = 7.5.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/cdd_f", kThreeDays, 1),
            (RoundedValue{75, 1, false}));
  // At scale 0, 7.5 rounds half to even: 8.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/cdd_f", kThreeDays, 0),
            (RoundedValue{8, 0, true}));
}

TEST_F(WeatherIndexTest, DegreeDaysInCelsiusFromFahrenheit) {
  // Means in °C, (F - 32) x 5/9: 35.5 -> 35/18 = 1.944..., 60.5 -> 95/6 = 15.833...,
  // 72.5 -> 22.5. Base 18 °C (not 65 °F = 18.33 °C, so not HDD_f x 5/9).
  // HDD: (18 - 35/18) + (18 - 95/6) = 289/18 + 39/18 = 328/18 = 164/9 = 18.222...
  absl::StatusOr<IndexValue> hdd = Compute(kFahrenheitInches, "weather/t/S/hdd_c", kThreeDays, 2);
  ASSERT_TRUE(hdd.ok()) << hdd.status();
  EXPECT_EQ(hdd->exact, Rational::Fraction(164, 9));
  EXPECT_EQ(hdd->rounded, (RoundedValue{1822, 2, true}));
  // CDD: 22.5 - 18 = 4.5.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/cdd_c", kThreeDays, 2),
            (RoundedValue{450, 2, false}));
}

TEST_F(WeatherIndexTest, HighestMaximumInCelsiusRoundsHalfToEven) {
  // 85 °F is the highest maximum; (85 - 32) x 5/9 = 265/9 = 29.444... °C.
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/tmax_f", kThreeDays, 0),
            (RoundedValue{85, 0, false}));
  EXPECT_EQ(Value(kFahrenheitInches, "weather/t/S/tmax_c", kThreeDays, 2),
            (RoundedValue{2944, 2, true}));
  // Highest 34.7 °F = 2.7 x 5/9 = 1.5 °C exactly: at scale 0 half to even gives 2.
  constexpr std::string_view kOneAndAHalf =
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2021-1-1,20,34.7,0\n2021-1-2,20,33.8,0\n";
  const WeatherPeriod two_days{{2021, 1, 1}, {2021, 1, 2}};
  EXPECT_EQ(Value(kOneAndAHalf, "weather/t/S/tmax_c", two_days, 0), (RoundedValue{2, 0, true}));
  EXPECT_EQ(Value(kOneAndAHalf, "weather/t/S/tmax_c", two_days, 2), (RoundedValue{150, 2, false}));
  // Highest 32.9 °F = 0.9 x 5/9 = 0.5 °C: half to even gives 0.
  constexpr std::string_view kOneHalf =
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n2021-1-1,20,32.9,0\n";
  const WeatherPeriod one_day{{2021, 1, 1}, {2021, 1, 1}};
  EXPECT_EQ(Value(kOneHalf, "weather/t/S/tmax_c", one_day, 0), (RoundedValue{0, 0, true}));
}

TEST_F(WeatherIndexTest, CelsiusAndMillimetreDataToOtherUnits) {
  // One day: min 10.5 °C, max 20.5 °C (mean 15.5 °C), 12.7 mm.
  constexpr std::string_view kMetric =
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n2021-6-1,10.5,20.5,12.7\n";
  const WeatherPeriod day{{2021, 6, 1}, {2021, 6, 1}};
  const auto value = [&](std::string_view feed, uint32_t scale) {
    return Value(kMetric, feed, day, scale, TemperatureUnit::kCelsius,
                 PrecipitationUnit::kMillimetres);
  };
  // 12.7 / 25.4 = 0.5 in.
  EXPECT_EQ(value("weather/t/S/rain_in", 2), (RoundedValue{50, 2, false}));
  EXPECT_EQ(value("weather/t/S/rain_mm", 3), (RoundedValue{12700, 3, false}));
  // HDD °C: 18 - 15.5 = 2.5. HDD °F: 15.5 x 9/5 + 32 = 59.9 °F, 65 - 59.9 = 5.1.
  EXPECT_EQ(value("weather/t/S/hdd_c", 2), (RoundedValue{250, 2, false}));
  EXPECT_EQ(value("weather/t/S/hdd_f", 1), (RoundedValue{51, 1, false}));
  // tmax: 20.5 x 9/5 + 32 = 68.9 °F -> 69 at scale 0.
  EXPECT_EQ(value("weather/t/S/tmax_f", 0), (RoundedValue{69, 0, true}));
}

TEST_F(WeatherIndexTest, AMissingDayMakesTheIndexNotAvailable) {
  constexpr std::string_view kGap =
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2021-1-1,30,41,0.96\n2021-1-3,60,85,0.05\n";
  const absl::StatusOr<IndexValue> rain = Compute(kGap, "weather/t/S/rain_mm", kThreeDays, 3);
  ASSERT_FALSE(rain.ok());
  EXPECT_EQ(rain.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(rain.status()), "DATA_MISSING");
  EXPECT_EQ(rain.status().message(),
            "no observation for 2021-01-02 in the data (period 2021-01-01..2021-01-03)");
  // A period going beyond the data says where the data ends.
  const absl::StatusOr<IndexValue> later =
      Compute(kFahrenheitInches, "weather/t/S/hdd_f", {{2021, 1, 2}, {2021, 1, 5}}, 1);
  EXPECT_EQ(later.status().message(),
            "no observation for 2021-01-04 in the data (period 2021-01-02..2021-01-05); the "
            "data ends on 2021-01-03");
}

TEST_F(WeatherIndexTest, AValueNotMeasuredMakesOnlyTheIndicesNeedingItNotAvailable) {
  constexpr std::string_view kNoRain =
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2021-1-1,30,41,0.96\n2021-1-2,50,71,M\n2021-1-3,60,85,0.05\n";
  const absl::StatusOr<IndexValue> rain = Compute(kNoRain, "weather/t/S/rain_in", kThreeDays, 2);
  EXPECT_EQ(ReasonOf(rain.status()), "DATA_MISSING");
  EXPECT_NE(rain.status().message().find("no precipitation for 2021-01-02"),
            absl::string_view::npos);
  EXPECT_EQ(Value(kNoRain, "weather/t/S/hdd_f", kThreeDays, 1), (RoundedValue{340, 1, false}));
}

TEST_F(WeatherIndexTest, RefusesAPeriodLongerThanTheLimit) {
  const absl::StatusOr<IndexValue> decades =
      Compute(kFahrenheitInches, "weather/t/S/rain_in", {{2000, 1, 1}, {2021, 1, 3}}, 2);
  EXPECT_EQ(ReasonOf(decades.status()), "PERIOD_TOO_LONG");
}

TEST(DefaultWeatherScaleTest, IsExactForWholeFahrenheitAndHundredthsOfInches) {
  const auto scale = [](std::string_view feed) {
    return DefaultWeatherScale(ParseWeatherFeed(feed).value());
  };
  EXPECT_EQ(scale("weather/fte/KNYC/rain_mm"), 3u);
  EXPECT_EQ(scale("weather/fte/KNYC/rain_in"), 2u);
  EXPECT_EQ(scale("weather/fte/KNYC/hdd_f"), 1u);
  EXPECT_EQ(scale("weather/fte/KNYC/cdd_f"), 1u);
  EXPECT_EQ(scale("weather/fte/KNYC/hdd_c"), 2u);
  EXPECT_EQ(scale("weather/fte/KNYC/cdd_c"), 2u);
  EXPECT_EQ(scale("weather/fte/KNYC/tmax_f"), 0u);
  EXPECT_EQ(scale("weather/fte/KNYC/tmax_c"), 2u);
}

}  // namespace
}  // namespace argentpoche::oracles
