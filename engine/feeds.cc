#include "engine/feeds.h"

#include <charconv>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

constexpr std::string_view kWeatherPrefix = "weather/";
constexpr std::string_view kPricePrefix = "price/";

// A non-negative decimal integer of 1..19 digits, no sign, no spaces.
bool ParseNonNegative(std::string_view text, int64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? text.npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool IsNamePart(std::string_view part) {
  return !part.empty() && part.find('/') == std::string_view::npos &&
         part.find('*') == std::string_view::npos;
}

absl::Status MalformedFeed(std::string_view why) { return InvalidArgument("MALFORMED_FEED", why); }

struct IndexName {
  v1::WeatherIndex index;
  std::string_view name;
};
constexpr IndexName kIndexNames[] = {
    {v1::WEATHER_INDEX_RAINFALL, "rain"},
    {v1::WEATHER_INDEX_HEATING_DEGREE_DAYS, "hdd"},
    {v1::WEATHER_INDEX_COOLING_DEGREE_DAYS, "cdd"},
    {v1::WEATHER_INDEX_MAX_TEMPERATURE, "tmax"},
};
struct UnitName {
  v1::WeatherUnit unit;
  std::string_view name;
};
constexpr UnitName kUnitNames[] = {
    {v1::WEATHER_UNIT_MILLIMETRES, "mm"},
    {v1::WEATHER_UNIT_INCHES, "in"},
    {v1::WEATHER_UNIT_CELSIUS, "c"},
    {v1::WEATHER_UNIT_FAHRENHEIT, "f"},
};

bool UnitFitsIndex(v1::WeatherIndex index, v1::WeatherUnit unit) {
  const bool length = unit == v1::WEATHER_UNIT_MILLIMETRES || unit == v1::WEATHER_UNIT_INCHES;
  const bool temperature = unit == v1::WEATHER_UNIT_CELSIUS || unit == v1::WEATHER_UNIT_FAHRENHEIT;
  return index == v1::WEATHER_INDEX_RAINFALL
             ? length
             : (index != v1::WEATHER_INDEX_UNSPECIFIED && temperature);
}

}  // namespace

std::string FormatDay(const CivilDay& day) {
  char text[16];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02d", day.year, day.month, day.day);
  return text;
}

absl::StatusOr<CivilDay> ParseDay(std::string_view text) {
  const std::vector<std::string_view> parts = SplitOn(text, '-');
  int64_t numbers[3];
  const auto malformed = [&] {
    return InvalidArgument("MALFORMED_DATE",
                           Concat("\"", text.substr(0, 32), "\" is not a date like 2014-07-01"));
  };
  if (parts.size() != 3 || parts[0].size() != 4 || parts[1].size() > 2 || parts[2].size() > 2) {
    return malformed();
  }
  for (int i = 0; i < 3; ++i) {
    if (!ParseNonNegative(parts[i], numbers[i])) return malformed();
  }
  const absl::CivilDay civil(numbers[0], numbers[1], numbers[2]);
  if (civil.year() != numbers[0] || civil.month() != numbers[1] || civil.day() != numbers[2]) {
    return malformed();
  }
  return CivilDay{static_cast<int>(numbers[0]), static_cast<int>(numbers[1]),
                  static_cast<int>(numbers[2])};
}

int64_t DayStartUnixMs(const CivilDay& day) {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilDay(day.year, day.month, day.day), absl::UTCTimeZone()));
}

int64_t DayAfterUnixMs(const CivilDay& day) {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilDay(day.year, day.month, day.day) + 1, absl::UTCTimeZone()));
}

absl::StatusOr<std::string> WeatherFeedName(const WeatherFeed& feed) {
  if (!IsNamePart(feed.source) || !IsNamePart(feed.station)) {
    return MalformedFeed("a weather feed needs a source and a station without '/'");
  }
  if (!UnitFitsIndex(feed.index, feed.unit)) {
    return MalformedFeed(
        "a weather index needs a unit that fits it: mm or inches for rainfall, °C or °F for "
        "degree days and temperatures");
  }
  std::string_view index_name, unit_name;
  for (const IndexName& each : kIndexNames) {
    if (each.index == feed.index) index_name = each.name;
  }
  for (const UnitName& each : kUnitNames) {
    if (each.unit == feed.unit) unit_name = each.name;
  }
  return Concat(kWeatherPrefix, feed.source, "/", feed.station, "/", index_name, "_", unit_name);
}

