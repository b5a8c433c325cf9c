#include "tests/support/oracle_fixture.h"

#include <cstdint>

#include "engine/audit.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/journal.h"
#include "engine/store.h"
#include "engine/strings.h"

namespace argentpoche::testing {

void OracleTest::SetUp() {
  engine_.Enroll(insurer_, "Ivy Insurer", {"USD"});
  engine_.Enroll(insured_, "Ian Insured", {"USD"});
  engine_.Enroll(arbiter_, "Ada Arbiter", {"USD"});
  engine_.Enroll(stranger_, "Sam Stranger", {"USD"});
  engine_.Enroll(oracle_a_, "Oracle A", {});
  engine_.Enroll(oracle_b_, "Oracle B", {});
  engine_.Enroll(oracle_c_, "Oracle C", {});
  ASSERT_TRUE(engine_.Credit(insurer_.account("USD"), "USD", kFunds, "capital").ok());
  ASSERT_TRUE(engine_.Credit(insured_.account("USD"), "USD", kFunds, "savings").ok());
  for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
    grpc::Status status = RegisterOracle(*oracle, {"weather/test/*", "weather/fte/*", "price/*"});
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

grpc::Status OracleTest::RegisterOracle(const TestParty& oracle,
                                        const std::vector<std::string>& feeds, v1::Oracle* out) {
  v1::Command command;
  v1::RegisterOracle* action = command.mutable_register_oracle();
  action->set_party_id(oracle.id());
  for (const std::string& feed : feeds) action->add_feeds(feed);
  action->set_public_key(oracle.key.public_key());
  action->set_valid_until_unix_ms(kTestEpochMs + 365 * kDay);
  v1::Oracle ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::RegisterOracle, engine_.operator_party(),
                      NextRequestId(), command, out ? out : &ignored);
}

grpc::Status OracleTest::RegisterOracleAs(const TestParty& caller, const v1::RegisterOracle& action,
                                          v1::Oracle* out) {
  v1::Command command;
  *command.mutable_register_oracle() = action;
  v1::Oracle ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::RegisterOracle, caller, NextRequestId(), command,
                      out ? out : &ignored);
}

grpc::Status OracleTest::RotateKey(const TestParty& caller, const TestParty& oracle,
                                   const SigningKey& key, v1::Oracle* out) {
  v1::Command command;
  v1::RotateOracleKey* action = command.mutable_rotate_oracle_key();
  action->set_party_id(oracle.id());
  action->set_public_key(key.public_key());
  action->set_valid_until_unix_ms(engine_.clock().NowUnixMs() + 365 * kDay);
  v1::Oracle ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::RotateOracleKey, caller, NextRequestId(), command,
                      out ? out : &ignored);
}

grpc::Status OracleTest::Revoke(const TestParty& oracle, const std::string& key_id) {
  v1::Command command;
  command.mutable_revoke_oracle()->set_party_id(oracle.id());
  command.mutable_revoke_oracle()->set_key_id(key_id);
  command.mutable_revoke_oracle()->set_reason("test");
  v1::Oracle ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::RevokeOracle, engine_.operator_party(),
                      NextRequestId(), command, &ignored);
}

grpc::Status OracleTest::Announce(const TestParty& oracle, const std::string& feed,
                                  const std::string& event_id, int64_t from, int64_t until,
                                  v1::OracleEvent* out) {
  v1::Command command;
  v1::AnnounceEvent* action = command.mutable_announce_event();
  action->set_feed(feed);
  action->set_event_id(event_id);
  action->set_expected_at_unix_ms(from);
  action->set_observe_from_unix_ms(from);
  action->set_observe_until_unix_ms(until);
  v1::OracleEvent ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::AnnounceEvent, oracle, NextRequestId(), command,
                      out ? out : &ignored);
}

v1::SignedEnvelope OracleTest::SealAttestation(const TestParty& oracle, const SigningKey& signer,
                                               const std::string& feed, const std::string& event_id,
                                               int64_t value, uint32_t scale, int64_t observed_at) {
  v1::Attestation attestation;
  attestation.set_feed(feed);
  attestation.set_event_id(event_id);
  attestation.set_value(value);
  attestation.set_scale(scale);
  attestation.set_observed_at_unix_ms(observed_at);
  attestation.set_oracle_party_id(oracle.id());
  attestation.set_oracle_key_id(signer.key_id());
  return SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), signer);
}

grpc::Status OracleTest::Attest(const TestParty& oracle, const std::string& feed,
                                const std::string& event_id, int64_t value, uint32_t scale,
                                int64_t observed_at, v1::AttestationReceipt* receipt) {
  return Submit(oracle,
                SealAttestation(oracle, oracle.key, feed, event_id, value, scale, observed_at),
                receipt);
}

