// Client side of signed commands: fills the caller and time, serializes, tags and signs
// a Command into the SignedCommand every mutating method takes. Used by the CLI, tests
// and benchmarks. Thread-safe (free functions).
#ifndef ARGENTPOCHE_ENGINE_COMMAND_SIGNING_H_
#define ARGENTPOCHE_ENGINE_COMMAND_SIGNING_H_

#include <cstdint>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "engine/crypto.h"

namespace argentpoche {

// Signs `command` as `key`'s party at `issued_at_unix_ms`. The command's request_id
// must be set by the caller. RegisterParty commands also carry the public key.
v1::SignedCommand SignCommand(v1::Command command, const SigningKey& key,
                              int64_t issued_at_unix_ms);

// The signature a party puts on a contract: over the tagged terms hash.
std::string SignContractTerms(const std::string& terms_hash, const SigningKey& key);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_COMMAND_SIGNING_H_
