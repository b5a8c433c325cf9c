// Bad input to the oracle registry, announcements and attestations through the real server:
// each refused with the right code, ErrorInfo reason and a message that names the fault,
// and nothing changed (the journal did not grow, no balance moved, the store is byte for
// byte as it was). Also: replays, blind retries, and what a key rotation keeps and stops.
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/support/oracle_fixture.h"

namespace argentpoche::testing {
namespace {

constexpr char kFeed[] = "price/BTC-USD";
constexpr char kEvent[] = "at:1795561200000";
// The event's observation window, and when the price was taken.
constexpr int64_t kFrom = kTestEpochMs - 24 * 3600 * 1000;
constexpr int64_t kUntil = kTestEpochMs + 10 * 24 * 3600 * 1000;
constexpr int64_t kObserved = kTestEpochMs - 3600 * 1000;

class OracleBadInputTest : public OracleTest {
 protected:
  void SetUp() override {
    OracleTest::SetUp();
    grpc::Status status = Announce(oracle_a_, kFeed, kEvent, kFrom, kUntil);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The stranger's registration as an oracle for `feeds`, key valid for `valid_ms`.
  v1::RegisterOracle StrangerAsOracle(std::vector<std::string> feeds, int64_t valid_ms) {
    v1::RegisterOracle action;
    action.set_party_id(stranger_.id());
    for (const std::string& feed : feeds) action.add_feeds(feed);
    action.set_public_key(stranger_.key.public_key());
    action.set_valid_until_unix_ms(engine_.clock().NowUnixMs() + valid_ms);
    return action;
  }

  // What `oracle` signs for kFeed/kEvent, with `signer`'s key.
  static v1::Attestation Body(const TestParty& oracle, const SigningKey& signer, int64_t value,
                              uint32_t scale, int64_t observed_at = kObserved) {
    v1::Attestation attestation;
    attestation.set_feed(kFeed);
    attestation.set_event_id(kEvent);
    attestation.set_value(value);
    attestation.set_scale(scale);
    attestation.set_observed_at_unix_ms(observed_at);
    attestation.set_oracle_party_id(oracle.id());
    attestation.set_oracle_key_id(signer.key_id());
    return attestation;
  }
  static v1::SignedEnvelope Seal(const v1::Attestation& attestation, const SigningKey& signer) {
    return SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), signer);
  }
  grpc::Status AttestPrice(const TestParty& oracle, int64_t value, uint32_t scale,
                           int64_t observed_at = kObserved) {
    return Attest(oracle, kFeed, kEvent, value, scale, observed_at);
  }

