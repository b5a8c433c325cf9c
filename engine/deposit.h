// The rental deposit template: the tenant locks a deposit for the landlord; it is
// released when both agree a split, when one proposes a split the other does not
// contest within the window, by the arbiter after a dispute, or back to the tenant in
// full when the return deadline passes with no claim. Not thread-safe (the writer's).
#ifndef ARGENTPOCHE_ENGINE_DEPOSIT_H_
#define ARGENTPOCHE_ENGINE_DEPOSIT_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/apply_context.h"

namespace argentpoche {

namespace role {
inline constexpr std::string_view kTenant = "tenant";
inline constexpr std::string_view kLandlord = "landlord";
inline constexpr std::string_view kArbiter = "arbiter";
}  // namespace role

inline constexpr std::string_view kDepositTemplate = "deposit";
// Longest contest window a deposit may set (90 days).
inline constexpr int64_t kMaxContestWindowMs = int64_t{90} * 24 * 3600 * 1000;

// Validates deposit terms and fills the contract's template, parties and funding leg.
[[nodiscard]] absl::Status ShapeDepositContract(const ApplyContext& ctx, const v1::Party& caller,
                                                const v1::DepositTerms& terms,
                                                v1::Contract& contract);
// Called when the deposit is locked: schedules the return deadline.
void OnDepositFunded(ApplyContext& ctx, const v1::Contract& contract);

[[nodiscard]] absl::StatusOr<v1::Contract> ApplyProposeSplit(ApplyContext& ctx,
                                                             const v1::Party& caller,
                                                             const v1::ProposeSplit& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyAcceptSplit(ApplyContext& ctx,
                                                            const v1::Party& caller,
                                                            const v1::AcceptSplit& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyDisputeContract(ApplyContext& ctx,
                                                                const v1::Party& caller,
                                                                const v1::DisputeContract& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyDecideContract(ApplyContext& ctx,
                                                               const v1::Party& caller,
                                                               const v1::DecideContract& action);

// Return-by and contest-by deadlines of a deposit.
[[nodiscard]] absl::Status ApplyDepositDeadline(ApplyContext& ctx, v1::Contract& contract,
                                                const v1::DeadlineEvent& event);

// The deposit terms of a contract, parsed from its signed bytes.
[[nodiscard]] absl::StatusOr<v1::DepositTerms> DepositTermsOf(const v1::Contract& contract);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_DEPOSIT_H_
