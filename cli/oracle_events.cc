// poche oracle announce|attest|attestations|proof: the events oracles announce, the values
// they sign, and the proofs kept when one signs two different values for one event.
#include <map>

#include "cli/conditional_flags.h"
#include "cli/context.h"
#include "engine/envelope.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

// Checks attestation signatures against the keys the engine registered for each oracle
// (asked once per oracle).
class AttestationChecker {
 public:
  explicit AttestationChecker(Context& context) : context_(context) {}

  // "signature checks out", or why not.
  std::string Check(const v1::SignedEnvelope& envelope, const std::string& oracle_party_id) {
    if (!oracles_.contains(oracle_party_id)) {
      v1::GetOracleRequest request;
      request.set_party_id(oracle_party_id);
      absl::StatusOr<v1::Oracle> oracle =
          context_.client().Call(&v1::EscrowEngine::Stub::GetOracle, request);
      oracles_[oracle_party_id] = oracle.ok() ? *oracle : v1::Oracle();
    }
    for (const v1::OracleKey& key : oracles_[oracle_party_id].keys()) {
      if (key.key_id() != envelope.key_id()) continue;
      absl::StatusOr<std::string> payload =
          OpenEnvelope(envelope, domain::kAttestation, key.public_key());
      return payload.ok() ? "signature checks out"
                          : Concat("SIGNATURE DOES NOT CHECK OUT: ", payload.status().message());
    }
    return Concat("signed by key ", envelope.key_id(), ", not a key of this oracle");
  }

 private:
  Context& context_;
  std::map<std::string, v1::Oracle> oracles_;
};

std::string ValueOf(const v1::Attestation& attestation) {
  if (attestation.scale() > 18)
    return Concat(attestation.value(), " at scale ", attestation.scale());
  return FormatAmount(attestation.value(), static_cast<int>(attestation.scale()));
}

// "Oracle A (id ...): 100.4, observed 2026-... UTC".
std::string AttestationLine(Context& context, const v1::Attestation& attestation) {
  return Concat(context.parties().Describe(attestation.oracle_party_id()), ": ",
                ValueOf(attestation), ", observed ",
                FormatTimestamp(attestation.observed_at_unix_ms()));
}

absl::Status RunOracleAnnounce(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  v1::AnnounceEvent& action = *command.mutable_announce_event();
  action.set_feed(context.Flag("feed"));
  action.set_event_id(context.Flag("event"));
  POCHE_ASSIGN_OR_RETURN(const int64_t from, context.TimeFlag("from"));
  POCHE_ASSIGN_OR_RETURN(const int64_t until, context.TimeFlag("until"));
  int64_t expected = from;
  if (context.Has("expected-at")) {
    POCHE_ASSIGN_OR_RETURN(expected, context.TimeFlag("expected-at"));
  }
  if (until <= from) return UsageError("--until must come after --from");
  action.set_observe_from_unix_ms(from);
  action.set_observe_until_unix_ms(until);
  action.set_expected_at_unix_ms(expected);
  action.set_description(context.Flag("description"));
  POCHE_ASSIGN_OR_RETURN(v1::OracleEvent event, context.Send(&v1::EscrowEngine::Stub::AnnounceEvent,
                                                             key, std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "event", event);
  context.out.Line(Concat("Announced ", event.feed(), " event ", event.event_id(), "."));
  context.out.Field("Observed from", FormatTimestamp(event.observe_from_unix_ms()));
  context.out.Field("until", FormatTimestamp(event.observe_until_unix_ms()));
  context.out.Field("Announced by", context.parties().Describe(event.announced_by_party_id()));
  return absl::OkStatus();
}

absl::Status RunOracleAttest(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal value, DecimalFlag(context, "value"));
  POCHE_ASSIGN_OR_RETURN(const int64_t observed_at, context.TimeFlag("observed-at"));
  std::optional<SigningKey> attestation_key;
  if (context.Has("attestation-key")) {
    POCHE_ASSIGN_OR_RETURN(attestation_key, context.keys.Load(context.Flag("attestation-key")));
  }
  const SigningKey& signer = attestation_key.has_value() ? *attestation_key : key;
  v1::Attestation attestation;
  attestation.set_feed(context.Flag("feed"));
  attestation.set_event_id(context.Flag("event"));
  attestation.set_value(value.units);
  attestation.set_scale(value.scale);
  attestation.set_observed_at_unix_ms(observed_at);
  attestation.set_oracle_party_id(key.key_id());
  attestation.set_oracle_key_id(signer.key_id());
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() =
      SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), signer);
  POCHE_ASSIGN_OR_RETURN(
      v1::AttestationReceipt receipt,
      context.Send(&v1::EscrowEngine::Stub::SubmitAttestation, key, std::move(command)));
  if (context.out.json()) {
    return context.out.MutationJson(context.RequestId(), "receipt", receipt);
  }
  context.out.Line(Concat("Attested ", attestation.feed(), " event ", attestation.event_id(), ":"));
  context.out.Line(Concat("  ", AttestationLine(context, receipt.stored().attestation())));
  if (receipt.has_equivocation()) {
    context.out.Line(Concat(
        "This value differs from one the oracle signed before for the same "
        "event: the engine kept both as proof ",
        receipt.equivocation().id(), ", flagged the oracle and sent its contracts to dispute."));
  }
  for (const std::string& contract : receipt.affected_contract_ids()) {
    context.out.Line(
        Concat("It decided contract ", contract, " (poche contract show ", contract, ")."));
  }
  return absl::OkStatus();
}

