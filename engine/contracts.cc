#include "engine/contracts.h"

#include <set>

#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "engine/check.h"
#include "engine/conditional.h"
#include "engine/conditional_decide.h"
#include "engine/deposit.h"
#include "engine/envelope.h"
#include "engine/holds.h"
#include "engine/keys.h"
#include "engine/ledger.h"
#include "engine/limits.h"
#include "engine/option_template.h"
#include "engine/schedule.h"
#include "engine/strings.h"
#include "engine/weather_template.h"

namespace argentpoche {
namespace {

const char* StateName(v1::ContractState state) {
  switch (state) {
    case v1::CONTRACT_STATE_PROPOSED:
      return "proposed";
    case v1::CONTRACT_STATE_SIGNED:
      return "signed";
    case v1::CONTRACT_STATE_FUNDED:
      return "funded";
    case v1::CONTRACT_STATE_SETTLED:
      return "settled";
    case v1::CONTRACT_STATE_EXPIRED:
      return "expired";
    case v1::CONTRACT_STATE_REFUNDED:
      return "refunded";
    case v1::CONTRACT_STATE_DISPUTED:
      return "disputed";
    default:
      return "unknown";
  }
}

absl::Status WrongState(const v1::Contract& contract, std::string_view action) {
  return FailedPrecondition("WRONG_STATE",
                            Concat("contract ", contract.id(), " is ", StateName(contract.state()),
                                   ": it cannot be ", action, " now"));
}

absl::StatusOr<v1::Party> LoadParty(const ApplyContext& ctx, std::string_view party_id) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Party> party,
                         ctx.transaction->GetMessage<v1::Party>(Table::kParties, party_id));
  if (!party) return NotFound("PARTY_NOT_FOUND", Concat("there is no party ", party_id));
  return *std::move(party);
}

void SignReceipt(ApplyContext& ctx, v1::Contract& contract, const std::vector<v1::Payout>& payouts,
                 v1::SettlementOutcome outcome) {
  POCHE_CHECK(ctx.receipt_key != nullptr);
  v1::SettlementReceipt receipt;
  receipt.set_contract_id(contract.id());
  receipt.set_terms_hash(contract.terms_hash());
  receipt.set_outcome(outcome);
  for (const v1::Payout& payout : payouts) *receipt.add_payouts() = payout;
  receipt.set_settled_at_unix_ms(ctx.now_unix_ms);
  receipt.set_journal_sequence(ctx.journal_sequence);
  std::string bytes;
  POCHE_CHECK(receipt.SerializeToString(&bytes));
  *contract.mutable_receipt() = SealEnvelope(domain::kReceipt, bytes, *ctx.receipt_key);
}

}  // namespace

std::string FormatTime(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

absl::StatusOr<v1::Contract> LoadContract(const ApplyContext& ctx, std::string_view contract_id) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Contract> contract,
                         ctx.transaction->GetMessage<v1::Contract>(Table::kContracts, contract_id));
  if (!contract) {
    return NotFound("CONTRACT_NOT_FOUND", Concat("there is no contract ", contract_id));
  }
  return *std::move(contract);
}

void StoreContract(ApplyContext& ctx, v1::Contract& contract) {
  POCHE_CHECK(!contract.id().empty());
  contract.set_updated_at_unix_ms(ctx.now_unix_ms);
  ctx.transaction->PutMessage(Table::kContracts, contract.id(), contract);
}

std::string RoleOf(const v1::Contract& contract, std::string_view party_id) {
  for (const v1::ContractParty& party : contract.parties()) {
    if (party.party_id() == party_id) return party.role();
  }
  return "";
}

std::string PartyOfRole(const v1::Contract& contract, std::string_view role) {
  for (const v1::ContractParty& party : contract.parties()) {
    if (party.role() == role) return party.party_id();
  }
  POCHE_CHECK(false);
  return "";
}