absl::StatusOr<WeatherFeed> ParseWeatherFeed(std::string_view feed) {
  const auto malformed = [&] {
    return MalformedFeed(
        Concat("\"", feed.substr(0, 80), "\" is not a weather feed like weather/fte/KNYC/rain_mm"));
  };
  if (feed.substr(0, kWeatherPrefix.size()) != kWeatherPrefix) return malformed();
  const std::vector<std::string_view> parts = SplitOn(feed.substr(kWeatherPrefix.size()), '/');
  if (parts.size() != 3 || !IsNamePart(parts[0]) || !IsNamePart(parts[1])) return malformed();
  const size_t underscore = parts[2].rfind('_');
  if (underscore == std::string_view::npos) return malformed();
  WeatherFeed result{.source = std::string(parts[0]), .station = std::string(parts[1])};
  for (const IndexName& each : kIndexNames) {
    if (each.name == parts[2].substr(0, underscore)) result.index = each.index;
  }
  for (const UnitName& each : kUnitNames) {
    if (each.name == parts[2].substr(underscore + 1)) result.unit = each.unit;
  }
  if (!UnitFitsIndex(result.index, result.unit)) return malformed();
  return result;
}

std::string WeatherEventId(const WeatherPeriod& period) {
  return Concat(FormatDay(period.start), "..", FormatDay(period.end));
}

absl::StatusOr<WeatherPeriod> ParseWeatherEventId(std::string_view event_id) {
  const size_t dots = event_id.find("..");
  const auto malformed = [&] {
    return InvalidArgument("MALFORMED_EVENT",
                           Concat("\"", event_id.substr(0, 80),
                                  "\" is not a weather period like 2014-07-01..2014-07-31"));
  };
  if (dots == std::string_view::npos) return malformed();
  absl::StatusOr<CivilDay> start = ParseDay(event_id.substr(0, dots));
  absl::StatusOr<CivilDay> end = ParseDay(event_id.substr(dots + 2));
  if (!start.ok() || !end.ok() || DayStartUnixMs(*start) > DayStartUnixMs(*end)) {
    return malformed();
  }
  return WeatherPeriod{*start, *end};
}

absl::StatusOr<std::string> PriceFeedName(const PriceFeed& feed) {
  if (!IsNamePart(feed.base) || !IsNamePart(feed.quote) ||
      feed.base.find('-') != std::string::npos || feed.quote.find('-') != std::string::npos) {
    return MalformedFeed("a price feed needs a base and a quote without '/' or '-'");
  }
  return Concat(kPricePrefix, feed.base, "-", feed.quote);
}

absl::StatusOr<PriceFeed> ParsePriceFeed(std::string_view feed) {
  if (feed.substr(0, kPricePrefix.size()) != kPricePrefix) {
    return MalformedFeed(
        Concat("\"", feed.substr(0, 80), "\" is not a price feed like price/BTC-USD"));
  }
  const std::vector<std::string_view> parts = SplitOn(feed.substr(kPricePrefix.size()), '-');
  PriceFeed result;
  if (parts.size() == 2) result = PriceFeed{std::string(parts[0]), std::string(parts[1])};
  if (!PriceFeedName(result).ok()) {
    return MalformedFeed(
        Concat("\"", feed.substr(0, 80), "\" is not a price feed like price/BTC-USD"));
  }
  return result;
}

std::string PriceEventId(const PriceEvent& event) {
  if (event.is_average()) return Concat("avg:", event.from_unix_ms, "..", event.until_unix_ms);
  return Concat("at:", event.at_unix_ms);
}

absl::StatusOr<PriceEvent> ParsePriceEventId(std::string_view event_id) {
  const auto malformed = [&] {
    return InvalidArgument(
        "MALFORMED_EVENT",
        Concat("\"", event_id.substr(0, 80),
               "\" is not a price event like at:<unix ms> or avg:<from ms>..<until ms>"));
  };
  PriceEvent event;
  if (event_id.substr(0, 3) == "at:") {
    if (!ParseNonNegative(event_id.substr(3), event.at_unix_ms)) return malformed();
    return event;
  }
  if (event_id.substr(0, 4) != "avg:") return malformed();
  const std::string_view range = event_id.substr(4);
  const size_t dots = range.find("..");
  if (dots == std::string_view::npos ||
      !ParseNonNegative(range.substr(0, dots), event.from_unix_ms) ||
      !ParseNonNegative(range.substr(dots + 2), event.until_unix_ms) ||
      event.from_unix_ms >= event.until_unix_ms) {
    return malformed();
  }
  return event;
}

bool FeedMatches(std::string_view pattern, std::string_view feed) {
  if (!pattern.empty() && pattern.back() == '*') {
    const std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return feed.substr(0, prefix.size()) == prefix;
  }
  return pattern == feed;
}

}  // namespace argentpoche
