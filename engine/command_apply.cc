#include "engine/command_apply.h"

#include "engine/conditional.h"
#include "engine/contracts.h"
#include "engine/deposit.h"
#include "engine/holds.h"
#include "engine/keys.h"
#include "engine/ledger.h"
#include "engine/limits.h"
#include "engine/oracles.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::StatusOr<v1::Party> RegisterParty(ApplyContext& ctx, const VerifiedCommand& verified) {
  const v1::RegisterParty& action = verified.command.register_party();
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                         ctx.transaction->Get(Table::kParties, verified.signer.id()));
  if (existing) {
    return AlreadyExists("PARTY_EXISTS",
                         Concat("party ", verified.signer.id(), " is already registered"));
  }
  if (action.display_name().size() > limits::kMaxDisplayNameLength) {
    return InvalidArgument("TOO_LONG", "the display name is longer than 200 bytes");
  }
  v1::Party party = verified.signer;
  party.set_display_name(action.display_name());
  party.set_role(v1::PARTY_ROLE_HOLDER);
  party.set_created_at_unix_ms(ctx.now_unix_ms);
  ctx.transaction->PutMessage(Table::kParties, party.id(), party);
  return party;
}

absl::Status RequireOperator(const v1::Party& caller) {
  if (caller.role() == v1::PARTY_ROLE_OPERATOR) return absl::OkStatus();
  return PermissionDenied("NOT_OPERATOR",
                          "only the issuer's operator can credit or debit accounts");
}

absl::StatusOr<v1::Account> LoadPartyAccount(const ApplyContext& ctx, std::string_view id) {
  POCHE_ASSIGN_OR_RETURN(v1::Account account, LoadAccount(ctx, id));
  if (account.kind() != v1::ACCOUNT_KIND_PARTY) {
    return InvalidArgument("NOT_A_PARTY_ACCOUNT",
                           Concat("account ", id, " belongs to the engine, not to a party"));
  }
  return account;
}

// Operator money in (credit: float -> account) or out (debit: account -> float).
absl::StatusOr<v1::Transfer> MoveAgainstFloat(ApplyContext& ctx, const v1::Party& caller,
                                              const std::string& account_id,
                                              const v1::Money& amount_proto,
                                              const std::string& reference, bool credit) {
  POCHE_RETURN_IF_ERROR(RequireOperator(caller));
  POCHE_ASSIGN_OR_RETURN(Money amount, PositiveAmount(amount_proto));
  if (reference.size() > limits::kMaxReferenceLength) {
    return InvalidArgument("TOO_LONG", "the reference is longer than 200 bytes");
  }
  POCHE_ASSIGN_OR_RETURN(v1::Account account, LoadPartyAccount(ctx, account_id));
  const std::string float_id = keys::FloatAccountId(amount.currency());
  if (account.balance().currency() != amount.currency()) {
    return InvalidArgument("CURRENCY_MISMATCH",
                           Concat("account ", account_id, " holds ", account.balance().currency(),
                                  ", not ", amount.currency()));
  }
  POCHE_RETURN_IF_ERROR(
      EnsureSystemAccount(ctx, float_id, v1::ACCOUNT_KIND_FLOAT, amount.currency()).status());
  return credit ? MoveMoney(ctx, float_id, account_id, amount, "credit", reference)
                : MoveMoney(ctx, account_id, float_id, amount, "debit", reference);
}

