#include "cli/time_text.h"

#include "cli/arguments.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::cli {
namespace {

constexpr int64_t kNow = 1'796'083'200'000;  // 2026-12-01 00:00 UTC

TEST(TimeTextTest, ReadsRfc3339InUtcAndWithAnOffset) {
  EXPECT_EQ(*ParseTimeText("2026-12-01T00:00:00Z", 0), kNow);
  EXPECT_EQ(*ParseTimeText("2026-12-01T02:00:00.250+02:00", 0), kNow + 250);
}

TEST(TimeTextTest, ReadsADayAsItsStartInUtcAndUnixMilliseconds) {
  EXPECT_EQ(*ParseTimeText("2026-12-01", 0), kNow);
  EXPECT_EQ(*ParseTimeText("1796083200000", 0), kNow);
  EXPECT_EQ(*ParseTimeText("0", 0), 0);
}

TEST(TimeTextTest, ReadsTimesFromNow) {
  EXPECT_TRUE(IsRelativeTime("+1d"));
  EXPECT_TRUE(IsRelativeTime("now"));
  EXPECT_FALSE(IsRelativeTime("2026-12-01"));
  EXPECT_EQ(*ParseTimeText("now", kNow), kNow);
  EXPECT_EQ(*ParseTimeText("+1h30m", kNow), kNow + 5'400'000);
  EXPECT_EQ(*ParseTimeText("-1d", kNow), kNow - 86'400'000);
}

TEST(TimeTextTest, RefusesAnythingElseAsAUsageError) {
  for (const char* text : {"", "tomorrow", "2026-13-01", "2026-12-01 00:00:00", "+", "+1y",
                           "12345678901234567", "2026-12-01T00:00:00", "-1d"}) {
    const absl::StatusOr<int64_t> time = ParseTimeText(text, text[0] == '-' ? 0 : kNow);
    ASSERT_FALSE(time.ok()) << text;
    EXPECT_TRUE(IsUsageError(time.status())) << text;
    EXPECT_EQ(ReasonOf(time.status()), "BAD_TIME") << text;
    EXPECT_NE(time.status().message().find("RFC 3339"), std::string::npos);
  }
  EXPECT_FALSE(ParseTimeText("10000-01-01T00:00:00Z", 0).ok());
}

}  // namespace
}  // namespace argentpoche::cli
