#include "engine/weather_template.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "engine/conditions.h"
#include "engine/feeds.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/template_common.h"

namespace argentpoche {
namespace {

using templates_internal::MalformedTemplate;

constexpr char kIndex[] = "index";

bool WithinMagnitude(int64_t value) {
  return value >= -limits::kMaxOracleValueMagnitude && value <= limits::kMaxOracleValueMagnitude;
}

// The enums, scale, trigger and exit.
absl::Status CheckShape(const v1::WeatherCoverTerms& cover) {
  if (cover.index() == v1::WEATHER_INDEX_UNSPECIFIED || !v1::WeatherIndex_IsValid(cover.index())) {
    return MalformedTemplate("the weather index is not given");
  }
  if (cover.unit() == v1::WEATHER_UNIT_UNSPECIFIED || !v1::WeatherUnit_IsValid(cover.unit())) {
    return MalformedTemplate("the unit of the weather index is not given");
  }
  if (cover.scale() > limits::kMaxValueScale) {
    return MalformedTemplate(Concat("the scale is ", cover.scale(), "; at most ",
                                    limits::kMaxValueScale, " decimal places"));
  }
  if (!WithinMagnitude(cover.trigger()) || !WithinMagnitude(cover.exit())) {
    return MalformedTemplate(Concat("the trigger and the exit must lie within +/-",
                                    limits::kMaxOracleValueMagnitude, " at the scale"));
  }
  switch (cover.direction()) {
    case v1::COVER_DIRECTION_EXCESS:
      if (cover.exit() > cover.trigger()) return absl::OkStatus();
      return MalformedTemplate("an excess cover needs an exit above its trigger");
    case v1::COVER_DIRECTION_SHORTFALL:
      if (cover.exit() < cover.trigger()) return absl::OkStatus();
      return MalformedTemplate("a shortfall cover needs an exit below its trigger");
    default:
      return MalformedTemplate("the cover is neither for an excess nor for a shortfall");
  }
}

absl::StatusOr<WeatherPeriod> ParsePeriod(const v1::WeatherCoverTerms& cover) {
  absl::StatusOr<CivilDay> start = ParseDay(cover.period_start());
  if (!start.ok()) return MalformedTemplate(Concat("the period start: ", start.status().message()));
  absl::StatusOr<CivilDay> end = ParseDay(cover.period_end());
  if (!end.ok()) return MalformedTemplate(Concat("the period end: ", end.status().message()));
  if (DayStartUnixMs(*end) < DayStartUnixMs(*start)) {
    return MalformedTemplate(Concat("the period ends (", FormatDay(*end), ") before it starts (",
                                    FormatDay(*start), ")"));
  }
  return WeatherPeriod{*start, *end};
}

std::string_view IndexWords(v1::WeatherIndex index) {
  switch (index) {
    case v1::WEATHER_INDEX_RAINFALL:
      return "rainfall";
    case v1::WEATHER_INDEX_HEATING_DEGREE_DAYS:
      return "heating degree days";
    case v1::WEATHER_INDEX_COOLING_DEGREE_DAYS:
      return "cooling degree days";
    default:
      return "maximum temperature";
  }
}

std::string_view UnitWords(v1::WeatherUnit unit) {
  switch (unit) {
    case v1::WEATHER_UNIT_MILLIMETRES:
      return " mm";
    case v1::WEATHER_UNIT_INCHES:
      return " in";
    case v1::WEATHER_UNIT_CELSIUS:
      return " °C";
    default:
      return " °F";
  }
}

// "excess rainfall cover at fte/KNYC from 2026-06-01 to 2026-06-30: nothing at or below
// 50.0 mm, 10000.00 EUR at or above 150.0 mm".
std::string Describe(const v1::WeatherCoverTerms& cover, const WeatherPeriod& period,
                     const Money& limit) {
  const bool excess = cover.direction() == v1::COVER_DIRECTION_EXCESS;
  const auto amount = [&](int64_t value) {
    return Concat(FormatAmount(value, static_cast<int>(cover.scale())), UnitWords(cover.unit()));
  };
  return Concat(excess ? "excess " : "shortfall ", IndexWords(cover.index()), " cover at ",
                cover.source(), "/", cover.station(), " from ", FormatDay(period.start), " to ",
                FormatDay(period.end), ": nothing at or ", excess ? "below " : "above ",
                amount(cover.trigger()), ", ", limit.ToString(), " at or ",
                excess ? "above " : "below ", amount(cover.exit()));
}

}  // namespace

absl::StatusOr<v1::ConditionalTerms> CompileWeatherCoverTerms(const v1::WeatherCoverTerms& cover) {
  v1::ConditionalTerms terms;
  POCHE_RETURN_IF_ERROR(templates_internal::AddParties("insurer", cover.insurer_party_id(),
                                                       "insured", cover.insured_party_id(),
                                                       cover.arbiter_party_id(), terms));
  POCHE_RETURN_IF_ERROR(CheckShape(cover));
  const absl::StatusOr<std::string> feed =
      WeatherFeedName({cover.source(), cover.station(), cover.index(), cover.unit()});
  if (!feed.ok()) return MalformedTemplate(Concat(feed.status().message()));
  POCHE_ASSIGN_OR_RETURN(const WeatherPeriod period, ParsePeriod(cover));
  const int64_t period_end = DayAfterUnixMs(period.end);
  if (cover.fund_by_unix_ms() <= 0 || cover.fund_by_unix_ms() >= period_end) {
    return MalformedTemplate(
        Concat("both legs must be locked before the period ends (", DescribeTime(period_end), ")"));
  }
  POCHE_ASSIGN_OR_RETURN(
      const templates_internal::Lock lock,
      templates_internal::CheckLock(cover.has_limit() ? &cover.limit() : nullptr, "limit",
                                    cover.has_premium() ? &cover.premium() : nullptr));
  templates_internal::SetLockAndRefund(lock, "insurer", "insured", terms);
  terms.set_fund_by_unix_ms(cover.fund_by_unix_ms());

  v1::ValueSource& source = *terms.add_value_sources();
  source.set_name(kIndex);
  source.set_feed(*feed);
  source.set_event_id(WeatherEventId(period));
  templates_internal::SetOracles(cover.oracles(), source);
  source.set_scale(cover.scale());
  source.set_oracle_kind("weather");
  POCHE_CHECK(period_end > 0);
  POCHE_RETURN_IF_ERROR(
      templates_internal::SetWindowAndDeadline(period_end, cover.grace_period_ms(), source, terms));

  v1::ConditionalBranch& branch = *terms.add_branches();
  branch.mutable_condition()->set_after_unix_ms(period_end);
  v1::PiecewiseLinearPayout& line =
      templates_internal::SetPiecewisePayout(kIndex, lock.principal, "insured", "insurer", branch);
  const bool excess = cover.direction() == v1::COVER_DIRECTION_EXCESS;
  v1::Breakpoint* first = line.add_breakpoints();
  v1::Breakpoint* second = line.add_breakpoints();
  v1::Breakpoint* trigger = excess ? first : second;
  v1::Breakpoint* exit = excess ? second : first;
  trigger->set_x(cover.trigger());
  trigger->set_y(0);
  exit->set_x(cover.exit());
  exit->set_y(lock.principal.minor_units());
  POCHE_CHECK(first->x() < second->x());
  branch.set_description(Concat("after the period the insured receives the share of the limit ",
                                "the ", IndexWords(cover.index()), " reaches between trigger ",
                                "and exit, rounded down; the insurer the rest"));
  POCHE_RETURN_IF_ERROR(templates_internal::SetDescription(Describe(cover, period, lock.principal),
                                                           cover.description(), terms));
  return terms;
}

}  // namespace argentpoche
