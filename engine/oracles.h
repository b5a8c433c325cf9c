// The oracle registry and attestations. The operator registers an oracle (a registered
// party) with the feeds it may attest and an attestation key with a validity period;
// keys rotate (what an old key signed and the engine stored stays valid) and can be
// revoked. Oracles announce events, then submit signed attestations of them. The engine
// stores each attestation once; a second, different value signed by one oracle for one
// event is kept with the first as a proof of equivocation, the oracle is flagged, and
// every funded contract relying on it goes to dispute. Each stored attestation is
// offered at once to the contracts waiting on its event (engine/conditional.h).
// Not thread-safe (the writer's); on error the caller rolls the savepoint back.
#ifndef ARGENTPOCHE_ENGINE_ORACLES_H_
#define ARGENTPOCHE_ENGINE_ORACLES_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/apply_context.h"

namespace argentpoche {

// The oracle registered for `party_id`, or nullopt.
[[nodiscard]] absl::StatusOr<std::optional<v1::Oracle>> FindOracle(const ApplyContext& ctx,
                                                                   std::string_view party_id);
// Why `oracle` may not be relied on by a new contract or attest now, or OK:
// PermissionDenied "ORACLE_REVOKED" or "ORACLE_FLAGGED".
[[nodiscard]] absl::Status CheckOracleInGoodStanding(const v1::Oracle& oracle);
// True when the oracle may attest `feed`.
bool OracleMayAttest(const v1::Oracle& oracle, std::string_view feed);

// The attestations stored for one event, in key order (oracle, then digest).
[[nodiscard]] absl::StatusOr<std::vector<v1::StoredAttestation>> EventAttestations(
    const ApplyContext& ctx, std::string_view feed, std::string_view event_id);

// Command handlers; `caller` is the verified signer.
[[nodiscard]] absl::StatusOr<v1::Oracle> ApplyRegisterOracle(ApplyContext& ctx,
                                                             const v1::Party& caller,
                                                             const v1::RegisterOracle& action);
[[nodiscard]] absl::StatusOr<v1::Oracle> ApplyRotateOracleKey(ApplyContext& ctx,
                                                              const v1::Party& caller,
                                                              const v1::RotateOracleKey& action);
[[nodiscard]] absl::StatusOr<v1::Oracle> ApplyRevokeOracle(ApplyContext& ctx,
                                                           const v1::Party& caller,
                                                           const v1::RevokeOracle& action);
[[nodiscard]] absl::StatusOr<v1::OracleEvent> ApplyAnnounceEvent(ApplyContext& ctx,
                                                                 const v1::Party& caller,
                                                                 const v1::AnnounceEvent& action);
[[nodiscard]] absl::StatusOr<v1::AttestationReceipt> ApplySubmitAttestation(
    ApplyContext& ctx, const v1::Party& caller, const v1::SubmitAttestation& action);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_ORACLES_H_
