// Event specs from the command line: canonical feed and event id, and when each kind of
// event is observed.
#include "oracles/oracle_event.h"

#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::oracles {
namespace {

TEST(OracleEventTest, WeatherEventsAreCanonicalAndObservedTheDayAfterThePeriod) {
  const absl::StatusOr<EventSpec> event =
      ParseEventSpec("weather/fte/KNYC/rain_mm@2014-7-1..2014-7-31");
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->kind, EventKind::kWeather);
  EXPECT_EQ(EventLabel(*event), "weather/fte/KNYC/rain_mm@2014-07-01..2014-07-31");
  EXPECT_EQ(event->weather_feed.station, "KNYC");
  // 2014-08-01T00:00:00Z (`date -u -d 2014-08-01 +%s` = 1406851200).
  EXPECT_EQ(ObservedAtUnixMs(*event), 1406851200000);
}

TEST(OracleEventTest, PriceEventsAreObservedAtTheTimeOrTheEndOfTheAverage) {
  const absl::StatusOr<EventSpec> at = ParseEventSpec("price/BTC-USD@at:1798732800000");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(at->kind, EventKind::kPrice);
  EXPECT_EQ(ObservedAtUnixMs(*at), 1798732800000);
  const absl::StatusOr<EventSpec> average =
      ParseEventSpec("price/BTC-USD@avg:1798729200000..1798732800000");
  ASSERT_TRUE(average.ok()) << average.status();
  EXPECT_EQ(ObservedAtUnixMs(*average), 1798732800000);
  EXPECT_EQ(average->event_id, "avg:1798729200000..1798732800000");
}

TEST(OracleEventTest, RefusesMalformedSpecsWithTheReasonOfThePartThatIsWrong) {
  EXPECT_EQ(ReasonOf(ParseEventSpec("weather/fte/KNYC/rain_mm").status()), "MALFORMED_EVENT_SPEC");
  EXPECT_EQ(ReasonOf(ParseEventSpec("a@b@c").status()), "MALFORMED_EVENT_SPEC");
  EXPECT_EQ(ReasonOf(ParseEventSpec("weather/fte/KNYC/rain_c@2014-07-01..2014-07-31").status()),
            "MALFORMED_FEED");
  EXPECT_EQ(ReasonOf(ParseEventSpec("weather/fte/KNYC/rain_mm@2014-07-31..2014-07-01").status()),
            "MALFORMED_EVENT");
  EXPECT_EQ(ReasonOf(ParseEventSpec("price/BTC-USD@avg:5..5").status()), "MALFORMED_EVENT");
  EXPECT_EQ(ReasonOf(ParseEventSpec("price/BTCUSD@at:5").status()), "MALFORMED_FEED");
}

}  // namespace
}  // namespace argentpoche::oracles
