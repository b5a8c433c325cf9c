// MeasureSettlements (bench/oracle_scenarios.h): weather covers settled by the attestation
// that completes their 2-of-3 quorum.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <numeric>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "bench/engine_under_test.h"
#include "bench/oracle_scenarios.h"
#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/strings.h"

namespace argentpoche::bench {
namespace {

using Stub = v1::EscrowEngine::Stub;

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
// The manual clock starts on the covered day, 2026-11-25 00:00:00 UTC; the index is known
// from the next day on.
constexpr int64_t kCoveredDayUnixMs = 1795564800000;
constexpr int64_t kPeriodEndUnixMs = kCoveredDayUnixMs + kDayMs;
constexpr char kEventId[] = "2026-11-25..2026-11-25";
// Parties 0, 1 and 2 are the oracles; client i's insurer and insured come after them.
constexpr size_t kOracles = 3;

std::string FeedOf(size_t event) { return Concat("weather/bench/S", event, "/rain_mm"); }

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A flood cover on station S<event>: trigger 50.0 mm, exit 150.0 mm, limit 10,000.00 EUR,
// premium 400.00 EUR, 2 of the 3 oracles within 2.0 mm, a week of grace.
v1::Command CreateCoverCommand(const BenchParty& insurer, const BenchParty& insured,
                               const EngineUnderTest& engine, size_t event, size_t index) {
  v1::ContractTerms terms;
  v1::WeatherCoverTerms* cover = terms.mutable_weather_cover();
  cover->set_insurer_party_id(insurer.id);
  cover->set_insured_party_id(insured.id);
  cover->set_source("bench");
  cover->set_station(Concat("S", event));
  cover->set_index(v1::WEATHER_INDEX_RAINFALL);
  cover->set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover->set_scale(1);
  cover->set_period_start("2026-11-25");
  cover->set_period_end("2026-11-25");
  cover->set_direction(v1::COVER_DIRECTION_EXCESS);
  cover->set_trigger(500);
  cover->set_exit(1500);
  cover->mutable_limit()->set_currency("EUR");
  cover->mutable_limit()->set_minor_units(1'000'000);
  cover->mutable_premium()->set_currency("EUR");
  cover->mutable_premium()->set_minor_units(40'000);
  for (size_t oracle = 0; oracle < kOracles; ++oracle) {
    cover->mutable_oracles()->add_oracle_party_ids(engine.party(oracle).id);
  }
  cover->mutable_oracles()->set_quorum(2);
  cover->mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
  cover->mutable_oracles()->set_max_spread(20);
  cover->set_grace_period_ms(7 * kDayMs);
  cover->set_fund_by_unix_ms(kCoveredDayUnixMs + 12 * kHourMs);
  cover->set_description(Concat("bench cover ", index));
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  return command;
}

// Creates contract `index` as client `client`'s insured, signs it by both, funds it by both.
grpc::Status CreateSignFund(EngineUnderTest& engine, size_t client, size_t event, size_t index) {
  const BenchParty& insurer = engine.party(kOracles + 2 * client);
  const BenchParty& insured = engine.party(kOracles + 2 * client + 1);
  v1::Contract contract;
  grpc::Status status =
      engine.Call(client, &Stub::CreateContract, insured, Concat("create-", index),
                  CreateCoverCommand(insurer, insured, engine, event, index), &contract);
  for (const BenchParty* party : {&insurer, &insured}) {
    if (!status.ok()) return status;
    v1::Command sign;
    sign.mutable_sign_contract()->set_contract_id(contract.id());
    sign.mutable_sign_contract()->set_signature(
        SignContractTerms(contract.terms_hash(), party->key));
    status =
        engine.Call(client, &Stub::SignContract, *party, Concat("sign-", index), sign, &contract);
  }
  for (const BenchParty* party : {&insurer, &insured}) {
    if (!status.ok()) return status;
    v1::Command fund;
    fund.mutable_fund_contract()->set_contract_id(contract.id());
    status =
        engine.Call(client, &Stub::FundContract, *party, Concat("fund-", index), fund, &contract);
  }
  if (status.ok() && contract.state() != v1::CONTRACT_STATE_FUNDED) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "a bench cover is not funded");
  }
  return status;
}

// SubmitAttestation by oracle `oracle` of `value` (scale 1) for `event`.
grpc::Status Attest(EngineUnderTest& engine, size_t client, size_t oracle, size_t event,
                    int64_t value, v1::AttestationReceipt* receipt) {
  const BenchParty& party = engine.party(oracle);
  v1::Attestation attestation;
  attestation.set_feed(FeedOf(event));
  attestation.set_event_id(kEventId);
  attestation.set_value(value);
  attestation.set_scale(1);
  attestation.set_observed_at_unix_ms(kPeriodEndUnixMs);
  attestation.set_oracle_party_id(party.id);
  attestation.set_oracle_key_id(party.key.key_id());
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() =
      SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), party.key);
  return engine.Call(client, &Stub::SubmitAttestation, party, Concat("attest-", event), command,
                     receipt);
}

