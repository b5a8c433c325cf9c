// Attestations and announcements invalid on purpose, each refused with exactly its reason:
// an unannounced event, an observation outside the event's window or in the future, a
// party that is no oracle, a rotated-out key, a forged signature, a flagged oracle, and an
// event announced again with another window.
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;

v1::Command AttestCommand(const std::string& oracle, const SigningKey& signer,
                          const std::string& key_id, const EventKey& event, int64_t value,
                          int64_t observed) {
  v1::Attestation attestation;
  attestation.set_feed(event.first);
  attestation.set_event_id(event.second);
  attestation.set_value(value);
  attestation.set_scale(EventScale(event.first));
  attestation.set_observed_at_unix_ms(observed);
  attestation.set_oracle_party_id(oracle);
  attestation.set_oracle_key_id(key_id);
  v1::Command command;
  v1::SignedEnvelope* envelope = command.mutable_submit_attestation()->mutable_attestation();
  *envelope = SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), signer);
  envelope->set_key_id(key_id);
  return command;
}

// Oracles in good standing whose current key the workload holds.
std::vector<std::string> Attesters(Simulation& s) {
  std::vector<std::string> ids;
  for (const auto& [id, oracle] : s.model().oracle.oracles) {
    const ModelOracleKey& last = oracle.keys.back();
    if (oracle.InGoodStanding() && last.key != nullptr && last.ValidAt(s.now())) {
      ids.push_back(id);
    }
  }
  return ids;
}

// Runs `attest` for a random attester and announced event; false when there is none.
absl::StatusOr<bool> WithAttester(
    Simulation& s,
    const std::function<absl::Status(const ModelOracle&, const EventKey&, const ModelEvent&)>&
        attest) {
  const auto attesters = Attesters(s);
  if (attesters.empty() || s.model().oracle.events.empty()) return false;
  std::vector<EventKey> events;
  for (const auto& [key, event] : s.model().oracle.events) events.push_back(key);
  const EventKey& event = s.Pick(events);
  return Done(attest(s.model().oracle.oracles.at(s.Pick(attesters)), event,
                     s.model().oracle.events.at(event)));
}

}  // namespace

void AddInvalidAttestations(std::vector<Operation>& operations) {
  operations.push_back(
      {"attest an unannounced event", 1, [](Simulation& s) {
         return WithAttester(s, [&](const ModelOracle& oracle, auto&, auto&) {
           const ModelOracleKey& key = oracle.keys.back();
           return s.Submit(AttestCommand(oracle.party_id, *key.key, key.id(),
                                         {"weather/sim/NOWHERE/rain_mm", "2026-01-01..2026-01-01"},
                                         100, s.now()),
                           s.KeyOf(oracle.party_id), "UNKNOWN_EVENT");
         });
       }});
  operations.push_back({"attest outside the event's window", 1, [](Simulation& s) {
                          return WithAttester(s, [&](const ModelOracle& oracle, const EventKey& key,
                                                     const ModelEvent& event) {
                            const ModelOracleKey& own = oracle.keys.back();
                            return s.Submit(AttestCommand(oracle.party_id, *own.key, own.id(), key,
                                                          100, event.observe_until_unix_ms),
                                            s.KeyOf(oracle.party_id), "OUTSIDE_WINDOW");
                          });
                        }});
  operations.push_back(
      {"attest a value observed in the future", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         const int64_t observed = s.now() + 10 * kMinuteMs;
         const auto attesters = Attesters(s);
         std::vector<EventKey> events;
         for (const auto& [key, event] : s.model().oracle.events) {
           if (event.observe_from_unix_ms <= observed && observed < event.observe_until_unix_ms) {
             events.push_back(key);
           }
         }
         if (attesters.empty() || events.empty()) return false;
         const ModelOracle& oracle = s.model().oracle.oracles.at(s.Pick(attesters));
         const ModelOracleKey& key = oracle.keys.back();
         return Done(s.Submit(
             AttestCommand(oracle.party_id, *key.key, key.id(), s.Pick(events), 100, observed),
             s.KeyOf(oracle.party_id), "OBSERVED_IN_FUTURE"));
       }});
  operations.push_back(
      {"attest as a party that is no oracle", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         std::vector<std::string> parties = s.RegisteredParties();
         std::erase_if(
             parties, [&](const std::string& id) { return s.model().oracle.oracles.contains(id); });
         if (parties.empty() || s.model().oracle.events.empty()) return false;
         const std::string& party = s.Pick(parties);
         const EventKey event = s.model().oracle.events.begin()->first;
         return Done(s.Submit(
             AttestCommand(party, s.KeyOf(party), s.KeyOf(party).key_id(), event, 100, s.now()),
             s.KeyOf(party), "NOT_AN_ORACLE"));
       }});
  operations.push_back(
      {"attest with a rotated-out key", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         std::vector<std::string> rotated = Attesters(s);
         std::erase_if(rotated, [&](const std::string& id) {
           const ModelOracleKey& old = s.model().oracle.oracles.at(id).keys.front();
           return s.model().oracle.oracles.at(id).keys.size() < 2 || old.revoked_at_unix_ms != 0 ||
                  old.key == nullptr;
         });
         if (rotated.empty() || s.model().oracle.events.empty()) return false;
         const ModelOracle& oracle = s.model().oracle.oracles.at(s.Pick(rotated));
         const ModelOracleKey& old = oracle.keys.front();
         return Done(s.Submit(AttestCommand(oracle.party_id, *old.key, old.id(),
                                            s.model().oracle.events.begin()->first, 100, s.now()),
                              s.KeyOf(oracle.party_id), "KEY_EXPIRED"));
       }});
  operations.push_back(
      {"attest with a forged signature", 1, [](Simulation& s) {
         return WithAttester(s, [&](const ModelOracle& oracle, const EventKey& key, auto&) {
           return s.Submit(AttestCommand(oracle.party_id, s.harness().stranger_key(),
                                         oracle.keys.back().id(), key, 100, s.now()),
                           s.KeyOf(oracle.party_id), "BAD_SIGNATURE");
         });
       }});
  operations.push_back(
      {"attest as a flagged oracle", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         std::vector<std::string> flagged;
         for (const auto& [id, oracle] : s.model().oracle.oracles) {
           if (oracle.flagged && oracle.revoked_at_unix_ms == 0) flagged.push_back(id);
         }
         if (flagged.empty() || s.model().oracle.events.empty()) return false;
         const ModelOracle& oracle = s.model().oracle.oracles.at(s.Pick(flagged));
         const ModelOracleKey& key = oracle.keys.back();
         if (key.key == nullptr) return false;
         return Done(s.Submit(AttestCommand(oracle.party_id, *key.key, key.id(),
                                            s.model().oracle.events.begin()->first, 100, s.now()),
                              s.KeyOf(oracle.party_id), "ORACLE_FLAGGED"));
       }});
  operations.push_back({"announce an event again with another window", 1, [](Simulation& s) {
                          return WithAttester(s, [&](const ModelOracle& oracle, const EventKey& key,
                                                     const ModelEvent& event) {
                            v1::Command command;
                            v1::AnnounceEvent* action = command.mutable_announce_event();
                            action->set_feed(key.first);
                            action->set_event_id(key.second);
                            action->set_observe_from_unix_ms(event.observe_from_unix_ms + 1);
                            action->set_observe_until_unix_ms(
                                std::max(event.observe_until_unix_ms, s.now() + 60 * kMinuteMs));
                            return s.Submit(command, s.KeyOf(oracle.party_id), "EVENT_CONFLICT");
                          });
                        }});
}

}  // namespace argentpoche::simulation
