// Property test through the real server: a seeded random mix of credits, debits,
// holds, deposit lifecycles, blind retries and clock jumps. After every call: each
// currency sums to zero, the float carries exactly what was issued, no party account
// is negative; a retry never moves money twice; at the end the journal chain verifies.
#include <random>

#include "engine/audit.h"
#include "engine/journal.h"
#include "gtest/gtest.h"
#include "tests/support/deposit_fixture.h"

namespace argentpoche::testing {
namespace {

class LedgerPropertyTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  void SetUp() override {
    for (uint8_t i = 0; i < kParties; ++i) {
      parties_.push_back(std::make_unique<TestParty>(static_cast<uint8_t>(10 + i)));
      engine_.Enroll(*parties_.back(), "party " + std::to_string(i), {"EUR", "JPY"});
    }
  }

  const TestParty& RandomParty() { return *parties_[random_() % parties_.size()]; }
  std::string RandomCurrency() { return random_() % 2 ? "EUR" : "JPY"; }
  int64_t RandomAmount() { return 1 + static_cast<int64_t>(random_() % 50000); }
  std::string NewRequestId() { return "property-" + std::to_string(++requests_); }

  // Sends `request` (already signed) and, half the time, blindly sends it again: the
  // retry must answer the same and change nothing.
  template <typename Response>
  grpc::Status SendWithRetry(grpc::Status (v1::EscrowEngine::Stub::*method)(
                                 grpc::ClientContext*, const v1::SignedCommand&, Response*),
                             const v1::SignedCommand& request, Response* response) {
    grpc::Status status = engine_.Send(method, request, response);
    if (status.ok() && random_() % 2 == 0) {
      const uint64_t records = *VerifyJournal(engine_.store());
      Response again;
      grpc::Status retried = engine_.Send(method, request, &again);
      EXPECT_TRUE(retried.ok()) << retried.error_message();
      EXPECT_EQ(again.SerializeAsString(), response->SerializeAsString());
      EXPECT_EQ(*VerifyJournal(engine_.store()), records);
      ++retries_;
    }
    return status;
  }

  template <typename Response>
  grpc::Status Act(grpc::Status (v1::EscrowEngine::Stub::*method)(grpc::ClientContext*,
                                                                  const v1::SignedCommand&,
                                                                  Response*),
                   const TestParty& party, v1::Command command, Response* response) {
    command.set_request_id(NewRequestId());
    return SendWithRetry(method, SignCommand(command, party.key, engine_.clock().NowUnixMs()),
                         response);
  }

  void CheckInvariants() {
    absl::Status conserved = CheckConservation(engine_.store());
    ASSERT_TRUE(conserved.ok()) << conserved;
    for (const std::string currency : {"EUR", "JPY"}) {
      grpc::ClientContext context;
      v1::GetAccountRequest request;
      request.set_account_id("float:" + currency);
      v1::Account float_account;
      if (engine_.stub().GetAccount(&context, request, &float_account).ok()) {
        EXPECT_EQ(-float_account.balance().minor_units(), issued_[currency]);
      }
    }
  }

  void Step();

