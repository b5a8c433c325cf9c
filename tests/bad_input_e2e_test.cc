// Bad input through the real server: each refused with the right code and reason, and
// nothing changed (no journal record appended, so no state and no money moved).
#include "engine/audit.h"
#include "engine/envelope.h"
#include "gtest/gtest.h"
#include "tests/support/deposit_fixture.h"

namespace argentpoche::testing {
namespace {

class BadInputTest : public DepositTest {
 protected:
  // Asserts `status` is the expected refusal and that the journal did not grow.
  void ExpectRefused(const grpc::Status& status, grpc::StatusCode code, const std::string& reason,
                     uint64_t journal_before) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_EQ(ReasonOf(status), reason) << status.error_message();
    EXPECT_FALSE(status.error_message().empty());
    EXPECT_EQ(JournalRecords(), journal_before);
    EXPECT_EQ(engine_.Balance(tenant_.account("EUR")), tenant_balance_);
    EXPECT_TRUE(CheckConservation(engine_.store()).ok());
  }
  grpc::Status CreditTenant(int64_t minor_units, const std::string& currency = "EUR") {
    return engine_.Credit(tenant_.account("EUR"), currency, minor_units, NextRequestId());
  }
  void SetUp() override {
    DepositTest::SetUp();
    tenant_balance_ = engine_.Balance(tenant_.account("EUR"));
  }
  int64_t tenant_balance_ = 0;
};

TEST_F(BadInputTest, AmountsZeroNegativeOrBeyondTheCurrencyRangeAreRefused) {
  const uint64_t before = JournalRecords();
  ExpectRefused(CreditTenant(0), grpc::StatusCode::INVALID_ARGUMENT, "AMOUNT_NOT_POSITIVE", before);
  ExpectRefused(CreditTenant(-500), grpc::StatusCode::INVALID_ARGUMENT, "AMOUNT_NOT_POSITIVE",
                before);
  ExpectRefused(CreditTenant(100'000'000'000'000'001), grpc::StatusCode::OUT_OF_RANGE,
                "AMOUNT_OUT_OF_RANGE", before);
}

TEST_F(BadInputTest, UnknownAndMismatchedCurrenciesAreRefused) {
  const uint64_t before = JournalRecords();
  ExpectRefused(CreditTenant(100, "EUX"), grpc::StatusCode::INVALID_ARGUMENT, "UNKNOWN_CURRENCY",
                before);
  ExpectRefused(CreditTenant(100, "USD"), grpc::StatusCode::INVALID_ARGUMENT, "CURRENCY_MISMATCH",
                before);
  v1::DepositTerms terms = Terms();
  terms.mutable_amount()->set_currency("CHF");
  v1::Contract contract;
  ExpectRefused(Create(terms, &contract), grpc::StatusCode::FAILED_PRECONDITION,
                "ACCOUNT_NOT_FOUND", before);
}

TEST_F(BadInputTest, UnknownAccountsAndContractsAreNotFound) {
  const uint64_t before = JournalRecords();
  ExpectRefused(engine_.Credit("nobody:EUR", "EUR", 100, NextRequestId()),
                grpc::StatusCode::NOT_FOUND, "ACCOUNT_NOT_FOUND", before);
  v1::Contract contract;
  ExpectRefused(Fund(tenant_, "c0000000000000000", &contract), grpc::StatusCode::NOT_FOUND,
                "CONTRACT_NOT_FOUND", before);
}

TEST_F(BadInputTest, ASignatureOverOtherBytesOrByAnotherKeyIsRefused) {
  const uint64_t before = JournalRecords();
  v1::Command command;
  command.set_request_id("tampered");
  command.mutable_credit_account()->set_account_id(tenant_.account("EUR"));
  command.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  command.mutable_credit_account()->mutable_amount()->set_minor_units(100);
  v1::SignedCommand signed_command =
      SignCommand(command, engine_.operator_party().key, engine_.clock().NowUnixMs());
  v1::Transfer transfer;

  v1::SignedCommand tampered = signed_command;
  tampered.mutable_envelope()->mutable_body()->back() ^= 1;
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, tampered, &transfer),
                grpc::StatusCode::UNAUTHENTICATED, "BAD_SIGNATURE", before);

