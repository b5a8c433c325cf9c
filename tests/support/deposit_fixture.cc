#include "tests/support/deposit_fixture.h"

#include "engine/envelope.h"
#include "engine/journal.h"

namespace argentpoche::testing {

google::protobuf::RepeatedPtrField<v1::Payout> Split(const std::string& landlord_id,
                                                     int64_t to_landlord,
                                                     const std::string& tenant_id,
                                                     int64_t to_tenant) {
  google::protobuf::RepeatedPtrField<v1::Payout> payouts;
  for (const auto& [party, amount] :
       {std::pair{landlord_id, to_landlord}, std::pair{tenant_id, to_tenant}}) {
    v1::Payout* payout = payouts.Add();
    payout->set_party_id(party);
    payout->mutable_amount()->set_currency("EUR");
    payout->mutable_amount()->set_minor_units(amount);
  }
  return payouts;
}

void DepositTest::SetUp() {
  engine_.Enroll(tenant_, "Tom Tenant", {"EUR"});
  engine_.Enroll(landlord_, "Claire Landlord", {"EUR"});
  engine_.Enroll(arbiter_, "Ada Arbiter", {"EUR"});
  engine_.Enroll(stranger_, "Sam Stranger", {"EUR"});
  ASSERT_TRUE(engine_.Credit(tenant_.account("EUR"), "EUR", 500000, "salary").ok());
}

v1::DepositTerms DepositTest::Terms(int64_t amount) const {
  v1::DepositTerms terms;
  terms.set_tenant_party_id(tenant_.id());
  terms.set_landlord_party_id(landlord_.id());
  terms.set_arbiter_party_id(arbiter_.id());
  terms.mutable_amount()->set_currency("EUR");
  terms.mutable_amount()->set_minor_units(amount);
  const int64_t now = kTestEpochMs;
  terms.set_fund_by_unix_ms(now + kHourMs);
  terms.set_return_by_unix_ms(now + 30 * kDayMs);
  terms.set_contest_window_ms(7 * kDayMs);
  terms.set_description("12 rue des Lilas, Lyon: deposit of the lease of 1 December 2026");
  return terms;
}

grpc::Status DepositTest::Create(const v1::DepositTerms& terms, v1::Contract* contract,
                                 const TestParty* by) {
  v1::ContractTerms contract_terms;
  *contract_terms.mutable_deposit() = terms;
  v1::Command command;
  command.mutable_create_contract()->set_terms(contract_terms.SerializeAsString());
  return engine_.Call(&v1::EscrowEngine::Stub::CreateContract, by ? *by : landlord_,
                      NextRequestId(), command, contract);
}

grpc::Status DepositTest::Sign(const TestParty& party, const v1::Contract& contract,
                               v1::Contract* out) {
  v1::Command command;
  command.mutable_sign_contract()->set_contract_id(contract.id());
  command.mutable_sign_contract()->set_signature(
      SignContractTerms(contract.terms_hash(), party.key));
  return engine_.Call(&v1::EscrowEngine::Stub::SignContract, party, NextRequestId(), command, out);
}

grpc::Status DepositTest::Fund(const TestParty& party, const std::string& contract_id,
                               v1::Contract* out) {
  v1::Command command;
  command.mutable_fund_contract()->set_contract_id(contract_id);
  return engine_.Call(&v1::EscrowEngine::Stub::FundContract, party, NextRequestId(), command, out);
}

v1::Contract DepositTest::FundedDeposit(int64_t amount) {
  v1::Contract contract;
  EXPECT_TRUE(Create(Terms(amount), &contract).ok());
  for (const TestParty* party : {&tenant_, &landlord_, &arbiter_}) {
    grpc::Status status = Sign(*party, contract, &contract);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_SIGNED);
  grpc::Status status = Fund(tenant_, contract.id(), &contract);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  return contract;
}

grpc::Status DepositTest::Propose(const TestParty& party, const std::string& contract_id,
                                  int64_t to_landlord, int64_t to_tenant, v1::Contract* out) {
  v1::Command command;
  command.mutable_propose_split()->set_contract_id(contract_id);
  *command.mutable_propose_split()->mutable_payouts() =
      Split(landlord_.id(), to_landlord, tenant_.id(), to_tenant);
  return engine_.Call(&v1::EscrowEngine::Stub::ProposeSplit, party, NextRequestId(), command, out);
}

grpc::Status DepositTest::Accept(const TestParty& party, const std::string& contract_id,
                                 uint32_t number, v1::Contract* out) {
  v1::Command command;
  command.mutable_accept_split()->set_contract_id(contract_id);
  command.mutable_accept_split()->set_proposal_number(number);
  return engine_.Call(&v1::EscrowEngine::Stub::AcceptSplit, party, NextRequestId(), command, out);
}

grpc::Status DepositTest::Dispute(const TestParty& party, const std::string& contract_id,
                                  v1::Contract* out) {
  v1::Command command;
  command.mutable_dispute_contract()->set_contract_id(contract_id);
  command.mutable_dispute_contract()->set_reason("the window was already cracked when I moved in");
  return engine_.Call(&v1::EscrowEngine::Stub::DisputeContract, party, NextRequestId(), command,
                      out);
}

grpc::Status DepositTest::Decide(const TestParty& party, const std::string& contract_id,
                                 int64_t to_landlord, int64_t to_tenant, v1::Contract* out) {
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(contract_id);
  *command.mutable_decide_contract()->mutable_payouts() =
      Split(landlord_.id(), to_landlord, tenant_.id(), to_tenant);
  return engine_.Call(&v1::EscrowEngine::Stub::DecideContract, party, NextRequestId(), command,
                      out);
}

v1::Contract DepositTest::Get(const std::string& contract_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetContractRequest request;
  request.set_contract_id(contract_id);
  v1::Contract contract;
  grpc::Status status = engine_.stub().GetContract(&context, request, &contract);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return contract;
}

v1::SettlementReceipt DepositTest::VerifiedReceipt(const v1::Contract& contract) {
  return engine_.VerifiedReceipt(contract);
}

uint64_t DepositTest::JournalRecords() { return engine_.VerifiedJournalRecords(); }

}  // namespace argentpoche::testing
