// The engine over the in-memory store: a commit that fails is reported as failed,
// nothing of it is visible, and a retry with the same request_id then applies once.
#include "engine/engine.h"

#include "engine/audit.h"
#include "engine/command_signing.h"
#include "engine/journal.h"
#include "engine/memory_store.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

constexpr int64_t kStartMs = 1795564800000;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.operator_public_keys.push_back(operator_key_.public_key());
    options.scheduler_poll_ms = 0;
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        Engine::Open(&store_, &clock_, SigningKey::Generate(), options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    v1::Command command;
    command.set_request_id("register");
    command.mutable_register_party()->set_public_key(holder_key_.public_key());
    ASSERT_TRUE(Run(command, holder_key_, v1::Command::kRegisterParty).ok());
    command.Clear();
    command.set_request_id("open");
    command.mutable_open_account()->set_currency("EUR");
    ASSERT_TRUE(Run(command, holder_key_, v1::Command::kOpenAccount).ok());
  }

  absl::StatusOr<v1::CommandResult> Run(const v1::Command& command, const SigningKey& key,
                                        v1::Command::ActionCase action) {
    return engine_->Execute(SignCommand(command, key, clock_.NowUnixMs()), action);
  }

  absl::StatusOr<v1::CommandResult> Credit(const std::string& request_id, int64_t minor_units) {
    v1::Command command;
    command.set_request_id(request_id);
    command.mutable_credit_account()->set_account_id(holder_key_.key_id() + ":EUR");
    command.mutable_credit_account()->mutable_amount()->set_currency("EUR");
    command.mutable_credit_account()->mutable_amount()->set_minor_units(minor_units);
    return Run(command, operator_key_, v1::Command::kCreditAccount);
  }

  int64_t Balance() {
    return engine_->GetAccount(holder_key_.key_id() + ":EUR")->balance().minor_units();
  }

  MemoryStore store_;
  ManualClock clock_{kStartMs};
  // Test keys only.
  SigningKey operator_key_ = *SigningKey::FromSeed(std::string(32, '\x01'));
  SigningKey holder_key_ = *SigningKey::FromSeed(std::string(32, '\x02'));
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, AFailedCommitIsReportedAndLeavesNothingBehind) {
  const uint64_t records = *VerifyJournal(store_);
  store_.FailNextWrites(1, absl::UnavailableError("disk full"));
  absl::StatusOr<v1::CommandResult> failed = Credit("wire-1", 5000);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ReasonOf(failed.status()), "COMMIT_FAILED");
  EXPECT_EQ(Balance(), 0);
  EXPECT_EQ(*VerifyJournal(store_), records);

  ASSERT_TRUE(Credit("wire-1", 5000).ok());
  ASSERT_TRUE(Credit("wire-1", 5000).ok());
  EXPECT_EQ(Balance(), 5000);
  EXPECT_EQ(*VerifyJournal(store_), records + 1);
  EXPECT_TRUE(CheckConservation(store_).ok());
}

TEST_F(EngineTest, ConcurrentSubmissionsAreEachAppliedExactlyOnce) {
  constexpr int kCredits = 200;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([this, thread] {
      for (int i = 0; i < kCredits / 4; ++i) {
        EXPECT_TRUE(Credit("credit-" + std::to_string(thread) + "-" + std::to_string(i), 1).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Balance(), kCredits);
  EXPECT_TRUE(CheckConservation(store_).ok());
}

TEST_F(EngineTest, EngineTimeNeverGoesBackwards) {
  ASSERT_TRUE(Credit("before", 1).ok());
  clock_.Advance(-60 * 1000);
  absl::StatusOr<v1::CommandResult> later = Credit("after", 1);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->transfer().at_unix_ms(), kStartMs);
}

// Regression (found by the simulator): a hold paying an account in another currency
// was accepted, and then could never be released (the payout's transfer failed).
TEST_F(EngineTest, AHoldForAnAccountInAnotherCurrencyIsRefused) {
  // Test key only.
  const SigningKey other_key = *SigningKey::FromSeed(std::string(32, '\x03'));
  v1::Command command;
  command.set_request_id("register-other");
  command.mutable_register_party()->set_public_key(other_key.public_key());
  ASSERT_TRUE(Run(command, other_key, v1::Command::kRegisterParty).ok());
  command.Clear();
  command.set_request_id("open-jpy");
  command.mutable_open_account()->set_currency("JPY");
  ASSERT_TRUE(Run(command, other_key, v1::Command::kOpenAccount).ok());
  ASSERT_TRUE(Credit("wire-1", 5000).ok());
  const uint64_t records = *VerifyJournal(store_);

  command.Clear();
  command.set_request_id("lock");
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(holder_key_.key_id() + ":EUR");
  action->set_beneficiary_account_id(other_key.key_id() + ":JPY");
  action->mutable_amount()->set_currency("EUR");
  action->mutable_amount()->set_minor_units(1000);
  action->set_expires_at_unix_ms(kStartMs + 3600 * 1000);
  absl::StatusOr<v1::CommandResult> locked = Run(command, holder_key_, v1::Command::kCreateHold);
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(locked.status()), "CURRENCY_MISMATCH");
  EXPECT_EQ(Balance(), 5000);
  EXPECT_EQ(*VerifyJournal(store_), records);
}

}  // namespace
}  // namespace argentpoche
