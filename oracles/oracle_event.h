// The events a daemon attests, as written on its command line: "FEED@EVENT_ID", with the
// feed and event id in the grammar of engine/feeds.h:
//   weather/fte/KNYC/rain_mm@2014-07-01..2014-07-31
//   price/BTC-USD@at:1798732800000
//   price/BTC-USD@avg:1798729200000..1798732800000
// The event id is kept in its canonical form ("2014-7-1..2014-7-31" becomes
// "2014-07-01..2014-07-31"), the form contracts name.
//
// It also says when an event is observed (Attestation.observed_at_unix_ms): a weather
// period at 00:00 UTC of the day after its last day; a price at T at T; an average over
// [F, U) at U.
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_ORACLES_ORACLE_EVENT_H_
#define ARGENTPOCHE_ORACLES_ORACLE_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/feeds.h"

namespace argentpoche::oracles {

enum class EventKind { kWeather, kPrice };

struct EventSpec {
  EventKind kind = EventKind::kWeather;
  // Canonical feed name and event id.
  std::string feed;
  std::string event_id;
  // Set for kWeather.
  WeatherFeed weather_feed;
  WeatherPeriod period;
  // Set for kPrice.
  PriceFeed price_feed;
  PriceEvent price_event;
};

// Parses "FEED@EVENT_ID". InvalidArgument "MALFORMED_EVENT_SPEC" without exactly one
// '@'; otherwise the errors of engine/feeds.h (MALFORMED_FEED, MALFORMED_EVENT).
[[nodiscard]] absl::StatusOr<EventSpec> ParseEventSpec(std::string_view text);

// When the event is observed; see the file comment.
[[nodiscard]] int64_t ObservedAtUnixMs(const EventSpec& event);

// "FEED@EVENT_ID" in canonical form.
[[nodiscard]] std::string EventLabel(const EventSpec& event);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_ORACLE_EVENT_H_
