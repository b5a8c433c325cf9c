// poche account open|show|list|history|credit|debit: accounts and the money in them.
#include "cli/context.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

std::string KindInWords(v1::AccountKind kind) {
  switch (kind) {
    case v1::ACCOUNT_KIND_PARTY:
      return "party account";
    case v1::ACCOUNT_KIND_FLOAT:
      return "bank float: minus the money issued";
    case v1::ACCOUNT_KIND_OFFLINE:
      return "value held on cards";
    case v1::ACCOUNT_KIND_HOLD:
      return "escrow of one hold";
    default:
      return "unknown";
  }
}

// How a transfer reads from the account it left or reached, up to the other account:
// "credit from", "locked in", "paid out of", "returned to".
std::string TransferInWords(const v1::Transfer& transfer, bool incoming) {
  const std::string& kind = transfer.kind();
  if (kind == "credit") return incoming ? "credit from" : "credit to";
  if (kind == "debit") return incoming ? "debit from" : "debit to";
  if (kind == "lock") return incoming ? "locked from" : "locked in";
  if (kind == "release" || kind == "settle") return incoming ? "paid out of" : "paid to";
  if (kind == "refund" || kind == "void" || kind == "expire") {
    return incoming ? "returned from" : "returned to";
  }
  return Concat(kind, incoming ? " from" : " to");
}

void PrintAccount(Context& context, const v1::Account& account) {
  context.out.Line(Concat("Account ", account.id()));
  if (!account.owner_party_id().empty()) {
    context.out.Field("Owner", context.parties().Describe(account.owner_party_id()));
  }
  context.out.Field("Kind", KindInWords(account.kind()));
  context.out.Field("Balance", FormatMoney(account.balance()));
  context.out.Field("Opened", FormatTimestamp(account.created_at_unix_ms()));
}

