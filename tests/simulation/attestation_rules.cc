// SubmitAttestation in the model: the answer the engine must give (checks in the order of
// engine/oracles.cc), and what a stored attestation does: offered to every funded contract
// waiting on its event, or, when its oracle signed another value for the event before,
// kept as a proof that flags the oracle and sends its funded contracts to dispute.
#include <algorithm>

#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;

Expectation Refused(Code code, std::string reason) {
  return Expectation::Refused(code, std::move(reason));
}

bool Printable(const std::string& text) {
  if (text.empty() || text.size() > limits::kMaxFeedNameLength) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

// The attestation inside an envelope, after its domain tag; false when it does not parse.
bool ParseAttestation(const v1::SignedEnvelope& envelope, v1::Attestation& attestation) {
  const std::string prefix = Concat(domain::kAttestation, "\n");
  const std::string& body = envelope.body();
  return body.size() > prefix.size() - 1 && body.compare(0, prefix.size(), prefix) == 0 &&
         attestation.ParseFromString(body.substr(prefix.size()));
}

std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::Status CheckReceipt(const v1::AttestationReceipt& receipt, const v1::Attestation& attestation,
                          const v1::SignedEnvelope& envelope, int64_t now,
                          const std::vector<std::string>& affected) {
  const std::vector<std::string> answered(receipt.affected_contract_ids().begin(),
                                          receipt.affected_contract_ids().end());
  if (receipt.stored().attestation().SerializeAsString() != attestation.SerializeAsString() ||
      receipt.stored().envelope().SerializeAsString() != envelope.SerializeAsString() ||
      receipt.stored().received_at_unix_ms() != now || Sorted(answered) != Sorted(affected)) {
    return Violation(Concat("an attestation of ", attestation.feed(), " ", attestation.event_id(),
                            " by ", attestation.oracle_party_id(), " was answered with ",
                            answered.size(), " contracts affected; the model expects ",
                            affected.size()));
  }
  return absl::OkStatus();
}

}  // namespace

Expectation PredictAttestation(const Model& model, const CommandView& view, int64_t now) {
  const auto found = model.oracle.oracles.find(view.signer_id);
  if (found == model.oracle.oracles.end()) return Refused(Code::kPermissionDenied, "NOT_AN_ORACLE");
  const ModelOracle& oracle = found->second;
  if (Expectation standing = OracleStanding(oracle); standing.kind == Expectation::Kind::kRefused) {
    return standing;
  }
  const v1::SignedEnvelope& envelope = view.command.submit_attestation().attestation();
  const ModelOracleKey* key = nullptr;
  for (const ModelOracleKey& each : oracle.keys) {
    if (each.id() == envelope.key_id()) key = &each;
  }
  if (key == nullptr) return Refused(Code::kPermissionDenied, "UNKNOWN_ORACLE_KEY");
  if (key->revoked_at_unix_ms != 0) return Refused(Code::kPermissionDenied, "KEY_REVOKED");
  if (!key->ValidAt(now)) return Refused(Code::kPermissionDenied, "KEY_EXPIRED");
  if (envelope.signature().size() != kSignatureBytes) {
    return Refused(Code::kInvalidArgument, "MALFORMED_ENVELOPE");
  }
  if (!VerifySignature(key->public_key, envelope.body(), envelope.signature())) {
    return Refused(Code::kUnauthenticated, "BAD_SIGNATURE");
  }
  v1::Attestation attestation;
  if (!ParseAttestation(envelope, attestation) ||
      attestation.oracle_party_id() != oracle.party_id ||
      attestation.oracle_key_id() != key->id()) {
    return Refused(Code::kInvalidArgument, "MALFORMED_ATTESTATION");
  }
  if (attestation.scale() > limits::kMaxValueScale ||
      attestation.value() > limits::kMaxOracleValueMagnitude ||
      attestation.value() < -limits::kMaxOracleValueMagnitude) {
    return Refused(Code::kInvalidArgument, "MALFORMED_VALUE");
  }
  if (!Printable(attestation.feed()) || attestation.feed().find('*') != std::string::npos) {
    return Refused(Code::kInvalidArgument, "MALFORMED_FEED");
  }
  if (!Printable(attestation.event_id())) return Refused(Code::kInvalidArgument, "MALFORMED_EVENT");
  if (!OracleMayAttest(oracle, attestation.feed())) {
    return Refused(Code::kPermissionDenied, "FEED_NOT_ALLOWED");
  }
  const EventKey event_key{attestation.feed(), attestation.event_id()};
  const auto event = model.oracle.events.find(event_key);
  if (event == model.oracle.events.end()) return Refused(Code::kNotFound, "UNKNOWN_EVENT");
  const int64_t observed = attestation.observed_at_unix_ms();
  if (observed < event->second.observe_from_unix_ms ||
      observed >= event->second.observe_until_unix_ms) {
    return Refused(Code::kFailedPrecondition, "OUTSIDE_WINDOW");
  }
  if (observed > now + limits::kMaxObservationAheadMs) {
    return Refused(Code::kFailedPrecondition, "OBSERVED_IN_FUTURE");
  }
  const auto stored = model.oracle.attestations.find(event_key);
  if (stored != model.oracle.attestations.end()) {
    for (const ModelAttestation& each : stored->second) {
      if (each.oracle == oracle.party_id &&
          SameValue(each.value, each.scale, attestation.value(), attestation.scale())) {
        return Refused(Code::kAlreadyExists, "ATTESTATION_REPLAYED");
      }
    }
  }
  return Expectation::Applied();
}

