// The engine refuses commands signed too far from its clock (STALE_COMMAND) for every
// signing time a caller can put in a command, the ends of int64 included: the distance
// to the clock once overflowed there (undefined behaviour; at exactly INT64_MIN + now
// the command passed as fresh). The input is tests/fuzz/regressions/signed_command/
// issued-at-int64-min.
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "engine/command_signing.h"
#include "engine/engine.h"
#include "engine/memory_store.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

constexpr int64_t kStartMs = 1795564800000;
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

class CommandSkewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.operator_public_keys.push_back(operator_key_.public_key());
    options.scheduler_poll_ms = 0;
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        Engine::Open(&store_, &clock_, SigningKey::Generate(), options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
  }

  // An OpenAccount by the operator signed at `issued_at_unix_ms`.
  absl::StatusOr<v1::CommandResult> OpenAccountSignedAt(const std::string& request_id,
                                                        int64_t issued_at_unix_ms) {
    v1::Command command;
    command.set_request_id(request_id);
    command.mutable_open_account()->set_currency("EUR");
    return engine_->Execute(SignCommand(command, operator_key_, issued_at_unix_ms),
                            v1::Command::kOpenAccount);
  }

  MemoryStore store_;
  ManualClock clock_{kStartMs};
  // Test key only.
  SigningKey operator_key_ = *SigningKey::FromSeed(std::string(32, '\x01'));
  std::unique_ptr<Engine> engine_;
};

TEST_F(CommandSkewTest, SigningTimesAtTheEndsOfInt64AreStale) {
  for (const int64_t issued_at : {kInt64Min, kInt64Min + 1, kInt64Min + kStartMs,
                                  kInt64Min + kStartMs - 1, int64_t{-1}, kInt64Max}) {
    SCOPED_TRACE(issued_at);
    absl::StatusOr<v1::CommandResult> result =
        OpenAccountSignedAt("at-" + std::to_string(issued_at), issued_at);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(ReasonOf(result.status()), "STALE_COMMAND");
  }
}

TEST_F(CommandSkewTest, TheSkewWindowIncludesItsEnds) {
  const int64_t skew = EngineOptions().max_command_skew_ms;
  EXPECT_EQ(ReasonOf(OpenAccountSignedAt("early", kStartMs - skew - 1).status()), "STALE_COMMAND");
  EXPECT_EQ(ReasonOf(OpenAccountSignedAt("late", kStartMs + skew + 1).status()), "STALE_COMMAND");
  EXPECT_TRUE(OpenAccountSignedAt("earliest", kStartMs - skew).ok());
  EXPECT_EQ(ReasonOf(OpenAccountSignedAt("latest", kStartMs + skew).status()), "ACCOUNT_EXISTS");
}

// The regression input's Command, byte for byte (field 3, issued_at, is the 10-byte
// varint of INT64_MIN), signed as the fuzz target signs it: by the operator.
TEST_F(CommandSkewTest, TheFuzzInputIsStale) {
  const std::string bytes("\x0a\x01x\x18\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x62\x00", 16);
  v1::Command command;
  ASSERT_TRUE(command.ParseFromString(bytes));
  ASSERT_EQ(command.issued_at_unix_ms(), kInt64Min);
  absl::StatusOr<v1::CommandResult> result = engine_->Execute(
      SignCommand(command, operator_key_, command.issued_at_unix_ms()), command.action_case());
  EXPECT_EQ(ReasonOf(result.status()), "STALE_COMMAND");
}

}  // namespace
}  // namespace argentpoche
