// poche deposit create|sign|fund|claim|accept|dispute|decide: the rental deposit, from the
// terms every party signs to its release.
#include "cli/context.h"
#include "cli/contract_actions.h"
#include "cli/deposit_view.h"
#include "engine/command_signing.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

struct Fetched {
  v1::Contract contract;
  v1::DepositTerms terms;
};

absl::StatusOr<Fetched> FetchDeposit(Context& context, const std::string& contract_id) {
  Fetched fetched;
  POCHE_ASSIGN_OR_RETURN(fetched.contract, context.client().GetContract(contract_id));
  POCHE_ASSIGN_OR_RETURN(fetched.terms, VerifiedDepositTerms(fetched.contract));
  return fetched;
}

// The payouts given by --to-landlord and --to-tenant, in the deposit's currency. A zero
// share is left out.
absl::StatusOr<google::protobuf::RepeatedPtrField<v1::Payout>> SplitFlags(
    Context& context, const v1::DepositTerms& terms) {
  google::protobuf::RepeatedPtrField<v1::Payout> payouts;
  const std::pair<std::string_view, const std::string*> shares[] = {
      {"to-landlord", &terms.landlord_party_id()}, {"to-tenant", &terms.tenant_party_id()}};
  for (const auto& [flag, party_id] : shares) {
    POCHE_ASSIGN_OR_RETURN(v1::Money amount, context.AmountFlag(flag, terms.amount().currency()));
    if (amount.minor_units() == 0) continue;
    v1::Payout* payout = payouts.Add();
    payout->set_party_id(*party_id);
    *payout->mutable_amount() = amount;
  }
  return payouts;
}

void PrintSettlement(Context& context, const v1::Contract& contract) {
  if (contract.state() != v1::CONTRACT_STATE_SETTLED) return;
  context.out.Line("The deposit is settled: the money is in the parties' accounts.");
  context.out.Line(
      Concat("See the engine-signed receipt with: poche deposit show ", contract.id()));
}

absl::Status RunDepositCreate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::ContractTerms terms;
  v1::DepositTerms& deposit = *terms.mutable_deposit();
  POCHE_ASSIGN_OR_RETURN(*deposit.mutable_tenant_party_id(), context.PartyFlag("tenant"));
  POCHE_ASSIGN_OR_RETURN(*deposit.mutable_landlord_party_id(), context.PartyFlag("landlord"));
  POCHE_ASSIGN_OR_RETURN(*deposit.mutable_arbiter_party_id(), context.PartyFlag("arbiter"));
  POCHE_ASSIGN_OR_RETURN(*deposit.mutable_amount(), context.AmountFlag("amount"));
  POCHE_ASSIGN_OR_RETURN(int64_t fund_within, context.DurationFlag("fund-within"));
  POCHE_ASSIGN_OR_RETURN(int64_t return_within, context.DurationFlag("return-within"));
  POCHE_ASSIGN_OR_RETURN(int64_t contest_window, context.DurationFlag("contest-window"));
  if (return_within <= fund_within) {
    return UsageError(
        "--return-within must be longer than --fund-within: claims can only be "
        "made once the deposit is locked");
  }
  deposit.set_description(context.Flag("description"));
  POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, context.client().Info());
  deposit.set_fund_by_unix_ms(info.now_unix_ms() + fund_within);
  deposit.set_return_by_unix_ms(info.now_unix_ms() + return_within);
  deposit.set_contest_window_ms(contest_window);
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  return SendAndReport(
      context, &v1::EscrowEngine::Stub::CreateContract, key, std::move(command),
      [&](const v1::Contract& contract) {
        context.out.Line(Concat("Proposed the deposit contract ", contract.id(), "."));
        PrintDepositTerms(context, contract, deposit, info.now_unix_ms());
        context.out.Line("Next, the tenant, the landlord and the arbiter each sign it:");
        context.out.Line(Concat("  poche deposit sign --key NAME ", contract.id()));
      });
}