  static constexpr uint8_t kParties = 5;
  TestEngine engine_;
  std::vector<std::unique_ptr<TestParty>> parties_;
  std::mt19937_64 random_{GetParam()};
  std::map<std::string, int64_t> issued_;
  std::vector<std::pair<std::string, const TestParty*>> holds_;  // hold id, payer
  int requests_ = 0;
  int retries_ = 0;
  int succeeded_ = 0;
};

void LedgerPropertyTest::Step() {
  const TestParty& party = RandomParty();
  const TestParty& other = RandomParty();
  const std::string currency = RandomCurrency();
  v1::Command command;
  grpc::Status status;
  switch (random_() % 6) {
    case 0:
    case 1: {  // the operator credits (two times in three) or debits
      const bool credit = random_() % 3 != 0;
      v1::Money amount;
      amount.set_currency(currency);
      amount.set_minor_units(credit ? RandomAmount() * 3 : RandomAmount());
      v1::Transfer transfer;
      if (credit) {
        command.mutable_credit_account()->set_account_id(party.account(currency));
        *command.mutable_credit_account()->mutable_amount() = amount;
        status = Act(&v1::EscrowEngine::Stub::CreditAccount, engine_.operator_party(), command,
                     &transfer);
      } else {
        command.mutable_debit_account()->set_account_id(party.account(currency));
        *command.mutable_debit_account()->mutable_amount() = amount;
        status = Act(&v1::EscrowEngine::Stub::DebitAccount, engine_.operator_party(), command,
                     &transfer);
      }
      if (status.ok()) issued_[currency] += credit ? amount.minor_units() : -amount.minor_units();
      break;
    }
    case 2: {  // lock a hold
      if (&party == &other) return;
      v1::CreateHold* action = command.mutable_create_hold();
      action->set_payer_account_id(party.account(currency));
      action->set_beneficiary_account_id(other.account(currency));
      action->mutable_amount()->set_currency(currency);
      action->mutable_amount()->set_minor_units(RandomAmount());
      action->set_expires_at_unix_ms(engine_.clock().NowUnixMs() + 1 +
                                     static_cast<int64_t>(random_() % (2 * kHourMs)));
      v1::Hold hold;
      status = Act(&v1::EscrowEngine::Stub::CreateHold, party, command, &hold);
      if (status.ok()) holds_.emplace_back(hold.id(), &party);
      break;
    }
    case 3: {  // resolve a hold: release by its payer (maybe in part) or a stranger's try
      if (holds_.empty()) return;
      const auto& [hold_id, payer] = holds_[random_() % holds_.size()];
      command.mutable_release_hold()->set_hold_id(hold_id);
      if (random_() % 2) {
        command.mutable_release_hold()->mutable_amount()->set_currency(currency);
        command.mutable_release_hold()->mutable_amount()->set_minor_units(RandomAmount());
      }
      v1::Hold hold;
      status =
          Act(&v1::EscrowEngine::Stub::ReleaseHold, random_() % 4 ? *payer : other, command, &hold);
      break;
    }
    case 4: {  // the clock jumps; deadlines fire
      engine_.AdvanceAndFire(static_cast<int64_t>(random_() % kHourMs));
      return;
    }
    case 5: {  // a whole deposit between two parties, settled one of the ways
      if (&party == &other) return;
      const TestParty& arbiter = *parties_[0];
      if (&arbiter == &party || &arbiter == &other) return;
      v1::ContractTerms terms;
      v1::DepositTerms* deposit = terms.mutable_deposit();
      deposit->set_tenant_party_id(party.id());
      deposit->set_landlord_party_id(other.id());
      deposit->set_arbiter_party_id(arbiter.id());
      deposit->mutable_amount()->set_currency(currency);
      deposit->mutable_amount()->set_minor_units(RandomAmount());
      deposit->set_fund_by_unix_ms(engine_.clock().NowUnixMs() + kHourMs);
      deposit->set_return_by_unix_ms(engine_.clock().NowUnixMs() + 3 * kHourMs);
      deposit->set_contest_window_ms(kHourMs);
      command.mutable_create_contract()->set_terms(terms.SerializeAsString());
      v1::Contract contract;
      status = Act(&v1::EscrowEngine::Stub::CreateContract, other, command, &contract);
      if (!status.ok()) break;
      for (const TestParty* signer : {&party, &other, &arbiter}) {
        v1::Command sign;
        sign.mutable_sign_contract()->set_contract_id(contract.id());
        sign.mutable_sign_contract()->set_signature(
            SignContractTerms(contract.terms_hash(), signer->key));
        ASSERT_TRUE(Act(&v1::EscrowEngine::Stub::SignContract, *signer, sign, &contract).ok());
      }
      v1::Command fund;
      fund.mutable_fund_contract()->set_contract_id(contract.id());
      if (!Act(&v1::EscrowEngine::Stub::FundContract, party, fund, &contract).ok()) break;
      const int64_t locked = deposit->amount().minor_units();
      const int64_t to_landlord = static_cast<int64_t>(random_() % (locked + 1));
      v1::Command propose;
      propose.mutable_propose_split()->set_contract_id(contract.id());
      *propose.mutable_propose_split()->mutable_payouts() =
          Split(other.id(), to_landlord, party.id(), locked - to_landlord);
      for (v1::Payout& payout : *propose.mutable_propose_split()->mutable_payouts()) {
        payout.mutable_amount()->set_currency(currency);
      }
      if (random_() % 3 == 0) break;  // left to the return deadline
      ASSERT_TRUE(Act(&v1::EscrowEngine::Stub::ProposeSplit, other, propose, &contract).ok());
      if (random_() % 2 == 0) {
        v1::Command accept;
        accept.mutable_accept_split()->set_contract_id(contract.id());
        accept.mutable_accept_split()->set_proposal_number(1);
        ASSERT_TRUE(Act(&v1::EscrowEngine::Stub::AcceptSplit, party, accept, &contract).ok());
      }
      break;  // otherwise the contest window settles it
    }
  }
  if (status.ok()) ++succeeded_;
}

TEST_P(LedgerPropertyTest, MoneyIsConservedAfterEveryCommitAndRetriesMoveNothing) {
  constexpr int kSteps = 300;
  for (int step = 0; step < kSteps; ++step) {
    Step();
    CheckInvariants();
    if (HasFatalFailure()) return;
  }
  engine_.AdvanceAndFire(10 * kDayMs);  // every deadline fires
  CheckInvariants();
  absl::StatusOr<uint64_t> records = VerifyJournal(engine_.store());
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_GT(succeeded_, kSteps / 4);
  EXPECT_GT(retries_, 10);
  // Nothing is left locked once every deadline has passed.
  for (const auto& [hold_id, payer] : holds_) {
    EXPECT_EQ(engine_.Balance("hold:" + hold_id), 0) << hold_id;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, LedgerPropertyTest, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace argentpoche::testing