grpc::Status PrepareEvent(EngineUnderTest& engine, size_t client, size_t event) {
  v1::Command announce;
  v1::AnnounceEvent* action = announce.mutable_announce_event();
  action->set_feed(FeedOf(event));
  action->set_event_id(kEventId);
  action->set_expected_at_unix_ms(kPeriodEndUnixMs);
  action->set_observe_from_unix_ms(kPeriodEndUnixMs);
  action->set_observe_until_unix_ms(kPeriodEndUnixMs + 7 * kDayMs);
  v1::OracleEvent announced;
  grpc::Status status = engine.Call(client, &Stub::AnnounceEvent, engine.party(0),
                                    Concat("announce-", event), announce, &announced);
  v1::AttestationReceipt receipt;
  if (status.ok()) status = Attest(engine, client, 0, event, 1000, &receipt);
  if (status.ok() && receipt.affected_contract_ids_size() != 0) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "one attestation of two settled something");
  }
  return status;
}

}  // namespace

double SettlementResult::SettledPerSecond() const {
  return seconds > 0 ? static_cast<double>(settled) / seconds : 0;
}

double SettlementResult::MicrosecondsPerContract() const {
  return settled > 0 ? seconds * 1e6 / static_cast<double>(settled) : 0;
}

double SettlementResult::LatencyPerContractUs() const {
  if (latencies_us.empty() || contracts_per_event == 0) return 0;
  const double sum = std::accumulate(latencies_us.begin(), latencies_us.end(), 0.0);
  return sum / static_cast<double>(latencies_us.size()) / static_cast<double>(contracts_per_event);
}

SettlementResult MeasureSettlements(const ScenarioOptions& options, size_t events,
                                    size_t contracts_per_event) {
  POCHE_CHECK(events > 0 && contracts_per_event > 0 && options.clients > 0);
  SettlementResult result;
  result.events = events;
  result.contracts_per_event = contracts_per_event;
  const auto setup_started = std::chrono::steady_clock::now();
  ManualClock clock(kCoveredDayUnixMs);
  EngineUnderTest engine(options, kOracles + 2 * options.clients, &clock,
                         /*scheduler_poll_ms=*/0);
  for (size_t oracle = 0; oracle < kOracles; ++oracle) {
    v1::Command command;
    v1::RegisterOracle* action = command.mutable_register_oracle();
    action->set_party_id(engine.party(oracle).id);
    action->add_feeds("weather/bench/*");
    action->set_public_key(engine.party(oracle).key.public_key());
    action->set_valid_until_unix_ms(kCoveredDayUnixMs + 60 * kDayMs);
    v1::Oracle registered;
    const grpc::Status status = engine.Call(0, &Stub::RegisterOracle, engine.operator_party(),
                                            Concat("oracle-", oracle), command, &registered);
    if (!status.ok()) {
      result.error = status.error_message();
      return result;
    }
  }
  const size_t contracts = events * contracts_per_event;
  grpc::Status status = RunOnEachClient(options.clients, [&](size_t client) {
    grpc::Status made;
    for (size_t index = client; index < contracts && made.ok(); index += options.clients) {
      made = CreateSignFund(engine, client, index / contracts_per_event, index);
    }
    return made;
  });
  clock.Set(kPeriodEndUnixMs + kHourMs);
  const size_t threads = std::min(options.clients, events);
  if (status.ok()) {
    status = RunOnEachClient(threads, [&](size_t client) {
      grpc::Status prepared;
      for (size_t event = client; event < events && prepared.ok(); event += threads) {
        prepared = PrepareEvent(engine, client, event);
      }
      return prepared;
    });
  }
  if (!status.ok()) {
    result.error = status.error_message();
    return result;
  }
  result.setup_seconds = Seconds(setup_started);

  std::mutex mutex;
  std::atomic<uint64_t> settled{0};
  const uint64_t commits_before = engine.commits();
  const auto started = std::chrono::steady_clock::now();
  status = RunOnEachClient(threads, [&](size_t client) {
    for (size_t event = client; event < events; event += threads) {
      v1::AttestationReceipt receipt;
      const auto sent = std::chrono::steady_clock::now();
      grpc::Status attested = Attest(engine, client, 1, event, 1004, &receipt);
      const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - sent);
      if (!attested.ok()) return attested;
      settled += static_cast<uint64_t>(receipt.affected_contract_ids_size());
      std::lock_guard<std::mutex> lock(mutex);
      result.latencies_us.push_back(latency.count());
    }
    return grpc::Status::OK;
  });
  result.seconds = Seconds(started);
  result.commits = engine.commits() - commits_before;
  result.settled = settled;
  if (!status.ok()) {
    result.error = status.error_message();
  } else if (result.settled != contracts) {
    result.error = Concat(result.settled, " of ", contracts, " contracts settled");
  }
  return result;
}

}  // namespace argentpoche::bench
