// The oracles' random operations: the operator registers oracles, keys rotate and are
// revoked, rarely a whole oracle; oracles announce the events live contracts wait for and
// attest them: honestly (the event's truth, within a little noise, sometimes at a finer
// scale), as liars, as equivocators, stale (observed before the contracts' window), or
// again (a replay). Invalid on purpose: an unannounced event, outside the window, in the
// future, by a party that is no oracle, with a rotated-out key, a forged signature, by a
// flagged oracle. Blind retries of the same request id come from the system operations.
#include <algorithm>

#include "engine/envelope.h"
#include "engine/feeds.h"
#include "engine/limits.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr size_t kMaxOracles = 6;
// Oracles in good standing left before one may equivocate or be revoked: the others keep
// attesting.
constexpr size_t kMinGoodOracles = 4;
constexpr size_t kMaxKeysPerOracle = 8;

std::vector<std::string> Oracles(Simulation& s, bool good) {
  std::vector<std::string> ids;
  for (const auto& [id, oracle] : s.model().oracle.oracles) {
    if (!good || oracle.InGoodStanding()) ids.push_back(id);
  }
  return ids;
}

// The key the oracle attests with now, if it holds one.
const ModelOracleKey* CurrentKey(const ModelOracle& oracle, int64_t now) {
  const ModelOracleKey& last = oracle.keys.back();
  return last.key != nullptr && last.ValidAt(now) ? &last : nullptr;
}

bool HasAttested(const Model& model, const EventKey& event, const std::string& oracle) {
  const auto found = model.oracle.attestations.find(event);
  if (found == model.oracle.attestations.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [&](const ModelAttestation& each) { return each.oracle == oracle; });
}

// The announced events (in order), keeping those `keep` accepts.
std::vector<EventKey> Events(Simulation& s,
                             const std::function<bool(const EventKey&, const ModelEvent&)>& keep) {
  std::vector<EventKey> events;
  for (const auto& [key, event] : s.model().oracle.events) {
    if (keep(key, event)) events.push_back(key);
  }
  return events;
}

absl::Status Submit(Simulation& s, const std::string& oracle, const SigningKey& key,
                    const EventKey& event, int64_t value, uint32_t scale, int64_t observed,
                    std::string_view meant) {
  v1::Attestation attestation;
  attestation.set_feed(event.first);
  attestation.set_event_id(event.second);
  attestation.set_value(value);
  attestation.set_scale(scale);
  attestation.set_observed_at_unix_ms(observed);
  attestation.set_oracle_party_id(oracle);
  attestation.set_oracle_key_id(key.key_id());
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() =
      SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), key);
  return s.Submit(command, s.KeyOf(oracle), meant);
}

// How an attestation's value is chosen.
enum class Kind { kHonest, kLiar, kStale };

// An oracle in good standing with a key attests an announced event it has not attested.
absl::StatusOr<bool> Attest(Simulation& s, Kind kind) {
  const int64_t now = s.now();
  // Mostly the events funded contracts still wait for.
  const bool awaited = s.Percent(75);
  const auto events = Events(s, [&](const EventKey& key, const ModelEvent& event) {
    const int64_t observed = ObservationTime(key);
    if (awaited && !std::any_of(s.model().oracle.contracts.begin(),
                                s.model().oracle.contracts.end(), [&](const auto& each) {
                                  return each.second.state == v1::CONTRACT_STATE_FUNDED &&
                                         each.second.WaitsOn(key);
                                })) {
      return false;
    }
    return kind == Kind::kStale ? event.observe_from_unix_ms < observed
                                : observed <= now + limits::kMaxObservationAheadMs &&
                                      observed < event.observe_until_unix_ms;
  });
  if (events.empty()) return false;
  const EventKey& event = s.Pick(events);
  std::vector<std::string> oracles;
  for (const std::string& id : Oracles(s, true)) {
    const ModelOracle& oracle = s.model().oracle.oracles.at(id);
    if (CurrentKey(oracle, now) && !HasAttested(s.model(), event, id)) oracles.push_back(id);
  }
  if (oracles.empty()) return false;
  const std::string& oracle = s.Pick(oracles);
  const SigningKey& key = *CurrentKey(s.model().oracle.oracles.at(oracle), now)->key;
  const uint32_t scale = EventScale(event.first);
  const int64_t noise = scale == 1 ? 10 : 200;
  int64_t value = EventTruth(event.first, event.second) + s.Between(-noise, noise);
  if (kind == Kind::kLiar) value += (s.Percent(50) ? 1 : -1) * s.Between(10 * noise, 50 * noise);
  const int64_t observed = kind == Kind::kStale
                               ? std::max(s.model().oracle.events.at(event).observe_from_unix_ms,
                                          ObservationTime(event) - kHourMs)
                               : ObservationTime(event);
  if (kind == Kind::kStale && observed > now + limits::kMaxObservationAheadMs) return false;
  const bool finer = s.Percent(30);
  return Done(Submit(s, oracle, key, event, finer ? value * 10 + s.Between(0, 9) : value,
                     finer ? scale + 1 : scale, observed, ""));
}