  v1::SignedCommand truncated = signed_command;
  truncated.mutable_envelope()->mutable_body()->resize(truncated.envelope().body().size() / 2);
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, truncated, &transfer),
                grpc::StatusCode::UNAUTHENTICATED, "BAD_SIGNATURE", before);

  // The tenant signs a credit and claims to be the operator.
  v1::SignedCommand impostor = SignCommand(command, tenant_.key, engine_.clock().NowUnixMs());
  impostor.mutable_envelope()->set_key_id(engine_.operator_party().id());
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, impostor, &transfer),
                grpc::StatusCode::UNAUTHENTICATED, "BAD_SIGNATURE", before);

  // Signed by the tenant as the tenant: a valid signature, but not an operator.
  ExpectRefused(engine_.Call(&v1::EscrowEngine::Stub::CreditAccount, tenant_, "self-credit",
                             command, &transfer),
                grpc::StatusCode::PERMISSION_DENIED, "NOT_OPERATOR", before);

  v1::SignedCommand unknown = SignCommand(command, TestParty(99).key, engine_.clock().NowUnixMs());
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, unknown, &transfer),
                grpc::StatusCode::UNAUTHENTICATED, "UNKNOWN_SIGNER", before);
}

TEST_F(BadInputTest, MalformedSignedBytesAreRefused) {
  const uint64_t before = JournalRecords();
  v1::Transfer transfer;
  v1::SignedCommand empty;
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, empty, &transfer),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_ENVELOPE", before);

  // Correctly signed bytes that are not a command.
  v1::SignedCommand garbage;
  *garbage.mutable_envelope() = SealEnvelope(domain::kCommand, "\xff\xff\xff\x0f not a command",
                                             engine_.operator_party().key);
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, garbage, &transfer),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_COMMAND", before);

  // A command signed under another domain (a receipt tag) is not a command.
  v1::Command command;
  command.set_request_id("x");
  command.set_caller_party_id(engine_.operator_party().id());
  v1::SignedCommand wrong_domain;
  *wrong_domain.mutable_envelope() =
      SealEnvelope(domain::kReceipt, command.SerializeAsString(), engine_.operator_party().key);
  ExpectRefused(engine_.Send(&v1::EscrowEngine::Stub::CreditAccount, wrong_domain, &transfer),
                grpc::StatusCode::INVALID_ARGUMENT, "WRONG_DOMAIN", before);

  // A valid command sent to the wrong method.
  v1::Command open;
  open.mutable_open_account()->set_currency("USD");
  ExpectRefused(engine_.Call(&v1::EscrowEngine::Stub::CreditAccount, tenant_, "wrong-method", open,
                             &transfer),
                grpc::StatusCode::INVALID_ARGUMENT, "WRONG_METHOD", before);
}

TEST_F(BadInputTest, AStaleSignedCommandIsRefused) {
  const uint64_t before = JournalRecords();
  v1::Command command;
  command.set_request_id("stale");
  command.mutable_open_account()->set_currency("USD");
  v1::Account account;
  ExpectRefused(
      engine_.Send(&v1::EscrowEngine::Stub::OpenAccount,
                   SignCommand(command, tenant_.key, engine_.clock().NowUnixMs() - kHourMs),
                   &account),
      grpc::StatusCode::FAILED_PRECONDITION, "STALE_COMMAND", before);
}

TEST_F(BadInputTest, AReusedRequestIdWithOtherContentIsRefused) {
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 100, "bank-42").ok());
  tenant_balance_ += 100;
  const uint64_t before = JournalRecords();
  ExpectRefused(engine_.Credit(tenant_.account("EUR"), "EUR", 999, "bank-42"),
                grpc::StatusCode::ALREADY_EXISTS, "REQUEST_ID_REUSED", before);
}

