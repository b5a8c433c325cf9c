#include "engine/deposit.h"

#include "absl/strings/str_join.h"
#include "engine/check.h"
#include "engine/contracts.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::Status CheckDeadlines(const ApplyContext& ctx, const v1::DepositTerms& terms) {
  const int64_t latest = ctx.now_unix_ms + limits::kMaxDeadlineAheadMs;
  if (terms.fund_by_unix_ms() <= ctx.now_unix_ms) {
    return InvalidArgument("DEADLINE_IN_PAST",
                           Concat("the funding deadline ", FormatTime(terms.fund_by_unix_ms()),
                                  " has already passed"));
  }
  if (terms.return_by_unix_ms() <= terms.fund_by_unix_ms()) {
    return InvalidArgument("DEADLINE_ORDER",
                           "the return deadline must come after the funding deadline");
  }
  if (terms.return_by_unix_ms() > latest) {
    return InvalidArgument("DEADLINE_TOO_FAR", "the return deadline is more than 100 years away");
  }
  if (terms.contest_window_ms() <= 0 || terms.contest_window_ms() > kMaxContestWindowMs) {
    return InvalidArgument("BAD_CONTEST_WINDOW",
                           "the contest window must be more than zero and at most 90 days");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Contract> LoadDeposit(const ApplyContext& ctx, std::string_view contract_id) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, contract_id));
  if (contract.template_() != kDepositTemplate) {
    return FailedPrecondition("WRONG_TEMPLATE",
                              Concat("contract ", contract_id, " is not a deposit"));
  }
  return contract;
}

bool ProposalOpen(const v1::Contract& contract) {
  return contract.state() == v1::CONTRACT_STATE_FUNDED && contract.proposal().number() > 0;
}

absl::Status RequireTenantOrLandlord(const v1::Contract& contract, std::string_view party_id,
                                     std::string_view action) {
  const std::string role = RoleOf(contract, party_id);
  if (role == role::kTenant || role == role::kLandlord) return absl::OkStatus();
  return PermissionDenied("NOT_ALLOWED", Concat("only the tenant or the landlord can ", action,
                                                " in deposit ", contract.id()));
}

// The party that must answer an open proposal.
absl::Status RequireResponder(const v1::Contract& contract, std::string_view party_id,
                              std::string_view action) {
  if (!ProposalOpen(contract)) {
    return FailedPrecondition("NO_PROPOSAL", Concat("deposit ", contract.id(),
                                                    " has no open split proposal to ", action));
  }
  POCHE_RETURN_IF_ERROR(RequireTenantOrLandlord(contract, party_id, action));
  if (contract.proposal().proposer_party_id() == party_id) {
    return PermissionDenied(
        "OWN_PROPOSAL", Concat("you proposed this split: the other party must ", action, " it"));
  }
  return absl::OkStatus();
}

std::vector<v1::Payout> ToVector(const google::protobuf::RepeatedPtrField<v1::Payout>& payouts) {
  return std::vector<v1::Payout>(payouts.begin(), payouts.end());
}