absl::Status RunDepositSign(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Command command, ContractSignCommand(context, fetched.contract, key));
  if (!context.out.json() && fetched.contract.state() == v1::CONTRACT_STATE_PROPOSED) {
    context.out.Line(Concat("You sign deposit ", fetched.contract.id(), " as the ",
                            RoleIn(fetched.contract, key.key_id()), ". The terms:"));
    PrintDepositTerms(context, fetched.contract, fetched.terms, LocalNowUnixMs());
  }
  return SendAndReport(context, &v1::EscrowEngine::Stub::SignContract, key, std::move(command),
                       [&](const v1::Contract& contract) {
                         context.out.Line(Concat("Signed. ", contract.signatures_size(), " of ",
                                                 contract.parties_size(), " parties have signed."));
                         if (contract.state() == v1::CONTRACT_STATE_SIGNED) {
                           context.out.Line("Everyone has signed: the contract is binding.");
                           context.out.Line(
                               Concat("Next, the tenant locks the deposit: poche "
                                      "deposit fund --key NAME ",
                                      contract.id()));
                         }
                       });
}

absl::Status RunDepositFund(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Command command, ContractFundCommand(context, fetched.contract, key));
  return SendAndReport(
      context, &v1::EscrowEngine::Stub::FundContract, key, std::move(command),
      [&](const v1::Contract& contract) {
        context.out.Line(Concat("Locked ", FormatMoney(fetched.terms.amount()),
                                ": it has left your account and waits in escrow."));
        if (contract.state() == v1::CONTRACT_STATE_FUNDED) {
          context.out.Line(Concat("Claims can be made until ",
                                  FormatWhen(fetched.terms.return_by_unix_ms(), LocalNowUnixMs()),
                                  ";"));
          context.out.Line("with no claim by then, it all goes back to the tenant.");
        }
      });
}

absl::Status RunDepositClaim(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  v1::Command command;
  command.mutable_propose_split()->set_contract_id(fetched.contract.id());
  POCHE_ASSIGN_OR_RETURN(*command.mutable_propose_split()->mutable_payouts(),
                         SplitFlags(context, fetched.terms));
  return SendAndReport(context, &v1::EscrowEngine::Stub::ProposeSplit, key, std::move(command),
                       [&](const v1::Contract& contract) {
                         const v1::SplitProposal& proposal = contract.proposal();
                         context.out.Line(Concat("Proposed split number ", proposal.number(), ":"));
                         PrintPayouts(context, contract, proposal.payouts(), "  ");
                         PrintAnswerWindow(context, contract, LocalNowUnixMs(), "");
                       });
}

absl::Status RunDepositAccept(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  const v1::SplitProposal& proposal = fetched.contract.proposal();
  if (!context.out.json() && proposal.number() > 0 &&
      fetched.contract.state() == v1::CONTRACT_STATE_FUNDED) {
    context.out.Line(Concat("You accept split number ", proposal.number(), ", proposed by ",
                            DescribeMember(context, fetched.contract, proposal.proposer_party_id()),
                            ":"));
    PrintPayouts(context, fetched.contract, proposal.payouts(), "  ");
  }
  v1::Command command;
  command.mutable_accept_split()->set_contract_id(fetched.contract.id());
  command.mutable_accept_split()->set_proposal_number(proposal.number());
  return SendAndReport(context, &v1::EscrowEngine::Stub::AcceptSplit, key, std::move(command),
                       [&](const v1::Contract& contract) { PrintSettlement(context, contract); });
}

absl::Status RunDepositDispute(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  v1::Command command;
  command.mutable_dispute_contract()->set_contract_id(fetched.contract.id());
  command.mutable_dispute_contract()->set_reason(context.Flag("reason"));
  return SendAndReport(
      context, &v1::EscrowEngine::Stub::DisputeContract, key, std::move(command),
      [&](const v1::Contract& contract) {
        context.out.Line(Concat("Disputed the proposed split. The deposit stays locked until ",
                                DescribeMember(context, contract, fetched.terms.arbiter_party_id()),
                                " decides."));
      });
}

