#include "engine/oracles.h"

#include "absl/numeric/int128.h"
#include "absl/strings/escaping.h"
#include "engine/conditional.h"
#include "engine/contracts.h"
#include "engine/envelope.h"
#include "engine/feeds.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::Status RequireOperator(const v1::Party& caller, std::string_view action) {
  if (caller.role() == v1::PARTY_ROLE_OPERATOR) return absl::OkStatus();
  return PermissionDenied("NOT_OPERATOR", Concat("only the issuer's operator can ", action));
}

// Printable ASCII, no NUL (store keys use it as a separator), 1..kMaxFeedNameLength.
bool IsPrintableName(std::string_view text) {
  if (text.empty() || text.size() > limits::kMaxFeedNameLength) return false;
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

absl::Status CheckFeedPattern(std::string_view pattern) {
  const size_t star = pattern.find('*');
  if (!IsPrintableName(pattern) || (star != std::string_view::npos && star + 1 != pattern.size())) {
    return InvalidArgument("MALFORMED_FEED",
                           Concat("\"", pattern.substr(0, 80),
                                  "\" is not a feed name (printable, no spaces, at most 200 "
                                  "characters, '*' only at the end)"));
  }
  return absl::OkStatus();
}

absl::Status CheckFeedAndEvent(std::string_view feed, std::string_view event_id) {
  if (!IsPrintableName(feed) || feed.find('*') != std::string_view::npos) {
    return InvalidArgument("MALFORMED_FEED", "the feed name is empty, too long or not printable");
  }
  if (!IsPrintableName(event_id)) {
    return InvalidArgument("MALFORMED_EVENT", "the event id is empty, too long or not printable");
  }
  return absl::OkStatus();
}

absl::Status CheckPublicKey(std::string_view public_key) {
  if (public_key.size() != kPublicKeyBytes) {
    return InvalidArgument("MALFORMED_KEY", "an attestation key is a 32-byte Ed25519 public key");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Oracle> LoadOracle(const ApplyContext& ctx, std::string_view party_id) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Oracle> oracle, FindOracle(ctx, party_id));
  if (!oracle) {
    return NotFound("ORACLE_NOT_FOUND", Concat("party ", party_id, " is not a registered oracle"));
  }
  return *std::move(oracle);
}

void StoreOracle(ApplyContext& ctx, const v1::Oracle& oracle) {
  ctx.transaction->PutMessage(Table::kOracles, oracle.party_id(), oracle);
}

bool KeyValidAt(const v1::OracleKey& key, int64_t now_unix_ms) {
  return key.revoked_at_unix_ms() == 0 && key.valid_from_unix_ms() <= now_unix_ms &&
         now_unix_ms < key.valid_until_unix_ms();
}

// The caller as an oracle that may act now.
absl::StatusOr<v1::Oracle> LoadActingOracle(const ApplyContext& ctx, const v1::Party& caller) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Oracle> oracle, FindOracle(ctx, caller.id()));
  if (!oracle) {
    return PermissionDenied("NOT_AN_ORACLE",
                            Concat("party ", caller.id(), " is not a registered oracle"));
  }
  POCHE_RETURN_IF_ERROR(CheckOracleInGoodStanding(*oracle));
  return *std::move(oracle);
}

absl::Status RequireFeed(const v1::Oracle& oracle, std::string_view feed) {
  if (OracleMayAttest(oracle, feed)) return absl::OkStatus();
  return PermissionDenied("FEED_NOT_ALLOWED", Concat("oracle ", oracle.party_id(),
                                                     " is not registered for feed ", feed));
}

// value / 10^scale == other / 10^other_scale, exactly (both at most 10^18, scales <= 18).
bool SameNumber(const v1::Attestation& a, const v1::Attestation& b) {
  absl::int128 left = a.value(), right = b.value();
  uint32_t left_scale = a.scale(), right_scale = b.scale();
  while (left_scale < right_scale) left *= 10, ++left_scale;
  while (right_scale < left_scale) right *= 10, ++right_scale;
  return left == right;
}

