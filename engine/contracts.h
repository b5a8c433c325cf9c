// Contracts: the life cycle shared by every template. A contract is created PROPOSED
// from terms (exact bytes, hashed), becomes SIGNED when every named party has signed
// the terms hash with its key, FUNDED when every funding leg is locked as a hold, and
// ends SETTLED, REFUNDED or EXPIRED in one atomic commit with its transfers and an
// engine-signed receipt. Templates (deposit.h, ...) supply the terms' meaning.
// Not thread-safe (the writer's); on error the caller rolls the savepoint back.
#ifndef ARGENTPOCHE_ENGINE_CONTRACTS_H_
#define ARGENTPOCHE_ENGINE_CONTRACTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/apply_context.h"
#include "engine/money.h"

namespace argentpoche {

// NOT_FOUND "CONTRACT_NOT_FOUND".
[[nodiscard]] absl::StatusOr<v1::Contract> LoadContract(const ApplyContext& ctx,
                                                        std::string_view contract_id);
// Stores the contract, stamping its update time.
void StoreContract(ApplyContext& ctx, v1::Contract& contract);

// The role `party_id` plays in the contract, or "" when it plays none.
std::string RoleOf(const v1::Contract& contract, std::string_view party_id);
// The party playing `role`; checks that there is one.
std::string PartyOfRole(const v1::Contract& contract, std::string_view role);
// Appends a dated line, in words, to the contract's history.
void AddHistory(const ApplyContext& ctx, v1::Contract& contract, std::string_view line);
// "the tenant (Alice)" for a party of the contract.
std::string DescribeParty(const ApplyContext& ctx, const v1::Contract& contract,
                          std::string_view party_id);
// "600.00 EUR to the landlord (Bob), 600.00 EUR to the tenant (Alice)".
std::string DescribePayouts(const ApplyContext& ctx, const v1::Contract& contract,
                            const std::vector<v1::Payout>& payouts);
// "2026-11-25 09:10:03 UTC".
std::string FormatTime(int64_t unix_ms);

// NotFound "PARTY_NOT_FOUND" unless `party_id` is registered; InvalidArgument
// "MISSING_PARTY" when it is empty. `role` names it in the message.
[[nodiscard]] absl::Status CheckPartyExists(const ApplyContext& ctx, std::string_view party_id,
                                            std::string_view role);
// FailedPrecondition "ACCOUNT_NOT_FOUND" unless the party has an account in `currency`.
[[nodiscard]] absl::Status CheckHasAccount(const ApplyContext& ctx, std::string_view party_id,
                                           std::string_view role, std::string_view currency);

// Total locked by the contract's funding legs.
[[nodiscard]] absl::StatusOr<Money> LockedTotal(const v1::Contract& contract);

// Checks a split: every payee plays one of `payee_roles`, named once, amounts >= 0 in
// the contract's currency, adding up exactly to what the contract locks.
// INVALID_ARGUMENT "SPLIT_MISMATCH", "CURRENCY_MISMATCH", "NOT_A_PAYEE", "DUPLICATE_PAYEE".
[[nodiscard]] absl::Status ValidateSplit(
    const v1::Contract& contract, const google::protobuf::RepeatedPtrField<v1::Payout>& payouts,
    const std::vector<std::string_view>& payee_roles);

// Pays `payouts` (party -> amount, adding up to the locked total) out of the contract's
// holds into the parties' accounts, moves it to `final_state` and signs the receipt.
[[nodiscard]] absl::Status SettleContract(ApplyContext& ctx, v1::Contract& contract,
                                          const std::vector<v1::Payout>& payouts,
                                          v1::SettlementOutcome outcome,
                                          v1::ContractState final_state);

// Command handlers. `caller` is the verified signer.
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyCreateContract(ApplyContext& ctx,
                                                               const v1::Party& caller,
                                                               const std::string& contract_id,
                                                               const v1::CreateContract& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplySignContract(ApplyContext& ctx,
                                                             const v1::Party& caller,
                                                             const v1::SignContract& action);
[[nodiscard]] absl::StatusOr<v1::Contract> ApplyFundContract(ApplyContext& ctx,
                                                             const v1::Party& caller,
                                                             const v1::FundContract& action);

// Fires a contract deadline (fund-by, or the template's own).
[[nodiscard]] absl::Status ApplyContractDeadline(ApplyContext& ctx, const v1::DeadlineEvent& event);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONTRACTS_H_