TEST_F(BadInputTest, ContractActionsInTheWrongStateOrByTheWrongPartyAreRefused) {
  v1::Contract contract;
  ASSERT_TRUE(Create(Terms(), &contract).ok());
  uint64_t before = JournalRecords();
  v1::Contract out;
  ExpectRefused(Fund(tenant_, contract.id(), &out), grpc::StatusCode::FAILED_PRECONDITION,
                "NOT_SIGNED", before);
  ExpectRefused(Sign(stranger_, contract, &out), grpc::StatusCode::PERMISSION_DENIED, "NOT_A_PARTY",
                before);
  // A signature of other terms.
  v1::Command command;
  command.mutable_sign_contract()->set_contract_id(contract.id());
  command.mutable_sign_contract()->set_signature(SignContractTerms("other terms", tenant_.key));
  ExpectRefused(
      engine_.Call(&v1::EscrowEngine::Stub::SignContract, tenant_, "forged", command, &out),
      grpc::StatusCode::UNAUTHENTICATED, "BAD_SIGNATURE", before);

  contract = FundedDeposit();
  before = JournalRecords();
  tenant_balance_ = engine_.Balance(tenant_.account("EUR"));
  ExpectRefused(Accept(tenant_, contract.id(), 1, &out), grpc::StatusCode::FAILED_PRECONDITION,
                "NO_PROPOSAL", before);
  ExpectRefused(Propose(stranger_, contract.id(), 0, 120000, &out),
                grpc::StatusCode::PERMISSION_DENIED, "NOT_ALLOWED", before);
  ExpectRefused(Decide(arbiter_, contract.id(), 0, 120000, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "NOT_DISPUTED", before);
  ExpectRefused(Propose(landlord_, contract.id(), 100000, 10000, &out),
                grpc::StatusCode::INVALID_ARGUMENT, "SPLIT_MISMATCH", before);
  ASSERT_TRUE(Propose(landlord_, contract.id(), 100000, 20000, &out).ok());
  before = JournalRecords();
  ExpectRefused(Accept(landlord_, contract.id(), 1, &out), grpc::StatusCode::PERMISSION_DENIED,
                "OWN_PROPOSAL", before);
  ExpectRefused(Accept(tenant_, contract.id(), 7, &out), grpc::StatusCode::FAILED_PRECONDITION,
                "PROPOSAL_CHANGED", before);
  // After the contest window (before the scheduler ran), a dispute is too late.
  engine_.clock().Advance(7 * kDayMs);
  ExpectRefused(Dispute(tenant_, contract.id(), &out), grpc::StatusCode::FAILED_PRECONDITION,
                "DEADLINE_PASSED", before);
}

TEST_F(BadInputTest, DeadlinesInThePastAndShortFundsAreRefused) {
  uint64_t before = JournalRecords();
  v1::DepositTerms terms = Terms();
  terms.set_fund_by_unix_ms(engine_.clock().NowUnixMs() - 1);
  v1::Contract contract;
  ExpectRefused(Create(terms, &contract), grpc::StatusCode::INVALID_ARGUMENT, "DEADLINE_IN_PAST",
                before);
  ExpectRefused(Create(Terms(), &contract, &stranger_), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_A_PARTY", before);

  ASSERT_TRUE(Create(Terms(900000), &contract).ok());
  for (const TestParty* party : {&tenant_, &landlord_, &arbiter_}) {
    ASSERT_TRUE(Sign(*party, contract, &contract).ok());
  }
  before = JournalRecords();
  v1::Contract out;
  ExpectRefused(Fund(tenant_, contract.id(), &out), grpc::StatusCode::FAILED_PRECONDITION,
                "INSUFFICIENT_FUNDS", before);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_SIGNED);
}

}  // namespace
}  // namespace argentpoche::testing
