// A fixture for oracles and conditional contracts over TestEngine: an insurer, an
// insured, an arbiter and a stranger enrolled with USD accounts (insurer and insured
// credited 100,000.00 USD each), three oracles registered for "weather/test/*",
// "weather/fte/*" and "price/*", and helpers to announce, attest, and create, sign and fund
// contracts. Test keys only.
#ifndef ARGENTPOCHE_TESTS_SUPPORT_ORACLE_FIXTURE_H_
#define ARGENTPOCHE_TESTS_SUPPORT_ORACLE_FIXTURE_H_

#include <map>
#include <string>
#include <vector>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "argentpoche/v1/templates.pb.h"
#include "gtest/gtest.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {

class OracleTest : public ::testing::Test {
 protected:
  static constexpr int64_t kHour = 3600 * 1000;
  static constexpr int64_t kDay = 24 * kHour;
  static constexpr int64_t kFunds = 10'000'000;  // 100,000.00 USD

  OracleTest() = default;
  // For fixtures whose engine clock starts at another time (replaying old records).
  explicit OracleTest(int64_t clock_start_unix_ms) : engine_({}, clock_start_unix_ms) {}

  void SetUp() override;

  std::string NextRequestId() { return "request-" + std::to_string(++request_counter_); }

  // RegisterOracle as the operator: `oracle` may attest `feeds` with its own key.
  grpc::Status RegisterOracle(const TestParty& oracle, const std::vector<std::string>& feeds,
                              v1::Oracle* out = nullptr);
  // RegisterOracle of `action` signed by `caller` (the operator or not).
  grpc::Status RegisterOracleAs(const TestParty& caller, const v1::RegisterOracle& action,
                                v1::Oracle* out = nullptr);
  // RotateOracleKey of `oracle` to `key` (valid for a year) signed by `caller`.
  grpc::Status RotateKey(const TestParty& caller, const TestParty& oracle, const SigningKey& key,
                         v1::Oracle* out = nullptr);
  // RevokeOracle as the operator: one key (`key_id`), or the whole oracle (`key_id` empty).
  grpc::Status Revoke(const TestParty& oracle, const std::string& key_id);
  // AnnounceEvent as `oracle`: observations in [from, until).
  grpc::Status Announce(const TestParty& oracle, const std::string& feed,
                        const std::string& event_id, int64_t from, int64_t until,
                        v1::OracleEvent* out = nullptr);
  // An attestation signed by `signer`, naming `oracle` and the signer's key.
  static v1::SignedEnvelope SealAttestation(const TestParty& oracle, const SigningKey& signer,
                                            const std::string& feed, const std::string& event_id,
                                            int64_t value, uint32_t scale, int64_t observed_at);
  // SubmitAttestation as `oracle` of an envelope signed with its own key.
  grpc::Status Attest(const TestParty& oracle, const std::string& feed, const std::string& event_id,
                      int64_t value, uint32_t scale, int64_t observed_at,
                      v1::AttestationReceipt* receipt = nullptr);
  grpc::Status Submit(const TestParty& oracle, const v1::SignedEnvelope& envelope,
                      v1::AttestationReceipt* receipt = nullptr);
  // The SubmitAttestation command of `envelope` with `request_id`, signed by `oracle` now.
  v1::SignedCommand SignedSubmit(const TestParty& oracle, const v1::SignedEnvelope& envelope,
                                 const std::string& request_id);
  // EndorseContract and RevealPreimage as `by`.
  grpc::Status Endorse(const TestParty& by, const std::string& contract_id, v1::Contract* out);
  grpc::Status Reveal(const TestParty& by, const std::string& contract_id,
                      const std::string& preimage, v1::Contract* out);

  // A flood cover on weather/<source>/<station>/rain_mm for [start, end]: trigger 50.0 mm,
  // exit 150.0 mm (scale 1), limit 10,000.00 USD, premium 400.00, 2 of the 3 oracles,
  // median within 2.0 mm, 7 days of grace, funded by `fund_by`; the arbiter named unless
  // `with_arbiter` is false.
  v1::WeatherCoverTerms FloodCover(const std::string& source, const std::string& station,
                                   const std::string& start, const std::string& end,
                                   int64_t fund_by, bool with_arbiter = true) const;

  // An option on price/BTC-USD (prices at scale 2, strike 42,000.00, collateral
  // 10,000.00 USD) written by the insurer for the insured, on the three oracles with a
  // quorum of 2, a day of grace, funded within the hour.
  v1::OptionTerms BtcOption(v1::OptionKind kind, int64_t quantity, uint32_t quantity_scale,
                            int64_t premium, int64_t expiry, v1::Aggregation aggregation,
                            int64_t max_spread) const;

  // CreateContract of `terms` as `by`.
  grpc::Status Create(const v1::ContractTerms& terms, const TestParty& by, v1::Contract* out);
  // Created by `by`, signed by each party, funded by each funder in turn; fails the test
  // otherwise. `funders` fund in order.
  v1::Contract CreateSignFund(const v1::ContractTerms& terms, const TestParty& by,
                              const std::vector<const TestParty*>& signers,
                              const std::vector<const TestParty*>& funders);
  v1::Contract Get(const std::string& contract_id);
  v1::Oracle GetOracle(const TestParty& oracle);
  v1::OracleEvent GetEvent(const std::string& feed, const std::string& event_id);
  std::vector<v1::StoredAttestation> Attestations(const std::string& feed,
                                                  const std::string& event_id);
  v1::SettlementReceipt VerifiedReceipt(const v1::Contract& contract);
  uint64_t JournalRecords();
  // Fails the test unless every currency sums to zero and the journal verifies.
  void ExpectConsistent();

  // What a refusal must leave exactly as it was.
  struct Snapshot {
    uint64_t journal_records = 0;
    // The USD balances of the insurer, insured, arbiter and stranger, by party id.
    std::map<std::string, int64_t> balances;
    // SHA-256 over every key and value of every table: oracles, events, attestations,
    // contracts, holds, idempotency records, the schedule, everything.
    std::string state_digest;
  };
  Snapshot TakeSnapshot();
  // Fails the test unless `status` is the refusal `code` with ErrorInfo reason `reason`,
  // its message is a sentence for a person that mentions `mentions`, and nothing in the
  // store changed since `before`.
  void ExpectRefused(const grpc::Status& status, grpc::StatusCode code, const std::string& reason,
                     const std::string& mentions, const Snapshot& before);

  TestEngine engine_;
  TestParty insurer_{21};
  TestParty insured_{22};
  TestParty arbiter_{23};
  TestParty stranger_{24};
  TestParty oracle_a_{31};
  TestParty oracle_b_{32};
  TestParty oracle_c_{33};
  int request_counter_ = 0;
};

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_ORACLE_FIXTURE_H_