absl::Status RunAccountOpen(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  command.mutable_open_account()->set_currency(context.Flag("currency"));
  POCHE_ASSIGN_OR_RETURN(v1::Account account, context.Send(&v1::EscrowEngine::Stub::OpenAccount,
                                                           key, std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "account", account);
  context.out.Line(Concat("Opened an account in ", account.balance().currency(), " for ",
                          context.parties().Describe(key.key_id()), "."));
  PrintAccount(context, account);
  return absl::OkStatus();
}

absl::Status RunAccountShow(Context& context) {
  POCHE_ASSIGN_OR_RETURN(std::string account_id, context.Account(context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Account account, context.client().GetAccount(account_id));
  if (context.out.json()) return context.out.Json(account);
  PrintAccount(context, account);
  return absl::OkStatus();
}

absl::Status RunAccountList(Context& context) {
  v1::ListAccountsRequest request;
  if (context.Has("owner")) {
    POCHE_ASSIGN_OR_RETURN(std::string owner, context.Party(context.Flag("owner")));
    request.set_owner_party_id(owner);
  }
  v1::ListAccountsResponse all;
  POCHE_RETURN_IF_ERROR(context.client().ForEachPage(
      &v1::EscrowEngine::Stub::ListAccounts, request, [&](const v1::ListAccountsResponse& page) {
        for (const v1::Account& account : page.accounts()) *all.add_accounts() = account;
        return absl::OkStatus();
      }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(
      request.owner_party_id().empty()
          ? Concat(all.accounts_size(), " accounts in the engine:")
          : Concat("Accounts of ", context.parties().Describe(request.owner_party_id()), ":"));
  for (const v1::Account& account : all.accounts()) {
    context.out.Line(Concat("  ", account.id(), "  ", FormatMoney(account.balance()), "  (",
                            KindInWords(account.kind()), ")"));
  }
  if (all.accounts().empty()) context.out.Line("  none yet (open one with poche account open)");
  return absl::OkStatus();
}

absl::Status RunAccountHistory(Context& context) {
  POCHE_ASSIGN_OR_RETURN(std::string account_id, context.Account(context.Operand(0)));
  v1::ListTransfersRequest request;
  request.set_account_id(account_id);
  v1::ListTransfersResponse all;
  POCHE_RETURN_IF_ERROR(context.client().ForEachPage(
      &v1::EscrowEngine::Stub::ListTransfers, request, [&](const v1::ListTransfersResponse& page) {
        for (const v1::Transfer& transfer : page.transfers()) *all.add_transfers() = transfer;
        return absl::OkStatus();
      }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(Concat("History of ", context.parties().DescribeAccount(account_id), ": ",
                          all.transfers_size(),
                          all.transfers_size() == 1 ? " transfer" : " transfers"));
  for (const v1::Transfer& transfer : all.transfers()) {
    const bool incoming = transfer.to_account_id() == account_id;
    const std::string other = incoming ? transfer.from_account_id() : transfer.to_account_id();
    std::string line =
        Concat("  ", FormatTimestamp(transfer.at_unix_ms()), "  ", incoming ? "+" : "-",
               FormatMoney(transfer.amount()), "  ", TransferInWords(transfer, incoming), " ",
               context.parties().DescribeAccount(other));
    if (!transfer.reference().empty() && other != Concat("hold:", transfer.reference())) {
      line = Concat(line, " [", transfer.reference(), "]");
    }
    context.out.Line(line);
  }
  return absl::OkStatus();
}

// Operator credit (bank -> account) or debit (account -> bank).
absl::Status MoveAgainstBank(Context& context, bool credit) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::Money amount, context.AmountFlag("amount"));
  POCHE_ASSIGN_OR_RETURN(std::string account_id,
                         context.Account(context.Flag("account"), amount.currency()));
  v1::Command command;
  auto fill = [&](auto* action) {
    action->set_account_id(account_id);
    *action->mutable_amount() = amount;
    action->set_reference(context.Flag("reference"));
  };
  if (credit) {
    fill(command.mutable_credit_account());
  } else {
    fill(command.mutable_debit_account());
  }
  POCHE_ASSIGN_OR_RETURN(v1::Transfer transfer,
                         context.Send(credit ? &v1::EscrowEngine::Stub::CreditAccount
                                             : &v1::EscrowEngine::Stub::DebitAccount,
                                      key, std::move(command)));
  if (context.out.json()) {
    return context.out.MutationJson(context.RequestId(), "transfer", transfer);
  }
  context.out.Line(Concat(credit ? "Credited " : "Debited ", FormatMoney(transfer.amount()),
                          credit ? " to " : " from ", context.parties().DescribeAccount(account_id),
                          "."));
  if (!transfer.reference().empty()) context.out.Field("Reference", transfer.reference());
  context.out.Field("Transfer",
                    Concat("#", transfer.id(), " at ", FormatTimestamp(transfer.at_unix_ms())));
  absl::StatusOr<v1::Account> account = context.client().GetAccount(account_id);
  if (account.ok()) context.out.Field("Balance now", FormatMoney(account->balance()));
  return absl::OkStatus();
}

absl::Status RunAccountCredit(Context& context) { return MoveAgainstBank(context, true); }
absl::Status RunAccountDebit(Context& context) { return MoveAgainstBank(context, false); }

std::vector<FlagSpec> OperatorFlags(std::string_view verb) {
  return {{"key", "OPERATOR", "The operator's key (operators only).", true},
          {"account", "ACCOUNT",
           verb == "credit" ? "The account that receives the money: an account id, or a "
                              "party whose account in the currency it is."
                            : "The account the money leaves: an account id, or a party whose "
                              "account in the currency it is.",
           true},
          {"amount", "AMOUNT", "How much, e.g. 1500.00 (or \"1500.00 EUR\").", true},
          {"currency", "CODE", "ISO 4217 code, e.g. EUR."},
          {"reference", "TEXT", "The bank's reference, kept with the transfer."}};
}

}  // namespace

void AddAccountCommands(std::vector<CommandSpec>& table) {
  table.push_back({.group = "account",
                   .verb = "open",
                   .summary = "Open an account in one currency for the key's party.",
                   .mutating = true,
                   .flags = {{"key", "NAME", "The owner's key.", true},
                             {"currency", "CODE", "ISO 4217 code, e.g. EUR.", true}},
                   .run = RunAccountOpen});
  table.push_back({.group = "account",
                   .verb = "show",
                   .operands = "ACCOUNT_ID",
                   .operand_count = 1,
                   .summary = "Show an account and its balance (ACCOUNT_ID may be NAME:EUR).",
                   .run = RunAccountShow});
  table.push_back({.group = "account",
                   .verb = "list",
                   .summary = "List a party's accounts (every account without --owner).",
                   .flags = {{"owner", "NAME|ID", "The party whose accounts to list."}},
                   .run = RunAccountList});
  table.push_back({.group = "account",
                   .verb = "history",
                   .operands = "ACCOUNT_ID",
                   .operand_count = 1,
                   .summary = "List every transfer in or out of an account, oldest first.",
                   .run = RunAccountHistory});
  table.push_back({.group = "account",
                   .verb = "credit",
                   .summary = "Operator: money arrived from the bank into an account.",
                   .mutating = true,
                   .flags = OperatorFlags("credit"),
                   .run = RunAccountCredit});
  table.push_back({.group = "account",
                   .verb = "debit",
                   .summary = "Operator: money paid out of an account to the bank.",
                   .mutating = true,
                   .flags = OperatorFlags("debit"),
                   .run = RunAccountDebit});
}

}  // namespace argentpoche::cli
