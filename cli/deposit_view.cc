#include "cli/deposit_view.h"

#include "cli/contract_actions.h"
#include "engine/envelope.h"
#include "engine/money.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {

absl::StatusOr<v1::DepositTerms> VerifiedDepositTerms(const v1::Contract& contract) {
  POCHE_ASSIGN_OR_RETURN(const v1::ContractTerms terms, VerifiedTerms(contract));
  if (!terms.has_deposit()) {
    return FailedPrecondition("NOT_A_DEPOSIT",
                              Concat("contract ", contract.id(), " is not a rental deposit"));
  }
  return terms.deposit();
}

std::string RoleIn(const v1::Contract& contract, const std::string& party_id) {
  for (const v1::ContractParty& party : contract.parties()) {
    if (party.party_id() == party_id) return party.role();
  }
  return "";
}

std::string DescribeMember(Context& context, const v1::Contract& contract,
                           const std::string& party_id) {
  const std::string role = RoleIn(contract, party_id);
  if (role.empty()) return context.parties().Describe(party_id);
  return Concat("the ", role, " ", context.parties().Name(party_id));
}

void PrintPayouts(Context& context, const v1::Contract& contract,
                  const google::protobuf::RepeatedPtrField<v1::Payout>& payouts,
                  std::string_view indent) {
  for (const v1::Payout& payout : payouts) {
    context.out.Line(Concat(indent, FormatMoney(payout.amount()), " to ",
                            DescribeMember(context, contract, payout.party_id())));
  }
  if (payouts.empty()) context.out.Line(Concat(indent, "nothing"));
}

void PrintAnswerWindow(Context& context, const v1::Contract& contract, int64_t now_unix_ms,
                       std::string_view indent) {
  const v1::SplitProposal& proposal = contract.proposal();
  std::string responder = "the other party";
  for (const v1::ContractParty& party : contract.parties()) {
    if ((party.role() == "tenant" || party.role() == "landlord") &&
        party.party_id() != proposal.proposer_party_id()) {
      responder = DescribeMember(context, contract, party.party_id());
    }
  }
  context.out.Line(Concat(indent, "Until ", FormatWhen(proposal.contest_by_unix_ms(), now_unix_ms),
                          ", ", responder));
  context.out.Line(Concat(indent, "may accept or dispute it; silence accepts it."));
}

void PrintDepositTerms(Context& context, const v1::Contract& contract,
                       const v1::DepositTerms& terms, int64_t now_unix_ms) {
  if (!terms.description().empty()) context.out.Field("Description", terms.description());
  context.out.Field("Deposit", FormatMoney(terms.amount()));
  context.out.Field("Tenant", context.parties().Describe(terms.tenant_party_id()));
  context.out.Field("Landlord", context.parties().Describe(terms.landlord_party_id()));
  context.out.Field("Arbiter", context.parties().Describe(terms.arbiter_party_id()));
  const bool awaiting_funds = contract.state() == v1::CONTRACT_STATE_PROPOSED ||
                              contract.state() == v1::CONTRACT_STATE_SIGNED ||
                              contract.state() == v1::CONTRACT_STATE_UNSPECIFIED;
  const bool awaiting_claims = awaiting_funds || (contract.state() == v1::CONTRACT_STATE_FUNDED &&
                                                  contract.proposal().number() == 0);
  context.out.Field("Fund by", awaiting_funds ? FormatWhen(terms.fund_by_unix_ms(), now_unix_ms)
                                              : FormatTimestamp(terms.fund_by_unix_ms()));
  context.out.Field("Claims by", awaiting_claims
                                     ? FormatWhen(terms.return_by_unix_ms(), now_unix_ms)
                                     : FormatTimestamp(terms.return_by_unix_ms()));
  context.out.Field("", "with no claim by then, everything goes back to the tenant");
  context.out.Field("Contest window", Concat(FormatDuration(terms.contest_window_ms()),
                                             " to answer a proposed split (silence accepts)"));
  if (!contract.created_by_party_id().empty()) {
    context.out.Field("Proposed by",
                      Concat(DescribeMember(context, contract, contract.created_by_party_id()),
                             " at ", FormatTimestamp(contract.created_at_unix_ms())));
  }
}

