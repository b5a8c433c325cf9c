// Bare holds through the real server: lock, release (in full or in part), void by the
// beneficiary, expiry at the deadline, and idempotent retries.
#include "engine/audit.h"
#include "gtest/gtest.h"
#include "tests/support/deposit_fixture.h"

namespace argentpoche::testing {
namespace {

class HoldTest : public DepositTest {
 protected:
  grpc::Status Lock(int64_t amount, int64_t expires_in_ms, v1::Hold* hold,
                    const std::string& request_id = "") {
    v1::Command command;
    v1::CreateHold* action = command.mutable_create_hold();
    action->set_payer_account_id(tenant_.account("EUR"));
    action->set_beneficiary_account_id(landlord_.account("EUR"));
    action->mutable_amount()->set_currency("EUR");
    action->mutable_amount()->set_minor_units(amount);
    action->set_expires_at_unix_ms(engine_.clock().NowUnixMs() + expires_in_ms);
    return engine_.Call(&v1::EscrowEngine::Stub::CreateHold, tenant_,
                        request_id.empty() ? NextRequestId() : request_id, command, hold);
  }
  grpc::Status Release(const TestParty& party, const std::string& hold_id, int64_t amount,
                       v1::Hold* hold) {
    v1::Command command;
    command.mutable_release_hold()->set_hold_id(hold_id);
    if (amount > 0) {
      command.mutable_release_hold()->mutable_amount()->set_currency("EUR");
      command.mutable_release_hold()->mutable_amount()->set_minor_units(amount);
    }
    return engine_.Call(&v1::EscrowEngine::Stub::ReleaseHold, party, NextRequestId(), command,
                        hold);
  }
  grpc::Status Void(const TestParty& party, const std::string& hold_id, v1::Hold* hold) {
    v1::Command command;
    command.mutable_void_hold()->set_hold_id(hold_id);
    return engine_.Call(&v1::EscrowEngine::Stub::VoidHold, party, NextRequestId(), command, hold);
  }
};

TEST_F(HoldTest, ALockLeavesTheAvailableBalanceAtOnceAndAReleasePaysTheBeneficiary) {
  v1::Hold hold;
  ASSERT_TRUE(Lock(20000, kHourMs, &hold).ok());
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 480000);
  ASSERT_TRUE(Release(tenant_, hold.id(), 0, &hold).ok());
  EXPECT_EQ(hold.state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 20000);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 480000);
}

TEST_F(HoldTest, APartialReleaseReturnsTheRestToThePayer) {
  v1::Hold hold;
  ASSERT_TRUE(Lock(20000, kHourMs, &hold).ok());
  ASSERT_TRUE(Release(tenant_, hold.id(), 7550, &hold).ok());
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 7550);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 7550);
  EXPECT_TRUE(CheckConservation(engine_.store()).ok());
}

TEST_F(HoldTest, AHoldResolvesExactlyOnce) {
  v1::Hold hold;
  ASSERT_TRUE(Lock(20000, kHourMs, &hold).ok());
  ASSERT_TRUE(Release(tenant_, hold.id(), 0, &hold).ok());
  const uint64_t before = JournalRecords();
  grpc::Status again = Release(tenant_, hold.id(), 0, &hold);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(again), "HOLD_RESOLVED");
  EXPECT_EQ(ReasonOf(Void(landlord_, hold.id(), &hold)), "HOLD_RESOLVED");
  EXPECT_EQ(JournalRecords(), before);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 20000);
}

TEST_F(HoldTest, OnlyThePayerReleasesAndOnlyTheBeneficiaryVoids) {
  v1::Hold hold;
  ASSERT_TRUE(Lock(20000, kHourMs, &hold).ok());
  EXPECT_EQ(ReasonOf(Release(landlord_, hold.id(), 0, &hold)), "NOT_ALLOWED");
  EXPECT_EQ(ReasonOf(Void(tenant_, hold.id(), &hold)), "NOT_ALLOWED");
  EXPECT_EQ(ReasonOf(Release(tenant_, hold.id(), 20001, &hold)), "PAYOUT_EXCEEDS_HOLD");
  ASSERT_TRUE(Void(landlord_, hold.id(), &hold).ok());
  EXPECT_EQ(hold.state(), v1::HOLD_STATE_VOIDED);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000);
}

TEST_F(HoldTest, AnUnresolvedHoldExpiresBackToThePayerAtItsDeadline) {
  v1::Hold hold;
  ASSERT_TRUE(Lock(20000, kHourMs, &hold).ok());
  EXPECT_EQ(engine_.AdvanceAndFire(kHourMs - 1), 0u);
  EXPECT_EQ(ReasonOf(Release(tenant_, hold.id(), 0, &hold)), "");
  ASSERT_TRUE(Lock(30000, kHourMs, &hold).ok());
  engine_.clock().Advance(kHourMs);
  // Past its deadline but not yet fired: it can no longer be released.
  EXPECT_EQ(ReasonOf(Release(tenant_, hold.id(), 0, &hold)), "HOLD_EXPIRED");
  EXPECT_EQ(engine_.AdvanceAndFire(0), 1u);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 20000);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 20000);
}

TEST_F(HoldTest, ARetriedLockMovesMoneyOnceAndReturnsTheSameHold) {
  v1::Hold first;
  v1::Hold second;
  ASSERT_TRUE(Lock(20000, kHourMs, &first, "lock-once").ok());
  ASSERT_TRUE(Lock(20000, kHourMs, &second, "lock-once").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 480000);
}

TEST_F(HoldTest, ARetrySignedAgainLaterGetsTheFirstAnswer) {
  v1::Hold first;
  ASSERT_TRUE(Lock(20000, kHourMs, &first, "lock-resigned").ok());
  engine_.clock().Advance(60 * 1000);
  v1::Command command;
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(tenant_.account("EUR"));
  action->set_beneficiary_account_id(landlord_.account("EUR"));
  action->mutable_amount()->set_currency("EUR");
  action->mutable_amount()->set_minor_units(20000);
  action->set_expires_at_unix_ms(first.expires_at_unix_ms());
  v1::Hold again;
  ASSERT_TRUE(
      engine_.Call(&v1::EscrowEngine::Stub::CreateHold, tenant_, "lock-resigned", command, &again)
          .ok());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 480000);
}

TEST_F(HoldTest, ARetriedCreditAcrossARestartMovesMoneyOnce) {
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 100, "wire-7").ok());
  engine_.Restart();
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 100, "wire-7").ok());
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500100);
}

}  // namespace
}  // namespace argentpoche::testing