// An oracle that attested an event attests it again: the same value (a replay) or
// another (an equivocation, which flags it).
absl::StatusOr<bool> AttestAgain(Simulation& s, bool same) {
  const int64_t now = s.now();
  if (!same && Oracles(s, true).size() < kMinGoodOracles) return false;
  std::vector<std::pair<EventKey, ModelAttestation>> earlier;
  for (const auto& [event, stored] : s.model().oracle.attestations) {
    for (const ModelAttestation& each : stored) {
      const ModelOracle& oracle = s.model().oracle.oracles.at(each.oracle);
      if (oracle.InGoodStanding() && CurrentKey(oracle, now) &&
          each.observed_at_unix_ms <= now + limits::kMaxObservationAheadMs &&
          each.observed_at_unix_ms < s.model().oracle.events.at(event).observe_until_unix_ms) {
        earlier.emplace_back(event, each);
      }
    }
  }
  if (earlier.empty()) return false;
  const auto& [event, first] = s.Pick(earlier);
  const SigningKey& key = *CurrentKey(s.model().oracle.oracles.at(first.oracle), now)->key;
  const int64_t value = same ? first.value : first.value + s.Between(1, 30);
  return Done(Submit(s, first.oracle, key, event, value, first.scale, first.observed_at_unix_ms,
                     same ? "ATTESTATION_REPLAYED" : ""));
}

// Events that live contracts wait for and nobody announced, with the window to announce.
struct Announcement {
  EventKey event;
  int64_t from = 0;
  int64_t until = 0;
};

std::vector<Announcement> Unannounced(Simulation& s) {
  std::vector<Announcement> wanted;
  for (const auto& [id, contract] : s.model().oracle.contracts) {
    if (!contract.Waiting()) continue;
    for (const v1::ValueSource& source : contract.compiled.value_sources()) {
      const EventKey event{source.feed(), source.event_id()};
      if (s.model().oracle.events.contains(event) || source.observe_until_unix_ms() <= s.now()) {
        continue;
      }
      wanted.push_back({event, source.observe_from_unix_ms(), source.observe_until_unix_ms()});
    }
  }
  return wanted;
}

absl::Status Announce(Simulation& s, const std::string& oracle, const Announcement& announcement,
                      std::string_view meant) {
  v1::Command command;
  v1::AnnounceEvent* action = command.mutable_announce_event();
  action->set_feed(announcement.event.first);
  action->set_event_id(announcement.event.second);
  action->set_expected_at_unix_ms(ObservationTime(announcement.event));
  action->set_observe_from_unix_ms(announcement.from);
  action->set_observe_until_unix_ms(announcement.until);
  action->set_description(Concat("simulated event ", announcement.event.second));
  return s.Submit(command, s.KeyOf(oracle), meant);
}

v1::Command RegisterCommand(const std::string& party, int64_t now) {
  v1::Command command;
  v1::RegisterOracle* action = command.mutable_register_oracle();
  action->set_party_id(party);
  action->add_feeds(kWeatherFeeds);
  action->add_feeds(kPriceFeeds);
  action->set_public_key(AttestationKey(party, 0)->public_key());
  action->set_valid_until_unix_ms(now + 120 * kDayMs);
  return command;
}

