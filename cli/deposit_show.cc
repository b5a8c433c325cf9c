// poche deposit show|list: a deposit contract in words, with its receipt checked.
#include "cli/context.h"
#include "cli/deposit_view.h"
#include "engine/envelope.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {

void PrintSignatures(Context& context, const v1::Contract& contract) {
  context.out.Line(
      Concat("Signatures (", contract.signatures_size(), " of ", contract.parties_size(), "):"));
  const std::string signed_bytes = TaggedBytes(domain::kContractSignature, contract.terms_hash());
  for (const v1::ContractParty& member : contract.parties()) {
    const v1::ContractSignature* found = nullptr;
    for (const v1::ContractSignature& signature : contract.signatures()) {
      if (signature.party_id() == member.party_id()) found = &signature;
    }
    const std::string who = DescribeMember(context, contract, member.party_id());
    if (found == nullptr) {
      context.out.Line(Concat("  ", who, ": not signed yet"));
      continue;
    }
    const std::optional<v1::Party>& party = context.parties().Find(member.party_id());
    const bool valid = party.has_value() && KeyIdOf(party->public_key()) == member.party_id() &&
                       VerifySignature(party->public_key(), signed_bytes, found->signature());
    context.out.Line(Concat("  ", who, ": signed ", FormatTimestamp(found->signed_at_unix_ms()),
                            valid ? ", signature checks out" : ", SIGNATURE DOES NOT CHECK OUT"));
  }
}

void PrintReceipt(Context& context, const v1::Contract& contract, const ReceiptCheck& check,
                  const v1::EngineInfo& info) {
  if (!check.present) return;
  context.out.Line("Receipt:");
  if (!check.verified) {
    context.out.Line(Concat("  DOES NOT CHECK OUT against the engine's receipt key ",
                            info.receipt_key_id(), ": ", check.problem));
    return;
  }
  context.out.Line(Concat("  Signed by the engine (receipt key ", info.receipt_key_id(),
                          "): the signature checks out."));
  const bool conditional_refund =
      contract.has_conditional() && check.receipt.outcome() == v1::SETTLEMENT_OUTCOME_REFUNDED;
  context.out.Field("Outcome", conditional_refund ? "nothing settled before the hard deadline: "
                                                    "every party got back what it locked"
                                                  : OutcomeInWords(check.receipt.outcome()));
  bool first = true;
  for (const v1::Payout& payout : check.receipt.payouts()) {
    context.out.Field(first ? "Paid" : "",
                      Concat(FormatMoney(payout.amount()), " to ",
                             DescribeMember(context, contract, payout.party_id())));
    first = false;
  }
  if (first) context.out.Field("Paid", "nothing (nothing was locked)");
  context.out.Field("Settled", Concat(FormatTimestamp(check.receipt.settled_at_unix_ms()),
                                      ", journal record ", check.receipt.journal_sequence()));
}

namespace {

void PrintProposalAndDispute(Context& context, const v1::Contract& contract, int64_t now) {
  const v1::SplitProposal& proposal = contract.proposal();
  if (proposal.number() > 0) {
    context.out.Line(Concat("Split proposal ", proposal.number(), " by ",
                            DescribeMember(context, contract, proposal.proposer_party_id()), ", ",
                            FormatTimestamp(proposal.proposed_at_unix_ms()), ":"));
    PrintPayouts(context, contract, proposal.payouts(), "  ");
    if (contract.state() == v1::CONTRACT_STATE_FUNDED) {
      PrintAnswerWindow(context, contract, now, "  ");
    }
  }
  if (!contract.dispute().party_id().empty()) {
    context.out.Line(Concat("Disputed by ",
                            DescribeMember(context, contract, contract.dispute().party_id()), ", ",
                            FormatTimestamp(contract.dispute().disputed_at_unix_ms()), ":"));
    context.out.Line(Concat("  \"", contract.dispute().reason(), "\""));
  }
}

}  // namespace