absl::StatusOr<v1::Attestation> OpenAttestation(const v1::Oracle& oracle,
                                                const v1::SignedEnvelope& envelope,
                                                int64_t now_unix_ms) {
  const v1::OracleKey* key = nullptr;
  for (const v1::OracleKey& each : oracle.keys()) {
    if (each.key_id() == envelope.key_id()) key = &each;
  }
  if (key == nullptr) {
    return PermissionDenied(
        "UNKNOWN_ORACLE_KEY",
        Concat("the attestation is signed by key \"", envelope.key_id().substr(0, 32),
               "\", which is not a key of oracle ", oracle.party_id()));
  }
  if (key->revoked_at_unix_ms() != 0) {
    return PermissionDenied("KEY_REVOKED",
                            Concat("attestation key ", key->key_id(), " was revoked on ",
                                   FormatTime(key->revoked_at_unix_ms())));
  }
  if (!KeyValidAt(*key, now_unix_ms)) {
    return PermissionDenied("KEY_EXPIRED",
                            Concat("attestation key ", key->key_id(), " is valid from ",
                                   FormatTime(key->valid_from_unix_ms()), " until ",
                                   FormatTime(key->valid_until_unix_ms()), ", not now"));
  }
  POCHE_ASSIGN_OR_RETURN(std::string payload,
                         OpenEnvelope(envelope, domain::kAttestation, key->public_key()));
  v1::Attestation attestation;
  if (!attestation.ParseFromString(payload)) {
    return InvalidArgument("MALFORMED_ATTESTATION", "the attestation does not parse");
  }
  if (attestation.oracle_party_id() != oracle.party_id() ||
      attestation.oracle_key_id() != key->key_id()) {
    return InvalidArgument("MALFORMED_ATTESTATION",
                           "the attestation names another oracle or key than the one signing it");
  }
  if (attestation.scale() > limits::kMaxValueScale) {
    return InvalidArgument("MALFORMED_VALUE", "an attested value has at most 18 decimal places");
  }
  if (attestation.value() > limits::kMaxOracleValueMagnitude ||
      attestation.value() < -limits::kMaxOracleValueMagnitude) {
    return InvalidArgument("MALFORMED_VALUE", "the attested value is beyond ±10^18");
  }
  POCHE_RETURN_IF_ERROR(CheckFeedAndEvent(attestation.feed(), attestation.event_id()));
  return attestation;
}

// Flags `oracle`, keeps the proof, and sends the funded contracts relying on it to dispute.
absl::StatusOr<v1::EquivocationProof> RecordEquivocation(ApplyContext& ctx, v1::Oracle& oracle,
                                                         const v1::StoredAttestation& first,
                                                         const v1::SignedEnvelope& second) {
  v1::EquivocationProof proof;
  proof.set_id(
      keys::DerivedId("q", oracle.party_id(), first.envelope().signature(), second.signature()));
  proof.set_oracle_party_id(oracle.party_id());
  proof.set_feed(first.attestation().feed());
  proof.set_event_id(first.attestation().event_id());
  *proof.mutable_first() = first.envelope();
  *proof.mutable_second() = second;
  proof.set_detected_at_unix_ms(ctx.now_unix_ms);
  POCHE_ASSIGN_OR_RETURN(
      Transaction::Entries relying,
      ctx.transaction->ScanPrefix(Table::kIndex, keys::OracleContractPrefix(oracle.party_id()),
                                  limits::kMaxContractsPerOracle));
  const std::string prefix = keys::OracleContractPrefix(oracle.party_id());
  for (const auto& [key, unused] : relying) {
    const std::string contract_id = key.substr(prefix.size());
    POCHE_ASSIGN_OR_RETURN(
        bool disputed,
        DisputeConditional(
            ctx, contract_id,
            Concat("oracle ", oracle.party_id(), " signed two different values for ", proof.feed(),
                   " ", proof.event_id(), " (proof ", proof.id(), ")")));
    if (disputed) proof.add_disputed_contract_ids(contract_id);
  }
  oracle.set_flagged(true);
  oracle.add_equivocation_proof_ids(proof.id());
  StoreOracle(ctx, oracle);
  ctx.transaction->PutMessage(Table::kEquivocations, proof.id(), proof);
  return proof;
}

}  // namespace

