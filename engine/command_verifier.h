// Checks a signed command before it reaches the writer: size, signer, signature over
// the exact bytes received, then parse, caller and request id, and that its action is
// the one the called method takes. Stateless apart from reading registered parties,
// so many threads verify in parallel. Thread-safe; `store` must outlive the verifier.
#ifndef ARGENTPOCHE_ENGINE_COMMAND_VERIFIER_H_
#define ARGENTPOCHE_ENGINE_COMMAND_VERIFIER_H_

#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/store.h"

namespace argentpoche {

// A command whose signature checked out.
struct VerifiedCommand {
  v1::Command command;
  // The signer: a registered party, or (for RegisterParty) the party to be.
  v1::Party signer;
  // The envelope as received, journaled as is.
  v1::SignedEnvelope envelope;
  // SHA-256 of the command without its signing time, for idempotency: a retry signed
  // again later is the same request.
  std::string digest;
};

class CommandVerifier {
 public:
  explicit CommandVerifier(const Store* store) : store_(store) {}

  // `expected` is the action the called method takes. Errors: INVALID_ARGUMENT
  // ("MALFORMED_ENVELOPE", "MALFORMED_COMMAND", "TOO_LARGE", "BAD_REQUEST_ID",
  // "WRONG_METHOD"), UNAUTHENTICATED ("UNKNOWN_SIGNER", "WRONG_KEY", "BAD_SIGNATURE",
  // "CALLER_MISMATCH"), UNAVAILABLE when the store fails.
  [[nodiscard]] absl::StatusOr<VerifiedCommand> Verify(const v1::SignedCommand& request,
                                                       v1::Command::ActionCase expected) const;

 private:
  const Store* const store_;
};

// The gRPC method that takes `action`, for messages.
std::string MethodOf(v1::Command::ActionCase action);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_COMMAND_VERIFIER_H_
