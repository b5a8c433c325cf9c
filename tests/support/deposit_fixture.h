// A deposit test fixture over TestEngine: a tenant, a landlord, an arbiter and a
// stranger, all enrolled with EUR accounts, the tenant credited 5000.00 EUR; helpers
// that create, sign and fund a deposit and act on it. Test keys only.
#ifndef ARGENTPOCHE_TESTS_SUPPORT_DEPOSIT_FIXTURE_H_
#define ARGENTPOCHE_TESTS_SUPPORT_DEPOSIT_FIXTURE_H_

#include <string>

#include "gtest/gtest.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {

inline constexpr int64_t kHourMs = 3600 * 1000;
inline constexpr int64_t kDayMs = 24 * kHourMs;

class DepositTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Deposit terms: `amount` EUR cents, funding within 1 h, return within 30 days,
  // a 7-day contest window.
  v1::DepositTerms Terms(int64_t amount = 120000) const;
  // CreateContract as `by` (the landlord by default).
  grpc::Status Create(const v1::DepositTerms& terms, v1::Contract* contract,
                      const TestParty* by = nullptr);
  grpc::Status Sign(const TestParty& party, const v1::Contract& contract, v1::Contract* out);
  grpc::Status Fund(const TestParty& party, const std::string& contract_id, v1::Contract* out);
  // Created, signed by all three and funded by the tenant; fails the test otherwise.
  v1::Contract FundedDeposit(int64_t amount = 120000);
  grpc::Status Propose(const TestParty& party, const std::string& contract_id, int64_t to_landlord,
                       int64_t to_tenant, v1::Contract* out);
  grpc::Status Accept(const TestParty& party, const std::string& contract_id, uint32_t number,
                      v1::Contract* out);
  grpc::Status Dispute(const TestParty& party, const std::string& contract_id, v1::Contract* out);
  grpc::Status Decide(const TestParty& party, const std::string& contract_id, int64_t to_landlord,
                      int64_t to_tenant, v1::Contract* out);
  v1::Contract Get(const std::string& contract_id);
  // The receipt, checked against the engine's receipt key; fails the test if it is not.
  v1::SettlementReceipt VerifiedReceipt(const v1::Contract& contract);
  // Records in the journal (every state change appends one).
  uint64_t JournalRecords();
  std::string NextRequestId() { return "request-" + std::to_string(++request_counter_); }

  TestEngine engine_;
  TestParty tenant_{1};
  TestParty landlord_{2};
  TestParty arbiter_{3};
  TestParty stranger_{4};
  int request_counter_ = 0;
};

// A payout list: landlord then tenant.
google::protobuf::RepeatedPtrField<v1::Payout> Split(const std::string& landlord_id,
                                                     int64_t to_landlord,
                                                     const std::string& tenant_id,
                                                     int64_t to_tenant);

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_DEPOSIT_FIXTURE_H_
