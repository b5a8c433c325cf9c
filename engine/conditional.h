// Conditional contracts: contracts whose terms are written in the condition language
// (proto/argentpoche/v1/condition.proto), given as is ("conditional") or compiled from a
// template ("option", "weather_cover"). The engine checks the terms at creation (refusing
// any that could pay more than they lock or lack a refund path), then, once funded,
// decides by itself: whenever a fact arrives (an attestation of an awaited event, an
// endorsement, a revealed preimage) and at the moments time alone may change the outcome,
// it evaluates the terms; the first branch that holds settles with its payouts; at the
// hard deadline the refund table applies. A value source whose quorum disagrees (spread
// beyond the allowed one, or values not equal for exact agreement), or an oracle caught
// equivocating, sends the contract to dispute instead: then only the arbiter (if the
// terms name one) or the refund at the hard deadline ends it.
// Not thread-safe (the writer's); on error the caller rolls the savepoint back.
#ifndef ARGENTPOCHE_ENGINE_CONDITIONAL_H_
#define ARGENTPOCHE_ENGINE_CONDITIONAL_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/apply_context.h"
#include "engine/conditional_decide.h"

namespace argentpoche {

inline constexpr std::string_view kConditionalTemplate = "conditional";
// The role that may decide a disputed conditional contract, when the terms name one.
inline constexpr std::string_view kArbiterRole = "arbiter";

// True for "conditional", "option" and "weather_cover".
bool IsConditionalContract(const v1::Contract& contract);

// Checks `terms` (the contract checker, the oracles they name, funding legs, accounts)
// and fills the contract's template, parties, funding legs and conditional state;
// schedules its fund-by deadline and indexes the events and oracles it waits on.
[[nodiscard]] absl::Status ShapeConditionalContract(ApplyContext& ctx, const v1::Party& caller,
                                                    std::string_view template_name,
                                                    const v1::ConditionalTerms& terms,
                                                    v1::Contract& contract);
// FailedPrecondition "ORACLE_FLAGGED" / "ORACLE_REVOKED" when an oracle the contract
// relies on may no longer be relied on: funding is refused, so it expires at fund-by.
[[nodiscard]] absl::Status CheckOraclesStillUsable(const ApplyContext& ctx,
                                                   const v1::Contract& contract);
// Called when the last leg is locked: decides at once (the facts may be in already).
[[nodiscard]] absl::Status OnConditionalFunded(ApplyContext& ctx, v1::Contract& contract);

// Decides a funded conditional contract again (an attestation of an event it waits on
// arrived; `known`, if given, holds every attestation of that event). True when it
// settled, was refunded or went to dispute.
[[nodiscard]] absl::StatusOr<bool> ReevaluateConditional(ApplyContext& ctx,
                                                         std::string_view contract_id,
                                                         const KnownAttestations* known = nullptr);
// Sends a funded conditional contract to dispute for `reason`; true when it was funded.
[[nodiscard]] absl::StatusOr<bool> DisputeConditional(ApplyContext& ctx,
                                                      std::string_view contract_id,
                                                      std::string_view reason);

// Command handlers; `caller` is the verified signer.
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyEndorseContract(ApplyContext& ctx,
                                                                const v1::Party& caller,
                                                                const v1::EndorseContract& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyRevealPreimage(ApplyContext& ctx,
                                                               const v1::Party& caller,
                                                               const v1::RevealPreimage& action);
// The arbiter ends a disputed conditional contract with a split of the lock among the
// other roles, before its hard deadline: from then on the refund applies and a decision
// is refused FAILED_PRECONDITION "DEADLINE_PASSED" (even before the scheduler fired).
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyDecideConditional(ApplyContext& ctx,
                                                                  const v1::Party& caller,
                                                                  v1::Contract contract,
                                                                  const v1::DecideContract& action);
// The decide deadline of a conditional contract.
[[nodiscard]] absl::Status ApplyConditionalDeadline(ApplyContext& ctx, v1::Contract& contract,
                                                    const v1::DeadlineEvent& event);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONDITIONAL_H_
