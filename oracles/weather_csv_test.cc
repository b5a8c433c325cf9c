// The weather CSV adapter: columns by name, exact values, what "", "M" and "T" mean, and
// every refusal naming the file, the line and the column.
#include "oracles/weather_csv.h"

#include "engine/status.h"
#include "gtest/gtest.h"
#include "oracles/test_files.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

const WeatherCsvOptions kKnycOptions{};

absl::Status ParseError(std::string_view text) {
  return ParseWeatherCsv(text, "w.csv", kKnycOptions).status();
}

TEST(WeatherCsvTest, ReadsTheKnycColumnsByNameAndIgnoresTheOthers) {
  // Columns in another order than KNYC's, with extra ones, dates not zero padded.
  const absl::StatusOr<std::vector<DailyObservation>> days = ParseWeatherCsv(
      "actual_precipitation,note,date,actual_max_temp,actual_min_temp\n"
      "0.96,wet,2014-7-2,91,72\n"
      "0.0,,2014-07-01,89,-3\n",
      "w.csv", kKnycOptions);
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_EQ(days->size(), 2u);
  // Sorted by day, whatever the file's order.
  EXPECT_EQ((*days)[0].day, (CivilDay{2014, 7, 1}));
  EXPECT_EQ((*days)[0].min_temperature, (Decimal{-3, 0}));
  EXPECT_EQ((*days)[0].precipitation, (Decimal{0, 1}));
  EXPECT_EQ((*days)[1].day, (CivilDay{2014, 7, 2}));
  EXPECT_EQ((*days)[1].max_temperature, (Decimal{91, 0}));
  EXPECT_EQ((*days)[1].precipitation, (Decimal{96, 2}));
}

TEST(WeatherCsvTest, EmptyOrMIsNotMeasuredAndTIsATraceOfPrecipitation) {
  const absl::StatusOr<std::vector<DailyObservation>> days = ParseWeatherCsv(
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2014-7-1,M,80,T\n"
      "2014-7-2,70,,M\n"
      "2014-7-3,70,80,\n",
      "w.csv", kKnycOptions);
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_FALSE((*days)[0].min_temperature.has_value());
  EXPECT_EQ((*days)[0].precipitation, (Decimal{0, 0}));
  EXPECT_FALSE((*days)[1].max_temperature.has_value());
  EXPECT_FALSE((*days)[1].precipitation.has_value());
  EXPECT_FALSE((*days)[2].precipitation.has_value());
  // A trace is a precipitation word only.
  const absl::Status status =
      ParseError("date,actual_min_temp,actual_max_temp,actual_precipitation\n2014-7-1,T,80,0\n");
  EXPECT_EQ(ReasonOf(status), "MALFORMED_NUMBER");
}

