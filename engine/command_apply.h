// Applies one verified command to the writer's transaction: the deterministic step of
// the engine. Given the same state, time and command, it makes the same changes, so a
// journal replays to the same state. Not thread-safe (the writer's); on error the
// caller rolls the command's savepoint back, so nothing changes.
#ifndef ARGENTPOCHE_ENGINE_COMMAND_APPLY_H_
#define ARGENTPOCHE_ENGINE_COMMAND_APPLY_H_

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "engine/apply_context.h"
#include "engine/command_verifier.h"

namespace argentpoche {

// Runs the command's action as `verified.signer`. Returns the resource it produced.
[[nodiscard]] absl::StatusOr<v1::CommandResult> ApplyAction(ApplyContext& ctx,
                                                            const VerifiedCommand& verified);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_COMMAND_APPLY_H_
