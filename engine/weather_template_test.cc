// Tests of CompileWeatherCoverTerms: the compiled terms pass the checker, and settle to the
// minor unit as worked out by hand in the comments, always adding up to the lock.
#include "engine/weather_template.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/conditions_testing.h"
#include "engine/template_testing.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using testing_conditions::HasReason;
using testing_conditions::kDayMs;
using testing_conditions::kJuly1;
using testing_conditions::kJuly15;
using testing_conditions::kJune1;
using testing_conditions::Minor;
using namespace testing_templates;  // NOLINT(build/namespaces): test helpers.

constexpr int64_t kSeptember1 = 1788220800000;      // 2026-09-01 00:00 UTC.
constexpr int64_t kJanuary1Of2027 = 1798761600000;  // 2027-01-01 00:00 UTC.

// Flood cover on June rainfall at KNYC, in tenths of a millimetre: nothing at or below
// 50.0 mm, the limit of 10000.00 EUR at or above 150.0 mm, 1000000 cents over 1000 tenths
// (10.00 EUR a tenth) in between; the insured pays a premium of 400.00 EUR.
v1::WeatherCoverTerms FloodCover() {
  v1::WeatherCoverTerms cover;
  cover.set_insurer_party_id("party-insurer");
  cover.set_insured_party_id("party-insured");
  cover.set_source("fte");
  cover.set_station("KNYC");
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start("2026-06-01");
  cover.set_period_end("2026-06-30");
  cover.set_direction(v1::COVER_DIRECTION_EXCESS);
  cover.set_trigger(500);
  cover.set_exit(1500);
  *cover.mutable_limit() = Minor(1000000);
  *cover.mutable_premium() = Minor(40000);
  *cover.mutable_oracles() = TwoOfThree(20);
  cover.set_grace_period_ms(14 * kDayMs);
  cover.set_fund_by_unix_ms(kJune1);
  return cover;
}

v1::ConditionalTerms CompileAndCheck(const v1::WeatherCoverTerms& cover) {
  absl::StatusOr<v1::ConditionalTerms> terms = CompileWeatherCoverTerms(cover);
  EXPECT_TRUE(terms.ok()) << terms.status();
  if (!terms.ok()) return {};
  const absl::Status checked = CheckConditionalTerms(*terms, CheckContextAt(kJune1 - kDayMs));
  EXPECT_TRUE(checked.ok()) << checked;
  return *terms;
}

PaidByParty InsuredAndInsurer(int64_t insured, int64_t insurer) {
  PaidByParty paid;
  if (insured != 0) paid["party-insured"] = insured;
  if (insurer != 0) paid["party-insurer"] = insurer;
  return paid;
}

struct IndexCase {
  const char* what;
  int64_t index;
  int64_t insured;
  int64_t insurer;
};

// Settles `cover` one day after the end of its period for each index.
void ExpectPayouts(const v1::WeatherCoverTerms& cover, int64_t period_end_unix_ms,
                   const std::vector<IndexCase>& cases) {
  const v1::ConditionalTerms terms = CompileAndCheck(cover);
  for (const IndexCase& each : cases) {
    SCOPED_TRACE(each.what);
    EXPECT_EQ(PayoutsAt(terms, "index", each.index, period_end_unix_ms + kDayMs),
              InsuredAndInsurer(each.insured, each.insurer));
  }
}