absl::Status ShowDepositContract(Context& context, const v1::Contract& contract) {
  POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, context.client().Info());
  POCHE_ASSIGN_OR_RETURN(v1::DepositTerms terms, VerifiedDepositTerms(contract));
  const int64_t now = info.now_unix_ms();
  const ReceiptCheck receipt = CheckReceipt(contract, info);
  std::string state = DepositStateInWords(contract);
  if (receipt.verified && contract.state() == v1::CONTRACT_STATE_SETTLED) {
    state = Concat("settled: ", OutcomeInWords(receipt.receipt.outcome()));
  }
  context.out.Line(Concat("Deposit ", contract.id(), ": ", state));
  PrintDepositTerms(context, contract, terms, now);
  context.out.Field("Terms hash", Concat(Hex(contract.terms_hash()), " (matches the terms)"));
  PrintSignatures(context, contract);
  for (const v1::FundingLeg& leg : contract.funding_legs()) {
    if (leg.hold_id().empty()) continue;
    context.out.Line(Concat("Locked: ", FormatMoney(leg.amount()), " by ",
                            DescribeMember(context, contract, leg.party_id()), ", ",
                            FormatTimestamp(leg.funded_at_unix_ms()), " (hold ", leg.hold_id(),
                            ")"));
  }
  PrintProposalAndDispute(context, contract, now);
  context.out.Line("History:");
  for (const std::string& line : contract.history()) context.out.Line(Concat("  ", line));
  PrintReceipt(context, contract, receipt, info);
  return absl::OkStatus();
}

namespace {

absl::Status RunDepositShow(Context& context) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, context.client().GetContract(context.Operand(0)));
  if (context.out.json()) return context.out.Json(contract);
  return ShowDepositContract(context, contract);
}

absl::Status RunDepositList(Context& context) {
  v1::ListContractsRequest request;
  if (context.Has("party")) {
    POCHE_ASSIGN_OR_RETURN(std::string party_id, context.Party(context.Flag("party")));
    request.set_party_id(party_id);
  }
  v1::ListContractsResponse all;
  POCHE_RETURN_IF_ERROR(context.client().ForEachPage(
      &v1::EscrowEngine::Stub::ListContracts, request, [&](const v1::ListContractsResponse& page) {
        for (const v1::Contract& contract : page.contracts()) *all.add_contracts() = contract;
        return absl::OkStatus();
      }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(
      Concat(request.party_id().empty()
                 ? std::string("Every contract")
                 : Concat("Contracts of ", context.parties().Describe(request.party_id())),
             ": ", all.contracts_size()));
  for (const v1::Contract& contract : all.contracts()) {
    absl::StatusOr<v1::DepositTerms> terms = VerifiedDepositTerms(contract);
    if (!terms.ok()) {
      context.out.Line(Concat("  ", contract.id(), "  ", contract.template_(), " (",
                              terms.status().message(), ")"));
      continue;
    }
    context.out.Line(Concat("  ", contract.id(), "  ", FormatMoney(terms->amount()), "  ",
                            DepositStateInWords(contract)));
    context.out.Line(
        Concat("      tenant ", context.parties().Name(terms->tenant_party_id()), ", landlord ",
               context.parties().Name(terms->landlord_party_id()),
               terms->description().empty() ? "" : Concat(": ", terms->description())));
  }
  return absl::OkStatus();
}

}  // namespace

void AddDepositViewCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "deposit",
       .verb = "show",
       .operands = "CONTRACT_ID",
       .operand_count = 1,
       .summary = "Show a deposit: state, terms, signatures, proposal, history, receipt.",
       .details = "The signatures are checked against the parties' keys and the settlement "
                  "receipt against\nthe engine's receipt key.",
       .run = RunDepositShow});
  table.push_back({.group = "deposit",
                   .verb = "list",
                   .summary = "List the deposits a party is named in (every one without --party).",
                   .flags = {{"party", "NAME|ID", "The tenant, landlord or arbiter."}},
                   .run = RunDepositList});
}

}  // namespace argentpoche::cli
