#include "engine/feeds.h"

#include "gtest/gtest.h"

namespace argentpoche {
namespace {

TEST(FeedsTest, WeatherFeedRoundTrips) {
  const WeatherFeed feed{"fte", "KNYC", v1::WEATHER_INDEX_HEATING_DEGREE_DAYS,
                         v1::WEATHER_UNIT_FAHRENHEIT};
  absl::StatusOr<std::string> name = WeatherFeedName(feed);
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, "weather/fte/KNYC/hdd_f");
  absl::StatusOr<WeatherFeed> parsed = ParseWeatherFeed(*name);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->station, "KNYC");
  EXPECT_EQ(parsed->index, v1::WEATHER_INDEX_HEATING_DEGREE_DAYS);
  EXPECT_EQ(parsed->unit, v1::WEATHER_UNIT_FAHRENHEIT);
}

TEST(FeedsTest, WeatherFeedRefusesUnitsThatDoNotFit) {
  EXPECT_FALSE(
      WeatherFeedName({"fte", "KNYC", v1::WEATHER_INDEX_RAINFALL, v1::WEATHER_UNIT_CELSIUS}).ok());
  EXPECT_FALSE(ParseWeatherFeed("weather/fte/KNYC/rain_c").ok());
  EXPECT_FALSE(ParseWeatherFeed("weather/fte/KNYC/tmax_mm").ok());
  EXPECT_FALSE(ParseWeatherFeed("weather/fte/rain_mm").ok());
  EXPECT_FALSE(ParseWeatherFeed("price/fte/KNYC/rain_mm").ok());
  EXPECT_TRUE(ParseWeatherFeed("weather/fte/KNYC/rain_in").ok());
}

TEST(FeedsTest, WeatherPeriodAcceptsUnpaddedDaysAndRefusesReversedOnes) {
  absl::StatusOr<WeatherPeriod> period = ParseWeatherEventId("2014-7-1..2014-08-31");
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(WeatherEventId(*period), "2014-07-01..2014-08-31");
  EXPECT_EQ(DayAfterUnixMs(period->end), 1409529600000);  // 2014-09-01 00:00 UTC
  EXPECT_EQ(ParseWeatherEventId("2014-08-31..2014-07-01").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseWeatherEventId("2014-02-30..2014-03-01").ok());
  EXPECT_FALSE(ParseWeatherEventId("2014-07-01").ok());
}

TEST(FeedsTest, PriceEventsRoundTripAndRefuseEmptyWindows) {
  absl::StatusOr<PriceEvent> at = ParsePriceEventId("at:1700000000000");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_FALSE(at->is_average());
  EXPECT_EQ(PriceEventId(*at), "at:1700000000000");
  absl::StatusOr<PriceEvent> avg = ParsePriceEventId("avg:1000..2000");
  ASSERT_TRUE(avg.ok()) << avg.status();
  EXPECT_TRUE(avg->is_average());
  EXPECT_EQ(PriceEventId(*avg), "avg:1000..2000");
  EXPECT_FALSE(ParsePriceEventId("avg:2000..2000").ok());
  EXPECT_FALSE(ParsePriceEventId("at:-5").ok());
  EXPECT_FALSE(ParsePriceEventId("at:").ok());
  EXPECT_EQ(*PriceFeedName({"BTC", "USD"}), "price/BTC-USD");
  EXPECT_FALSE(ParsePriceFeed("price/BTCUSD").ok());
}

TEST(FeedsTest, FeedPatternsMatchExactlyOrByPrefix) {
  EXPECT_TRUE(FeedMatches("price/BTC-USD", "price/BTC-USD"));
  EXPECT_FALSE(FeedMatches("price/BTC-USD", "price/BTC-EUR"));
  EXPECT_TRUE(FeedMatches("weather/fte/KNYC/*", "weather/fte/KNYC/rain_mm"));
  EXPECT_FALSE(FeedMatches("weather/fte/KNYC/*", "weather/fte/KLGA/rain_mm"));
}

}  // namespace
}  // namespace argentpoche