absl::Status RunDepositDecide(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(Fetched fetched, FetchDeposit(context, context.Operand(0)));
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(fetched.contract.id());
  POCHE_ASSIGN_OR_RETURN(const google::protobuf::RepeatedPtrField<v1::Payout> payouts,
                         SplitFlags(context, fetched.terms));
  *command.mutable_decide_contract()->mutable_payouts() = payouts;
  return SendAndReport(context, &v1::EscrowEngine::Stub::DecideContract, key, std::move(command),
                       [&](const v1::Contract& contract) {
                         context.out.Line("Decided:");
                         PrintPayouts(context, contract, payouts, "  ");
                         PrintSettlement(context, contract);
                       });
}

const FlagSpec kKeyFlag{"key", "NAME", "The key that signs.", true};
const FlagSpec kToLandlord{"to-landlord", "AMOUNT", "What the landlord gets, e.g. 150.00.", true};
const FlagSpec kToTenant{"to-tenant", "AMOUNT", "What the tenant gets back, e.g. 1050.00.", true};

}  // namespace

void AddDepositCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "deposit",
       .verb = "create",
       .summary = "Propose a rental deposit contract; prints its id.",
       .details =
           "The tenant or the landlord proposes it. Deadlines count from the engine's clock: "
           "the tenant\nmust lock the deposit within --fund-within; claims must be made "
           "within --return-within,\nafter which it all goes back to the tenant; a proposed "
           "split settles by itself when not\nanswered within --contest-window.",
       .mutating = true,
       .flags = {{"key", "NAME", "The proposer's key (the tenant's or the landlord's).", true},
                 {"tenant", "PARTY", "The tenant, who locks the deposit.", true},
                 {"landlord", "PARTY", "The landlord.", true},
                 {"arbiter", "PARTY", "Who decides when the tenant and landlord disagree.", true},
                 {"amount", "AMOUNT", "The deposit, e.g. 1200.00.", true},
                 {"currency", "CODE", "ISO 4217 code, e.g. EUR."},
                 {"fund-within", "DURATION", "Time to lock the deposit, e.g. 7d.", true},
                 {"return-within", "DURATION", "Time to claim from it, e.g. 400d.", true},
                 {"contest-window", "DURATION", "Time to answer a proposed split, e.g. 14d.", true},
                 {"description", "TEXT", "The property and the lease, in words."}},
       .run = RunDepositCreate});
  table.push_back({.group = "deposit",
                   .verb = "sign",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Show the terms and sign them (every party signs).",
                   .mutating = true,
                   .flags = {kKeyFlag},
                   .run = RunDepositSign});
  table.push_back({.group = "deposit",
                   .verb = "fund",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Tenant: lock the deposit in escrow.",
                   .mutating = true,
                   .flags = {{"key", "NAME", "The tenant's key.", true},
                             {"account", "ACCOUNT",
                              "The account to lock it from (default: "
                              "the tenant's account in its currency)."}},
                   .run = RunDepositFund});
  table.push_back({.group = "deposit",
                   .verb = "claim",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Propose how to split the deposit (landlord or tenant).",
                   .mutating = true,
                   .flags = {kKeyFlag, kToLandlord, kToTenant},
                   .run = RunDepositClaim});
  table.push_back({.group = "deposit",
                   .verb = "accept",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Accept the open split proposal; the deposit is paid out.",
                   .mutating = true,
                   .flags = {kKeyFlag},
                   .run = RunDepositAccept});
  table.push_back({.group = "deposit",
                   .verb = "dispute",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Dispute the open split proposal; the arbiter decides.",
                   .mutating = true,
                   .flags = {kKeyFlag, {"reason", "TEXT", "Why, in words.", true}},
                   .run = RunDepositDispute});
  table.push_back({.group = "deposit",
                   .verb = "decide",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Arbiter: decide the split of a disputed deposit.",
                   .mutating = true,
                   .flags = {{"key", "NAME", "The arbiter's key.", true}, kToLandlord, kToTenant},
                   .run = RunDepositDecide});
}

}  // namespace argentpoche::cli