absl::Status RunOracleAttestations(Context& context) {
  v1::ListAttestationsRequest request;
  request.set_feed(context.Flag("feed"));
  request.set_event_id(context.Flag("event"));
  v1::ListAttestationsResponse all;
  POCHE_RETURN_IF_ERROR(
      context.client().ForEachPage(&v1::EscrowEngine::Stub::ListAttestations, request,
                                   [&](const v1::ListAttestationsResponse& page) {
                                     for (const v1::StoredAttestation& each : page.attestations()) {
                                       *all.add_attestations() = each;
                                     }
                                     return absl::OkStatus();
                                   }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(Concat("Attestations of ", request.feed(), " event ", request.event_id(), ": ",
                          all.attestations_size()));
  AttestationChecker checker(context);
  for (const v1::StoredAttestation& each : all.attestations()) {
    context.out.Line(Concat("  ", AttestationLine(context, each.attestation())));
    context.out.Line(Concat("      received ", FormatTimestamp(each.received_at_unix_ms()), ", ",
                            checker.Check(each.envelope(), each.attestation().oracle_party_id())));
  }
  return absl::OkStatus();
}

absl::Status RunOracleProof(Context& context) {
  v1::GetEquivocationProofRequest request;
  request.set_id(context.Operand(0));
  POCHE_ASSIGN_OR_RETURN(
      v1::EquivocationProof proof,
      context.client().Call(&v1::EscrowEngine::Stub::GetEquivocationProof, request));
  if (context.out.json()) return context.out.Json(proof);
  context.out.Line(Concat(
      "Equivocation proof ", proof.id(), ": ", context.parties().Describe(proof.oracle_party_id()),
      " signed two different values for ", proof.feed(), " event ", proof.event_id(), "."));
  AttestationChecker checker(context);
  for (const v1::SignedEnvelope* envelope : {&proof.first(), &proof.second()}) {
    v1::Attestation attestation;
    const std::string_view body = envelope->body();
    const size_t newline = body.find('\n');
    if (newline == std::string_view::npos ||
        !attestation.ParseFromString(std::string(body.substr(newline + 1)))) {
      context.out.Line("  an attestation that does not parse");
      continue;
    }
    context.out.Line(Concat("  ", ValueOf(attestation), ", observed ",
                            FormatTimestamp(attestation.observed_at_unix_ms()), ": ",
                            checker.Check(*envelope, proof.oracle_party_id())));
  }
  context.out.Field("Detected", FormatTimestamp(proof.detected_at_unix_ms()));
  for (int i = 0; i < proof.disputed_contract_ids_size(); ++i) {
    context.out.Field(i == 0 ? "Disputed" : "", proof.disputed_contract_ids(i));
  }
  return absl::OkStatus();
}

const FlagSpec kFeedFlag{"feed", "FEED", "The feed, e.g. weather/fte/KNYC/rain_mm.", true};
const FlagSpec kEventFlag{"event", "EVENT", "The event, e.g. 2014-07-01..2014-07-31.", true};

}  // namespace

void AddOracleEventCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "oracle",
       .verb = "announce",
       .summary = "Oracle: announce an event it will attest, with its observation window.",
       .mutating = true,
       .flags = {{"key", "NAME", "The oracle's key.", true},
                 kFeedFlag,
                 kEventFlag,
                 {"from", "TIME", "Observations count from then.", true},
                 {"until", "TIME", "Observations count until then (excluded).", true},
                 {"expected-at", "TIME", "When the value is expected (default: --from)."},
                 {"description", "TEXT", "The event, in words."}},
       .run = RunOracleAnnounce});
  table.push_back(
      {.group = "oracle",
       .verb = "attest",
       .summary = "Oracle: sign a value of an event and submit it.",
       .details = "The value is written as a decimal; its scale is the number of decimals "
                  "written\n(\"100.4\" is 1004 at scale 1). The contracts waiting on the event "
                  "decide at once.",
       .mutating = true,
       .flags = {{"key", "NAME", "The oracle's party key (signs the command).", true},
                 kFeedFlag,
                 kEventFlag,
                 {"value", "DECIMAL", "The value, e.g. 100.4.", true},
                 {"observed-at", "TIME", "The moment the value is as of.", true},
                 {"attestation-key", "NAME",
                  "The key that signs the attestation (default: --key)."}},
       .run = RunOracleAttest});
  table.push_back({.group = "oracle",
                   .verb = "attestations",
                   .summary = "List the attestations of an event, their signatures checked.",
                   .flags = {kFeedFlag, kEventFlag},
                   .run = RunOracleAttestations});
  table.push_back({.group = "oracle",
                   .verb = "proof",
                   .operands = "PROOF_ID",
                   .operand_count = 1,
                   .summary = "Show an equivocation proof: two values, both signatures checked.",
                   .run = RunOracleProof});
}

}  // namespace argentpoche::cli