absl::StatusOr<std::optional<v1::Oracle>> FindOracle(const ApplyContext& ctx,
                                                     std::string_view party_id) {
  return ctx.transaction->GetMessage<v1::Oracle>(Table::kOracles, party_id);
}

absl::Status CheckOracleInGoodStanding(const v1::Oracle& oracle) {
  if (oracle.revoked_at_unix_ms() != 0) {
    return PermissionDenied("ORACLE_REVOKED",
                            Concat("oracle ", oracle.party_id(), " was revoked on ",
                                   FormatTime(oracle.revoked_at_unix_ms())));
  }
  if (oracle.flagged()) {
    return PermissionDenied("ORACLE_FLAGGED",
                            Concat("oracle ", oracle.party_id(),
                                   " signed two different values for one event and is flagged"));
  }
  return absl::OkStatus();
}

bool OracleMayAttest(const v1::Oracle& oracle, std::string_view feed) {
  for (const std::string& pattern : oracle.feeds()) {
    if (FeedMatches(pattern, feed)) return true;
  }
  return false;
}

absl::StatusOr<std::vector<v1::StoredAttestation>> EventAttestations(const ApplyContext& ctx,
                                                                     std::string_view feed,
                                                                     std::string_view event_id) {
  POCHE_ASSIGN_OR_RETURN(Transaction::Entries entries,
                         ctx.transaction->ScanPrefix(Table::kAttestations,
                                                     keys::EventAttestationPrefix(feed, event_id),
                                                     limits::kMaxAttestationsPerEvent));
  std::vector<v1::StoredAttestation> attestations;
  for (const auto& [key, value] : entries) {
    if (!attestations.emplace_back().ParseFromString(value)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                   "a stored attestation does not parse; the data directory is damaged");
    }
  }
  return attestations;
}

absl::StatusOr<v1::Oracle> ApplyRegisterOracle(ApplyContext& ctx, const v1::Party& caller,
                                               const v1::RegisterOracle& action) {
  POCHE_RETURN_IF_ERROR(RequireOperator(caller, "register oracles"));
  POCHE_RETURN_IF_ERROR(CheckPartyExists(ctx, action.party_id(), "oracle"));
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Oracle> existing, FindOracle(ctx, action.party_id()));
  if (existing) {
    return AlreadyExists("ORACLE_EXISTS",
                         Concat("party ", action.party_id(), " is already a registered oracle"));
  }
  if (action.feeds().empty() || action.feeds_size() > static_cast<int>(limits::kMaxOracleFeeds)) {
    return InvalidArgument("MALFORMED_FEED", "an oracle is registered for 1 to 32 feeds");
  }
  for (const std::string& feed : action.feeds()) POCHE_RETURN_IF_ERROR(CheckFeedPattern(feed));
  POCHE_RETURN_IF_ERROR(CheckPublicKey(action.public_key()));
  const int64_t valid_from =
      action.valid_from_unix_ms() == 0 ? ctx.now_unix_ms : action.valid_from_unix_ms();
  if (action.valid_until_unix_ms() <= std::max(valid_from, ctx.now_unix_ms)) {
    return InvalidArgument("DEADLINE_IN_PAST",
                           "the key's validity must end after it starts and after now");
  }
  if (action.valid_until_unix_ms() > ctx.now_unix_ms + limits::kMaxDeadlineAheadMs) {
    return InvalidArgument("DEADLINE_TOO_FAR", "the key's validity ends more than 100 years ahead");
  }
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Party> party, ctx.transaction->GetMessage<v1::Party>(
                                                             Table::kParties, action.party_id()));
  v1::Oracle oracle;
  oracle.set_party_id(action.party_id());
  oracle.set_display_name(party->display_name());
  *oracle.mutable_feeds() = action.feeds();
  v1::OracleKey* key = oracle.add_keys();
  key->set_key_id(KeyIdOf(action.public_key()));
  key->set_public_key(action.public_key());
  key->set_valid_from_unix_ms(valid_from);
  key->set_valid_until_unix_ms(action.valid_until_unix_ms());
  oracle.set_registered_at_unix_ms(ctx.now_unix_ms);
  StoreOracle(ctx, oracle);
  return oracle;
}

