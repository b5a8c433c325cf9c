// poche hold create|release|void|show: money locked for a beneficiary until it expires.
#include "cli/context.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

std::string HoldStateInWords(v1::HoldState state) {
  switch (state) {
    case v1::HOLD_STATE_PENDING:
      return "pending: the money is locked";
    case v1::HOLD_STATE_RELEASED:
      return "released";
    case v1::HOLD_STATE_VOIDED:
      return "voided: the money went back to the payer";
    case v1::HOLD_STATE_EXPIRED:
      return "expired: the money went back to the payer";
    default:
      return "unknown";
  }
}

void PrintHold(Context& context, const v1::Hold& hold) {
  context.out.Line(Concat("Hold ", hold.id()));
  context.out.Field("State", HoldStateInWords(hold.state()));
  context.out.Field("Amount", FormatMoney(hold.amount()));
  context.out.Field("From", context.parties().DescribeAccount(hold.payer_account_id()));
  if (!hold.beneficiary_account_id().empty()) {
    context.out.Field("For", context.parties().DescribeAccount(hold.beneficiary_account_id()));
  }
  if (!hold.contract_id().empty()) {
    context.out.Field("Contract", Concat(hold.contract_id(), " (the contract releases it)"));
  }
  if (hold.expires_at_unix_ms() > 0 && hold.state() == v1::HOLD_STATE_PENDING) {
    context.out.Field("Expires", FormatWhen(hold.expires_at_unix_ms(), LocalNowUnixMs()));
  }
  context.out.Field("Locked at", FormatTimestamp(hold.created_at_unix_ms()));
  if (hold.resolved_at_unix_ms() > 0) {
    context.out.Field("Resolved at", FormatTimestamp(hold.resolved_at_unix_ms()));
  }
  for (const v1::AccountPayout& payout : hold.payouts()) {
    context.out.Field("Paid", Concat(FormatMoney(payout.amount()), " to ",
                                     context.parties().DescribeAccount(payout.account_id())));
  }
}

absl::Status RunHoldCreate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::Money amount, context.AmountFlag("amount"));
  POCHE_ASSIGN_OR_RETURN(std::string from,
                         context.Account(context.Flag("from"), amount.currency()));
  POCHE_ASSIGN_OR_RETURN(std::string to, context.Account(context.Flag("to"), amount.currency()));
  POCHE_ASSIGN_OR_RETURN(int64_t expires_in, context.DurationFlag("expires-in"));
  POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, context.client().Info());
  v1::Command command;
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(from);
  action->set_beneficiary_account_id(to);
  *action->mutable_amount() = amount;
  action->set_expires_at_unix_ms(info.now_unix_ms() + expires_in);
  POCHE_ASSIGN_OR_RETURN(
      v1::Hold hold, context.Send(&v1::EscrowEngine::Stub::CreateHold, key, std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "hold", hold);
  context.out.Line(Concat("Locked ", FormatMoney(hold.amount()), ": it has left ",
                          context.parties().DescribeAccount(from), " and waits in escrow."));
  PrintHold(context, hold);
  return absl::OkStatus();
}

absl::Status RunHoldRelease(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  v1::ReleaseHold* action = command.mutable_release_hold();
  action->set_hold_id(context.Operand(0));
  if (context.Has("amount")) {
    std::string currency = context.Flag("currency");
    if (currency.empty() && context.Flag("amount").find(' ') == std::string::npos) {
      POCHE_ASSIGN_OR_RETURN(v1::Hold hold, context.client().GetHold(context.Operand(0)));
      currency = hold.amount().currency();
    }
    POCHE_ASSIGN_OR_RETURN(*action->mutable_amount(), context.AmountFlag("amount", currency));
  }
  POCHE_ASSIGN_OR_RETURN(
      v1::Hold hold, context.Send(&v1::EscrowEngine::Stub::ReleaseHold, key, std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "hold", hold);
  context.out.Line("Released the hold; whatever was not paid out went back to the payer.");
  PrintHold(context, hold);
  return absl::OkStatus();
}

absl::Status RunHoldVoid(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  command.mutable_void_hold()->set_hold_id(context.Operand(0));
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold,
                         context.Send(&v1::EscrowEngine::Stub::VoidHold, key, std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "hold", hold);
  context.out.Line("Voided the hold: the money went back to the payer.");
  PrintHold(context, hold);
  return absl::OkStatus();
}

absl::Status RunHoldShow(Context& context) {
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold, context.client().GetHold(context.Operand(0)));
  if (context.out.json()) return context.out.Json(hold);
  PrintHold(context, hold);
  return absl::OkStatus();
}

}  // namespace

void AddHoldCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "hold",
       .verb = "create",
       .summary = "Lock money from your account for a beneficiary until it expires.",
       .details = "The money leaves the payer's balance at once. The payer releases it (all "
                  "or part) to the\nbeneficiary; the beneficiary may void it; at expiry it "
                  "goes back to the payer.",
       .mutating = true,
       .flags = {{"key", "NAME", "The payer's key.", true},
                 {"from", "ACCOUNT", "The payer's account (or the payer's key name).", true},
                 {"to", "ACCOUNT", "The beneficiary's account (or party).", true},
                 {"amount", "AMOUNT", "How much to lock, e.g. 100.00.", true},
                 {"currency", "CODE", "ISO 4217 code, e.g. EUR."},
                 {"expires-in", "DURATION", "When it expires, from the engine's clock: 2h, 7d.",
                  true}},
       .run = RunHoldCreate});
  table.push_back({.group = "hold",
                   .verb = "release",
                   .operands = "HOLD_ID",
                   .operand_count = 1,
                   .summary = "Payer: pay the hold (or --amount of it) to the beneficiary.",
                   .mutating = true,
                   .flags = {{"key", "NAME", "The payer's key.", true},
                             {"amount", "AMOUNT", "Pay only this much; the rest goes back."},
                             {"currency", "CODE", "The hold's currency (found when omitted)."}},
                   .run = RunHoldRelease});
  table.push_back({.group = "hold",
                   .verb = "void",
                   .operands = "HOLD_ID",
                   .operand_count = 1,
                   .summary = "Beneficiary: give the locked money back to the payer.",
                   .mutating = true,
                   .flags = {{"key", "NAME", "The beneficiary's key.", true}},
                   .run = RunHoldVoid});
  table.push_back({.group = "hold",
                   .verb = "show",
                   .operands = "HOLD_ID",
                   .operand_count = 1,
                   .summary = "Show a hold: amount, payer, beneficiary, state.",
                   .run = RunHoldShow});
}

}  // namespace argentpoche::cli
