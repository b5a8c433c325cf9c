// The indices on the real KNYC record (New York, Central Park, 2014-07-01..2015-01-31,
// whole °F and inches), read from the shared reference data beside the repository
// (POCHE_SHARED_DATA_DIR, or the directory the build was configured with); skipped when
// the file is not there. The expected figures were computed apart from this code, with
// integer arithmetic in awk over the CSV (columns 3 = min, 4 = max, 11 = precipitation):
//
//   July 2014 precipitation, in hundredths of an inch (the decimals read as text):
//     awk -F, '$1 ~ /^2014-7-/ {split($11,p,"."); f=p[2]; if (length(f)==1) f=f"0";
//                               s+=p[1]*100+f} END {print s}'              -> 559
//   December 2014 HDD °F, in half degrees: sum of max(0, 130 - (max + min))
//     awk -F, '$1 ~ /^2014-12-/ {t=130-($3+$4); if (t>0) s+=t} END {print s}'  -> 1518
//   December 2014 HDD °C: 18 - ((max + min)/2 - 32) x 5/9 = (644 - 5 (max + min)) / 18
//     awk -F, '$1 ~ /^2014-12-/ {t=644-5*($3+$4); if (t>0) s+=t} END {print s}' -> 7404
//     (every December day counts: none has a mean at or above 65 °F)
//   July 2014 CDD °F, in half degrees: sum of max(0, (max + min) - 130)        -> 689
//   July 2014 highest maximum: 91 °F (2014-07-02).
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/status.h"
#include "gtest/gtest.h"
#include "oracles/weather_csv.h"
#include "oracles/weather_index.h"

namespace argentpoche::oracles {
namespace {

std::string KnycPath() {
  const char* from_environment = std::getenv("POCHE_SHARED_DATA_DIR");
  const std::string directory = from_environment != nullptr && *from_environment != '\0'
                                    ? from_environment
                                    : POCHE_SHARED_DATA_DIR;
  return directory + "/weather/KNYC.csv";
}

class KnycTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(KnycPath())) {
      GTEST_SKIP() << "the KNYC reference record is not at " << KnycPath()
                   << " (set POCHE_SHARED_DATA_DIR to the shared data directory)";
    }
  }

  // `index` (e.g. "rain_mm") of KNYC over `period`, at `scale`.
  absl::StatusOr<IndexValue> Compute(std::string_view index, std::string_view period,
                                     uint32_t scale) {
    CsvWeatherSource source(KnycPath(),
                            WeatherCsvOptions{.temperature_unit = TemperatureUnit::kFahrenheit,
                                              .precipitation_unit = PrecipitationUnit::kInches});
    const WeatherPeriod parsed = ParseWeatherEventId(period).value();
    absl::StatusOr<DailyWeather> weather = source.Read(parsed);
    if (!weather.ok()) return weather.status();
    const WeatherFeed feed =
        ParseWeatherFeed(std::string("weather/fte/KNYC/") + std::string(index)).value();
    return ComputeWeatherIndex(feed, parsed, *weather, scale);
  }
  RoundedValue Value(std::string_view index, std::string_view period, uint32_t scale) {
    absl::StatusOr<IndexValue> value = Compute(index, period, scale);
    EXPECT_TRUE(value.ok()) << index << " " << period << ": " << value.status();
    return value.ok() ? value->rounded : RoundedValue{-1, 0, false};
  }
};

constexpr std::string_view kJuly = "2014-07-01..2014-07-31";
constexpr std::string_view kDecember = "2014-12-01..2014-12-31";

TEST_F(KnycTest, TheWholeRecordReadsCleanly) {
  CsvWeatherSource source(KnycPath(), WeatherCsvOptions{});
  const absl::StatusOr<DailyWeather> all =
      source.Read(ParseWeatherEventId("2014-07-01..2015-01-31").value());
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->days.size(), 215u);  // 31 + 31 + 30 + 31 + 30 + 31 + 31 days.
  EXPECT_EQ(all->latest_day, (CivilDay{2015, 1, 31}));
}

TEST_F(KnycTest, July2014Precipitation) {
  // 559 hundredths of an inch = 5.59 in; 5.59 x 25.4 = 141.986 mm, exact at scale 3.
  EXPECT_EQ(Value("rain_in", kJuly, 2), (RoundedValue{559, 2, false}));
  EXPECT_EQ(Value("rain_mm", kJuly, 3), (RoundedValue{141986, 3, false}));
}

TEST_F(KnycTest, December2014HeatingDegreeDays) {
  // 1518 half degrees = 759.0 °F-days.
  EXPECT_EQ(Value("hdd_f", kDecember, 1), (RoundedValue{7590, 1, false}));
  // 7404 / 18 = 1234/3 = 411.333... °C-days -> 411.33.
  const absl::StatusOr<IndexValue> celsius = Compute("hdd_c", kDecember, 2);
  ASSERT_TRUE(celsius.ok()) << celsius.status();
  EXPECT_EQ(celsius->exact, Rational::Fraction(1234, 3));
  EXPECT_EQ(celsius->rounded, (RoundedValue{41133, 2, true}));
}

TEST_F(KnycTest, July2014CoolingDegreeDaysAndHighestMaximum) {
  // 689 half degrees = 344.5 °F-days.
  EXPECT_EQ(Value("cdd_f", kJuly, 1), (RoundedValue{3445, 1, false}));
  // 91 °F; (91 - 32) x 5/9 = 295/9 = 32.777... °C -> 32.78.
  EXPECT_EQ(Value("tmax_f", kJuly, 0), (RoundedValue{91, 0, false}));
  EXPECT_EQ(Value("tmax_c", kJuly, 2), (RoundedValue{3278, 2, true}));
}

TEST_F(KnycTest, APeriodBeyondTheRecordIsNotAvailable) {
  const absl::StatusOr<IndexValue> value = Compute("rain_mm", "2015-01-25..2015-02-02", 3);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(ReasonOf(value.status()), "DATA_MISSING");
  EXPECT_EQ(value.status().message(),
            "no observation for 2015-02-01 in the data (period 2015-01-25..2015-02-02); the data "
            "ends on 2015-01-31");
}

}  // namespace
}  // namespace argentpoche::oracles