void AddHistory(const ApplyContext& ctx, v1::Contract& contract, std::string_view line) {
  contract.add_history(Concat(FormatTime(ctx.now_unix_ms), ": ", line));
}

std::string DescribeParty(const ApplyContext& ctx, const v1::Contract& contract,
                          std::string_view party_id) {
  const std::string role = RoleOf(contract, party_id);
  absl::StatusOr<v1::Party> party = LoadParty(ctx, party_id);
  const std::string name =
      party.ok() && !party->display_name().empty() ? party->display_name() : std::string(party_id);
  return role.empty() ? name : Concat("the ", role, " (", name, ")");
}

absl::Status CheckPartyExists(const ApplyContext& ctx, std::string_view party_id,
                              std::string_view role) {
  if (party_id.empty()) {
    return InvalidArgument("MISSING_PARTY", Concat("the terms name no ", role));
  }
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> party,
                         ctx.transaction->Get(Table::kParties, party_id));
  if (!party) {
    return NotFound("PARTY_NOT_FOUND",
                    Concat("the ", role, " ", party_id, " is not a registered party"));
  }
  return absl::OkStatus();
}

absl::Status CheckHasAccount(const ApplyContext& ctx, std::string_view party_id,
                             std::string_view role, std::string_view currency) {
  const std::string account_id = keys::PartyAccountId(party_id, currency);
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> account,
                         ctx.transaction->Get(Table::kAccounts, account_id));
  if (!account) {
    return FailedPrecondition("ACCOUNT_NOT_FOUND",
                              Concat("the ", role, " has no ", currency,
                                     " account: open one before making the contract"));
  }
  return absl::OkStatus();
}

std::string DescribePayouts(const ApplyContext& ctx, const v1::Contract& contract,
                            const std::vector<v1::Payout>& payouts) {
  if (payouts.empty()) return "nothing";
  std::vector<std::string> parts;
  for (const v1::Payout& payout : payouts) {
    parts.push_back(Concat(FormatMoney(payout.amount()), " to ",
                           DescribeParty(ctx, contract, payout.party_id())));
  }
  return absl::StrJoin(parts, ", ");
}

absl::StatusOr<Money> LockedTotal(const v1::Contract& contract) {
  POCHE_CHECK(contract.funding_legs_size() > 0);
  POCHE_ASSIGN_OR_RETURN(Money total, Money::FromProto(contract.funding_legs(0).amount()));
  for (int i = 1; i < contract.funding_legs_size(); ++i) {
    POCHE_ASSIGN_OR_RETURN(Money leg, Money::FromProto(contract.funding_legs(i).amount()));
    POCHE_ASSIGN_OR_RETURN(total, total.Add(leg));
  }
  return total;
}

