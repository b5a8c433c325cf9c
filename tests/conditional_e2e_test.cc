// Conditional contracts end to end through the real gRPC server on RocksDB: a weather
// cover and an option settled by a 2-of-3 quorum of oracles, a liar beyond the allowed
// spread sending the contract to dispute, an equivocating oracle caught and flagged,
// stale attestations left unused, refunds at the hard deadline (across a restart),
// endorsements and preimages, one attestation settling every contract waiting on its
// event, and terms refused at creation with nothing changed.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/feeds.h"
#include "engine/weather_template.h"
#include "tests/support/oracle_fixture.h"

namespace argentpoche::testing {
namespace {

constexpr char kFeed[] = "weather/test/CP/rain_mm";
constexpr char kEvent[] = "2026-12-01..2026-12-07";
// 2026-12-08 00:00 UTC: the day after the period, when the index is known.
constexpr int64_t kObserved = 1796688000000;

class ConditionalTest : public OracleTest {
 protected:
  v1::WeatherCoverTerms Cover(bool with_arbiter = true) const {
    return FloodCover("test", "CP", "2026-12-01", "2026-12-07", kTestEpochMs + kDay, with_arbiter);
  }

  v1::Contract FundedCover(const v1::WeatherCoverTerms& cover) {
    v1::ContractTerms terms;
    *terms.mutable_weather_cover() = cover;
    std::vector<const TestParty*> signers = {&insurer_, &insured_};
    if (!cover.arbiter_party_id().empty()) signers.push_back(&arbiter_);
    v1::Contract contract = CreateSignFund(terms, insured_, signers, {&insurer_, &insured_});
    EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
    EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000);
    EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000);
    return contract;
  }

  // The period is over: the clock one hour past it, the event announced.
  void PeriodEnds() {
    engine_.AdvanceAndFire(kObserved + kHour - engine_.clock().NowUnixMs());
    grpc::Status status = Announce(oracle_a_, kFeed, kEvent, kObserved, kObserved + 7 * kDay);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Decide(const std::string& contract_id, int64_t to_insured, int64_t to_insurer,
                      v1::Contract* out) {
    v1::Command command;
    command.mutable_decide_contract()->set_contract_id(contract_id);
    for (const auto& [party, amount] :
         {std::pair{insured_.id(), to_insured}, std::pair{insurer_.id(), to_insurer}}) {
      v1::Payout* payout = command.mutable_decide_contract()->add_payouts();
      payout->set_party_id(party);
      payout->mutable_amount()->set_currency("USD");
      payout->mutable_amount()->set_minor_units(amount);
    }
    return engine_.Call(&v1::EscrowEngine::Stub::DecideContract, arbiter_, NextRequestId(), command,
                        out);
  }
};

TEST_F(ConditionalTest, TwoOfThreeOraclesSettleTheCoverToTheCent) {
  v1::Contract contract = FundedCover(Cover());
  PeriodEnds();
  v1::AttestationReceipt receipt;
  ASSERT_TRUE(Attest(oracle_a_, kFeed, kEvent, 1000, 1, kObserved, &receipt).ok());
  EXPECT_TRUE(receipt.affected_contract_ids().empty());
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);  // 1 of 2 so far
  // 100.4 mm attested at scale 2 (10040): rescaled to 1004, within the 2.0 mm spread.
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 10040, 2, kObserved, &receipt).ok());
  ASSERT_EQ(receipt.affected_contract_ids_size(), 1);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  // Lower median of {1000, 1004}: 100.0 mm, halfway from 50 to 150: 5,000.00 to the
  // insured; the insurer keeps 10,000.00 - 5,000.00 + the 400.00 premium.
  EXPECT_EQ(contract.conditional().values(0).value(), 1000);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 500'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000 + 540'000);
  const v1::SettlementReceipt signed_receipt = VerifiedReceipt(contract);
  EXPECT_EQ(signed_receipt.outcome(), v1::SETTLEMENT_OUTCOME_CONDITION_MET);
  int64_t paid = 0;
  for (const v1::Payout& payout : signed_receipt.payouts()) paid += payout.amount().minor_units();
  EXPECT_EQ(paid, 1'040'000);
  // A third, late attestation changes nothing.
  ASSERT_TRUE(Attest(oracle_c_, kFeed, kEvent, 1400, 1, kObserved, &receipt).ok());
  EXPECT_TRUE(receipt.affected_contract_ids().empty());
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 500'000);
  ExpectConsistent();
}