std::string OutcomeInWords(v1::SettlementOutcome outcome) {
  switch (outcome) {
    case v1::SETTLEMENT_OUTCOME_AGREED:
      return "both parties agreed on the split";
    case v1::SETTLEMENT_OUTCOME_UNCONTESTED:
      return "the proposed split was not contested in time";
    case v1::SETTLEMENT_OUTCOME_ARBITRATED:
      return "the arbiter decided after a dispute";
    case v1::SETTLEMENT_OUTCOME_REFUNDED:
      return "nobody claimed before the return deadline: everything went back to the tenant";
    case v1::SETTLEMENT_OUTCOME_EXPIRED:
      return "it was not funded in time: every lock went back";
    case v1::SETTLEMENT_OUTCOME_CONDITION_MET:
      return "an outcome of its conditions held: paid by its rule";
    default:
      return "unknown outcome";
  }
}

std::string DepositStateInWords(const v1::Contract& contract) {
  switch (contract.state()) {
    case v1::CONTRACT_STATE_PROPOSED:
      return Concat("waiting for signatures (", contract.signatures_size(), " of ",
                    contract.parties_size(), " signed)");
    case v1::CONTRACT_STATE_SIGNED:
      return "signed by everyone, waiting for the tenant to lock the deposit";
    case v1::CONTRACT_STATE_FUNDED:
      return contract.proposal().number() > 0
                 ? "the deposit is locked in escrow and a split is proposed"
                 : "the deposit is locked in escrow";
    case v1::CONTRACT_STATE_DISPUTED:
      return "in dispute: the deposit stays locked until the arbiter decides";
    case v1::CONTRACT_STATE_SETTLED:
      return "settled: the deposit has been paid out";
    case v1::CONTRACT_STATE_REFUNDED:
      return "refunded: nobody claimed in time, the tenant got everything back";
    case v1::CONTRACT_STATE_EXPIRED:
      return "expired: it was not funded in time";
    default:
      return "in an unknown state";
  }
}

ReceiptCheck CheckReceipt(const v1::Contract& contract, const v1::EngineInfo& info) {
  ReceiptCheck check;
  check.present = contract.has_receipt();
  if (!check.present) return check;
  absl::StatusOr<std::string> payload =
      OpenEnvelope(contract.receipt(), domain::kReceipt, info.receipt_public_key());
  if (!payload.ok()) {
    check.problem = Concat(payload.status().message(), " (", ReasonOf(payload.status()), ")");
    return check;
  }
  if (!check.receipt.ParseFromString(*payload)) {
    check.problem = "the signed receipt does not parse";
    return check;
  }
  if (check.receipt.contract_id() != contract.id()) {
    check.problem = Concat("the receipt is for contract ", check.receipt.contract_id());
    return check;
  }
  if (check.receipt.terms_hash() != contract.terms_hash() ||
      Sha256(TaggedBytes(domain::kContractTerms, contract.terms())) != contract.terms_hash()) {
    check.problem = "the receipt is for other terms than the ones signed";
    return check;
  }
  if (check.receipt.outcome() != v1::SETTLEMENT_OUTCOME_EXPIRED) {
    absl::StatusOr<v1::ContractTerms> terms = VerifiedTerms(contract);
    absl::StatusOr<v1::Money> locked = terms.ok() ? LockedTotalOf(*terms) : terms.status();
    bool same_currency = locked.ok();
    int64_t paid = 0;
    for (const v1::Payout& payout : check.receipt.payouts()) {
      same_currency = same_currency && payout.amount().currency() == locked->currency();
      paid += payout.amount().minor_units();
    }
    if (!same_currency || paid != locked->minor_units()) {
      check.problem = "the receipt's payouts do not add up to what the contract locks";
      return check;
    }
  }
  check.verified = true;
  return check;
}

}  // namespace argentpoche::cli