grpc::Status OracleTest::Submit(const TestParty& oracle, const v1::SignedEnvelope& envelope,
                                v1::AttestationReceipt* receipt) {
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() = envelope;
  v1::AttestationReceipt ignored;
  return engine_.Call(&v1::EscrowEngine::Stub::SubmitAttestation, oracle, NextRequestId(), command,
                      receipt ? receipt : &ignored);
}

v1::SignedCommand OracleTest::SignedSubmit(const TestParty& oracle,
                                           const v1::SignedEnvelope& envelope,
                                           const std::string& request_id) {
  v1::Command command;
  command.set_request_id(request_id);
  *command.mutable_submit_attestation()->mutable_attestation() = envelope;
  return SignCommand(std::move(command), oracle.key, engine_.clock().NowUnixMs());
}

grpc::Status OracleTest::Endorse(const TestParty& by, const std::string& contract_id,
                                 v1::Contract* out) {
  v1::Command command;
  command.mutable_endorse_contract()->set_contract_id(contract_id);
  return engine_.Call(&v1::EscrowEngine::Stub::EndorseContract, by, NextRequestId(), command, out);
}

grpc::Status OracleTest::Reveal(const TestParty& by, const std::string& contract_id,
                                const std::string& preimage, v1::Contract* out) {
  v1::Command command;
  command.mutable_reveal_preimage()->set_contract_id(contract_id);
  command.mutable_reveal_preimage()->set_preimage(preimage);
  return engine_.Call(&v1::EscrowEngine::Stub::RevealPreimage, by, NextRequestId(), command, out);
}

v1::WeatherCoverTerms OracleTest::FloodCover(const std::string& source, const std::string& station,
                                             const std::string& start, const std::string& end,
                                             int64_t fund_by, bool with_arbiter) const {
  v1::WeatherCoverTerms cover;
  cover.set_insurer_party_id(insurer_.id());
  cover.set_insured_party_id(insured_.id());
  if (with_arbiter) cover.set_arbiter_party_id(arbiter_.id());
  cover.set_source(source);
  cover.set_station(station);
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start(start);
  cover.set_period_end(end);
  cover.set_direction(v1::COVER_DIRECTION_EXCESS);
  cover.set_trigger(500);
  cover.set_exit(1500);
  cover.mutable_limit()->set_currency("USD");
  cover.mutable_limit()->set_minor_units(1'000'000);
  cover.mutable_premium()->set_currency("USD");
  cover.mutable_premium()->set_minor_units(40'000);
  v1::OracleQuorum* oracles = cover.mutable_oracles();
  for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
    oracles->add_oracle_party_ids(oracle->id());
  }
  oracles->set_quorum(2);
  oracles->set_aggregation(v1::AGGREGATION_MEDIAN);
  oracles->set_max_spread(20);
  cover.set_grace_period_ms(7 * kDay);
  cover.set_fund_by_unix_ms(fund_by);
  cover.set_description(Concat("flood cover at ", station, ", ", start, " to ", end));
  return cover;
}

v1::OptionTerms OracleTest::BtcOption(v1::OptionKind kind, int64_t quantity,
                                      uint32_t quantity_scale, int64_t premium, int64_t expiry,
                                      v1::Aggregation aggregation, int64_t max_spread) const {
  v1::OptionTerms option;
  option.set_kind(kind);
  option.set_writer_party_id(insurer_.id());
  option.set_buyer_party_id(insured_.id());
  option.set_feed("price/BTC-USD");
  option.set_price_scale(2);
  option.set_strike(4'200'000);
  option.set_quantity(quantity);
  option.set_quantity_scale(quantity_scale);
  option.mutable_collateral()->set_currency("USD");
  option.mutable_collateral()->set_minor_units(1'000'000);
  option.mutable_premium()->set_currency("USD");
  option.mutable_premium()->set_minor_units(premium);
  option.set_expiry_unix_ms(expiry);
  for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
    option.mutable_oracles()->add_oracle_party_ids(oracle->id());
  }
  option.mutable_oracles()->set_quorum(2);
  option.mutable_oracles()->set_aggregation(aggregation);
  option.mutable_oracles()->set_max_spread(max_spread);
  option.set_grace_period_ms(kDay);
  option.set_fund_by_unix_ms(kTestEpochMs + kHour);
  return option;
}

grpc::Status OracleTest::Create(const v1::ContractTerms& terms, const TestParty& by,
                                v1::Contract* out) {
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  return engine_.Call(&v1::EscrowEngine::Stub::CreateContract, by, NextRequestId(), command, out);
}

