// The price-tick CSV adapter and the price indices, with figures worked out by hand:
// times in Unix ms and ISO-8601 UTC, ticks strictly in time order, "at:T" and
// "avg:F..U" exact then rounded half to even.
#include "engine/status.h"
#include "gtest/gtest.h"
#include "oracles/price_csv.h"
#include "oracles/price_index.h"
#include "oracles/test_files.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

// `date -u -d 2026-12-31T16:00:00Z +%s` = 1798732800 s.
constexpr int64_t kNewYearsEveFourPm = 1798732800000;

TEST(TickTimeTest, ReadsUnixMillisecondsAndIsoUtc) {
  EXPECT_EQ(ParseTickTime("1798732800000").value(), kNewYearsEveFourPm);
  EXPECT_EQ(ParseTickTime("0").value(), 0);
  EXPECT_EQ(ParseTickTime("2026-12-31T16:00:00Z").value(), kNewYearsEveFourPm);
  EXPECT_EQ(ParseTickTime("2026-12-31T16:00:00.25Z").value(), kNewYearsEveFourPm + 250);
  EXPECT_EQ(ParseTickTime("2026-12-31T16:00:00.007Z").value(), kNewYearsEveFourPm + 7);
  EXPECT_EQ(ParseTickTime("1970-01-01T00:00:00Z").value(), 0);
}

TEST(TickTimeTest, RefusesOtherTimes) {
  for (std::string_view text :
       {"", "-1", "12:00", "2026-12-31", "2026-12-31T16:00:00", "2026-12-31T16:00:00+01:00",
        "2026-12-31 16:00:00Z", "2026-02-30T00:00:00Z", "2026-12-31T24:00:00Z",
        "2026-12-31T23:59:60Z", "1969-12-31T23:59:59Z", "2026-12-31T16:00:00.1234Z",
        "2026-12-31T16:00:00.Z", "1.5", "99999999999999999999"}) {
    const absl::StatusOr<int64_t> time = ParseTickTime(text);
    ASSERT_FALSE(time.ok()) << text;
    EXPECT_EQ(ReasonOf(time.status()), "MALFORMED_TIME") << text;
  }
}

TEST(PriceCsvTest, ReadsTicksInOrderWithExactPrices) {
  TestDirectory directory;
  CsvPriceSource source(directory.Write("p.csv",
                                        "time,price,volume\n"
                                        "1000,100.00,3\n"
                                        "2026-12-31T16:00:00Z,42000.5,1\n"),
                        PriceCsvOptions{});
  const absl::StatusOr<std::vector<PriceTick>> ticks = source.ReadTicks();
  ASSERT_TRUE(ticks.ok()) << ticks.status();
  ASSERT_EQ(ticks->size(), 2u);
  EXPECT_EQ((*ticks)[0], (PriceTick{1000, {10000, 2}}));
  EXPECT_EQ((*ticks)[1], (PriceTick{kNewYearsEveFourPm, {420005, 1}}));
}

TEST(PriceCsvTest, RefusesTicksOutOfOrderOrAtTheSameTime) {
  const absl::Status same =
      ParsePriceCsv("time,price\n1000,1\n2000,2\n2000,3\n", "p.csv", {}).status();
  EXPECT_EQ(ReasonOf(same), "TICKS_OUT_OF_ORDER");
  EXPECT_EQ(same.message(),
            "p.csv:4: the tick at 2000 has the same time as the tick on line 3; ticks must be "
            "strictly increasing in time");
  const absl::Status before = ParsePriceCsv("time,price\n2000,1\n1000,2\n", "p.csv", {}).status();
  EXPECT_EQ(ReasonOf(before), "TICKS_OUT_OF_ORDER");
  EXPECT_NE(before.message().find("p.csv:3: the tick at 1000 is before the tick on line 2"),
            absl::string_view::npos);
}