absl::StatusOr<v1::Oracle> ApplyRotateOracleKey(ApplyContext& ctx, const v1::Party& caller,
                                                const v1::RotateOracleKey& action) {
  if (caller.role() != v1::PARTY_ROLE_OPERATOR && caller.id() != action.party_id()) {
    return PermissionDenied("NOT_ALLOWED",
                            "only the operator or the oracle itself can rotate its key");
  }
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, LoadOracle(ctx, action.party_id()));
  POCHE_RETURN_IF_ERROR(CheckOracleInGoodStanding(oracle));
  POCHE_RETURN_IF_ERROR(CheckPublicKey(action.public_key()));
  const std::string key_id = KeyIdOf(action.public_key());
  for (const v1::OracleKey& key : oracle.keys()) {
    if (key.key_id() == key_id) {
      return AlreadyExists("KEY_EXISTS", "this key is already one of the oracle's keys");
    }
  }
  if (oracle.keys_size() >= static_cast<int>(limits::kMaxOracleKeys)) {
    return Error(absl::StatusCode::kResourceExhausted, "TOO_MANY_KEYS",
                 "the oracle has had 64 keys: register it anew");
  }
  if (action.valid_until_unix_ms() <= ctx.now_unix_ms) {
    return InvalidArgument("DEADLINE_IN_PAST", "the new key's validity must end after now");
  }
  if (action.valid_until_unix_ms() > ctx.now_unix_ms + limits::kMaxDeadlineAheadMs) {
    return InvalidArgument("DEADLINE_TOO_FAR", "the key's validity ends more than 100 years ahead");
  }
  for (v1::OracleKey& key : *oracle.mutable_keys()) {
    if (key.valid_until_unix_ms() > ctx.now_unix_ms) key.set_valid_until_unix_ms(ctx.now_unix_ms);
    if (key.valid_from_unix_ms() > ctx.now_unix_ms) key.set_valid_from_unix_ms(ctx.now_unix_ms);
  }
  v1::OracleKey* key = oracle.add_keys();
  key->set_key_id(key_id);
  key->set_public_key(action.public_key());
  key->set_valid_from_unix_ms(ctx.now_unix_ms);
  key->set_valid_until_unix_ms(action.valid_until_unix_ms());
  StoreOracle(ctx, oracle);
  return oracle;
}

