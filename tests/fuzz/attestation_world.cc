#include "tests/fuzz/attestation_world.h"

#include <array>
#include <cstdlib>
#include <utility>
#include <vector>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/audit.h"
#include "engine/command_signing.h"
#include "engine/envelope.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/fuzz/fuzz_conditional_checks.h"

namespace argentpoche::fuzz {
namespace {

constexpr int64_t kInsurerCredit = 10'000'000;  // 100,000.00 EUR
// Inputs one world runs (while they change nothing) before a new one: bounds its caches.
constexpr int kMaxWorldInputs = 2000;
constexpr int64_t kLimit = 1'000'000;

// TEST-ONLY keys: a constant seed byte each (0x60 and up, apart from fuzz_engine.cc's).
SigningKey SeededKey(uint8_t index) {
  absl::StatusOr<SigningKey> key =
      SigningKey::FromSeed(std::string(kSeedBytes, static_cast<char>(0x60 + index)));
  CheckOk(key.status(), "test key");
  return *std::move(key);
}

const std::array<SigningKey, kCallerCount + kAttestationKeyCount + 1>& Keys() {
  static const auto* const keys =
      new std::array<SigningKey, kCallerCount + kAttestationKeyCount + 1>{
          SeededKey(0), SeededKey(1), SeededKey(2), SeededKey(3), SeededKey(4), SeededKey(5),
          SeededKey(6), SeededKey(7), SeededKey(8), SeededKey(9), SeededKey(10)};
  return *keys;
}

const SigningKey& ReceiptKey() { return Keys()[kCallerCount + kAttestationKeyCount]; }

struct Base {
  WriteBatch records;
  std::string cover_id;
};

std::unique_ptr<Engine> OpenEngine(Store* store, const Clock* clock) {
  EngineOptions options;
  options.operator_public_keys.push_back(PartyKey(Caller::kOperator).public_key());
  options.scheduler_poll_ms = 0;
  options.write_mode = WriteMode::kNoSync;
  absl::StatusOr<SigningKey> receipt_key = SigningKey::FromSeed(ReceiptKey().Seed());
  CheckOk(receipt_key.status(), "the receipt key");
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Open(store, clock, *std::move(receipt_key), options);
  CheckOk(engine.status(), "opening the engine");
  return *std::move(engine);
}

v1::CommandResult MustRun(Engine& engine, const Clock& clock, const std::string& request_id,
                          v1::Command command, Caller caller) {
  command.set_request_id(request_id);
  const v1::Command::ActionCase action = command.action_case();
  absl::StatusOr<v1::CommandResult> result =
      engine.Execute(SignCommand(std::move(command), PartyKey(caller), clock.NowUnixMs()), action);
  CheckOk(result.status(), Concat("building the attestation world: ", request_id));
  return *std::move(result);
}

v1::Command CoverCommand() {
  v1::ContractTerms terms;
  v1::WeatherCoverTerms& cover = *terms.mutable_weather_cover();
  cover.set_insurer_party_id(PartyKey(Caller::kInsurer).key_id());
  cover.set_insured_party_id(PartyKey(Caller::kOperator).key_id());
  cover.set_source("fuzz");
  cover.set_station("KNYC");
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start("2026-11-25");
  cover.set_period_end("2026-11-25");
  cover.set_direction(v1::COVER_DIRECTION_EXCESS);
  cover.set_trigger(100);
  cover.set_exit(200);
  cover.mutable_limit()->set_currency("EUR");
  cover.mutable_limit()->set_minor_units(kLimit);
  cover.mutable_premium()->set_currency("EUR");
  cover.mutable_premium()->set_minor_units(0);
  for (Caller oracle : {Caller::kOracleA, Caller::kOracleB, Caller::kOracleC}) {
    cover.mutable_oracles()->add_oracle_party_ids(PartyKey(oracle).key_id());
  }
  cover.mutable_oracles()->set_quorum(2);
  cover.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
  cover.mutable_oracles()->set_max_spread(20);
  cover.set_grace_period_ms(7 * kDayMs);
  cover.set_fund_by_unix_ms(kStartUnixMs + 12 * kHourMs);
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  return command;
}

void Enroll(Engine& engine, const Clock& clock) {
  for (int index = 0; index < kCallerCount; ++index) {
    const auto caller = static_cast<Caller>(index);
    if (caller == Caller::kOperator) continue;
    v1::Command command;
    command.mutable_register_party()->set_public_key(PartyKey(caller).public_key());
    command.mutable_register_party()->set_display_name(Concat("fuzz party ", index));
    MustRun(engine, clock, "register", command, caller);
  }
  // The operator insures (it is a registered party with an account of its own).
  for (Caller caller : {Caller::kInsurer, Caller::kOperator}) {
    v1::Command open;
    open.mutable_open_account()->set_currency("EUR");
    MustRun(engine, clock, "open", open, caller);
  }
  v1::Command credit;
  credit.mutable_credit_account()->set_account_id(
      keys::PartyAccountId(PartyKey(Caller::kInsurer).key_id(), "EUR"));
  credit.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  credit.mutable_credit_account()->mutable_amount()->set_minor_units(kInsurerCredit);
  MustRun(engine, clock, "credit", credit, Caller::kOperator);
  // A, B and C with keys 0, 1 and 3; then C rotates to key 2.
  for (const auto& [oracle, key] : {std::pair{Caller::kOracleA, 0}, std::pair{Caller::kOracleB, 1},
                                    std::pair{Caller::kOracleC, 3}}) {
    v1::Command command;
    v1::RegisterOracle* action = command.mutable_register_oracle();
    action->set_party_id(PartyKey(oracle).key_id());
    action->add_feeds("weather/fuzz/*");
    action->add_feeds("price/*");
    action->set_public_key(AttestationKey(key).public_key());
    action->set_valid_until_unix_ms(kStartUnixMs + 365 * kDayMs);
    MustRun(engine, clock, Concat("oracle-", key), command, Caller::kOperator);
  }
  v1::Command rotate;
  rotate.mutable_rotate_oracle_key()->set_party_id(PartyKey(Caller::kOracleC).key_id());
  rotate.mutable_rotate_oracle_key()->set_public_key(AttestationKey(2).public_key());
  rotate.mutable_rotate_oracle_key()->set_valid_until_unix_ms(kStartUnixMs + 365 * kDayMs);
  MustRun(engine, clock, "rotate", rotate, Caller::kOracleC);
}

Base* BuildBase() {
  auto* base = new Base();
  MemoryStore store;
  ManualClock clock(kStartUnixMs);
  {
    std::unique_ptr<Engine> engine = OpenEngine(&store, &clock);
    Enroll(*engine, clock);
    const v1::Contract cover =
        MustRun(*engine, clock, "cover", CoverCommand(), Caller::kOperator).contract();
    base->cover_id = cover.id();
    for (Caller party : {Caller::kInsurer, Caller::kOperator}) {
      v1::Command sign;
      sign.mutable_sign_contract()->set_contract_id(cover.id());
      sign.mutable_sign_contract()->set_signature(
          SignContractTerms(cover.terms_hash(), PartyKey(party)));
      MustRun(*engine, clock, "sign", sign, party);
    }
    v1::Command fund;
    fund.mutable_fund_contract()->set_contract_id(cover.id());
    MustRun(*engine, clock, "fund", fund, Caller::kInsurer);
    clock.Set(kObservedAt + kHourMs);
    CheckOk(engine->FireDueDeadlines().status(), "the decision at the end of the period");
    v1::Command announce;
    v1::AnnounceEvent* action = announce.mutable_announce_event();
    action->set_feed(kAttestedFeed);
    action->set_event_id(kAttestedEvent);
    action->set_expected_at_unix_ms(kObservedAt);
    action->set_observe_from_unix_ms(kObservedAt);
    action->set_observe_until_unix_ms(kObservedAt + 7 * kDayMs);
    MustRun(*engine, clock, "announce", announce, Caller::kOracleA);
    v1::Command attest;
    *attest.mutable_submit_attestation()->mutable_attestation() = SealEnvelope(
        domain::kAttestation, AttestationOf(0, 120).SerializeAsString(), CurrentKeyOf(0));
    MustRun(*engine, clock, "attest", attest, Caller::kOracleA);
  }
  for (int table = 0; table < kTableCount; ++table) {
    CheckOk(store.Scan(static_cast<Table>(table), "", "", SIZE_MAX,
                       [&](std::string_view key, std::string_view value) {
                         base->records.Put(static_cast<Table>(table), std::string(key),
                                           std::string(value));
                         return true;
                       }),
            "copying the base state");
  }
  return base;
}

const Base& TheBase() {
  static const Base* const base = BuildBase();
  return *base;
}

}  // namespace

Caller CallerFromByte(uint8_t byte) { return static_cast<Caller>((byte & 0x07) % kCallerCount); }

const SigningKey& PartyKey(Caller caller) { return Keys()[static_cast<size_t>(caller)]; }

const SigningKey& AttestationKey(int index) {
  Check(index >= 0 && index < kAttestationKeyCount, "an attestation key index");
  return Keys()[kCallerCount + static_cast<size_t>(index)];
}

const SigningKey& CurrentKeyOf(int oracle) { return AttestationKey(oracle); }

v1::Attestation AttestationOf(int oracle, int64_t value) {
  v1::Attestation attestation;
  attestation.set_feed(kAttestedFeed);
  attestation.set_event_id(kAttestedEvent);
  attestation.set_value(value);
  attestation.set_scale(1);
  attestation.set_observed_at_unix_ms(kObservedAt);
  attestation.set_oracle_party_id(PartyKey(static_cast<Caller>(oracle)).key_id());
  attestation.set_oracle_key_id(CurrentKeyOf(oracle).key_id());
  return attestation;
}

const std::string& CoverId() { return TheBase().cover_id; }

AttestationWorld::AttestationWorld() {
  SilenceProtobufLogs();
  CheckOk(store_.Write(TheBase().records, WriteMode::kNoSync), "copying the base state");
  engine_ = OpenEngine(&store_, &clock_);
}

AttestationWorld::~AttestationWorld() = default;

absl::StatusOr<v1::CommandResult> AttestationWorld::Submit(Caller caller,
                                                           const v1::SignedEnvelope& envelope,
                                                           std::string_view request_id) {
  v1::Command command;
  command.set_request_id(std::string(request_id));
  *command.mutable_submit_attestation()->mutable_attestation() = envelope;
  return engine_->Execute(SignCommand(std::move(command), PartyKey(caller), clock_.NowUnixMs()),
                          v1::Command::kSubmitAttestation);
}

size_t AttestationWorld::CheckInvariants() const {
  CheckOk(CheckConservation(store_), "money is conserved");
  CheckOk(VerifyJournal(store_).status(), "the journal verifies");
  CheckOk(store_.Scan(Table::kAccounts, "", "", SIZE_MAX,
                      [&](std::string_view, std::string_view value) {
                        v1::Account account;
                        Check(account.ParseFromString(std::string(value)), "an account parses");
                        Check(account.kind() == v1::ACCOUNT_KIND_FLOAT ||
                                  account.balance().minor_units() >= 0,
                              Concat("account ", account.id(), " is below zero"));
                        return true;
                      }),
          "scanning accounts");
  const std::string receipt_key = ReceiptKey().public_key();
  CheckOk(store_.Scan(Table::kContracts, "", "", SIZE_MAX,
                      [&](std::string_view, std::string_view value) {
                        v1::Contract contract;
                        Check(contract.ParseFromString(std::string(value)), "a contract parses");
                        CheckConditionalContract(store_, contract, receipt_key);
                        return true;
                      }),
          "scanning contracts");
  size_t attestations = 0;
  CheckOk(store_.Scan(Table::kAttestations, "", "", SIZE_MAX,
                      [&](std::string_view, std::string_view) {
                        ++attestations;
                        return true;
                      }),
          "counting attestations");
  return attestations;
}

AttestationWorld& AttestationWorldInBaseState() {
  static AttestationWorld* world = nullptr;
  static int inputs = 0;
  static const bool close_at_exit = [] {
    std::atexit([] {
      delete world;
      world = nullptr;
    });
    return true;
  }();
  (void)close_at_exit;
  if (world == nullptr || !world->InBaseState() || inputs == kMaxWorldInputs) {
    delete world;
    world = new AttestationWorld();
    inputs = 0;
  }
  ++inputs;
  return *world;
}

}  // namespace argentpoche::fuzz