absl::Status ValidateSplit(const v1::Contract& contract,
                           const google::protobuf::RepeatedPtrField<v1::Payout>& payouts,
                           const std::vector<std::string_view>& payee_roles) {
  POCHE_ASSIGN_OR_RETURN(Money total, LockedTotal(contract));
  if (payouts.empty() || payouts.size() > static_cast<int>(limits::kMaxPayouts)) {
    return InvalidArgument("SPLIT_MISMATCH", "a split names between one and 16 payees");
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (const v1::Payout& payout : payouts) {
    const std::string role = RoleOf(contract, payout.party_id());
    if (std::find(payee_roles.begin(), payee_roles.end(), role) == payee_roles.end()) {
      return InvalidArgument(
          "NOT_A_PAYEE",
          Concat("party ", payout.party_id(), " is not a payee of this contract (payees: the ",
                 payee_roles.front(), payee_roles.size() > 1 ? " and the " : "",
                 payee_roles.size() > 1 ? payee_roles.back() : "", ")"));
    }
    if (!seen.insert(payout.party_id()).second) {
      return InvalidArgument("DUPLICATE_PAYEE", Concat("the split names the ", role, " twice"));
    }
    if (payout.amount().currency() != total.currency()) {
      return InvalidArgument("CURRENCY_MISMATCH",
                             Concat("the split pays in ", payout.amount().currency(),
                                    " but the contract locks ", total.currency()));
    }
    POCHE_ASSIGN_OR_RETURN(Money amount, Money::FromProto(payout.amount()));
    if (amount.minor_units() < 0) {
      return InvalidArgument("AMOUNT_NOT_POSITIVE", "a split cannot pay a negative amount");
    }
    POCHE_ASSIGN_OR_RETURN(sum, CheckedAdd(sum, amount.minor_units()));
  }
  if (sum != total.minor_units()) {
    POCHE_ASSIGN_OR_RETURN(Money paid, Money::Create(total.currency(), sum));
    return InvalidArgument("SPLIT_MISMATCH", Concat("the split pays ", paid.ToString(),
                                                    " but the contract "
                                                    "locks ",
                                                    total.ToString(), ": it must add up exactly"));
  }
  return absl::OkStatus();
}

absl::Status SettleContract(ApplyContext& ctx, v1::Contract& contract,
                            const std::vector<v1::Payout>& payouts, v1::SettlementOutcome outcome,
                            v1::ContractState final_state) {
  // Payouts are drawn from the legs' holds in order; they add up to the locked total,
  // so every hold ends empty.
  std::vector<v1::Hold> holds;
  for (const v1::FundingLeg& leg : contract.funding_legs()) {
    if (leg.hold_id().empty()) continue;
    POCHE_ASSIGN_OR_RETURN(v1::Hold hold, LoadHold(ctx, leg.hold_id()));
    holds.push_back(std::move(hold));
  }
  size_t payout_index = 0;
  int64_t payout_left = payouts.empty() ? 0 : payouts[0].amount().minor_units();
  for (v1::Hold& hold : holds) {
    int64_t hold_left = hold.amount().minor_units();
    std::vector<HoldPayout> shares;
    while (hold_left > 0 && payout_index < payouts.size()) {
      const int64_t share = std::min(hold_left, payout_left);
      const std::string& currency = hold.amount().currency();
      if (share > 0) {
        shares.push_back({keys::PartyAccountId(payouts[payout_index].party_id(), currency), share});
      }
      hold_left -= share;
      payout_left -= share;
      if (payout_left == 0 && ++payout_index < payouts.size()) {
        payout_left = payouts[payout_index].amount().minor_units();
      }
    }
    const v1::HoldState hold_state =
        outcome == v1::SETTLEMENT_OUTCOME_EXPIRED ? v1::HOLD_STATE_VOIDED : v1::HOLD_STATE_RELEASED;
    POCHE_RETURN_IF_ERROR(ResolveHold(ctx, hold, shares, hold_state));
  }
  contract.set_state(final_state);
  SignReceipt(ctx, contract, payouts, outcome);
  return absl::OkStatus();
}

absl::StatusOr<v1::Contract> ApplyCreateContract(ApplyContext& ctx, const v1::Party& caller,
                                                 const std::string& contract_id,
                                                 const v1::CreateContract& action) {
  v1::ContractTerms terms;
  if (action.terms().empty() || !terms.ParseFromString(action.terms())) {
    return InvalidArgument("MALFORMED_TERMS", "the contract terms are missing or do not parse");
  }
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                         ctx.transaction->Get(Table::kContracts, contract_id));
  if (existing) {
    return AlreadyExists("CONTRACT_EXISTS", Concat("contract ", contract_id, " exists"));
  }
  v1::Contract contract;
  contract.set_id(contract_id);
  contract.set_terms(action.terms());
  contract.set_terms_hash(Sha256(TaggedBytes(domain::kContractTerms, action.terms())));
  contract.set_state(v1::CONTRACT_STATE_PROPOSED);
  contract.set_created_by_party_id(caller.id());
  contract.set_created_at_unix_ms(ctx.now_unix_ms);
  switch (terms.template_case()) {
    case v1::ContractTerms::kDeposit:
      POCHE_RETURN_IF_ERROR(ShapeDepositContract(ctx, caller, terms.deposit(), contract));
      break;
    case v1::ContractTerms::kConditional:
      POCHE_RETURN_IF_ERROR(ShapeConditionalContract(ctx, caller, kConditionalTemplate,
                                                     terms.conditional(), contract));
      break;
    case v1::ContractTerms::kOption: {
      POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms compiled, CompileOptionTerms(terms.option()));
      POCHE_RETURN_IF_ERROR(
          ShapeConditionalContract(ctx, caller, kOptionTemplate, compiled, contract));
      break;
    }
    case v1::ContractTerms::kWeatherCover: {
      POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms compiled,
                             CompileWeatherCoverTerms(terms.weather_cover()));
      POCHE_RETURN_IF_ERROR(
          ShapeConditionalContract(ctx, caller, kWeatherCoverTemplate, compiled, contract));
      break;
    }
    default:
      return InvalidArgument("UNKNOWN_TEMPLATE", "the terms name no contract template");
  }
  for (const v1::ContractParty& party : contract.parties()) {
    ctx.transaction->Put(Table::kIndex, keys::PartyContract(party.party_id(), contract_id), "");
  }
  AddHistory(ctx, contract,
             Concat(DescribeParty(ctx, contract, caller.id()), " proposed the contract"));
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplySignContract(ApplyContext& ctx, const v1::Party& caller,
                                               const v1::SignContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, action.contract_id()));
  if (RoleOf(contract, caller.id()).empty()) {
    return PermissionDenied(
        "NOT_A_PARTY", Concat("party ", caller.id(), " is not named in contract ", contract.id()));
  }
  if (contract.state() != v1::CONTRACT_STATE_PROPOSED) return WrongState(contract, "signed");
  for (const v1::ContractSignature& signature : contract.signatures()) {
    if (signature.party_id() == caller.id()) {
      return AlreadyExists("ALREADY_SIGNED",
                           Concat(DescribeParty(ctx, contract, caller.id()),
                                  " has already signed contract ", contract.id()));
    }
  }
  const std::string signed_bytes = TaggedBytes(domain::kContractSignature, contract.terms_hash());
  if (!VerifySignature(caller.public_key(), signed_bytes, action.signature())) {
    return Unauthenticated("BAD_SIGNATURE",
                           "the contract signature is not a signature of these terms by your key");
  }
  v1::ContractSignature* signature = contract.add_signatures();
  signature->set_party_id(caller.id());
  signature->set_signature(action.signature());
  signature->set_signed_at_unix_ms(ctx.now_unix_ms);
  AddHistory(ctx, contract, Concat(DescribeParty(ctx, contract, caller.id()), " signed"));
  if (contract.signatures_size() == contract.parties_size()) {
    contract.set_state(v1::CONTRACT_STATE_SIGNED);
    AddHistory(ctx, contract, "every party has signed: the contract is binding");
  }
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplyFundContract(ApplyContext& ctx, const v1::Party& caller,
                                               const v1::FundContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, action.contract_id()));
  int leg_index = -1;
  for (int i = 0; i < contract.funding_legs_size(); ++i) {
    if (contract.funding_legs(i).party_id() == caller.id()) leg_index = i;
  }
  if (leg_index < 0) {
    return PermissionDenied(
        "NOT_A_FUNDER",
        Concat("party ", caller.id(), " has nothing to lock in contract ", contract.id()));
  }
  v1::FundingLeg& leg = *contract.mutable_funding_legs(leg_index);
  if (!leg.hold_id().empty()) {
    return FailedPrecondition(
        "ALREADY_FUNDED", Concat("your part of contract ", contract.id(), " is already locked"));
  }
  if (contract.state() == v1::CONTRACT_STATE_PROPOSED) {
    return FailedPrecondition(
        "NOT_SIGNED", Concat("contract ", contract.id(), " is not signed by every party yet"));
  }
  if (contract.state() != v1::CONTRACT_STATE_SIGNED) return WrongState(contract, "funded");
  if (ctx.now_unix_ms >= contract.fund_by_unix_ms()) {
    return FailedPrecondition("DEADLINE_PASSED",
                              Concat("contract ", contract.id(), " had to be funded by ",
                                     FormatTime(contract.fund_by_unix_ms())));
  }
  if (IsConditionalContract(contract)) {
    POCHE_RETURN_IF_ERROR(CheckOraclesStillUsable(ctx, contract));
  }
  POCHE_ASSIGN_OR_RETURN(Money amount, Money::FromProto(leg.amount()));
  const std::string account_id = action.account_id().empty()
                                     ? keys::PartyAccountId(caller.id(), amount.currency())
                                     : action.account_id();
  POCHE_ASSIGN_OR_RETURN(v1::Account account, LoadAccount(ctx, account_id));
  if (account.owner_party_id() != caller.id()) {
    return PermissionDenied("NOT_YOUR_ACCOUNT", Concat("account ", account_id, " is not yours"));
  }
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold,
                         LockHold(ctx, HoldRequest{.hold_id = Concat(contract.id(), ".", leg_index),
                                                   .payer_account_id = account_id,
                                                   .beneficiary_account_id = "",
                                                   .amount = amount,
                                                   .expires_at_unix_ms = 0,
                                                   .contract_id = contract.id()}));
  leg.set_hold_id(hold.id());
  leg.set_funded_at_unix_ms(ctx.now_unix_ms);
  AddHistory(ctx, contract,
             Concat(DescribeParty(ctx, contract, caller.id()), " locked ", amount.ToString()));
  bool all_funded = true;
  for (const v1::FundingLeg& each : contract.funding_legs()) {
    all_funded = all_funded && !each.hold_id().empty();
  }
  if (all_funded) {
    contract.set_state(v1::CONTRACT_STATE_FUNDED);
    CancelDeadline(ctx.transaction, contract.fund_by_unix_ms(), deadline::kFundBy, contract.id());
    AddHistory(ctx, contract, "fully funded: the money is locked until the contract releases it");
    if (contract.template_() == kDepositTemplate) OnDepositFunded(ctx, contract);
    if (IsConditionalContract(contract)) {
      POCHE_RETURN_IF_ERROR(OnConditionalFunded(ctx, contract));
    }
  }
  StoreContract(ctx, contract);
  return contract;
}