absl::StatusOr<v1::Oracle> ApplyRevokeOracle(ApplyContext& ctx, const v1::Party& caller,
                                             const v1::RevokeOracle& action) {
  POCHE_RETURN_IF_ERROR(RequireOperator(caller, "revoke oracles"));
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, LoadOracle(ctx, action.party_id()));
  if (action.reason().size() > limits::kMaxDescriptionLength) {
    return InvalidArgument("TOO_LONG", "the reason is longer than 2000 bytes");
  }
  if (oracle.revoked_at_unix_ms() != 0) {
    return FailedPrecondition("ALREADY_REVOKED",
                              Concat("oracle ", oracle.party_id(), " is already revoked"));
  }
  if (action.key_id().empty()) {
    oracle.set_revoked_at_unix_ms(ctx.now_unix_ms);
  } else {
    v1::OracleKey* found = nullptr;
    for (v1::OracleKey& key : *oracle.mutable_keys()) {
      if (key.key_id() == action.key_id()) found = &key;
    }
    if (found == nullptr) {
      return NotFound("KEY_NOT_FOUND", Concat("oracle ", oracle.party_id(), " has no key ",
                                              action.key_id().substr(0, 32)));
    }
    if (found->revoked_at_unix_ms() != 0) {
      return FailedPrecondition("ALREADY_REVOKED",
                                Concat("key ", found->key_id(), " is already revoked"));
    }
    found->set_revoked_at_unix_ms(ctx.now_unix_ms);
  }
  StoreOracle(ctx, oracle);
  return oracle;
}

absl::StatusOr<v1::OracleEvent> ApplyAnnounceEvent(ApplyContext& ctx, const v1::Party& caller,
                                                   const v1::AnnounceEvent& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, LoadActingOracle(ctx, caller));
  POCHE_RETURN_IF_ERROR(CheckFeedAndEvent(action.feed(), action.event_id()));
  POCHE_RETURN_IF_ERROR(RequireFeed(oracle, action.feed()));
  if (action.description().size() > limits::kMaxDescriptionLength) {
    return InvalidArgument("TOO_LONG", "the description is longer than 2000 bytes");
  }
  if (action.observe_from_unix_ms() <= 0 ||
      action.observe_from_unix_ms() >= action.observe_until_unix_ms()) {
    return InvalidArgument("BAD_WINDOW", "the observation window must start before it ends");
  }
  if (action.observe_until_unix_ms() <= ctx.now_unix_ms) {
    return InvalidArgument("DEADLINE_IN_PAST", Concat("the observation window ended on ",
                                                      FormatTime(action.observe_until_unix_ms())));
  }
  if (action.observe_until_unix_ms() > ctx.now_unix_ms + limits::kMaxDeadlineAheadMs) {
    return InvalidArgument("DEADLINE_TOO_FAR", "the observation window ends 100 years ahead");
  }
  const std::string key = keys::OracleEvent(action.feed(), action.event_id());
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::OracleEvent> existing,
                         ctx.transaction->GetMessage<v1::OracleEvent>(Table::kOracleEvents, key));
  if (existing) {
    if (existing->observe_from_unix_ms() == action.observe_from_unix_ms() &&
        existing->observe_until_unix_ms() == action.observe_until_unix_ms()) {
      return *existing;
    }
    return AlreadyExists("EVENT_CONFLICT",
                         Concat("event ", action.event_id(), " of ", action.feed(),
                                " was announced with another observation window"));
  }
  v1::OracleEvent event;
  event.set_feed(action.feed());
  event.set_event_id(action.event_id());
  event.set_expected_at_unix_ms(action.expected_at_unix_ms());
  event.set_observe_from_unix_ms(action.observe_from_unix_ms());
  event.set_observe_until_unix_ms(action.observe_until_unix_ms());
  event.set_announced_by_party_id(caller.id());
  event.set_announced_at_unix_ms(ctx.now_unix_ms);
  event.set_description(action.description());
  ctx.transaction->PutMessage(Table::kOracleEvents, key, event);
  return event;
}