TEST(WeatherTemplateTest, CompilesAFloodCoverIntoTheDocumentedTerms) {
  const v1::ConditionalTerms terms = CompileAndCheck(FloodCover());
  EXPECT_EQ(terms.locked_total().minor_units(), 1040000);  // 10000.00 + 400.00 EUR.
  ASSERT_EQ(terms.parties_size(), 2);
  EXPECT_EQ(terms.parties(0).role(), "insurer");
  EXPECT_EQ(terms.parties(1).role(), "insured");
  ASSERT_EQ(terms.funding_size(), 2);
  EXPECT_EQ(terms.funding(0).amount().minor_units(), 1000000);
  EXPECT_EQ(terms.funding(1).amount().minor_units(), 40000);
  EXPECT_EQ(terms.fund_by_unix_ms(), kJune1);
  const v1::ValueSource& source = terms.value_sources(0);
  EXPECT_EQ(source.name(), "index");
  EXPECT_EQ(source.feed(), "weather/fte/KNYC/rain_mm");
  EXPECT_EQ(source.event_id(), "2026-06-01..2026-06-30");
  EXPECT_EQ(source.scale(), 1u);
  EXPECT_EQ(source.oracle_kind(), "weather");
  EXPECT_EQ(source.observe_from_unix_ms(), kJuly1);
  EXPECT_EQ(source.observe_until_unix_ms(), kJuly15 - 1);
  EXPECT_EQ(terms.hard_deadline_unix_ms(), kJuly15);
  EXPECT_EQ(terms.branches(0).condition().after_unix_ms(), kJuly1);
  const v1::PiecewiseLinearPayout& line = terms.branches(0).payout().piecewise_linear();
  ASSERT_EQ(line.breakpoints_size(), 2);
  EXPECT_EQ(line.breakpoints(0).x(), 500);
  EXPECT_EQ(line.breakpoints(0).y(), 0);
  EXPECT_EQ(line.breakpoints(1).x(), 1500);
  EXPECT_EQ(line.breakpoints(1).y(), 1000000);
  EXPECT_EQ(line.payee_role(), "insured");
  EXPECT_EQ(line.remainder_role(), "insurer");
  EXPECT_EQ(terms.description(),
            "excess rainfall cover at fte/KNYC from 2026-06-01 to 2026-06-30: nothing at or "
            "below 50.0 mm, 10000.00 EUR at or above 150.0 mm");
}

TEST(WeatherTemplateTest, ExcessRainfallPaysAlongTheLineFromTriggerToExit) {
  // Insured: 1000000 * (R - 500) / 1000 cents between 500 and 1500; insurer: the rest.
  ExpectPayouts(FloodCover(), kJuly1,
                {
                    {"below the trigger: 30.0 mm", 300, 0, 1040000},
                    {"at the trigger: 50.0 mm", 500, 0, 1040000},
                    {"just past the trigger: 50.3 mm (3 tenths)", 503, 3000, 1037000},
                    {"half way: 100.0 mm", 1000, 500000, 540000},
                    {"at the exit: 150.0 mm", 1500, 1000000, 40000},
                    {"beyond the exit: 200.0 mm", 2000, 1000000, 40000},
                });
}

TEST(WeatherTemplateTest, DroughtCoverPaysBelowTheTriggerRoundedDown) {
  // Nothing at or above 80.0 mm, 7000.00 EUR at or below 20.0 mm: 700000 cents over 600
  // tenths, 1166.67 cents a tenth; premium 250.00 EUR, lock 725000.
  v1::WeatherCoverTerms cover = FloodCover();
  cover.set_direction(v1::COVER_DIRECTION_SHORTFALL);
  cover.set_trigger(800);
  cover.set_exit(200);
  *cover.mutable_limit() = Minor(700000);
  *cover.mutable_premium() = Minor(25000);
  ExpectPayouts(cover, kJuly1,
                {
                    {"above the trigger: 90.0 mm", 900, 0, 725000},
                    {"at the trigger: 80.0 mm", 800, 0, 725000},
                    // 700000 * 1 / 600 = 1166.67: 1166 cents to the insured.
                    {"one tenth short: 79.9 mm", 799, 1166, 723834},
                    // 700000 * 300 / 600 = 350000.
                    {"half way: 50.0 mm", 500, 350000, 375000},
                    {"at the exit: 20.0 mm", 200, 700000, 25000},
                    {"below the exit: 10.0 mm", 100, 700000, 25000},
                });
}

