// The double-entry ledger over a transaction: accounts of one currency each, and
// immutable transfers between two of them. Only the float account may go below zero,
// so that per currency every balance sums to zero at every commit.
//
// Functions change state only through ctx.transaction and never partially: when one
// returns an error, the caller rolls the savepoint back. Not thread-safe (the writer's).
#ifndef ARGENTPOCHE_ENGINE_LEDGER_H_
#define ARGENTPOCHE_ENGINE_LEDGER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/apply_context.h"
#include "engine/money.h"

namespace argentpoche {

// The account `account_id`; NOT_FOUND "ACCOUNT_NOT_FOUND" when there is none.
[[nodiscard]] absl::StatusOr<v1::Account> LoadAccount(const ApplyContext& ctx,
                                                      std::string_view account_id);

// Opens the party account `<owner>:<currency>`; ALREADY_EXISTS "ACCOUNT_EXISTS" if open.
[[nodiscard]] absl::StatusOr<v1::Account> OpenPartyAccount(ApplyContext& ctx,
                                                           std::string_view owner_party_id,
                                                           std::string_view currency);

// Opens (if needed) the system account `account_id` of `kind` (float, offline, hold).
[[nodiscard]] absl::StatusOr<v1::Account> EnsureSystemAccount(ApplyContext& ctx,
                                                              std::string_view account_id,
                                                              v1::AccountKind kind,
                                                              std::string_view currency);

// Moves `amount` (> 0) from one account to the other and records the transfer.
// INVALID_ARGUMENT "CURRENCY_MISMATCH" when an account is in another currency;
// FAILED_PRECONDITION "INSUFFICIENT_FUNDS" when a non-float account would go below
// zero; OUT_OF_RANGE when a balance would leave the representable range.
[[nodiscard]] absl::StatusOr<v1::Transfer> MoveMoney(ApplyContext& ctx,
                                                     std::string_view from_account_id,
                                                     std::string_view to_account_id,
                                                     const Money& amount, std::string_view kind,
                                                     std::string_view reference);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_LEDGER_H_
