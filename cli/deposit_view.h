// How poche shows a rental deposit contract to the people in it: its terms (checked
// against the terms hash everyone signs), its state in words, the parties, signatures,
// proposal, dispute, history and the engine-signed settlement receipt, verified with the
// engine's receipt key. Shared by the deposit commands.
#ifndef ARGENTPOCHE_CLI_DEPOSIT_VIEW_H_
#define ARGENTPOCHE_CLI_DEPOSIT_VIEW_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "cli/context.h"

namespace argentpoche::cli {

// The deposit terms of `contract`, after checking that its terms_hash is the hash of its
// terms bytes (what a party signs must be what it reads). DATA_LOSS
// "TERMS_HASH_MISMATCH"; FAILED_PRECONDITION "NOT_A_DEPOSIT".
[[nodiscard]] absl::StatusOr<v1::DepositTerms> VerifiedDepositTerms(const v1::Contract& contract);

// The role `party_id` plays in the contract ("tenant"), or "".
[[nodiscard]] std::string RoleIn(const v1::Contract& contract, const std::string& party_id);

// "the landlord Claire Dubois", or the party with its id when it plays no role.
[[nodiscard]] std::string DescribeMember(Context& context, const v1::Contract& contract,
                                         const std::string& party_id);

// One line per payout, indented by `indent`: "150.00 EUR to the landlord Claire Dubois".
void PrintPayouts(Context& context, const v1::Contract& contract,
                  const google::protobuf::RepeatedPtrField<v1::Payout>& payouts,
                  std::string_view indent);

// Who may answer the open split proposal and until when ("silence accepts it").
void PrintAnswerWindow(Context& context, const v1::Contract& contract, int64_t now_unix_ms,
                       std::string_view indent);

// The terms as aligned fields: amount, parties, deadlines, description.
void PrintDepositTerms(Context& context, const v1::Contract& contract,
                       const v1::DepositTerms& terms, int64_t now_unix_ms);

// The state of the contract in a few words.
[[nodiscard]] std::string DepositStateInWords(const v1::Contract& contract);

// What the settlement receipt says and whether its signature checks out.
struct ReceiptCheck {
  bool present = false;
  bool verified = false;
  std::string problem;  // why it does not check out
  v1::SettlementReceipt receipt;
};
[[nodiscard]] ReceiptCheck CheckReceipt(const v1::Contract& contract, const v1::EngineInfo& info);

// "Signatures (2 of 3):" and one line per party: signed when, and whether the signature
// checks out against the party's registered key.
void PrintSignatures(Context& context, const v1::Contract& contract);

// The receipt, when there is one: checked, its outcome and payouts.
void PrintReceipt(Context& context, const v1::Contract& contract, const ReceiptCheck& check,
                  const v1::EngineInfo& info);

// Prints a deposit contract in words: state, terms, signatures, locks, proposal, dispute,
// history and the checked receipt.
[[nodiscard]] absl::Status ShowDepositContract(Context& context, const v1::Contract& contract);

// The outcome of a settlement in words.
[[nodiscard]] std::string OutcomeInWords(v1::SettlementOutcome outcome);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_DEPOSIT_VIEW_H_