absl::StatusOr<v1::Hold> CreateHold(ApplyContext& ctx, const VerifiedCommand& verified) {
  const v1::CreateHold& action = verified.command.create_hold();
  POCHE_ASSIGN_OR_RETURN(Money amount, PositiveAmount(action.amount()));
  POCHE_ASSIGN_OR_RETURN(v1::Account payer, LoadPartyAccount(ctx, action.payer_account_id()));
  if (payer.owner_party_id() != verified.signer.id()) {
    return PermissionDenied("NOT_YOUR_ACCOUNT",
                            Concat("account ", payer.id(), " is not yours to lock from"));
  }
  POCHE_ASSIGN_OR_RETURN(v1::Account beneficiary,
                         LoadPartyAccount(ctx, action.beneficiary_account_id()));
  if (beneficiary.id() == payer.id()) {
    return InvalidArgument("SAME_ACCOUNT", "a hold cannot pay the account it locks from");
  }
  // Else the hold could never be released: its payout would be refused.
  if (beneficiary.balance().currency() != amount.currency()) {
    return InvalidArgument(
        "CURRENCY_MISMATCH",
        Concat("account ", beneficiary.id(), " holds ", beneficiary.balance().currency(), ", not ",
               amount.currency(), ": a hold pays in its own currency"));
  }
  if (action.expires_at_unix_ms() <= ctx.now_unix_ms) {
    return InvalidArgument("DEADLINE_IN_PAST", Concat("the hold would expire at ",
                                                      FormatTime(action.expires_at_unix_ms()),
                                                      ", which has already passed"));
  }
  if (action.expires_at_unix_ms() > ctx.now_unix_ms + limits::kMaxDeadlineAheadMs) {
    return InvalidArgument("DEADLINE_TOO_FAR", "the hold would expire more than 100 years ahead");
  }
  return LockHold(ctx, HoldRequest{.hold_id = keys::DerivedId("h", verified.signer.id(),
                                                              verified.command.request_id()),
                                   .payer_account_id = payer.id(),
                                   .beneficiary_account_id = beneficiary.id(),
                                   .amount = amount,
                                   .expires_at_unix_ms = action.expires_at_unix_ms(),
                                   .contract_id = ""});
}

// A hold that a party (not a contract) may act on, still pending and not expired.
absl::StatusOr<v1::Hold> LoadOpenHold(const ApplyContext& ctx, std::string_view hold_id) {
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold, LoadHold(ctx, hold_id));
  if (!hold.contract_id().empty()) {
    return FailedPrecondition("HOLD_OWNED_BY_CONTRACT",
                              Concat("hold ", hold_id, " is released by contract ",
                                     hold.contract_id(), ", not directly"));
  }
  if (hold.state() != v1::HOLD_STATE_PENDING) {
    return FailedPrecondition("HOLD_RESOLVED", Concat("hold ", hold_id, " is already resolved"));
  }
  if (ctx.now_unix_ms >= hold.expires_at_unix_ms()) {
    return FailedPrecondition("HOLD_EXPIRED", Concat("hold ", hold_id, " expired at ",
                                                     FormatTime(hold.expires_at_unix_ms())));
  }
  return hold;
}

absl::StatusOr<v1::Hold> ReleaseHold(ApplyContext& ctx, const VerifiedCommand& verified) {
  const v1::ReleaseHold& action = verified.command.release_hold();
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold, LoadOpenHold(ctx, action.hold_id()));
  POCHE_ASSIGN_OR_RETURN(v1::Account payer, LoadAccount(ctx, hold.payer_account_id()));
  if (payer.owner_party_id() != verified.signer.id()) {
    return PermissionDenied("NOT_ALLOWED", "only the payer of a hold can release it");
  }
  int64_t amount = hold.amount().minor_units();
  if (action.has_amount()) {
    POCHE_ASSIGN_OR_RETURN(Money requested, PositiveAmount(action.amount()));
    if (requested.currency() != hold.amount().currency()) {
      return InvalidArgument("CURRENCY_MISMATCH",
                             Concat("hold ", hold.id(), " locks ", hold.amount().currency(),
                                    ", not ", requested.currency()));
    }
    amount = requested.minor_units();
  }
  POCHE_RETURN_IF_ERROR(
      ResolveHold(ctx, hold, {{hold.beneficiary_account_id(), amount}}, v1::HOLD_STATE_RELEASED));
  return hold;
}

absl::StatusOr<v1::Hold> VoidHold(ApplyContext& ctx, const VerifiedCommand& verified) {
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold, LoadOpenHold(ctx, verified.command.void_hold().hold_id()));
  POCHE_ASSIGN_OR_RETURN(v1::Account beneficiary, LoadAccount(ctx, hold.beneficiary_account_id()));
  if (beneficiary.owner_party_id() != verified.signer.id()) {
    return PermissionDenied("NOT_ALLOWED", "only the beneficiary of a hold can void it");
  }
  POCHE_RETURN_IF_ERROR(ResolveHold(ctx, hold, {}, v1::HOLD_STATE_VOIDED));
  return hold;
}

// The arbiter's decision: by the contract's template.
absl::StatusOr<v1::Contract> DecideContract(ApplyContext& ctx, const v1::Party& caller,
                                            const v1::DecideContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, action.contract_id()));
  if (IsConditionalContract(contract)) {
    return ApplyDecideConditional(ctx, caller, std::move(contract), action);
  }
  return ApplyDecideContract(ctx, caller, action);
}