absl::Status Settle(ApplyContext& ctx, v1::Contract& contract,
                    const std::vector<v1::Payout>& payouts, v1::SettlementOutcome outcome,
                    v1::ContractState state, std::string_view why) {
  POCHE_RETURN_IF_ERROR(SettleContract(ctx, contract, payouts, outcome, state));
  AddHistory(ctx, contract, Concat(why, ": paid ", DescribePayouts(ctx, contract, payouts)));
  StoreContract(ctx, contract);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::DepositTerms> DepositTermsOf(const v1::Contract& contract) {
  v1::ContractTerms terms;
  POCHE_CHECK(terms.ParseFromString(contract.terms()));
  POCHE_CHECK(terms.has_deposit());
  return terms.deposit();
}

absl::Status ShapeDepositContract(const ApplyContext& ctx, const v1::Party& caller,
                                  const v1::DepositTerms& terms, v1::Contract& contract) {
  POCHE_RETURN_IF_ERROR(CheckPartyExists(ctx, terms.tenant_party_id(), role::kTenant));
  POCHE_RETURN_IF_ERROR(CheckPartyExists(ctx, terms.landlord_party_id(), role::kLandlord));
  POCHE_RETURN_IF_ERROR(CheckPartyExists(ctx, terms.arbiter_party_id(), role::kArbiter));
  if (terms.tenant_party_id() == terms.landlord_party_id() ||
      terms.arbiter_party_id() == terms.tenant_party_id() ||
      terms.arbiter_party_id() == terms.landlord_party_id()) {
    return InvalidArgument("SAME_PARTY",
                           "the tenant, the landlord and the arbiter must be three different "
                           "parties");
  }
  if (caller.id() != terms.tenant_party_id() && caller.id() != terms.landlord_party_id()) {
    return PermissionDenied("NOT_A_PARTY",
                            "only the tenant or the landlord can propose a deposit contract");
  }
  POCHE_ASSIGN_OR_RETURN(Money amount, PositiveAmount(terms.amount()));
  if (terms.description().size() > limits::kMaxDescriptionLength) {
    return InvalidArgument("TOO_LONG", "the description is longer than 2000 bytes");
  }
  POCHE_RETURN_IF_ERROR(CheckDeadlines(ctx, terms));
  POCHE_RETURN_IF_ERROR(
      CheckHasAccount(ctx, terms.tenant_party_id(), role::kTenant, amount.currency()));
  POCHE_RETURN_IF_ERROR(
      CheckHasAccount(ctx, terms.landlord_party_id(), role::kLandlord, amount.currency()));

  contract.set_template_(std::string(kDepositTemplate));
  const std::pair<std::string_view, const std::string*> roles[] = {
      {role::kTenant, &terms.tenant_party_id()},
      {role::kLandlord, &terms.landlord_party_id()},
      {role::kArbiter, &terms.arbiter_party_id()}};
  for (const auto& [role_name, party_id] : roles) {
    v1::ContractParty* party = contract.add_parties();
    party->set_role(std::string(role_name));
    party->set_party_id(*party_id);
  }
  v1::FundingLeg* leg = contract.add_funding_legs();
  leg->set_party_id(terms.tenant_party_id());
  *leg->mutable_amount() = amount.ToProto();
  contract.set_fund_by_unix_ms(terms.fund_by_unix_ms());
  ScheduleDeadline(ctx.transaction, terms.fund_by_unix_ms(), deadline::kFundBy, contract.id());
  return absl::OkStatus();
}

void OnDepositFunded(ApplyContext& ctx, const v1::Contract& contract) {
  absl::StatusOr<v1::DepositTerms> terms = DepositTermsOf(contract);
  POCHE_CHECK(terms.ok());
  ScheduleDeadline(ctx.transaction, terms->return_by_unix_ms(), deadline::kReturnBy, contract.id());
}

absl::StatusOr<v1::Contract> ApplyProposeSplit(ApplyContext& ctx, const v1::Party& caller,
                                               const v1::ProposeSplit& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadDeposit(ctx, action.contract_id()));
  POCHE_RETURN_IF_ERROR(RequireTenantOrLandlord(contract, caller.id(), "propose a split"));
  if (contract.state() != v1::CONTRACT_STATE_FUNDED) {
    return FailedPrecondition(
        "NOT_FUNDED", Concat("deposit ", contract.id(), " is not holding a locked deposit"));
  }
  if (ProposalOpen(contract)) {
    return FailedPrecondition("PROPOSAL_OPEN",
                              "a split proposal is already open: accept it or dispute it");
  }
  POCHE_ASSIGN_OR_RETURN(v1::DepositTerms terms, DepositTermsOf(contract));
  if (ctx.now_unix_ms >= terms.return_by_unix_ms()) {
    return FailedPrecondition("DEADLINE_PASSED", Concat("claims had to be made by ",
                                                        FormatTime(terms.return_by_unix_ms()),
                                                        ": the deposit goes back to the tenant"));
  }
  POCHE_RETURN_IF_ERROR(
      ValidateSplit(contract, action.payouts(), {role::kTenant, role::kLandlord}));
  v1::SplitProposal* proposal = contract.mutable_proposal();
  proposal->set_number(proposal->number() + 1);
  proposal->set_proposer_party_id(caller.id());
  *proposal->mutable_payouts() = action.payouts();
  proposal->set_proposed_at_unix_ms(ctx.now_unix_ms);
  proposal->set_contest_by_unix_ms(ctx.now_unix_ms + terms.contest_window_ms());
  CancelDeadline(ctx.transaction, terms.return_by_unix_ms(), deadline::kReturnBy, contract.id());
  ScheduleDeadline(ctx.transaction, proposal->contest_by_unix_ms(), deadline::kContestBy,
                   contract.id());
  AddHistory(ctx, contract,
             Concat(DescribeParty(ctx, contract, caller.id()),
                    " proposed: ", DescribePayouts(ctx, contract, ToVector(action.payouts())),
                    "; the other party may accept or dispute until ",
                    FormatTime(proposal->contest_by_unix_ms()), ", silence accepts"));
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplyAcceptSplit(ApplyContext& ctx, const v1::Party& caller,
                                              const v1::AcceptSplit& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadDeposit(ctx, action.contract_id()));
  POCHE_RETURN_IF_ERROR(RequireResponder(contract, caller.id(), "accept"));
  if (action.proposal_number() != contract.proposal().number()) {
    return FailedPrecondition("PROPOSAL_CHANGED",
                              Concat("you accepted proposal ", action.proposal_number(),
                                     " but the open one is number ", contract.proposal().number()));
  }
  CancelDeadline(ctx.transaction, contract.proposal().contest_by_unix_ms(), deadline::kContestBy,
                 contract.id());
  POCHE_RETURN_IF_ERROR(
      Settle(ctx, contract, ToVector(contract.proposal().payouts()), v1::SETTLEMENT_OUTCOME_AGREED,
             v1::CONTRACT_STATE_SETTLED,
             Concat(DescribeParty(ctx, contract, caller.id()), " accepted the split")));
  return contract;
}

