#include "engine/event_log.h"

#include <vector>

#include "gtest/gtest.h"

namespace argentpoche {
namespace {

TEST(EventLogTest, ALineIsOneJsonObjectWithTheFieldsInOrder) {
  EXPECT_EQ(FormatLogLine("poche-engine", "listening", {{"detail", "127.0.0.1:7400"}}),
            "{\"component\":\"poche-engine\",\"event\":\"listening\",\"detail\":\"127.0.0.1:7400\"}"
            "\n");
}

TEST(EventLogTest, ValuesCannotBreakTheLineOrForgeAField) {
  const std::string line =
      FormatLogLine("c", "e",
                    {{"request_id", "x\",\"code\":\"OK\"}\n{\"event\":\"forged"},
                     {"bell", std::string("\x07\x7f\\", 3)}});
  EXPECT_EQ(line,
            "{\"component\":\"c\",\"event\":\"e\",\"request_id\":\"x\\\",\\\"code\\\":\\\"OK\\\"}"
            "\\n{\\\"event\\\":\\\"forged\",\"bell\":\"\\u0007\\u007f\\\\\"}\n");
  EXPECT_EQ(line.find('\n'), line.size() - 1);
}

TEST(EventLogTest, TheTestSinkReceivesTheLinesUntilReset) {
  std::vector<std::string> lines;
  SetLogSinkForTesting([&](std::string_view line) { lines.emplace_back(line); });
  LogEvent("c", "one", {});
  LogEvent("c", "two", {{"k", "v"}});
  SetLogSinkForTesting(nullptr);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "{\"component\":\"c\",\"event\":\"two\",\"k\":\"v\"}\n");
}

}  // namespace
}  // namespace argentpoche
