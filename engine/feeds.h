// Feed names and event ids of the oracles (see proto/argentpoche/v1/oracle.proto): one
// grammar shared by the contract templates, which name what they wait for, and the oracle
// daemon, which computes it.
//
//   weather/<source>/<station>/<index>_<unit>   "weather/fte/KNYC/rain_mm"
//     index: rain (total precipitation; unit mm or in), hdd, cdd (degree days; unit c
//     or f, base 18 °C / 65 °F), tmax (highest daily maximum; unit c or f);
//     event id "<YYYY-MM-DD>..<YYYY-MM-DD>" (both days included, start <= end).
//   price/<BASE>-<QUOTE>                        "price/BTC-USD"
//     event id "at:<unix ms>" (the last tick at or before that time) or
//     "avg:<from ms>..<until ms>" (the mean of the ticks in [from, until), from < until).
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_ENGINE_FEEDS_H_
#define ARGENTPOCHE_ENGINE_FEEDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/templates.pb.h"

namespace argentpoche {

// A calendar day.
struct CivilDay {
  int year = 0;
  int month = 0;
  int day = 0;
  friend bool operator==(const CivilDay&, const CivilDay&) = default;
};

// "2014-07-01" (zero padded). Parsing also accepts no padding ("2014-7-1"), as in the
// KNYC record. InvalidArgument "MALFORMED_DATE" for anything else or a day that does
// not exist.
std::string FormatDay(const CivilDay& day);
[[nodiscard]] absl::StatusOr<CivilDay> ParseDay(std::string_view text);
// 00:00 UTC of that day, and of the day after it.
int64_t DayStartUnixMs(const CivilDay& day);
int64_t DayAfterUnixMs(const CivilDay& day);

struct WeatherFeed {
  std::string source;
  std::string station;
  v1::WeatherIndex index = v1::WEATHER_INDEX_UNSPECIFIED;
  v1::WeatherUnit unit = v1::WEATHER_UNIT_UNSPECIFIED;
};
struct WeatherPeriod {
  CivilDay start;
  CivilDay end;
};

struct PriceFeed {
  std::string base;
  std::string quote;
};
// A price event: at one time (until_unix_ms == 0), or the average over [from, until).
struct PriceEvent {
  int64_t at_unix_ms = 0;
  int64_t from_unix_ms = 0;
  int64_t until_unix_ms = 0;
  bool is_average() const { return until_unix_ms != 0; }
};

// Formatting checks nothing beyond what the grammar needs: InvalidArgument
// "MALFORMED_FEED" for an index and unit that do not go together (rain in °C), an
// unspecified one, or a source, station, base or quote that is empty or holds '/'.
[[nodiscard]] absl::StatusOr<std::string> WeatherFeedName(const WeatherFeed& feed);
[[nodiscard]] absl::StatusOr<WeatherFeed> ParseWeatherFeed(std::string_view feed);
std::string WeatherEventId(const WeatherPeriod& period);
// InvalidArgument "MALFORMED_EVENT" for bad text or start after end.
[[nodiscard]] absl::StatusOr<WeatherPeriod> ParseWeatherEventId(std::string_view event_id);

[[nodiscard]] absl::StatusOr<std::string> PriceFeedName(const PriceFeed& feed);
[[nodiscard]] absl::StatusOr<PriceFeed> ParsePriceFeed(std::string_view feed);
std::string PriceEventId(const PriceEvent& event);
// InvalidArgument "MALFORMED_EVENT" for bad text, a negative time or from >= until.
[[nodiscard]] absl::StatusOr<PriceEvent> ParsePriceEventId(std::string_view event_id);

// True when `feed` is matched by `pattern`: equal, or `pattern` ends in '*' and `feed`
// starts with what precedes it.
bool FeedMatches(std::string_view pattern, std::string_view feed);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_FEEDS_H_