absl::StatusOr<v1::AttestationReceipt> ApplySubmitAttestation(ApplyContext& ctx,
                                                              const v1::Party& caller,
                                                              const v1::SubmitAttestation& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, LoadActingOracle(ctx, caller));
  POCHE_ASSIGN_OR_RETURN(v1::Attestation attestation,
                         OpenAttestation(oracle, action.attestation(), ctx.now_unix_ms));
  POCHE_RETURN_IF_ERROR(RequireFeed(oracle, attestation.feed()));
  POCHE_ASSIGN_OR_RETURN(
      std::optional<v1::OracleEvent> event,
      ctx.transaction->GetMessage<v1::OracleEvent>(
          Table::kOracleEvents, keys::OracleEvent(attestation.feed(), attestation.event_id())));
  if (!event) {
    return NotFound("UNKNOWN_EVENT", Concat("no oracle announced event ", attestation.event_id(),
                                            " of ", attestation.feed()));
  }
  const int64_t observed = attestation.observed_at_unix_ms();
  if (observed < event->observe_from_unix_ms() || observed >= event->observe_until_unix_ms()) {
    return FailedPrecondition(
        "OUTSIDE_WINDOW",
        Concat("the value was observed on ", FormatTime(observed), ", outside the event's window ",
               FormatTime(event->observe_from_unix_ms()), " to ",
               FormatTime(event->observe_until_unix_ms())));
  }
  if (observed > ctx.now_unix_ms + limits::kMaxObservationAheadMs) {
    return FailedPrecondition("OBSERVED_IN_FUTURE",
                              Concat("the value says it was observed on ", FormatTime(observed),
                                     ", which has not come yet"));
  }
  POCHE_ASSIGN_OR_RETURN(std::vector<v1::StoredAttestation> stored,
                         EventAttestations(ctx, attestation.feed(), attestation.event_id()));
  const v1::StoredAttestation* earlier = nullptr;
  for (const v1::StoredAttestation& each : stored) {
    if (each.attestation().oracle_party_id() != oracle.party_id()) continue;
    if (SameNumber(each.attestation(), attestation)) {
      return AlreadyExists("ATTESTATION_REPLAYED",
                           Concat("oracle ", oracle.party_id(), " already attested this value for ",
                                  attestation.feed(), " ", attestation.event_id()));
    }
    earlier = &each;
  }
  if (stored.size() >= limits::kMaxAttestationsPerEvent) {
    return Error(absl::StatusCode::kResourceExhausted, "TOO_MANY_ATTESTATIONS",
                 "this event has as many attestations as the engine keeps");
  }
  v1::AttestationReceipt receipt;
  v1::StoredAttestation* record = receipt.mutable_stored();
  *record->mutable_attestation() = attestation;
  *record->mutable_envelope() = action.attestation();
  record->set_received_at_unix_ms(ctx.now_unix_ms);
  ctx.transaction->PutMessage(
      Table::kAttestations,
      keys::Attestation(attestation.feed(), attestation.event_id(), oracle.party_id(),
                        absl::BytesToHexString(Sha256(action.attestation().body()).substr(0, 16))),
      *record);
  if (earlier != nullptr) {
    POCHE_ASSIGN_OR_RETURN(*receipt.mutable_equivocation(),
                           RecordEquivocation(ctx, oracle, *earlier, action.attestation()));
    *receipt.mutable_affected_contract_ids() = receipt.equivocation().disputed_contract_ids();
    return receipt;
  }
  const std::string prefix = keys::EventContractPrefix(attestation.feed(), attestation.event_id());
  POCHE_ASSIGN_OR_RETURN(
      Transaction::Entries waiting,
      ctx.transaction->ScanPrefix(Table::kIndex, prefix, limits::kMaxContractsPerEvent));
  // Every attestation of the event, read once for all the contracts waiting on it (deciding
  // them changes no attestation): re-reading them per contract made settling N contracts
  // cost N prefix scans, each over the whole batch's pending writes.
  stored.push_back(*record);
  const KnownAttestations known{
      .feed = attestation.feed(), .event_id = attestation.event_id(), .attestations = &stored};
  for (const auto& [key, unused] : waiting) {
    const std::string contract_id = key.substr(prefix.size());
    POCHE_ASSIGN_OR_RETURN(bool changed, ReevaluateConditional(ctx, contract_id, &known));
    if (changed) receipt.add_affected_contract_ids(contract_id);
  }
  return receipt;
}

}  // namespace argentpoche