  // 1,000.00 USD locked (800.00 by the insurer, 200.00 by the insured): 600.00 to the
  // insured once 2 of the 3 oracles put the price at 50.0 or more, the rest to the
  // insurer; the locks back at the hard deadline otherwise.
  v1::ContractTerms PriceTerms() const {
    const auto usd = [](int64_t minor_units) {
      v1::Money money;
      money.set_currency("USD");
      money.set_minor_units(minor_units);
      return money;
    };
    v1::ConditionalTerms terms;
    *terms.mutable_locked_total() = usd(100'000);
    for (const auto& [role, party] : {std::pair{"insurer", &insurer_}, {"insured", &insured_}}) {
      v1::RoleParty* added = terms.add_parties();
      added->set_role(role);
      added->set_party_id(party->id());
    }
    v1::ValueSource* source = terms.add_value_sources();
    source->set_name("price");
    source->set_feed(kFeed);
    source->set_event_id(kEvent);
    for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
      source->add_oracle_party_ids(oracle->id());
    }
    source->set_quorum(2);
    source->set_aggregation(v1::AGGREGATION_MEDIAN);
    source->set_max_spread(20);
    source->set_scale(1);
    source->set_observe_from_unix_ms(kFrom);
    source->set_observe_until_unix_ms(kUntil);
    v1::ConditionalBranch* branch = terms.add_branches();
    branch->mutable_condition()->mutable_oracle_comparison()->set_value_source("price");
    branch->mutable_condition()->mutable_oracle_comparison()->set_comparison(v1::COMPARISON_GE);
    branch->mutable_condition()->mutable_oracle_comparison()->set_constant(500);
    v1::FixedTable* table = branch->mutable_payout()->mutable_fixed_table();
    table->add_amounts()->set_role("insured");
    *table->mutable_amounts(0)->mutable_amount() = usd(60'000);
    table->set_remainder_role("insurer");
    terms.set_hard_deadline_unix_ms(kUntil + kDay);
    for (const auto& [role, amount] : {std::pair{"insurer", 80'000}, {"insured", 20'000}}) {
      v1::FixedAmount* refund = terms.mutable_refund()->add_amounts();
      refund->set_role(role);
      *refund->mutable_amount() = usd(amount);
      *terms.add_funding() = *refund;
    }
    terms.set_fund_by_unix_ms(kTestEpochMs + kHour);
    v1::ContractTerms contract_terms;
    *contract_terms.mutable_conditional() = terms;
    return contract_terms;
  }
};

TEST_F(OracleBadInputTest, RegisterOracleRefusesStrangersUnknownPartiesAndBadFeedsKeysOrTimes) {
  const Snapshot before = TakeSnapshot();
  const v1::RegisterOracle good = StrangerAsOracle({"price/*"}, 30 * kDay);
  ExpectRefused(RegisterOracleAs(insured_, good), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_OPERATOR", "operator", before);

  v1::RegisterOracle action = good;
  action.set_party_id(TestParty(77).id());
  ExpectRefused(RegisterOracleAs(engine_.operator_party(), action), grpc::StatusCode::NOT_FOUND,
                "PARTY_NOT_FOUND", TestParty(77).id(), before);
  action.set_party_id(oracle_a_.id());
  ExpectRefused(RegisterOracleAs(engine_.operator_party(), action),
                grpc::StatusCode::ALREADY_EXISTS, "ORACLE_EXISTS", oracle_a_.id(), before);

  action = good;
  action.clear_feeds();
  ExpectRefused(RegisterOracleAs(engine_.operator_party(), action),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_FEED", "feeds", before);
  for (const std::string bad : {"price/*/USD", "price/BTC USD", "price/**", ""}) {
    action = good;
    action.add_feeds(bad);
    ExpectRefused(RegisterOracleAs(engine_.operator_party(), action),
                  grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_FEED",
                  Concat("\"", bad, "\" is not a feed name"), before);
  }

  action = good;
  action.set_public_key(good.public_key().substr(0, 31));
  ExpectRefused(RegisterOracleAs(engine_.operator_party(), action),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_KEY", "32-byte", before);

  action = good;
  action.set_valid_until_unix_ms(engine_.clock().NowUnixMs() - 1);
  ExpectRefused(RegisterOracleAs(engine_.operator_party(), action),
                grpc::StatusCode::INVALID_ARGUMENT, "DEADLINE_IN_PAST", "validity", before);

  // Fault by fault: the registration itself was fine.
  v1::Oracle oracle;
  ASSERT_TRUE(RegisterOracleAs(engine_.operator_party(), good, &oracle).ok());
  EXPECT_EQ(oracle.party_id(), stranger_.id());
  ExpectConsistent();
}

TEST_F(OracleBadInputTest, OnlyARegisteredOracleInGoodStandingWithALiveKeyMayAttest) {
  Snapshot before = TakeSnapshot();
  ExpectRefused(Submit(stranger_, Seal(Body(stranger_, stranger_.key, 100, 0), stranger_.key)),
                grpc::StatusCode::PERMISSION_DENIED, "NOT_AN_ORACLE", stranger_.id(), before);

  ASSERT_TRUE(Revoke(oracle_b_, oracle_b_.key.key_id()).ok());
  before = TakeSnapshot();
  ExpectRefused(AttestPrice(oracle_b_, 100, 0), grpc::StatusCode::PERMISSION_DENIED, "KEY_REVOKED",
                oracle_b_.key.key_id(), before);

  ASSERT_TRUE(Revoke(oracle_c_, "").ok());
  before = TakeSnapshot();
  ExpectRefused(AttestPrice(oracle_c_, 100, 0), grpc::StatusCode::PERMISSION_DENIED,
                "ORACLE_REVOKED", oracle_c_.id(), before);

  // A key whose validity ended: the clock moved past valid_until.
  ASSERT_TRUE(RegisterOracleAs(engine_.operator_party(), StrangerAsOracle({"price/*"}, kDay)).ok());
  engine_.AdvanceAndFire(2 * kDay);
  before = TakeSnapshot();
  ExpectRefused(AttestPrice(stranger_, 100, 0), grpc::StatusCode::PERMISSION_DENIED, "KEY_EXPIRED",
                stranger_.key.key_id(), before);
  EXPECT_TRUE(Attestations(kFeed, kEvent).empty());
  ExpectConsistent();
}

TEST_F(OracleBadInputTest, ForgedTamperedOrMislabelledAttestationsAreRefused) {
  const Snapshot before = TakeSnapshot();
  // Signed by a key that is not one of the oracle's.
  ExpectRefused(Submit(oracle_a_, Seal(Body(oracle_a_, stranger_.key, 100, 0), stranger_.key)),
                grpc::StatusCode::PERMISSION_DENIED, "UNKNOWN_ORACLE_KEY", oracle_a_.id(), before);
  // One bit of the signed body changed.
  v1::SignedEnvelope tampered = Seal(Body(oracle_a_, oracle_a_.key, 100, 0), oracle_a_.key);
  tampered.mutable_body()->back() ^= 1;
  ExpectRefused(Submit(oracle_a_, tampered), grpc::StatusCode::UNAUTHENTICATED, "BAD_SIGNATURE",
                "signature", before);
  // Correctly signed, but as a command, not as an attestation.
  ExpectRefused(
      Submit(oracle_a_, SealEnvelope(domain::kCommand,
                                     Body(oracle_a_, oracle_a_.key, 100, 0).SerializeAsString(),
                                     oracle_a_.key)),
      grpc::StatusCode::INVALID_ARGUMENT, "WRONG_DOMAIN", "attestation", before);
  // Signed by oracle A's key but naming oracle B inside.
  ExpectRefused(Submit(oracle_a_, Seal(Body(oracle_b_, oracle_a_.key, 100, 0), oracle_a_.key)),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_ATTESTATION", "another oracle",
                before);
  EXPECT_TRUE(Attestations(kFeed, kEvent).empty());
}

TEST_F(OracleBadInputTest, AttestationsOfOtherFeedsUnknownEventsOrImpossibleValuesAreRefused) {
  ASSERT_TRUE(
      RegisterOracleAs(engine_.operator_party(), StrangerAsOracle({"price/*"}, 30 * kDay)).ok());
  const Snapshot before = TakeSnapshot();
  ExpectRefused(
      Attest(stranger_, "weather/test/CP/rain_mm", "2026-12-01..2026-12-07", 10, 0, kObserved),
      grpc::StatusCode::PERMISSION_DENIED, "FEED_NOT_ALLOWED", "weather/test/CP/rain_mm", before);
  ExpectRefused(Attest(oracle_a_, kFeed, "at:1795000000000", 100, 0, kObserved),
                grpc::StatusCode::NOT_FOUND, "UNKNOWN_EVENT", "at:1795000000000", before);
  ExpectRefused(AttestPrice(oracle_a_, 100, 19), grpc::StatusCode::INVALID_ARGUMENT,
                "MALFORMED_VALUE", "decimal places", before);
  ExpectRefused(AttestPrice(oracle_a_, 1'000'000'000'000'000'001, 0),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_VALUE", "10^18", before);
  ExpectRefused(AttestPrice(oracle_a_, -1'000'000'000'000'000'001, 0),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_VALUE", "10^18", before);
  // More than five minutes ahead of the engine's clock.
  ExpectRefused(AttestPrice(oracle_a_, 100, 0, kTestEpochMs + 6 * 60 * 1000),
                grpc::StatusCode::FAILED_PRECONDITION, "OBSERVED_IN_FUTURE", "has not come yet",
                before);
  // The window is [from, until): its first moment counts, its end does not.
  ExpectRefused(AttestPrice(oracle_a_, 100, 0, kFrom - 1), grpc::StatusCode::FAILED_PRECONDITION,
                "OUTSIDE_WINDOW", "outside the event's window", before);
  engine_.clock().Set(kUntil + kHour);
  ExpectRefused(AttestPrice(oracle_a_, 100, 0, kUntil), grpc::StatusCode::FAILED_PRECONDITION,
                "OUTSIDE_WINDOW", "outside the event's window", before);
  ASSERT_TRUE(AttestPrice(oracle_a_, 100, 0, kFrom).ok());
  ASSERT_TRUE(AttestPrice(oracle_b_, 100, 0, kUntil - 1).ok());
}

TEST_F(OracleBadInputTest, AReplayedValueIsRefusedEvenAtAnotherScaleAndABlindRetryAnswersAgain) {
  const v1::SignedEnvelope first = Seal(Body(oracle_a_, oracle_a_.key, 1000, 1), oracle_a_.key);
  const v1::SignedCommand request = SignedSubmit(oracle_a_, first, "attest-once");
  v1::AttestationReceipt receipt;
  ASSERT_TRUE(engine_.Send(&v1::EscrowEngine::Stub::SubmitAttestation, request, &receipt).ok());
  const Snapshot before = TakeSnapshot();

  // The same signed bytes again, under a new request id.
  ExpectRefused(Submit(oracle_a_, first), grpc::StatusCode::ALREADY_EXISTS, "ATTESTATION_REPLAYED",
                "already attested", before);
  // The same value signed again, and the same number at another scale (100.0 = 100.00):
  // a replay, not an equivocation.
  ExpectRefused(AttestPrice(oracle_a_, 1000, 1, kObserved + 1), grpc::StatusCode::ALREADY_EXISTS,
                "ATTESTATION_REPLAYED", oracle_a_.id(), before);
  ExpectRefused(AttestPrice(oracle_a_, 10000, 2), grpc::StatusCode::ALREADY_EXISTS,
                "ATTESTATION_REPLAYED", kFeed, before);
  EXPECT_FALSE(GetOracle(oracle_a_).flagged());

  // A blind retry with the first request id (the same bytes, then signed anew) answers
  // the first receipt and stores nothing.
  for (const v1::SignedCommand& retry : {request, SignedSubmit(oracle_a_, first, "attest-once")}) {
    v1::AttestationReceipt again;
    grpc::Status status = engine_.Send(&v1::EscrowEngine::Stub::SubmitAttestation, retry, &again);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(again.SerializeAsString(), receipt.SerializeAsString());
    const Snapshot after = TakeSnapshot();
    EXPECT_EQ(after.journal_records, before.journal_records);
    EXPECT_TRUE(after.state_digest == before.state_digest);
  }
  EXPECT_EQ(Attestations(kFeed, kEvent).size(), 1u);
  ExpectConsistent();
}

TEST_F(OracleBadInputTest, ARotatedKeysStoredAttestationStillCountsButItSignsNothingNew) {
  v1::Contract contract =
      CreateSignFund(PriceTerms(), insured_, {&insurer_, &insured_}, {&insurer_, &insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  ASSERT_TRUE(AttestPrice(oracle_a_, 1000, 1).ok());
  engine_.clock().Advance(kHour);

  const TestParty rotated(41);
  Snapshot before = TakeSnapshot();
  ExpectRefused(RotateKey(stranger_, oracle_a_, rotated.key), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_ALLOWED", "the oracle itself", before);
  v1::Oracle oracle;
  ASSERT_TRUE(RotateKey(oracle_a_, oracle_a_, rotated.key, &oracle).ok());
  ASSERT_EQ(oracle.keys_size(), 2);
  EXPECT_EQ(oracle.keys(0).valid_until_unix_ms(), engine_.clock().NowUnixMs());
  EXPECT_EQ(oracle.keys(1).key_id(), rotated.key.key_id());

  // What the old key signed stays stored; a new signature of it is refused.
  const std::vector<v1::StoredAttestation> stored = Attestations(kFeed, kEvent);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].attestation().oracle_key_id(), oracle_a_.key.key_id());
  before = TakeSnapshot();
  ExpectRefused(Submit(oracle_a_, Seal(Body(oracle_a_, oracle_a_.key, 1001, 1), oracle_a_.key)),
                grpc::StatusCode::PERMISSION_DENIED, "KEY_EXPIRED", oracle_a_.key.key_id(), before);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);

  // The new key signs for the oracle.
  const std::string other_event = "at:1795564800000";
  ASSERT_TRUE(Announce(oracle_b_, kFeed, other_event, kFrom, kUntil).ok());
  grpc::Status status = Submit(
      oracle_a_, SealAttestation(oracle_a_, rotated.key, kFeed, other_event, 990, 1, kObserved));
  ASSERT_TRUE(status.ok()) << status.error_message();

  // The old key's stored value is one of the quorum that settles the contract.
  ASSERT_TRUE(AttestPrice(oracle_b_, 1004, 1).ok());
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  ASSERT_EQ(contract.conditional().values_size(), 1);
  const v1::SourceValue& value = contract.conditional().values(0);
  EXPECT_EQ(value.value(), 1000);
  ASSERT_EQ(value.oracle_party_ids_size(), 2);
  EXPECT_TRUE(value.oracle_party_ids(0) == oracle_a_.id() ||
              value.oracle_party_ids(1) == oracle_a_.id());
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 20'000 + 60'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 80'000 + 40'000);
  ExpectConsistent();
}

TEST_F(OracleBadInputTest, AnnouncementsByStrangersOfOtherFeedsOrWithBadWindowsAreRefused) {
  const int64_t now = engine_.clock().NowUnixMs();
  const v1::OracleEvent first = GetEvent(kFeed, kEvent);
  const Snapshot before = TakeSnapshot();
  ExpectRefused(Announce(stranger_, kFeed, "at:1", kFrom, kUntil),
                grpc::StatusCode::PERMISSION_DENIED, "NOT_AN_ORACLE", stranger_.id(), before);
  ExpectRefused(Announce(oracle_a_, "weather/other/X/rain_mm", "2026-12", kFrom, kUntil),
                grpc::StatusCode::PERMISSION_DENIED, "FEED_NOT_ALLOWED", "weather/other/X/rain_mm",
                before);
  ExpectRefused(Announce(oracle_a_, kFeed, "at:2", now + kDay, now + kDay),
                grpc::StatusCode::INVALID_ARGUMENT, "BAD_WINDOW", "window", before);
  ExpectRefused(Announce(oracle_a_, kFeed, "at:3", now + kDay, now + kHour),
                grpc::StatusCode::INVALID_ARGUMENT, "BAD_WINDOW", "window", before);
  ExpectRefused(Announce(oracle_a_, kFeed, "at:4", now - 2 * kDay, now - kDay),
                grpc::StatusCode::INVALID_ARGUMENT, "DEADLINE_IN_PAST", "ended", before);
  ExpectRefused(Announce(oracle_b_, kFeed, kEvent, kFrom, kUntil + 1),
                grpc::StatusCode::ALREADY_EXISTS, "EVENT_CONFLICT", kEvent, before);

  // The same window announced by another oracle: accepted, the first announcement stays.
  v1::OracleEvent again;
  ASSERT_TRUE(Announce(oracle_b_, kFeed, kEvent, kFrom, kUntil, &again).ok());
  EXPECT_EQ(again.announced_by_party_id(), oracle_a_.id());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(GetEvent(kFeed, kEvent).SerializeAsString(), first.SerializeAsString());
  ExpectConsistent();
}

}  // namespace
}  // namespace argentpoche::testing
