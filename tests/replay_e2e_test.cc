// Replaying a captured signed command, through the real server. The nonce of a command
// is (caller, request_id): once applied, the pair answers every replay with the first
// answer and moves nothing; a command that was never applied is good only while its
// signing time is within the skew window, after which it is refused STALE_COMMAND.
#include "engine/audit.h"
#include "engine/limits.h"
#include "gtest/gtest.h"
#include "tests/support/deposit_fixture.h"

namespace argentpoche::testing {
namespace {

class ReplayTest : public DepositTest {
 protected:
  // A hold of `amount` from the tenant to the landlord, signed now, not sent.
  v1::SignedCommand CapturedLock(int64_t amount, const std::string& request_id) {
    v1::Command command;
    command.set_request_id(request_id);
    v1::CreateHold* action = command.mutable_create_hold();
    action->set_payer_account_id(tenant_.account("EUR"));
    action->set_beneficiary_account_id(landlord_.account("EUR"));
    action->mutable_amount()->set_currency("EUR");
    action->mutable_amount()->set_minor_units(amount);
    action->set_expires_at_unix_ms(engine_.clock().NowUnixMs() + kDayMs);
    return SignCommand(command, tenant_.key, engine_.clock().NowUnixMs());
  }
  grpc::Status Replay(const v1::SignedCommand& captured, v1::Hold* hold) {
    return engine_.Send(&v1::EscrowEngine::Stub::CreateHold, captured, hold);
  }
  void ExpectNothingMoved(uint64_t journal_before, int64_t tenant_balance) {
    EXPECT_EQ(JournalRecords(), journal_before);
    EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), tenant_balance);
    EXPECT_TRUE(CheckConservation(engine_.store()).ok());
  }
  static constexpr int64_t kSkewMs = limits::kDefaultMaxCommandSkewMs;
};

TEST_F(ReplayTest, ACapturedCommandNeverAppliedIsRefusedStaleOnceItsWindowHasPassed) {
  const v1::SignedCommand captured = CapturedLock(20000, "lock-captured");
  engine_.clock().Advance(kSkewMs + 1);
  const uint64_t before = JournalRecords();
  v1::Hold hold;
  const grpc::Status status = Replay(captured, &hold);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "STALE_COMMAND");
  ExpectNothingMoved(before, 500000);
}

TEST_F(ReplayTest, ACapturedCommandSignedAheadIsRefusedUntilTheWindowReachesIt) {
  v1::Command command;
  command.set_request_id("from-the-future");
  command.mutable_open_account()->set_currency("USD");
  const v1::SignedCommand captured =
      SignCommand(command, tenant_.key, engine_.clock().NowUnixMs() + kSkewMs + 1);
  const uint64_t before = JournalRecords();
  v1::Account account;
  EXPECT_EQ(ReasonOf(engine_.Send(&v1::EscrowEngine::Stub::OpenAccount, captured, &account)),
            "STALE_COMMAND");
  EXPECT_EQ(JournalRecords(), before);
}

TEST_F(ReplayTest, ACommandRefusedOnceIsStillRefusedStaleAfterItsWindowEvenWhenItWouldNowPass) {
  // The tenant signs a lock it cannot afford: refused, and nothing is recorded.
  const v1::SignedCommand captured = CapturedLock(600000, "lock-too-much");
  v1::Hold hold;
  ASSERT_EQ(ReasonOf(Replay(captured, &hold)), "INSUFFICIENT_FUNDS");
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 200000, "bonus").ok());
  engine_.clock().Advance(kSkewMs + 1);
  const uint64_t before = JournalRecords();
  EXPECT_EQ(ReasonOf(Replay(captured, &hold)), "STALE_COMMAND");
  ExpectNothingMoved(before, 700000);
}

TEST_F(ReplayTest, ARefusedCommandLeavesNoNonceSoWithinItsWindowItActsAsTheCallersRetry) {
  // Documented behaviour (docs/threat-model.md): a refusal records nothing, so the
  // same signed bytes may succeed later within the window, exactly as the caller's own
  // retry with the same request_id would.
  const v1::SignedCommand captured = CapturedLock(600000, "lock-retry-later");
  v1::Hold hold;
  ASSERT_EQ(ReasonOf(Replay(captured, &hold)), "INSUFFICIENT_FUNDS");
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 200000, "bonus").ok());
  engine_.clock().Advance(kSkewMs);
  ASSERT_TRUE(Replay(captured, &hold).ok());
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 100000);
}

TEST_F(ReplayTest, AnAppliedCommandReplayedAfterItsWindowGetsTheFirstAnswerAndMovesNothing) {
  const v1::SignedCommand captured = CapturedLock(20000, "lock-once");
  v1::Hold first;
  ASSERT_TRUE(Replay(captured, &first).ok());
  const uint64_t before = JournalRecords();
  for (const int64_t later_ms : {int64_t{1000}, kSkewMs + 1, 30 * kDayMs}) {
    engine_.clock().Advance(later_ms);
    v1::Hold again;
    const grpc::Status status = Replay(captured, &again);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
    ExpectNothingMoved(before, 480000);
  }
}

TEST_F(ReplayTest, TheNonceIsPerCallerSoTwoPartiesMayUseTheSameRequestId) {
  v1::Command command;
  command.mutable_open_account()->set_currency("USD");
  v1::Account tenant_account;
  v1::Account landlord_account;
  ASSERT_TRUE(
      engine_
          .Call(&v1::EscrowEngine::Stub::OpenAccount, tenant_, "open-usd", command, &tenant_account)
          .ok());
  ASSERT_TRUE(engine_
                  .Call(&v1::EscrowEngine::Stub::OpenAccount, landlord_, "open-usd", command,
                        &landlord_account)
                  .ok());
  EXPECT_NE(tenant_account.id(), landlord_account.id());
}

}  // namespace
}  // namespace argentpoche::testing
