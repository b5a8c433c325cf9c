#include "engine/command_signing.h"

#include "engine/check.h"
#include "engine/envelope.h"

namespace argentpoche {

v1::SignedCommand SignCommand(v1::Command command, const SigningKey& key,
                              int64_t issued_at_unix_ms) {
  POCHE_CHECK(!command.request_id().empty());
  command.set_caller_party_id(key.key_id());
  command.set_issued_at_unix_ms(issued_at_unix_ms);
  std::string payload;
  POCHE_CHECK(command.SerializeToString(&payload));
  v1::SignedCommand request;
  *request.mutable_envelope() = SealEnvelope(domain::kCommand, payload, key);
  if (command.has_register_party()) request.set_signer_public_key(key.public_key());
  return request;
}

std::string SignContractTerms(const std::string& terms_hash, const SigningKey& key) {
  return key.Sign(TaggedBytes(domain::kContractSignature, terms_hash));
}

}  // namespace argentpoche
