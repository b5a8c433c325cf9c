// The oracle commands: what the engine must answer (checks in the order of
// engine/oracles.cc) and what an acknowledged one changes in the model.
#include <algorithm>
#include <set>

#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"
#include "tests/simulation/harness.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;

Expectation Refused(Code code, std::string reason) {
  return Expectation::Refused(code, std::move(reason));
}

bool Refusal(const Expectation& expectation) {
  return expectation.kind == Expectation::Kind::kRefused;
}

Expectation Deadline(int64_t until, int64_t now) {
  if (until > now + limits::kMaxDeadlineAheadMs) {
    return Refused(Code::kInvalidArgument, "DEADLINE_TOO_FAR");
  }
  return Expectation::Applied();
}

Expectation PredictRegister(const Model& model, const CommandView& view, int64_t now) {
  const v1::RegisterOracle& action = view.command.register_oracle();
  if (view.signer_id != model.operator_id) return Refused(Code::kPermissionDenied, "NOT_OPERATOR");
  if (action.party_id().empty()) return Refused(Code::kInvalidArgument, "MISSING_PARTY");
  if (!IsRegistered(model, action.party_id())) return Refused(Code::kNotFound, "PARTY_NOT_FOUND");
  if (model.oracle.oracles.contains(action.party_id())) {
    return Refused(Code::kAlreadyExists, "ORACLE_EXISTS");
  }
  if (action.feeds().empty()) return Refused(Code::kInvalidArgument, "MALFORMED_FEED");
  if (action.public_key().size() != kPublicKeyBytes) {
    return Refused(Code::kInvalidArgument, "MALFORMED_KEY");
  }
  const int64_t from = action.valid_from_unix_ms() == 0 ? now : action.valid_from_unix_ms();
  if (action.valid_until_unix_ms() <= std::max(from, now)) {
    return Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
  }
  return Deadline(action.valid_until_unix_ms(), now);
}

Expectation PredictRotate(const Model& model, const CommandView& view, int64_t now) {
  const v1::RotateOracleKey& action = view.command.rotate_oracle_key();
  if (view.signer_id != model.operator_id && view.signer_id != action.party_id()) {
    return Refused(Code::kPermissionDenied, "NOT_ALLOWED");
  }
  const auto found = model.oracle.oracles.find(action.party_id());
  if (found == model.oracle.oracles.end()) return Refused(Code::kNotFound, "ORACLE_NOT_FOUND");
  if (Expectation standing = OracleStanding(found->second); Refusal(standing)) return standing;
  if (action.public_key().size() != kPublicKeyBytes) {
    return Refused(Code::kInvalidArgument, "MALFORMED_KEY");
  }
  for (const ModelOracleKey& key : found->second.keys) {
    if (key.id() == KeyIdOf(action.public_key())) {
      return Refused(Code::kAlreadyExists, "KEY_EXISTS");
    }
  }
  if (found->second.keys.size() >= limits::kMaxOracleKeys) {
    return Refused(Code::kResourceExhausted, "TOO_MANY_KEYS");
  }
  if (action.valid_until_unix_ms() <= now) {
    return Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
  }
  return Deadline(action.valid_until_unix_ms(), now);
}

Expectation PredictRevoke(const Model& model, const CommandView& view) {
  const v1::RevokeOracle& action = view.command.revoke_oracle();
  if (view.signer_id != model.operator_id) return Refused(Code::kPermissionDenied, "NOT_OPERATOR");
  const auto found = model.oracle.oracles.find(action.party_id());
  if (found == model.oracle.oracles.end()) return Refused(Code::kNotFound, "ORACLE_NOT_FOUND");
  if (action.reason().size() > limits::kMaxDescriptionLength) {
    return Refused(Code::kInvalidArgument, "TOO_LONG");
  }
  const ModelOracle& oracle = found->second;
  if (oracle.revoked_at_unix_ms != 0) {
    return Refused(Code::kFailedPrecondition, "ALREADY_REVOKED");
  }
  if (action.key_id().empty()) return Expectation::Applied();
  const ModelOracleKey* key = nullptr;
  for (const ModelOracleKey& each : oracle.keys) {
    if (each.id() == action.key_id()) key = &each;
  }
  if (key == nullptr) return Refused(Code::kNotFound, "KEY_NOT_FOUND");
  if (key->revoked_at_unix_ms != 0) return Refused(Code::kFailedPrecondition, "ALREADY_REVOKED");
  return Expectation::Applied();
}

