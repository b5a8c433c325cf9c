// The terms of a contract as its parties signed them, checked on the client side: the
// terms bytes against the hash every party signs, what they lock in all, and for contracts
// with conditions the conditional terms the engine evaluates against what the signed
// template compiles to. Nothing here trusts the engine's word for what was signed.
//
//   POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms terms, SignedConditionalTerms(contract));
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_CLI_CONTRACT_TERMS_H_
#define ARGENTPOCHE_CLI_CONTRACT_TERMS_H_

#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/money.pb.h"

namespace argentpoche::cli {

// The terms of `contract`, after checking that its terms_hash is the hash of its terms bytes
// (what a party signs must be what it reads). DATA_LOSS "TERMS_HASH_MISMATCH"; DATA_LOSS
// "MALFORMED_TERMS" when the bytes do not parse.
[[nodiscard]] absl::StatusOr<v1::ContractTerms> VerifiedTerms(const v1::Contract& contract);

// What the terms lock in all, by their template. INVALID_ARGUMENT "MALFORMED_TERMS" for terms
// of no template, and Money's errors for amounts that do not add up.
[[nodiscard]] absl::StatusOr<v1::Money> LockedTotalOf(const v1::ContractTerms& terms);

// The conditional terms of a template: the terms themselves, or what an option or a weather
// cover compiles to. FAILED_PRECONDITION "NOT_CONDITIONAL" for a deposit; the compilers'
// errors for templates that do not compile.
[[nodiscard]] absl::StatusOr<v1::ConditionalTerms> CompiledTerms(const v1::ContractTerms& terms);

// The conditional terms `contract`'s parties signed (VerifiedTerms, then CompiledTerms),
// checked to be exactly those the engine evaluates (contract.conditional().terms()) and to
// pass CheckConditionalTerms as at the contract's creation: what the explanation of a
// contract may rely on. DATA_LOSS "TERMS_MISMATCH" when the engine evaluates other terms;
// DATA_LOSS "TERMS_DO_NOT_CHECK" (with the checker's message) when the checker refuses them.
[[nodiscard]] absl::StatusOr<v1::ConditionalTerms> SignedConditionalTerms(
    const v1::Contract& contract);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONTRACT_TERMS_H_