template <typename Resource>
absl::StatusOr<v1::CommandResult> Wrap(absl::StatusOr<Resource> resource,
                                       Resource* (v1::CommandResult::*mutable_field)()) {
  if (!resource.ok()) return resource.status();
  v1::CommandResult result;
  *(result.*mutable_field)() = *std::move(resource);
  return result;
}

}  // namespace

absl::StatusOr<v1::CommandResult> ApplyAction(ApplyContext& ctx, const VerifiedCommand& verified) {
  const v1::Command& command = verified.command;
  const v1::Party& caller = verified.signer;
  using R = v1::CommandResult;
  switch (command.action_case()) {
    case v1::Command::kRegisterParty:
      return Wrap(RegisterParty(ctx, verified), &R::mutable_party);
    case v1::Command::kOpenAccount:
      return Wrap(OpenPartyAccount(ctx, caller.id(), command.open_account().currency()),
                  &R::mutable_account);
    case v1::Command::kCreditAccount: {
      const v1::CreditAccount& action = command.credit_account();
      return Wrap(MoveAgainstFloat(ctx, caller, action.account_id(), action.amount(),
                                   action.reference(), /*credit=*/true),
                  &R::mutable_transfer);
    }
    case v1::Command::kDebitAccount: {
      const v1::DebitAccount& action = command.debit_account();
      return Wrap(MoveAgainstFloat(ctx, caller, action.account_id(), action.amount(),
                                   action.reference(), /*credit=*/false),
                  &R::mutable_transfer);
    }
    case v1::Command::kCreateHold:
      return Wrap(CreateHold(ctx, verified), &R::mutable_hold);
    case v1::Command::kReleaseHold:
      return Wrap(ReleaseHold(ctx, verified), &R::mutable_hold);
    case v1::Command::kVoidHold:
      return Wrap(VoidHold(ctx, verified), &R::mutable_hold);
    case v1::Command::kCreateContract:
      return Wrap(
          ApplyCreateContract(ctx, caller, keys::DerivedId("c", caller.id(), command.request_id()),
                              command.create_contract()),
          &R::mutable_contract);
    case v1::Command::kSignContract:
      return Wrap(ApplySignContract(ctx, caller, command.sign_contract()), &R::mutable_contract);
    case v1::Command::kFundContract:
      return Wrap(ApplyFundContract(ctx, caller, command.fund_contract()), &R::mutable_contract);
    case v1::Command::kProposeSplit:
      return Wrap(ApplyProposeSplit(ctx, caller, command.propose_split()), &R::mutable_contract);
    case v1::Command::kAcceptSplit:
      return Wrap(ApplyAcceptSplit(ctx, caller, command.accept_split()), &R::mutable_contract);
    case v1::Command::kDisputeContract:
      return Wrap(ApplyDisputeContract(ctx, caller, command.dispute_contract()),
                  &R::mutable_contract);
    case v1::Command::kDecideContract:
      return Wrap(DecideContract(ctx, caller, command.decide_contract()), &R::mutable_contract);
    case v1::Command::kEndorseContract:
      return Wrap(ApplyEndorseContract(ctx, caller, command.endorse_contract()),
                  &R::mutable_contract);
    case v1::Command::kRevealPreimage:
      return Wrap(ApplyRevealPreimage(ctx, caller, command.reveal_preimage()),
                  &R::mutable_contract);
    case v1::Command::kRegisterOracle:
      return Wrap(ApplyRegisterOracle(ctx, caller, command.register_oracle()), &R::mutable_oracle);
    case v1::Command::kRotateOracleKey:
      return Wrap(ApplyRotateOracleKey(ctx, caller, command.rotate_oracle_key()),
                  &R::mutable_oracle);
    case v1::Command::kRevokeOracle:
      return Wrap(ApplyRevokeOracle(ctx, caller, command.revoke_oracle()), &R::mutable_oracle);
    case v1::Command::kAnnounceEvent:
      return Wrap(ApplyAnnounceEvent(ctx, caller, command.announce_event()), &R::mutable_event);
    case v1::Command::kSubmitAttestation:
      return Wrap(ApplySubmitAttestation(ctx, caller, command.submit_attestation()),
                  &R::mutable_attestation_receipt);
    case v1::Command::ACTION_NOT_SET:
      break;
  }
  return InvalidArgument("MALFORMED_COMMAND", "the command has no action");
}

}  // namespace argentpoche