Expectation PredictAnnounce(const Model& model, const CommandView& view, int64_t now) {
  const v1::AnnounceEvent& action = view.command.announce_event();
  const auto found = model.oracle.oracles.find(view.signer_id);
  if (found == model.oracle.oracles.end()) return Refused(Code::kPermissionDenied, "NOT_AN_ORACLE");
  if (Expectation standing = OracleStanding(found->second); Refusal(standing)) return standing;
  if (!OracleMayAttest(found->second, action.feed())) {
    return Refused(Code::kPermissionDenied, "FEED_NOT_ALLOWED");
  }
  if (action.description().size() > limits::kMaxDescriptionLength) {
    return Refused(Code::kInvalidArgument, "TOO_LONG");
  }
  if (action.observe_from_unix_ms() <= 0 ||
      action.observe_from_unix_ms() >= action.observe_until_unix_ms()) {
    return Refused(Code::kInvalidArgument, "BAD_WINDOW");
  }
  if (action.observe_until_unix_ms() <= now) {
    return Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
  }
  if (Expectation far = Deadline(action.observe_until_unix_ms(), now); Refusal(far)) return far;
  const auto event = model.oracle.events.find({action.feed(), action.event_id()});
  if (event != model.oracle.events.end() &&
      (event->second.observe_from_unix_ms != action.observe_from_unix_ms() ||
       event->second.observe_until_unix_ms != action.observe_until_unix_ms())) {
    return Refused(Code::kAlreadyExists, "EVENT_CONFLICT");
  }
  return Expectation::Applied();
}

}  // namespace

bool OracleMayAttest(const ModelOracle& oracle, const std::string& feed) {
  for (const std::string& pattern : oracle.feeds) {
    if (pattern == feed) return true;
    if (!pattern.empty() && pattern.back() == '*' &&
        feed.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0) {
      return true;
    }
  }
  return false;
}

Expectation OracleStanding(const ModelOracle& oracle) {
  if (oracle.revoked_at_unix_ms != 0) return Refused(Code::kPermissionDenied, "ORACLE_REVOKED");
  if (oracle.flagged) return Refused(Code::kPermissionDenied, "ORACLE_FLAGGED");
  return Expectation::Applied();
}

std::shared_ptr<const SigningKey> AttestationKey(const std::string& party_id, size_t n) {
  return std::make_shared<const SigningKey>(
      TestKey(Concat("oracle ", party_id.substr(0, 8), " ", n)));
}