TEST(PriceCsvTest, RefusesBadFieldsNamingLineAndColumn) {
  const absl::Status price =
      ParsePriceCsv("time,price\n1000,1\n2000,1.2.3\n", "p.csv", {}).status();
  EXPECT_EQ(ReasonOf(price), "MALFORMED_NUMBER");
  EXPECT_NE(price.message().find("p.csv:3: column price:"), absl::string_view::npos);
  const absl::Status time = ParsePriceCsv("time,price\nnoon,1\n", "p.csv", {}).status();
  EXPECT_EQ(ReasonOf(time), "MALFORMED_TIME");
  EXPECT_NE(time.message().find("p.csv:2: column time:"), absl::string_view::npos);
  EXPECT_EQ(ReasonOf(ParsePriceCsv("when,price\n1,1\n", "p.csv", {}).status()), "MISSING_COLUMN");
}

// Ticks: 1000 -> 100.00, 2000 -> 101.50, 3000 -> 99.
const std::vector<PriceTick> kTicks = {{1000, {10000, 2}}, {2000, {10150, 2}}, {3000, {99, 0}}};

RoundedValue Value(std::string_view event_id, uint32_t scale) {
  const absl::StatusOr<IndexValue> value =
      ComputePriceIndex(ParsePriceEventId(event_id).value(), kTicks, scale);
  EXPECT_TRUE(value.ok()) << event_id << ": " << value.status();
  return value.ok() ? value->rounded : RoundedValue{-1, 0, false};
}

TEST(PriceIndexTest, AtIsTheLastTickAtOrBeforeTheTime) {
  EXPECT_EQ(Value("at:1999", 2), (RoundedValue{10000, 2, false}));
  EXPECT_EQ(Value("at:2000", 2), (RoundedValue{10150, 2, false}));
  EXPECT_EQ(Value("at:99999999", 2), (RoundedValue{9900, 2, false}));
  // 101.50 at scale 0: 101.5 -> 102 (half to even).
  EXPECT_EQ(Value("at:2000", 0), (RoundedValue{102, 0, true}));
  const absl::StatusOr<IndexValue> early =
      ComputePriceIndex(ParsePriceEventId("at:999").value(), kTicks, 2);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(early.status()), "DATA_MISSING");
}

TEST(PriceIndexTest, AvgIsTheExactMeanOfTheTicksFromIncludedUntilExcluded) {
  // [1000, 3000): (100.00 + 101.50) / 2 = 100.75.
  EXPECT_EQ(Value("avg:1000..3000", 2), (RoundedValue{10075, 2, false}));
  // At scale 1: 1007.5 tenths -> 1008 (half to even).
  EXPECT_EQ(Value("avg:1000..3000", 1), (RoundedValue{1008, 1, true}));
  // [1000, 3001): (100 + 101.5 + 99) / 3 = 300.5 / 3 = 100.1666... -> 100.17.
  EXPECT_EQ(Value("avg:1000..3001", 2), (RoundedValue{10017, 2, true}));
  // [1001, 2001): 101.50 alone.
  EXPECT_EQ(Value("avg:1001..2001", 3), (RoundedValue{101500, 3, false}));
  const absl::StatusOr<IndexValue> none =
      ComputePriceIndex(ParsePriceEventId("avg:1001..2000").value(), kTicks, 2);
  EXPECT_EQ(ReasonOf(none.status()), "DATA_MISSING");
  EXPECT_NE(none.status().message().find("no price tick in [1001, 2000)"), absl::string_view::npos);
}

TEST(PriceIndexTest, TicksCoverAnEventOnceNoLaterTickCanChangeIt) {
  const auto covers = [](std::string_view event_id) {
    return PriceTicksCover(ParsePriceEventId(event_id).value(), kTicks);
  };
  EXPECT_TRUE(covers("at:3000"));
  EXPECT_FALSE(covers("at:3001"));
  EXPECT_TRUE(covers("avg:1000..3001"));  // The last millisecond that counts is 3000.
  EXPECT_FALSE(covers("avg:1000..3002"));
  EXPECT_FALSE(PriceTicksCover(ParsePriceEventId("at:0").value(), {}));
}

}  // namespace
}  // namespace argentpoche::oracles
