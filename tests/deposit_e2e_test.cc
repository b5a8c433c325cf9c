// Rental deposits end to end through the real gRPC server, on RocksDB in a temp dir:
// every release path, deadlines across a restart, and the signed receipts.
#include "engine/audit.h"
#include "gtest/gtest.h"
#include "tests/support/deposit_fixture.h"

namespace argentpoche::testing {
namespace {

TEST_F(DepositTest, LockingTheDepositMovesItFromTheTenantIntoEscrow) {
  v1::Contract contract = FundedDeposit(120000);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 120000);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 0);
  EXPECT_EQ(engine_.Balance("hold:" + contract.funding_legs(0).hold_id()), 120000);
  EXPECT_TRUE(CheckConservation(engine_.store()).ok());
}

TEST_F(DepositTest, BothAgreeingOnASplitReleasesItAtOnce) {
  v1::Contract contract = FundedDeposit(120000);
  ASSERT_TRUE(Propose(landlord_, contract.id(), 15000, 105000, &contract).ok());
  grpc::Status status = Accept(tenant_, contract.id(), 1, &contract);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 15000);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 15000);
  v1::SettlementReceipt receipt = VerifiedReceipt(contract);
  EXPECT_EQ(receipt.outcome(), v1::SETTLEMENT_OUTCOME_AGREED);
  ASSERT_EQ(receipt.payouts_size(), 2);
  EXPECT_EQ(receipt.payouts(0).amount().minor_units() + receipt.payouts(1).amount().minor_units(),
            120000);
  EXPECT_TRUE(CheckConservation(engine_.store()).ok());
}

TEST_F(DepositTest, TheTenantCanProposeAndTheLandlordAccept) {
  v1::Contract contract = FundedDeposit(120000);
  ASSERT_TRUE(Propose(tenant_, contract.id(), 0, 120000, &contract).ok());
  ASSERT_TRUE(Accept(landlord_, contract.id(), 1, &contract).ok());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000);
}

TEST_F(DepositTest, AnUncontestedSplitSettlesWhenItsWindowCloses) {
  v1::Contract contract = FundedDeposit(120000);
  ASSERT_TRUE(Propose(landlord_, contract.id(), 30000, 90000, &contract).ok());
  engine_.AdvanceAndFire(7 * kDayMs - 1);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 0);
  EXPECT_EQ(engine_.AdvanceAndFire(1), 1u);
  contract = Get(contract.id());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_UNCONTESTED);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 30000);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 30000);
}

TEST_F(DepositTest, ADisputeGoesToTheArbiterWhoDecides) {
  v1::Contract contract = FundedDeposit(120000);
  ASSERT_TRUE(Propose(landlord_, contract.id(), 60000, 60000, &contract).ok());
  ASSERT_TRUE(Dispute(tenant_, contract.id(), &contract).ok());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_DISPUTED);
  // The contest window closing no longer settles anything.
  engine_.AdvanceAndFire(8 * kDayMs);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_DISPUTED);

  grpc::Status status = Decide(tenant_, contract.id(), 0, 120000, &contract);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Decide(arbiter_, contract.id(), 20000, 100000, &contract).ok());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_ARBITRATED);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 20000);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000 - 20000);
}

TEST_F(DepositTest, WithNoClaimTheTenantIsRefundedEvenAcrossARestart) {
  v1::Contract contract = FundedDeposit(120000);
  engine_.Restart();
  EXPECT_EQ(engine_.AdvanceAndFire(30 * kDayMs - kHourMs), 0u);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);
  engine_.Stop();
  engine_.clock().Advance(2 * kHourMs);  // the return deadline passes while it is down
  engine_.Restart();
  EXPECT_EQ(engine_.AdvanceAndFire(0), 1u);
  contract = Get(contract.id());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_REFUNDED);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000);
  EXPECT_EQ(engine_.Balance(landlord_.account("EUR")), 0);
  EXPECT_TRUE(CheckConservation(engine_.store()).ok());
}

TEST_F(DepositTest, ADepositNeverFundedExpires) {
  v1::Contract contract;
  ASSERT_TRUE(Create(Terms(), &contract).ok());
  ASSERT_TRUE(Sign(tenant_, contract, &contract).ok());
  EXPECT_EQ(engine_.AdvanceAndFire(kHourMs), 1u);
  contract = Get(contract.id());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_EXPIRED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_EXPIRED);
  EXPECT_EQ(Fund(tenant_, contract.id(), &contract).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), 500000);
}

TEST_F(DepositTest, AFiredDeadlineIsJournaledOnceAndTheChainVerifies) {
  v1::Contract contract = FundedDeposit(120000);
  const uint64_t before = JournalRecords();
  EXPECT_EQ(engine_.AdvanceAndFire(31 * kDayMs), 1u);
  EXPECT_EQ(engine_.AdvanceAndFire(kDayMs), 0u);
  EXPECT_EQ(JournalRecords(), before + 1);
}

TEST_F(DepositTest, TheHistoryTellsWhatHappenedInWords) {
  v1::Contract contract = FundedDeposit(120000);
  ASSERT_TRUE(Propose(landlord_, contract.id(), 15000, 105000, &contract).ok());
  ASSERT_TRUE(Accept(tenant_, contract.id(), 1, &contract).ok());
  std::string history;
  for (const std::string& line : contract.history()) history += line + "\n";
  EXPECT_NE(history.find("the tenant (Tom Tenant) locked 1200.00 EUR"), std::string::npos)
      << history;
  EXPECT_NE(history.find("150.00 EUR to the landlord (Claire Landlord)"), std::string::npos)
      << history;
}

}  // namespace
}  // namespace argentpoche::testing