v1::Contract OracleTest::CreateSignFund(const v1::ContractTerms& terms, const TestParty& by,
                                        const std::vector<const TestParty*>& signers,
                                        const std::vector<const TestParty*>& funders) {
  v1::Contract contract;
  grpc::Status status = Create(terms, by, &contract);
  EXPECT_TRUE(status.ok()) << ReasonOf(status) << ": " << status.error_message();
  for (const TestParty* party : signers) {
    v1::Command command;
    command.mutable_sign_contract()->set_contract_id(contract.id());
    command.mutable_sign_contract()->set_signature(
        SignContractTerms(contract.terms_hash(), party->key));
    status = engine_.Call(&v1::EscrowEngine::Stub::SignContract, *party, NextRequestId(), command,
                          &contract);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  for (const TestParty* party : funders) {
    v1::Command command;
    command.mutable_fund_contract()->set_contract_id(contract.id());
    status = engine_.Call(&v1::EscrowEngine::Stub::FundContract, *party, NextRequestId(), command,
                          &contract);
    EXPECT_TRUE(status.ok()) << ReasonOf(status) << ": " << status.error_message();
  }
  return contract;
}

v1::Contract OracleTest::Get(const std::string& contract_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetContractRequest request;
  request.set_contract_id(contract_id);
  v1::Contract contract;
  grpc::Status status = engine_.stub().GetContract(&context, request, &contract);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return contract;
}

v1::Oracle OracleTest::GetOracle(const TestParty& oracle) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetOracleRequest request;
  request.set_party_id(oracle.id());
  v1::Oracle found;
  grpc::Status status = engine_.stub().GetOracle(&context, request, &found);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return found;
}

v1::OracleEvent OracleTest::GetEvent(const std::string& feed, const std::string& event_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetOracleEventRequest request;
  request.set_feed(feed);
  request.set_event_id(event_id);
  v1::OracleEvent event;
  grpc::Status status = engine_.stub().GetOracleEvent(&context, request, &event);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return event;
}

std::vector<v1::StoredAttestation> OracleTest::Attestations(const std::string& feed,
                                                            const std::string& event_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListAttestationsRequest request;
  request.set_feed(feed);
  request.set_event_id(event_id);
  request.set_page_size(100);
  v1::ListAttestationsResponse response;
  grpc::Status status = engine_.stub().ListAttestations(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.attestations().begin(), response.attestations().end()};
}

v1::SettlementReceipt OracleTest::VerifiedReceipt(const v1::Contract& contract) {
  return engine_.VerifiedReceipt(contract);
}

uint64_t OracleTest::JournalRecords() { return engine_.VerifiedJournalRecords(); }

void OracleTest::ExpectConsistent() {
  absl::Status conservation = CheckConservation(engine_.store());
  EXPECT_TRUE(conservation.ok()) << conservation;
  JournalRecords();
}

OracleTest::Snapshot OracleTest::TakeSnapshot() {
  Snapshot snapshot;
  snapshot.journal_records = JournalRecords();
  for (const TestParty* party : {&insurer_, &insured_, &arbiter_, &stranger_}) {
    snapshot.balances[party->id()] = engine_.Balance(party->account("USD"));
  }
  Sha256Hasher hasher;
  for (int table = 0; table < kTableCount; ++table) {
    absl::Status scanned = engine_.store().Scan(
        static_cast<Table>(table), "", "", SIZE_MAX,
        [&](std::string_view key, std::string_view value) {
          hasher.Update(Concat(table, ":", key.size(), ":", value.size(), ":"));
          hasher.Update(key);
          hasher.Update(value);
          return true;
        });
    EXPECT_TRUE(scanned.ok()) << scanned;
  }
  snapshot.state_digest = hasher.Finish();
  return snapshot;
}

void OracleTest::ExpectRefused(const grpc::Status& status, grpc::StatusCode code,
                               const std::string& reason, const std::string& mentions,
                               const Snapshot& before) {
  const std::string& message = status.error_message();
  EXPECT_EQ(status.error_code(), code) << reason << ": " << message;
  EXPECT_EQ(ReasonOf(status), reason) << message;
  // A sentence for a person: long enough to say something, one line of printable text,
  // naming what was wrong.
  EXPECT_GE(message.size(), 20u) << reason << ": " << message;
  EXPECT_EQ(message.find_first_of("\n\r\t"), std::string::npos) << message;
  EXPECT_NE(message.find(mentions), std::string::npos)
      << reason << ": \"" << message << "\" does not mention \"" << mentions << "\"";
  const Snapshot after = TakeSnapshot();
  EXPECT_EQ(after.journal_records, before.journal_records) << reason << ": the journal grew";
  EXPECT_EQ(after.balances, before.balances) << reason << ": money moved";
  EXPECT_TRUE(after.state_digest == before.state_digest) << reason << ": the store changed";
}

}  // namespace argentpoche::testing
