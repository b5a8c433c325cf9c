#include "engine/command_verifier.h"

#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::StatusOr<v1::Party> SignerOf(const Store& store, const v1::SignedCommand& request) {
  const v1::SignedEnvelope& envelope = request.envelope();
  if (!request.signer_public_key().empty()) {
    if (request.signer_public_key().size() != kPublicKeyBytes) {
      return InvalidArgument("MALFORMED_KEY", "the signer's public key is not 32 bytes");
    }
    v1::Party party;
    party.set_id(KeyIdOf(request.signer_public_key()));
    party.set_public_key(request.signer_public_key());
    return party;
  }
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                         store.Get(Table::kParties, envelope.key_id()));
  v1::Party party;
  if (!bytes) {
    return Unauthenticated("UNKNOWN_SIGNER",
                           Concat("no party is registered with key id \"",
                                  envelope.key_id().substr(0, 32), "\": register the key first"));
  }
  if (!party.ParseFromString(*bytes)) {
    return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD", "a stored party does not parse");
  }
  return party;
}

}  // namespace

std::string MethodOf(v1::Command::ActionCase action) {
  const google::protobuf::FieldDescriptor* field =
      v1::Command::descriptor()->FindFieldByNumber(static_cast<int>(action));
  return field == nullptr ? "nothing" : std::string(field->camelcase_name());
}

absl::StatusOr<VerifiedCommand> CommandVerifier::Verify(const v1::SignedCommand& request,
                                                        v1::Command::ActionCase expected) const {
  const v1::SignedEnvelope& envelope = request.envelope();
  if (!request.has_envelope() || envelope.body().empty()) {
    return InvalidArgument("MALFORMED_ENVELOPE", "the request carries no signed command");
  }
  if (envelope.body().size() > limits::kMaxCommandBytes) {
    return InvalidArgument("TOO_LARGE", "the signed command is larger than 64 KiB");
  }
  const bool registration = expected == v1::Command::kRegisterParty;
  if (registration != !request.signer_public_key().empty()) {
    return InvalidArgument("MALFORMED_ENVELOPE",
                           registration ? "RegisterParty needs the new party's public key"
                                        : "only RegisterParty carries a public key");
  }
  POCHE_ASSIGN_OR_RETURN(v1::Party signer, SignerOf(*store_, request));
  POCHE_ASSIGN_OR_RETURN(std::string payload,
                         OpenEnvelope(envelope, domain::kCommand, signer.public_key()));
  VerifiedCommand verified;
  if (!verified.command.ParseFromString(payload)) {
    return InvalidArgument("MALFORMED_COMMAND", "the signed bytes are not a command");
  }
  const v1::Command& command = verified.command;
  if (command.caller_party_id() != signer.id()) {
    return Unauthenticated("CALLER_MISMATCH",
                           "the command names a caller other than the key that signed it");
  }
  if (command.request_id().empty() || command.request_id().size() > limits::kMaxRequestIdLength) {
    return InvalidArgument("BAD_REQUEST_ID",
                           "every command needs a request_id of 1 to 128 characters");
  }
  if (command.action_case() != expected) {
    return InvalidArgument("WRONG_METHOD",
                           Concat("the signed command is a ", MethodOf(command.action_case()),
                                  " action but was sent to the method for ", MethodOf(expected)));
  }
  if (registration && command.register_party().public_key() != signer.public_key()) {
    return InvalidArgument("MALFORMED_COMMAND",
                           "the registered public key is not the key that signed");
  }
  verified.signer = std::move(signer);
  verified.envelope = envelope;
  // The idempotency fingerprint leaves out the signing time: the same command signed
  // again for a retry is the same request.
  v1::Command fingerprint = command;
  fingerprint.clear_issued_at_unix_ms();
  verified.digest = Sha256(fingerprint.SerializeAsString());
  return verified;
}

}  // namespace argentpoche
