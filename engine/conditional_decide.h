// How a funded conditional contract decides (engine/conditional.h): its facts are
// gathered from its state and the stored attestations, value sources whose quorum is
// reached are fixed (or send the contract to dispute when their oracles disagree), and
// DecideOutcome (engine/conditions_outcome.h) says whether to settle, refund or wait.
// Not thread-safe (the writer's).
#ifndef ARGENTPOCHE_ENGINE_CONDITIONAL_DECIDE_H_
#define ARGENTPOCHE_ENGINE_CONDITIONAL_DECIDE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/apply_context.h"

namespace argentpoche {

// Every attestation stored for one event, as a caller that just read them holds them (in
// any order), so that deciding the many contracts waiting on that event reads them once
// rather than once per contract. Borrowed: the vector must outlive the decision.
struct KnownAttestations {
  std::string_view feed;
  std::string_view event_id;
  const std::vector<v1::StoredAttestation>* attestations = nullptr;
};

// Decides `contract` (FUNDED) now, in place: settles, refunds, disputes, or schedules its
// next moment of decision. The caller stores the contract. True when it left FUNDED.
// A value source of the event of `known` (if given) takes its attestations from there.
[[nodiscard]] absl::StatusOr<bool> DecideFunded(ApplyContext& ctx, v1::Contract& contract,
                                                const KnownAttestations* known = nullptr);

// Moves a FUNDED contract to DISPUTED in place for `reason`, keeping only the refund at
// the hard deadline scheduled. The caller stores the contract.
void DisputeInPlace(ApplyContext& ctx, v1::Contract& contract, std::string_view reason);

// Removes the indexes through which attestations and equivocations reach the contract.
void StopWaiting(ApplyContext& ctx, const v1::Contract& contract);

// Refunds a contract (FUNDED or DISPUTED) by its refund table, in place.
[[nodiscard]] absl::Status RefundInPlace(ApplyContext& ctx, v1::Contract& contract,
                                         std::string_view why);

// `value` at `from_scale` expressed at `to_scale`: exact when the scale grows, rounded
// half to even when it shrinks; nullopt beyond ±limits::kMaxOracleValueMagnitude.
std::optional<int64_t> Rescale(int64_t value, uint32_t from_scale, uint32_t to_scale);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONDITIONAL_DECIDE_H_