TEST_F(ConditionalTest, AnOptionSettlesAtTheOraclesPrice) {
  const int64_t expiry = kTestEpochMs + 2 * kDay;
  // A call on 0.50 BTC, premium 500.00 USD, median within 5.00.
  const v1::OptionTerms option =
      BtcOption(v1::OPTION_KIND_CALL, 50, 2, 50'000, expiry, v1::AGGREGATION_MEDIAN, 500);
  v1::ContractTerms terms;
  *terms.mutable_option() = option;
  v1::Contract contract =
      CreateSignFund(terms, insured_, {&insurer_, &insured_}, {&insurer_, &insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  const std::string event = PriceEventId({.at_unix_ms = expiry});
  engine_.AdvanceAndFire(2 * kDay + 60'000);
  ASSERT_TRUE(Announce(oracle_c_, "price/BTC-USD", event, expiry, expiry + kDay).ok());
  ASSERT_TRUE(Attest(oracle_c_, "price/BTC-USD", event, 4'300'000, 2, expiry).ok());
  ASSERT_TRUE(Attest(oracle_a_, "price/BTC-USD", event, 4'300'100, 2, expiry).ok());
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  // S = 43,000.00 (lower median): 0.50 x 1,000.00 = 500.00 to the buyer; the writer
  // gets 10,000.00 - 500.00 + the 500.00 premium.
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 50'000 + 50'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000 + 1'000'000);
  ExpectConsistent();
}

TEST_F(ConditionalTest, ALiarBeyondTheSpreadSendsTheContractToDisputeAndTheArbiterDecides) {
  v1::Contract contract = FundedCover(Cover());
  PeriodEnds();
  ASSERT_TRUE(Attest(oracle_a_, kFeed, kEvent, 1000, 1, kObserved).ok());
  v1::AttestationReceipt receipt;
  ASSERT_TRUE(Attest(oracle_c_, kFeed, kEvent, 3000, 1, kObserved, &receipt).ok());
  EXPECT_EQ(receipt.affected_contract_ids_size(), 1);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_DISPUTED);
  EXPECT_NE(contract.dispute().reason().find("disagree"), std::string::npos);
  // Nothing paid out while in dispute.
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000);
  // An honest third value no longer settles it.
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 1002, 1, kObserved).ok());
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_DISPUTED);
  // The insured cannot decide; the arbiter can, with a split adding up to the lock.
  v1::Contract decided;
  EXPECT_EQ(Decide(contract.id(), 600'000, 400'000, &decided).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // 1,000,000 != 1,040,000
  ASSERT_TRUE(Decide(contract.id(), 500'000, 540'000, &decided).ok());
  EXPECT_EQ(decided.state(), v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(VerifiedReceipt(decided).outcome(), v1::SETTLEMENT_OUTCOME_ARBITRATED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 500'000);
  ExpectConsistent();
}

TEST_F(ConditionalTest, ADisputeNobodyDecidesIsRefundedAtTheHardDeadline) {
  v1::Contract contract = FundedCover(Cover(/*with_arbiter=*/false));
  PeriodEnds();
  ASSERT_TRUE(Attest(oracle_a_, kFeed, kEvent, 1000, 1, kObserved).ok());
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 100, 1, kObserved).ok());
  ASSERT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_DISPUTED);
  engine_.AdvanceAndFire(7 * kDay);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds);
  ExpectConsistent();
}

TEST_F(ConditionalTest, AnEquivocatingOracleIsCaughtFlaggedAndItsContractsDisputed) {
  v1::Contract contract = FundedCover(Cover());
  PeriodEnds();
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 1000, 1, kObserved).ok());
  v1::AttestationReceipt receipt;
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 1100, 1, kObserved, &receipt).ok());
  ASSERT_TRUE(receipt.has_equivocation());
  const v1::EquivocationProof& proof = receipt.equivocation();
  EXPECT_EQ(proof.oracle_party_id(), oracle_b_.id());
  ASSERT_EQ(proof.disputed_contract_ids_size(), 1);
  EXPECT_EQ(proof.disputed_contract_ids(0), contract.id());
  // Anyone can check the proof: two envelopes signed by the oracle's key, two values.
  for (const v1::SignedEnvelope* envelope : {&proof.first(), &proof.second()}) {
    EXPECT_TRUE(OpenEnvelope(*envelope, domain::kAttestation, oracle_b_.key.public_key()).ok());
  }
  EXPECT_NE(proof.first().body(), proof.second().body());
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_DISPUTED);
  // The oracle is flagged: it attests nothing more, and no new contract may rely on it.
  grpc::ClientContext context;
  v1::GetOracleRequest request;
  request.set_party_id(oracle_b_.id());
  v1::Oracle oracle;
  ASSERT_TRUE(engine_.stub().GetOracle(&context, request, &oracle).ok());
  EXPECT_TRUE(oracle.flagged());
  const uint64_t records = JournalRecords();
  grpc::Status refused = Attest(oracle_b_, kFeed, kEvent, 1200, 1, kObserved);
  EXPECT_EQ(ReasonOf(refused), "ORACLE_FLAGGED");
  v1::ContractTerms terms;
  *terms.mutable_weather_cover() = Cover();
  v1::Contract refused_contract;
  refused = Create(terms, insured_, &refused_contract);
  EXPECT_EQ(ReasonOf(refused), "ORACLE_FLAGGED");
  EXPECT_EQ(JournalRecords(), records);
  ExpectConsistent();
}