int64_t EventTruth(const std::string& feed, const std::string& event_id) {
  const std::string digest = Sha256(Concat(feed, "\n", event_id));
  uint64_t number = 0;
  for (int i = 0; i < 8; ++i) number = (number << 8) | static_cast<uint8_t>(digest[i]);
  // Rainfall of 30.0 to 180.0 mm; a price of 40,000.00 to 48,000.00.
  return EventScale(feed) == 1 ? 300 + static_cast<int64_t>(number % 1500)
                               : 4'000'000 + static_cast<int64_t>(number % 800'000);
}

uint32_t EventScale(const std::string& feed) { return feed.starts_with("price/") ? 2 : 1; }

Expectation PredictRegistry(const Model& model, const CommandView& view, int64_t now) {
  switch (view.command.action_case()) {
    case v1::Command::kRegisterOracle:
      return PredictRegister(model, view, now);
    case v1::Command::kRotateOracleKey:
      return PredictRotate(model, view, now);
    case v1::Command::kRevokeOracle:
      return PredictRevoke(model, view);
    default:
      return PredictAnnounce(model, view, now);
  }
}

namespace {

// The signing key behind `public_key`, one of the oracle's keys 0..63 (the workload makes
// them with AttestationKey); null for a key the workload does not hold.
std::shared_ptr<const SigningKey> KeyBehind(const std::string& party_id,
                                            const std::string& public_key, size_t hint) {
  std::shared_ptr<const SigningKey> key = AttestationKey(party_id, hint);
  for (size_t n = 0; key->public_key() != public_key && n < limits::kMaxOracleKeys; ++n) {
    key = AttestationKey(party_id, n);
  }
  return key->public_key() == public_key ? key : nullptr;
}

absl::Status CheckEvent(const ModelEvent& expected, const v1::OracleEvent& stored,
                        const EventKey& key) {
  if (stored.feed() == key.first && stored.event_id() == key.second &&
      stored.expected_at_unix_ms() == expected.expected_at_unix_ms &&
      stored.observe_from_unix_ms() == expected.observe_from_unix_ms &&
      stored.observe_until_unix_ms() == expected.observe_until_unix_ms &&
      stored.announced_by_party_id() == expected.announced_by &&
      stored.announced_at_unix_ms() == expected.announced_at_unix_ms) {
    return absl::OkStatus();
  }
  return Violation(Concat("event ", key.first, " ", key.second, " is not the model's: window ",
                          stored.observe_from_unix_ms(), "..", stored.observe_until_unix_ms(),
                          ", announced by ", stored.announced_by_party_id()));
}

}  // namespace

absl::Status ApplyRegistry(Model& model, const CommandView& view, const v1::CommandResult& result,
                           int64_t now) {
  const v1::Command& command = view.command;
  if (command.has_announce_event()) {
    const v1::AnnounceEvent& action = command.announce_event();
    const EventKey key{action.feed(), action.event_id()};
    if (!model.oracle.events.contains(key)) {
      ModelEvent& event = model.oracle.events[key];
      event.expected_at_unix_ms = action.expected_at_unix_ms();
      event.observe_from_unix_ms = action.observe_from_unix_ms();
      event.observe_until_unix_ms = action.observe_until_unix_ms();
      event.announced_by = view.signer_id;
      event.announced_at_unix_ms = now;
    }
    return CheckEvent(model.oracle.events.at(key), result.event(), key);
  }
  std::string party_id;
  if (command.has_register_oracle()) {
    const v1::RegisterOracle& action = command.register_oracle();
    party_id = action.party_id();
    ModelOracle& oracle = model.oracle.oracles[party_id];
    oracle.party_id = party_id;
    oracle.feeds.assign(action.feeds().begin(), action.feeds().end());
    oracle.registered_at_unix_ms = now;
    ModelOracleKey& key = oracle.keys.emplace_back();
    key.key = KeyBehind(party_id, action.public_key(), 0);
    key.public_key = action.public_key();
    key.key_id = KeyIdOf(key.public_key);
    key.valid_from_unix_ms = action.valid_from_unix_ms() == 0 ? now : action.valid_from_unix_ms();
    key.valid_until_unix_ms = action.valid_until_unix_ms();
  } else if (command.has_rotate_oracle_key()) {
    const v1::RotateOracleKey& action = command.rotate_oracle_key();
    party_id = action.party_id();
    ModelOracle& oracle = model.oracle.oracles.at(party_id);
    for (ModelOracleKey& key : oracle.keys) {
      key.valid_until_unix_ms = std::min(key.valid_until_unix_ms, now);
      key.valid_from_unix_ms = std::min(key.valid_from_unix_ms, now);
    }
    ModelOracleKey& key = oracle.keys.emplace_back();
    key.key = KeyBehind(party_id, action.public_key(), oracle.keys.size() - 1);
    key.public_key = action.public_key();
    key.key_id = KeyIdOf(key.public_key);
    key.valid_from_unix_ms = now;
    key.valid_until_unix_ms = action.valid_until_unix_ms();
  } else {
    const v1::RevokeOracle& action = command.revoke_oracle();
    party_id = action.party_id();
    ModelOracle& oracle = model.oracle.oracles.at(party_id);
    if (action.key_id().empty()) {
      oracle.revoked_at_unix_ms = now;
    } else {
      for (ModelOracleKey& key : oracle.keys) {
        if (key.id() == action.key_id()) key.revoked_at_unix_ms = now;
      }
    }
  }
  return CompareOracle(model, model.oracle.oracles.at(party_id), result.oracle());
}

absl::Status CheckOracles(const Model& model, const Engine& engine, bool full) {
  for (const auto& [id, oracle] : model.oracle.oracles) {
    const absl::StatusOr<v1::Oracle> stored = engine.GetOracle(id);
    if (!stored.ok()) {
      return Violation(Concat("oracle ", id, " cannot be read: ", stored.status().message()));
    }
    POCHE_RETURN_IF_ERROR(CompareOracle(model, oracle, *stored));
  }
  if (!full) return absl::OkStatus();
  for (const auto& [key, event] : model.oracle.events) {
    const absl::StatusOr<v1::OracleEvent> stored = engine.GetOracleEvent(key.first, key.second);
    if (!stored.ok()) {
      return Violation(
          Concat("event ", key.second, " cannot be read: ", stored.status().message()));
    }
    POCHE_RETURN_IF_ERROR(CheckEvent(event, *stored, key));
  }
  for (const auto& [key, expected] : model.oracle.attestations) {
    v1::ListAttestationsRequest request;
    request.set_feed(key.first);
    request.set_event_id(key.second);
    request.set_page_size(1000);
    const absl::StatusOr<v1::ListAttestationsResponse> listed = engine.ListAttestations(request);
    if (!listed.ok()) return Violation(Concat("listing attestations: ", listed.status().message()));
    std::vector<std::string> stored_envelopes, expected_envelopes;
    for (const v1::StoredAttestation& each : listed->attestations()) {
      stored_envelopes.push_back(each.envelope().SerializeAsString());
    }
    for (const ModelAttestation& each : expected) expected_envelopes.push_back(each.envelope);
    std::sort(stored_envelopes.begin(), stored_envelopes.end());
    std::sort(expected_envelopes.begin(), expected_envelopes.end());
    if (stored_envelopes != expected_envelopes) {
      return Violation(Concat("event ", key.second, " of ", key.first, " has ",
                              stored_envelopes.size(), " attestations stored, the model expects ",
                              expected_envelopes.size()));
    }
  }
  for (const auto& [id, oracle] : model.oracle.oracles) {
    for (const std::string& proof_id : oracle.proof_ids) {
      const absl::StatusOr<v1::EquivocationProof> proof = engine.GetEquivocationProof(proof_id);
      if (!proof.ok() || proof->oracle_party_id() != id) {
        return Violation(Concat("the equivocation proof ", proof_id, " of ", id, " is missing"));
      }
    }
  }
  v1::ListOraclesRequest request;
  request.set_page_size(1000);
  const absl::StatusOr<v1::ListOraclesResponse> listed = engine.ListOracles(request);
  if (!listed.ok() || static_cast<size_t>(listed->oracles_size()) != model.oracle.oracles.size()) {
    return Violation(Concat("the engine lists ", listed.ok() ? listed->oracles_size() : -1,
                            " oracles, the model expects ", model.oracle.oracles.size()));
  }
  return absl::OkStatus();
}

}  // namespace argentpoche::simulation
