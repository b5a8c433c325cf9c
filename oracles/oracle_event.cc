#include "oracles/oracle_event.h"

#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::oracles {

absl::StatusOr<EventSpec> ParseEventSpec(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return InvalidArgument(
        "MALFORMED_EVENT_SPEC",
        Concat("\"", text.substr(0, 120),
               "\" is not FEED@EVENT_ID like weather/fte/KNYC/rain_mm@2014-07-01..2014-07-31 "
               "or price/BTC-USD@at:1798732800000"));
  }
  const std::string_view feed = text.substr(0, at);
  const std::string_view event_id = text.substr(at + 1);
  EventSpec event;
  if (feed.substr(0, 6) == "price/") {
    event.kind = EventKind::kPrice;
    POCHE_ASSIGN_OR_RETURN(event.price_feed, ParsePriceFeed(feed));
    POCHE_ASSIGN_OR_RETURN(event.price_event, ParsePriceEventId(event_id));
    POCHE_ASSIGN_OR_RETURN(event.feed, PriceFeedName(event.price_feed));
    event.event_id = PriceEventId(event.price_event);
    return event;
  }
  event.kind = EventKind::kWeather;
  POCHE_ASSIGN_OR_RETURN(event.weather_feed, ParseWeatherFeed(feed));
  POCHE_ASSIGN_OR_RETURN(event.period, ParseWeatherEventId(event_id));
  POCHE_ASSIGN_OR_RETURN(event.feed, WeatherFeedName(event.weather_feed));
  event.event_id = WeatherEventId(event.period);
  return event;
}

int64_t ObservedAtUnixMs(const EventSpec& event) {
  if (event.kind == EventKind::kWeather) return DayAfterUnixMs(event.period.end);
  return event.price_event.is_average() ? event.price_event.until_unix_ms
                                        : event.price_event.at_unix_ms;
}

std::string EventLabel(const EventSpec& event) { return Concat(event.feed, "@", event.event_id); }

}  // namespace argentpoche::oracles