TEST_F(ConditionalTest, StaleAttestationsAreKeptButNotUsed) {
  v1::Contract contract = FundedCover(Cover());
  engine_.AdvanceAndFire(kObserved + kHour - engine_.clock().NowUnixMs());
  // The event's window opens a week early; the contract's only at the end of the period.
  ASSERT_TRUE(Announce(oracle_a_, kFeed, kEvent, kObserved - 7 * kDay, kObserved + 7 * kDay).ok());
  ASSERT_TRUE(Attest(oracle_a_, kFeed, kEvent, 1000, 1, kObserved - kDay).ok());
  ASSERT_TRUE(Attest(oracle_b_, kFeed, kEvent, 1000, 1, kObserved - kDay).ok());
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);
  ASSERT_TRUE(Attest(oracle_c_, kFeed, kEvent, 1000, 1, kObserved).ok());
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);  // one usable of two
  ExpectConsistent();
}

TEST_F(ConditionalTest, OneAttestationSettlesEveryContractWaitingOnItsEventToTheCent) {
  // Three covers on the same event with other limits, one on another station's event.
  const int64_t limits[] = {1'000'000, 333'333, 10'001};
  std::vector<std::string> ids;
  for (int64_t limit : limits) {
    v1::ContractTerms terms;
    *terms.mutable_weather_cover() = Cover();
    terms.mutable_weather_cover()->mutable_limit()->set_minor_units(limit);
    ids.push_back(
        CreateSignFund(terms, insured_, {&insurer_, &insured_, &arbiter_}, {&insurer_, &insured_})
            .id());
  }
  v1::ContractTerms elsewhere;
  *elsewhere.mutable_weather_cover() = Cover();
  elsewhere.mutable_weather_cover()->set_station("JFK");
  const v1::Contract other = CreateSignFund(elsewhere, insured_, {&insurer_, &insured_, &arbiter_},
                                            {&insurer_, &insured_});
  PeriodEnds();
  ASSERT_TRUE(Attest(oracle_a_, kFeed, kEvent, 1000, 1, kObserved).ok());
  v1::AttestationReceipt receipt;
  ASSERT_TRUE(Attest(oracle_c_, kFeed, kEvent, 1001, 1, kObserved, &receipt).ok());
  std::vector<std::string> affected(receipt.affected_contract_ids().begin(),
                                    receipt.affected_contract_ids().end());
  std::sort(affected.begin(), affected.end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(affected, ids);
  // 100.0 mm is halfway from trigger to exit: half of each limit, rounded down.
  const int64_t to_insured[] = {500'000, 166'666, 5'000};
  for (size_t i = 0; i < 3; ++i) {
    v1::Contract contract;
    for (const std::string& id : ids) {
      const v1::Contract each = Get(id);
      if (each.conditional().terms().locked_total().minor_units() == limits[i] + 40'000) {
        contract = each;
      }
    }
    ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
    const v1::SettlementReceipt signed_receipt = VerifiedReceipt(contract);
    ASSERT_EQ(signed_receipt.payouts_size(), 2);
    EXPECT_EQ(signed_receipt.payouts(0).party_id(), insured_.id());
    EXPECT_EQ(signed_receipt.payouts(0).amount().minor_units(), to_insured[i]);
    EXPECT_EQ(signed_receipt.payouts(1).amount().minor_units(), limits[i] + 40'000 - to_insured[i]);
  }
  EXPECT_EQ(Get(other.id()).state(), v1::CONTRACT_STATE_FUNDED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")),
            kFunds - 4 * 40'000 + 500'000 + 166'666 + 5'000);
  ExpectConsistent();
}

TEST_F(ConditionalTest, SilentOraclesMeanARefundAtTheHardDeadlineEvenAcrossARestart) {
  v1::Contract contract = FundedCover(Cover());
  engine_.Stop();
  engine_.clock().Set(kObserved + 7 * kDay + kHour);
  engine_.Restart();
  engine_.AdvanceAndFire(0);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_REFUNDED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds);
  ExpectConsistent();
}

}  // namespace
}  // namespace argentpoche::testing