TEST(WeatherCsvTest, RefusesABadNumberNamingFileLineAndColumn) {
  const absl::Status status = ParseError(
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2014-7-1,72,89,0.00\n"
      "\n"
      "2014-7-2,72,9l,0.96\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(status), "MALFORMED_NUMBER");
  // Line 4: the blank line counts.
  EXPECT_EQ(status.message(),
            "w.csv:4: column actual_max_temp: \"9l\" is not a decimal number like 0.96, 72 or -3");
}

TEST(WeatherCsvTest, RefusesABadDateWithItsLine) {
  const absl::Status status =
      ParseError("date,actual_min_temp,actual_max_temp,actual_precipitation\n2014-02-30,1,2,0\n");
  EXPECT_EQ(ReasonOf(status), "MALFORMED_DATE");
  EXPECT_NE(status.message().find("w.csv:2: column date:"), absl::string_view::npos);
}

TEST(WeatherCsvTest, RefusesADuplicateDateNamingBothLines) {
  const absl::Status status = ParseError(
      "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2014-07-01,1,2,0\n"
      "2014-07-02,1,2,0\n"
      "2014-7-1,1,2,0\n");
  EXPECT_EQ(ReasonOf(status), "DUPLICATE_DATE");
  EXPECT_EQ(status.message(), "w.csv:4: 2014-07-01 appears a second time (first on line 2)");
}

TEST(WeatherCsvTest, RefusesAMissingColumnNamingIt) {
  const absl::Status status = ParseError("date,actual_min_temp,actual_max_temp\n2014-7-1,1,2\n");
  EXPECT_EQ(ReasonOf(status), "MISSING_COLUMN");
  EXPECT_NE(status.message().find("no column \"actual_precipitation\""), absl::string_view::npos);
}

TEST(WeatherCsvTest, RefusesImplausibleObservationsAndRaggedLines) {
  EXPECT_EQ(ReasonOf(ParseError("date,actual_min_temp,actual_max_temp,actual_precipitation\n"
                                "2014-7-1,80,70,0\n")),
            "IMPLAUSIBLE_OBSERVATION");
  EXPECT_EQ(ReasonOf(ParseError("date,actual_min_temp,actual_max_temp,actual_precipitation\n"
                                "2014-7-1,70,80,-0.01\n")),
            "IMPLAUSIBLE_OBSERVATION");
  const absl::Status ragged =
      ParseError("date,actual_min_temp,actual_max_temp,actual_precipitation\n2014-7-1,70,80\n");
  EXPECT_EQ(ReasonOf(ragged), "MALFORMED_CSV");
  EXPECT_EQ(ragged.message(), "w.csv:2: 3 fields where the header has 4");
  EXPECT_EQ(ReasonOf(ParseError("")), "MALFORMED_CSV");
}

TEST(WeatherCsvTest, OtherColumnNamesAndQuotedFields) {
  WeatherCsvOptions options{.temperature_unit = TemperatureUnit::kCelsius,
                            .precipitation_unit = PrecipitationUnit::kMillimetres,
                            .date_column = "DATE",
                            .min_temperature_column = "TMIN",
                            .max_temperature_column = "TMAX",
                            .precipitation_column = "PRCP"};
  const absl::StatusOr<std::vector<DailyObservation>> days = ParseWeatherCsv(
      "\"STATION\",\"DATE\",\"PRCP\",\"TMAX\",\"TMIN\"\r\n"
      "\"USW00094728\",\"2014-07-01\",\"12.7\",\"31.7\",\"22.2\"\r\n",
      "ghcn.csv", options);
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ((*days)[0].precipitation, (Decimal{127, 1}));
  EXPECT_EQ((*days)[0].max_temperature, (Decimal{317, 1}));
}

TEST(WeatherCsvTest, TheSourceReadsTheFileAgainOnEveryRead) {
  TestDirectory directory;
  const std::string header = "date,actual_min_temp,actual_max_temp,actual_precipitation\n";
  const std::string path = directory.Write("w.csv", header +
                                                        "2014-7-1,70,80,0.1\n"
                                                        "2014-7-2,70,80,0.2\n"
                                                        "2014-7-3,70,80,0.3\n");
  CsvWeatherSource source(path, kKnycOptions);
  const WeatherPeriod period{{2014, 7, 2}, {2014, 7, 4}};
  absl::StatusOr<DailyWeather> weather = source.Read(period);
  ASSERT_TRUE(weather.ok()) << weather.status();
  ASSERT_EQ(weather->days.size(), 2u);  // Only the days of the period.
  EXPECT_EQ(weather->days[0].day, (CivilDay{2014, 7, 2}));
  EXPECT_EQ(weather->latest_day, (CivilDay{2014, 7, 3}));
  directory.Write("w.csv", header +
                               "2014-7-1,70,80,0.1\n2014-7-2,70,80,0.2\n"
                               "2014-7-3,70,80,0.3\n2014-7-4,70,80,0.4\n2014-7-5,1,2,0\n");
  weather = source.Read(period);
  ASSERT_TRUE(weather.ok()) << weather.status();
  EXPECT_EQ(weather->days.size(), 3u);
  EXPECT_EQ(weather->latest_day, (CivilDay{2014, 7, 5}));

  // A broken file is reported, not hidden behind the last good read.
  directory.Write("w.csv", header + "2014-7-1,70,80,wet\n");
  EXPECT_EQ(ReasonOf(source.Read(period).status()), "MALFORMED_NUMBER");

  CsvWeatherSource absent(directory.path() + "/none.csv", kKnycOptions);
  EXPECT_EQ(ReasonOf(absent.Read(period).status()), "DATA_FILE_NOT_FOUND");
}

}  // namespace
}  // namespace argentpoche::oracles