TEST(WeatherTemplateTest, WarmWinterCoverPaysForMissingHeatingDegreeDays) {
  // October to December 2026 in whole °C degree days: nothing at or above 900, the limit of
  // 30000.00 EUR at or below 600, 3000000 cents over 300 = 10000 cents a degree day.
  v1::WeatherCoverTerms cover = FloodCover();
  cover.set_index(v1::WEATHER_INDEX_HEATING_DEGREE_DAYS);
  cover.set_unit(v1::WEATHER_UNIT_CELSIUS);
  cover.set_scale(0);
  cover.set_period_start("2026-10-01");
  cover.set_period_end("2026-12-31");
  cover.set_direction(v1::COVER_DIRECTION_SHORTFALL);
  cover.set_trigger(900);
  cover.set_exit(600);
  *cover.mutable_limit() = Minor(3000000);
  *cover.mutable_premium() = Minor(150000);
  const v1::ConditionalTerms terms = CompileAndCheck(cover);
  EXPECT_EQ(terms.value_sources(0).feed(), "weather/fte/KNYC/hdd_c");
  EXPECT_EQ(terms.hard_deadline_unix_ms(), kJanuary1Of2027 + 14 * kDayMs);
  ExpectPayouts(cover, kJanuary1Of2027,
                {
                    {"a cold winter: 1000", 1000, 0, 3150000},
                    {"at the trigger: 900", 900, 0, 3150000},
                    {"one short: 899", 899, 10000, 3140000},
                    {"half way: 750", 750, 1500000, 1650000},
                    {"at the exit: 600", 600, 3000000, 150000},
                    {"beyond the exit: 500", 500, 3000000, 150000},
                });
}

TEST(WeatherTemplateTest, HeatCoverPaysAboveTheTriggerTemperature) {
  // July and August 2026, the highest daily maximum in tenths of °F: nothing at or below
  // 95.0 °F, 5000.00 USD at or above 105.0 °F, 500000 cents over 100 = 5000 cents a tenth.
  v1::WeatherCoverTerms cover = FloodCover();
  cover.set_index(v1::WEATHER_INDEX_MAX_TEMPERATURE);
  cover.set_unit(v1::WEATHER_UNIT_FAHRENHEIT);
  cover.set_period_start("2026-07-01");
  cover.set_period_end("2026-08-31");
  cover.set_trigger(950);
  cover.set_exit(1050);
  *cover.mutable_limit() = Minor(500000, "USD");
  *cover.mutable_premium() = Minor(20000, "USD");
  const v1::ConditionalTerms terms = CompileAndCheck(cover);
  EXPECT_EQ(terms.description(),
            "excess maximum temperature cover at fte/KNYC from 2026-07-01 to 2026-08-31: "
            "nothing at or below 95.0 °F, 5000.00 USD at or above 105.0 °F");
  ExpectPayouts(cover, kSeptember1,
                {
                    {"a mild summer: 90.0 °F", 900, 0, 520000},
                    {"at the trigger: 95.0 °F", 950, 0, 520000},
                    {"98.7 °F: 37 tenths", 987, 185000, 335000},
                    {"at the exit: 105.0 °F", 1050, 500000, 20000},
                    {"beyond the exit: 110.0 °F", 1100, 500000, 20000},
                });
}

TEST(WeatherTemplateTest, RefundsLimitAndPremiumWhenNoIndexComesByTheDeadline) {
  const v1::ConditionalTerms terms = CompileAndCheck(FloodCover());
  PayoutsAt(terms, "index", std::nullopt, kJuly15 - 1, Outcome::Kind::kWaiting);
  EXPECT_EQ(PayoutsAt(terms, "index", std::nullopt, kJuly15, Outcome::Kind::kRefund),
            InsuredAndInsurer(40000, 1000000));
}

TEST(WeatherTemplateTest, NormalisesDaysAndCompilesToTheSameBytesTwice) {
  v1::WeatherCoverTerms cover = FloodCover();
  cover.set_period_start("2026-6-1");
  cover.set_arbiter_party_id("party-arbiter");
  const v1::ConditionalTerms first = CompileAndCheck(cover);
  EXPECT_EQ(first.value_sources(0).event_id(), "2026-06-01..2026-06-30");
  ASSERT_EQ(first.parties_size(), 3);
  EXPECT_EQ(first.parties(2).role(), "arbiter");
  const absl::StatusOr<v1::ConditionalTerms> second = CompileWeatherCoverTerms(cover);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first.SerializeAsString(), second->SerializeAsString());
}