void AddRegistryOperations(std::vector<Operation>& operations) {
  operations.push_back({"register an oracle", 4, [](Simulation& s) -> absl::StatusOr<bool> {
                          std::vector<std::string> parties = s.RegisteredParties();
                          std::erase_if(parties, [&](const std::string& id) {
                            return s.model().oracle.oracles.contains(id);
                          });
                          if (parties.empty() || s.model().oracle.oracles.size() >= kMaxOracles) {
                            return false;
                          }
                          return Done(s.Submit(RegisterCommand(s.Pick(parties), s.now()),
                                               s.harness().operator_key()));
                        }});
  operations.push_back(
      {"rotate an oracle key", 2, [](Simulation& s) -> absl::StatusOr<bool> {
         std::vector<std::string> oracles = Oracles(s, true);
         std::erase_if(oracles, [&](const std::string& id) {
           return s.model().oracle.oracles.at(id).keys.size() >= kMaxKeysPerOracle;
         });
         if (oracles.empty()) return false;
         const std::string& oracle = s.Pick(oracles);
         v1::Command command;
         v1::RotateOracleKey* action = command.mutable_rotate_oracle_key();
         action->set_party_id(oracle);
         action->set_public_key(
             AttestationKey(oracle, s.model().oracle.oracles.at(oracle).keys.size())->public_key());
         action->set_valid_until_unix_ms(s.now() + 120 * kDayMs);
         return Done(
             s.Submit(command, s.Percent(70) ? s.KeyOf(oracle) : s.harness().operator_key()));
       }});
  operations.push_back({"revoke an oracle key", 1, [](Simulation& s) -> absl::StatusOr<bool> {
                          const auto oracles = Oracles(s, true);
                          if (oracles.empty()) return false;
                          const std::string& oracle = s.Pick(oracles);
                          v1::Command command;
                          command.mutable_revoke_oracle()->set_party_id(oracle);
                          command.mutable_revoke_oracle()->set_key_id(
                              s.model().oracle.oracles.at(oracle).keys.back().id());
                          command.mutable_revoke_oracle()->set_reason("the key leaked");
                          return Done(s.Submit(command, s.harness().operator_key()));
                        }});
  operations.push_back({"revoke an oracle", 1, [](Simulation& s) -> absl::StatusOr<bool> {
                          const auto oracles = Oracles(s, true);
                          if (oracles.size() <= kMinGoodOracles) return false;
                          v1::Command command;
                          command.mutable_revoke_oracle()->set_party_id(s.Pick(oracles));
                          command.mutable_revoke_oracle()->set_reason("it stopped reporting");
                          return Done(s.Submit(command, s.harness().operator_key()));
                        }});
  operations.push_back({"announce an event", 8, [](Simulation& s) -> absl::StatusOr<bool> {
                          const auto wanted = Unannounced(s);
                          const auto oracles = Oracles(s, true);
                          if (wanted.empty() || oracles.empty()) return false;
                          Announcement announcement = s.Pick(wanted);
                          // Sometimes the window opens early: stale observations fit in it.
                          if (s.Percent(30)) announcement.from -= kDayMs;
                          return Done(Announce(s, s.Pick(oracles), announcement, ""));
                        }});
}

}  // namespace

int64_t ObservationTime(const EventKey& event) {
  if (event.first.starts_with("price/")) {
    const absl::StatusOr<PriceEvent> price = ParsePriceEventId(event.second);
    if (!price.ok()) return 0;
    return price->is_average() ? price->until_unix_ms : price->at_unix_ms;
  }
  const absl::StatusOr<WeatherPeriod> period = ParseWeatherEventId(event.second);
  return period.ok() ? DayAfterUnixMs(period->end) : 0;
}

void AddOracleOperations(std::vector<Operation>& operations) {
  AddRegistryOperations(operations);
  operations.push_back(
      {"attest honestly", 20, [](Simulation& s) { return Attest(s, Kind::kHonest); }});
  operations.push_back({"attest a lie", 2, [](Simulation& s) { return Attest(s, Kind::kLiar); }});
  operations.push_back(
      {"attest a stale observation", 1, [](Simulation& s) { return Attest(s, Kind::kStale); }});
  operations.push_back(
      {"equivocate", 1, [](Simulation& s) { return AttestAgain(s, /*same=*/false); }});
  operations.push_back(
      {"replay an attestation", 1, [](Simulation& s) { return AttestAgain(s, /*same=*/true); }});
  AddInvalidAttestations(operations);
}

}  // namespace argentpoche::simulation