absl::Status ApplyContractDeadline(ApplyContext& ctx, const v1::DeadlineEvent& event) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, event.subject_id()));
  if (event.kind() == deadline::kFundBy) {
    if (contract.state() != v1::CONTRACT_STATE_PROPOSED &&
        contract.state() != v1::CONTRACT_STATE_SIGNED) {
      return absl::OkStatus();
    }
    std::vector<v1::Payout> refunds;
    for (const v1::FundingLeg& leg : contract.funding_legs()) {
      if (leg.hold_id().empty()) continue;
      v1::Payout refund;
      refund.set_party_id(leg.party_id());
      *refund.mutable_amount() = leg.amount();
      refunds.push_back(std::move(refund));
    }
    POCHE_RETURN_IF_ERROR(SettleContract(ctx, contract, refunds, v1::SETTLEMENT_OUTCOME_EXPIRED,
                                         v1::CONTRACT_STATE_EXPIRED));
    if (IsConditionalContract(contract)) StopWaiting(ctx, contract);
    AddHistory(ctx, contract,
               refunds.empty() ? "expired: it was not funded in time, nothing was locked"
                               : "expired: it was not funded in time, every lock went back");
    StoreContract(ctx, contract);
    return absl::OkStatus();
  }
  if (contract.template_() == kDepositTemplate) {
    return ApplyDepositDeadline(ctx, contract, event);
  }
  if (IsConditionalContract(contract)) return ApplyConditionalDeadline(ctx, contract, event);
  return absl::OkStatus();
}

}  // namespace argentpoche