absl::StatusOr<v1::Contract> ApplyDisputeContract(ApplyContext& ctx, const v1::Party& caller,
                                                  const v1::DisputeContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadDeposit(ctx, action.contract_id()));
  POCHE_RETURN_IF_ERROR(RequireResponder(contract, caller.id(), "dispute"));
  if (ctx.now_unix_ms >= contract.proposal().contest_by_unix_ms()) {
    return FailedPrecondition("DEADLINE_PASSED",
                              Concat("the split could be disputed until ",
                                     FormatTime(contract.proposal().contest_by_unix_ms())));
  }
  if (action.reason().size() > limits::kMaxDescriptionLength) {
    return InvalidArgument("TOO_LONG", "the reason is longer than 2000 bytes");
  }
  CancelDeadline(ctx.transaction, contract.proposal().contest_by_unix_ms(), deadline::kContestBy,
                 contract.id());
  contract.set_state(v1::CONTRACT_STATE_DISPUTED);
  v1::Dispute* dispute = contract.mutable_dispute();
  dispute->set_party_id(caller.id());
  dispute->set_reason(action.reason());
  dispute->set_disputed_at_unix_ms(ctx.now_unix_ms);
  AddHistory(ctx, contract,
             Concat(DescribeParty(ctx, contract, caller.id()), " disputed the split (\"",
                    action.reason(), "\"): the arbiter decides"));
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplyDecideContract(ApplyContext& ctx, const v1::Party& caller,
                                                 const v1::DecideContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadDeposit(ctx, action.contract_id()));
  if (RoleOf(contract, caller.id()) != role::kArbiter) {
    return PermissionDenied("NOT_ALLOWED",
                            Concat("only the arbiter decides deposit ", contract.id()));
  }
  if (contract.state() != v1::CONTRACT_STATE_DISPUTED) {
    return FailedPrecondition("NOT_DISPUTED",
                              Concat("deposit ", contract.id(), " is not in dispute"));
  }
  POCHE_RETURN_IF_ERROR(
      ValidateSplit(contract, action.payouts(), {role::kTenant, role::kLandlord}));
  POCHE_RETURN_IF_ERROR(Settle(ctx, contract, ToVector(action.payouts()),
                               v1::SETTLEMENT_OUTCOME_ARBITRATED, v1::CONTRACT_STATE_SETTLED,
                               "the arbiter decided"));
  return contract;
}

absl::Status ApplyDepositDeadline(ApplyContext& ctx, v1::Contract& contract,
                                  const v1::DeadlineEvent& event) {
  if (event.kind() == deadline::kReturnBy) {
    if (contract.state() != v1::CONTRACT_STATE_FUNDED || ProposalOpen(contract)) {
      return absl::OkStatus();
    }
    v1::Payout refund;
    refund.set_party_id(PartyOfRole(contract, role::kTenant));
    POCHE_ASSIGN_OR_RETURN(Money total, LockedTotal(contract));
    *refund.mutable_amount() = total.ToProto();
    return Settle(ctx, contract, {refund}, v1::SETTLEMENT_OUTCOME_REFUNDED,
                  v1::CONTRACT_STATE_REFUNDED, "nobody claimed before the return deadline");
  }
  if (event.kind() == deadline::kContestBy) {
    if (!ProposalOpen(contract) ||
        contract.proposal().contest_by_unix_ms() != event.due_at_unix_ms()) {
      return absl::OkStatus();
    }
    return Settle(ctx, contract, ToVector(contract.proposal().payouts()),
                  v1::SETTLEMENT_OUTCOME_UNCONTESTED, v1::CONTRACT_STATE_SETTLED,
                  "the split was not contested in time");
  }
  return absl::OkStatus();
}

}  // namespace argentpoche
