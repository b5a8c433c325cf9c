#include "bench/oracle_scenarios.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "argentpoche/v1/oracle.pb.h"
#include "bench/engine_under_test.h"
#include "engine/envelope.h"
#include "engine/strings.h"

namespace argentpoche::bench {
namespace {

using Stub = v1::EscrowEngine::Stub;

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr size_t kOraclesPerGroup = 3;

v1::Command RegisterOracleCommand(const BenchParty& oracle, int64_t valid_until_unix_ms) {
  v1::Command command;
  v1::RegisterOracle* action = command.mutable_register_oracle();
  action->set_party_id(oracle.id);
  action->add_feeds("weather/bench/*");
  action->set_public_key(oracle.key.public_key());
  action->set_valid_until_unix_ms(valid_until_unix_ms);
  return command;
}

v1::Command AnnounceCommand(const std::string& feed, const std::string& event_id, int64_t from,
                            int64_t until) {
  v1::Command command;
  v1::AnnounceEvent* action = command.mutable_announce_event();
  action->set_feed(feed);
  action->set_event_id(event_id);
  action->set_expected_at_unix_ms(from);
  action->set_observe_from_unix_ms(from);
  action->set_observe_until_unix_ms(until);
  return command;
}

// SubmitAttestation of `value` (scale 1) sealed with the oracle's own key.
v1::Command AttestCommand(const BenchParty& oracle, const std::string& feed,
                          const std::string& event_id, int64_t value, int64_t observed_at) {
  v1::Attestation attestation;
  attestation.set_feed(feed);
  attestation.set_event_id(event_id);
  attestation.set_value(value);
  attestation.set_scale(1);
  attestation.set_observed_at_unix_ms(observed_at);
  attestation.set_oracle_party_id(oracle.id);
  attestation.set_oracle_key_id(oracle.key.key_id());
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() =
      SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), oracle.key);
  return command;
}

// Registers parties [first, first + count) as oracles, one call after the other. Exits on
// error.
void RegisterOracles(EngineUnderTest& engine, size_t first, size_t count, int64_t valid_until) {
  for (size_t index = first; index < first + count; ++index) {
    v1::Oracle oracle;
    const grpc::Status status =
        engine.Call(0, &Stub::RegisterOracle, engine.operator_party(), Concat("oracle-", index),
                    RegisterOracleCommand(engine.party(index), valid_until), &oracle);
    if (!status.ok()) {
      std::fprintf(stderr, "engine_bench: registering an oracle failed: %s\n",
                   status.error_message().c_str());
      std::exit(1);
    }
  }
}

void ExitOnError(const grpc::Status& status, std::string_view what) {
  if (status.ok()) return;
  std::fprintf(stderr, "engine_bench: %s failed: %s\n", std::string(what).c_str(),
               status.error_message().c_str());
  std::exit(1);
}

// Client i is oracle i, in group i / 3; each group attests the events of its own feed.
class AttestationsScenario final : public Scenario {
 public:
  AttestationsScenario(const ScenarioOptions& options, size_t events_per_group)
      : engine_(options, options.clients),
        groups_((options.clients + kOraclesPerGroup - 1) / kOraclesPerGroup),
        started_unix_ms_(engine_.NowUnixMs()),
        next_event_(options.clients, 0),
        announced_(groups_) {
    RegisterOracles(engine_, 0, options.clients, started_unix_ms_ + 30 * kDayMs);
    ExitOnError(RunOnEachClient(groups_,
                                [&](size_t group) {
                                  grpc::Status status;
                                  for (size_t k = 0; k < events_per_group && status.ok(); ++k) {
                                    status = Announce(group * kOraclesPerGroup, group, k, nullptr);
                                  }
                                  announced_[group] = events_per_group;
                                  return status;
                                }),
                "announcing the events");
  }

  grpc::Status Iterate(size_t client, ClientMeter& meter) override {
    const size_t group = client / kOraclesPerGroup;
    const size_t event = next_event_[client]++;
    if (event >= announced_[group].load()) {
      // Past the pool: announced again by each oracle that gets there (accepted).
      grpc::Status status = Announce(client, group, event, &meter);
      if (!status.ok()) return status;
      size_t seen = announced_[group].load();
      while (seen <= event && !announced_[group].compare_exchange_weak(seen, event + 1)) {
      }
    }
    v1::AttestationReceipt receipt;
    grpc::Status status = engine_.Call(
        client, &Stub::SubmitAttestation, engine_.party(client), Concat("attest-", event),
        AttestCommand(engine_.party(client), FeedOf(group), Concat("e", event),
                      1000 + static_cast<int64_t>(client % kOraclesPerGroup),
                      started_unix_ms_ - 60'000),
        &receipt, &meter);
    if (status.ok()) meter.OperationDone();
    return status;
  }
  uint64_t commits() const override { return engine_.commits(); }

 private:
  static std::string FeedOf(size_t group) { return Concat("weather/bench/G", group, "/rain_mm"); }

  grpc::Status Announce(size_t client, size_t group, size_t event, ClientMeter* meter) {
    v1::OracleEvent announced;
    return engine_.Call(client, &Stub::AnnounceEvent, engine_.party(client),
                        Concat("announce-", event),
                        AnnounceCommand(FeedOf(group), Concat("e", event),
                                        started_unix_ms_ - kHourMs, started_unix_ms_ + 30 * kDayMs),
                        &announced, meter);
  }

  EngineUnderTest engine_;
  const size_t groups_;
  const int64_t started_unix_ms_;
  // Per client; each element is touched by its client's thread only.
  std::vector<size_t> next_event_;
  // Per group: events [0, n) announced.
  std::vector<std::atomic<size_t>> announced_;
};

}  // namespace

std::unique_ptr<Scenario> StartAttestations(const ScenarioOptions& options,
                                            size_t events_per_group) {
  return std::make_unique<AttestationsScenario>(options, events_per_group);
}

}  // namespace argentpoche::bench