absl::Status ApplyAttestation(Model& model, const CommandView& view,
                              const v1::CommandResult& result, int64_t now) {
  const v1::SignedEnvelope& envelope = view.command.submit_attestation().attestation();
  v1::Attestation attestation;
  if (!ParseAttestation(envelope, attestation)) return Violation("an applied attestation");
  const EventKey event{attestation.feed(), attestation.event_id()};
  ModelOracle& oracle = model.oracle.oracles.at(view.signer_id);
  std::vector<ModelAttestation>& stored = model.oracle.attestations[event];
  const ModelAttestation* earlier = nullptr;
  for (const ModelAttestation& each : stored) {
    if (each.oracle == oracle.party_id) earlier = &each;
  }
  const std::string earlier_envelope = earlier != nullptr ? earlier->envelope : "";
  stored.push_back({oracle.party_id, attestation.value(), attestation.scale(),
                    attestation.observed_at_unix_ms(), envelope.SerializeAsString()});
  const v1::AttestationReceipt& receipt = result.attestation_receipt();
  std::vector<std::string> affected;
  if (earlier_envelope.empty()) {
    for (auto& [id, contract] : model.oracle.contracts) {
      if (contract.state != v1::CONTRACT_STATE_FUNDED || !contract.WaitsOn(event)) continue;
      if (DecideFunded(model, contract, now) != Decision::kWaiting) affected.push_back(id);
    }
    if (receipt.has_equivocation()) {
      return Violation(Concat("a first value of ", oracle.party_id, " was taken as equivocation"));
    }
    return CheckReceipt(receipt, attestation, envelope, now, affected);
  }
  v1::SignedEnvelope first;
  first.ParseFromString(earlier_envelope);
  const std::string proof_id =
      keys::DerivedId("q", oracle.party_id, first.signature(), envelope.signature());
  for (auto& [id, contract] : model.oracle.contracts) {
    if (!contract.NamesOracle(oracle.party_id)) continue;
    if (contract.Waiting() || contract.state == v1::CONTRACT_STATE_DISPUTED) {
      contract.tainted = true;
    }
    if (contract.state != v1::CONTRACT_STATE_FUNDED) continue;
    DisputeFunded(contract, now);
    affected.push_back(id);
  }
  oracle.flagged = true;
  oracle.flagged_at_unix_ms = now;
  oracle.proof_ids.push_back(proof_id);
  ++model.oracle.proofs;
  const v1::EquivocationProof& proof = receipt.equivocation();
  const std::vector<std::string> disputed(proof.disputed_contract_ids().begin(),
                                          proof.disputed_contract_ids().end());
  if (proof.id() != proof_id || proof.oracle_party_id() != oracle.party_id ||
      proof.first().SerializeAsString() != earlier_envelope ||
      proof.second().SerializeAsString() != envelope.SerializeAsString() ||
      proof.detected_at_unix_ms() != now || Sorted(disputed) != Sorted(affected)) {
    return Violation(Concat("the equivocation of ", oracle.party_id, " was answered with proof ",
                            proof.id(), " disputing ", disputed.size(), " contracts; the model ",
                            "expects ", proof_id, " disputing ", affected.size()));
  }
  return CheckReceipt(receipt, attestation, envelope, now, affected);
}

}  // namespace argentpoche::simulation