struct Refusal {
  const char* what;
  std::function<void(v1::WeatherCoverTerms&)> change;
  std::string_view reason;
};

TEST(WeatherTemplateTest, RefusesMalformedTemplatesWithAReason) {
  const std::vector<Refusal> refusals = {
      {"no insured", [](auto& c) { c.clear_insured_party_id(); }, "MALFORMED_TEMPLATE"},
      {"self insured", [](auto& c) { c.set_insured_party_id("party-insurer"); },
       "MALFORMED_TEMPLATE"},
      {"no index", [](auto& c) { c.set_index(v1::WEATHER_INDEX_UNSPECIFIED); },
       "MALFORMED_TEMPLATE"},
      {"no unit", [](auto& c) { c.set_unit(v1::WEATHER_UNIT_UNSPECIFIED); }, "MALFORMED_TEMPLATE"},
      {"no direction", [](auto& c) { c.set_direction(v1::COVER_DIRECTION_UNSPECIFIED); },
       "MALFORMED_TEMPLATE"},
      {"rain in °C", [](auto& c) { c.set_unit(v1::WEATHER_UNIT_CELSIUS); }, "MALFORMED_TEMPLATE"},
      {"station with '/'", [](auto& c) { c.set_station("KNYC/2"); }, "MALFORMED_TEMPLATE"},
      {"scale 19", [](auto& c) { c.set_scale(19); }, "MALFORMED_TEMPLATE"},
      {"no such day", [](auto& c) { c.set_period_end("2026-06-31"); }, "MALFORMED_TEMPLATE"},
      {"empty period", [](auto& c) { c.set_period_end("2026-05-31"); }, "MALFORMED_TEMPLATE"},
      {"excess exit below", [](auto& c) { c.set_exit(400); }, "MALFORMED_TEMPLATE"},
      {"exit at the trigger", [](auto& c) { c.set_exit(500); }, "MALFORMED_TEMPLATE"},
      {"shortfall exit above", [](auto& c) { c.set_direction(v1::COVER_DIRECTION_SHORTFALL); },
       "MALFORMED_TEMPLATE"},
      {"no grace", [](auto& c) { c.set_grace_period_ms(0); }, "MALFORMED_TEMPLATE"},
      {"funded at the end", [](auto& c) { c.set_fund_by_unix_ms(kJuly1); }, "MALFORMED_TEMPLATE"},
      {"no limit", [](auto& c) { c.clear_limit(); }, "MALFORMED_TEMPLATE"},
      {"premium in USD", [](auto& c) { *c.mutable_premium() = Minor(40000, "USD"); },
       "CURRENCY_MISMATCH"},
      {"limit 0", [](auto& c) { *c.mutable_limit() = Minor(0); }, "AMOUNT_NOT_POSITIVE"},
      {"premium -400.00", [](auto& c) { *c.mutable_premium() = Minor(-40000); },
       "AMOUNT_NOT_POSITIVE"},
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.what);
    v1::WeatherCoverTerms cover = FloodCover();
    refusal.change(cover);
    const absl::StatusOr<v1::ConditionalTerms> terms = CompileWeatherCoverTerms(cover);
    EXPECT_TRUE(HasReason(terms.status(), refusal.reason));
    EXPECT_FALSE(terms.status().message().empty());
  }
}

TEST(WeatherTemplateTest, LeavesTheQuorumToTheChecker) {
  v1::WeatherCoverTerms cover = FloodCover();
  cover.mutable_oracles()->set_quorum(4);  // Of 3 oracles.
  const absl::StatusOr<v1::ConditionalTerms> terms = CompileWeatherCoverTerms(cover);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_TRUE(HasReason(CheckConditionalTerms(*terms, CheckContextAt(kJune1 - kDayMs)),
                        "QUORUM_TOO_LARGE"));
}

}  // namespace
}  // namespace argentpoche
