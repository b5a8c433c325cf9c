// poche contract create|sign|fund|endorse|reveal|decide: any contract, from terms written in a
// file to its end. (`poche option create` and `poche insurance create` write the terms of
// their templates from flags; `poche deposit` keeps the rental deposit's own words.)
#include "cli/contract_actions.h"
#include "cli/contract_view.h"
#include "cli/deposit_view.h"
#include "cli/terms_file.h"
#include "engine/contract_checker.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

// Replaces a key name written where a party id goes by the key's party id.
absl::Status Resolve(const Context& context, std::string& party) {
  if (party.empty()) return absl::OkStatus();
  POCHE_ASSIGN_OR_RETURN(party, context.Party(party));
  return absl::OkStatus();
}

absl::Status ResolvePartyNames(const Context& context, v1::ContractTerms& terms) {
  std::vector<std::string*> parties;
  if (terms.has_deposit()) {
    v1::DepositTerms& deposit = *terms.mutable_deposit();
    parties = {deposit.mutable_tenant_party_id(), deposit.mutable_landlord_party_id(),
               deposit.mutable_arbiter_party_id()};
  }
  v1::OracleQuorum* quorum = nullptr;
  if (terms.has_option()) {
    v1::OptionTerms& option = *terms.mutable_option();
    parties = {option.mutable_writer_party_id(), option.mutable_buyer_party_id(),
               option.mutable_arbiter_party_id()};
    quorum = option.mutable_oracles();
  }
  if (terms.has_weather_cover()) {
    v1::WeatherCoverTerms& cover = *terms.mutable_weather_cover();
    parties = {cover.mutable_insurer_party_id(), cover.mutable_insured_party_id(),
               cover.mutable_arbiter_party_id()};
    quorum = cover.mutable_oracles();
  }
  if (quorum != nullptr) {
    for (std::string& oracle : *quorum->mutable_oracle_party_ids()) parties.push_back(&oracle);
  }
  if (terms.has_conditional()) {
    for (v1::RoleParty& party : *terms.mutable_conditional()->mutable_parties()) {
      parties.push_back(party.mutable_party_id());
    }
    for (v1::ValueSource& source : *terms.mutable_conditional()->mutable_value_sources()) {
      for (std::string& oracle : *source.mutable_oracle_party_ids()) parties.push_back(&oracle);
    }
  }
  for (std::string* party : parties) POCHE_RETURN_IF_ERROR(Resolve(context, *party));
  return absl::OkStatus();
}

// The engine's own checks of conditional terms, made here first so that a mistake is a
// usage error and nothing is sent.
absl::Status CheckLocally(Context& context, const v1::ContractTerms& terms) {
  if (terms.has_deposit()) return absl::OkStatus();
  absl::StatusOr<v1::ConditionalTerms> compiled = CompiledTerms(terms);
  if (!compiled.ok()) return AsUsageError(compiled.status(), "the terms do not compile: ");
  ConditionCheckContext check;
  POCHE_ASSIGN_OR_RETURN(check.now_unix_ms, context.EngineNowUnixMs());
  for (const v1::ValueSource& source : compiled->value_sources()) {
    check.registered_oracle_party_ids.insert(source.oracle_party_ids().begin(),
                                             source.oracle_party_ids().end());
  }
  if (absl::Status status = CheckConditionalTerms(*compiled, check); !status.ok()) {
    return AsUsageError(status, "the terms would be refused: ");
  }
  return absl::OkStatus();
}

absl::Status RunContractCreate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::ContractTerms terms, ReadTermsFile(context.Flag("terms")));
  POCHE_RETURN_IF_ERROR(ResolvePartyNames(context, terms));
  return CreateContract(context, key, terms);
}

absl::Status RunContractSign(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, FetchVerifiedContract(context, context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Command command, ContractSignCommand(context, contract, key));
  if (!context.out.json() && contract.state() == v1::CONTRACT_STATE_PROPOSED) {
    context.out.Line(Concat("You sign contract ", contract.id(), " as the ",
                            RoleIn(contract, key.key_id()), ". What it says:"));
    POCHE_RETURN_IF_ERROR(ShowContract(context, contract));
  }
  return SendAndReport(
      context, &v1::EscrowEngine::Stub::SignContract, key, std::move(command),
      [&](const v1::Contract& signed_contract) {
        context.out.Line(Concat("Signed. ", signed_contract.signatures_size(), " of ",
                                signed_contract.parties_size(), " parties have signed."));
        if (signed_contract.state() != v1::CONTRACT_STATE_PROPOSED) {
          context.out.Line(
              Concat("Everyone has signed: next, each funding "
                     "party locks its leg: poche contract fund "
                     "--key NAME ",
                     signed_contract.id()));
        }
      });
}

absl::Status RunContractFund(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, FetchVerifiedContract(context, context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Command command, ContractFundCommand(context, contract, key));
  const v1::FundingLeg* leg = LegOf(contract, key.key_id());
  const std::string amount = leg == nullptr ? "your leg" : FormatMoney(leg->amount());
  return SendAndReport(context, &v1::EscrowEngine::Stub::FundContract, key, std::move(command),
                       [&](const v1::Contract& funded) {
                         context.out.Line(Concat("Locked ", amount,
                                                 ": it has left your account and waits in "
                                                 "escrow."));
                         if (funded.state() == v1::CONTRACT_STATE_FUNDED) {
                           context.out.Line(
                               Concat("Every leg is locked: the contract now "
                                      "decides by itself (poche contract show ",
                                      funded.id(), ")."));
                         }
                       });
}

absl::Status RunContractEndorse(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  command.mutable_endorse_contract()->set_contract_id(context.Operand(0));
  return SendAndReport(context, &v1::EscrowEngine::Stub::EndorseContract, key, std::move(command),
                       [&](const v1::Contract& contract) {
                         context.out.Line(Concat("Endorsed contract ", contract.id(), " as the ",
                                                 RoleIn(contract, key.key_id()), "."));
                       });
}

absl::Status RunContractReveal(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  if (context.Has("preimage") == context.Has("preimage-hex")) {
    return UsageError(
        "give the preimage as --preimage TEXT or as --preimage-hex HEX (one of them)");
  }
  v1::Command command;
  command.mutable_reveal_preimage()->set_contract_id(context.Operand(0));
  std::string preimage = context.Flag("preimage");
  if (context.Has("preimage-hex")) {
    absl::StatusOr<std::string> bytes = FromHex(context.Flag("preimage-hex"));
    if (!bytes.ok()) return AsUsageError(bytes.status(), "--preimage-hex: ");
    preimage = *bytes;
  }
  command.mutable_reveal_preimage()->set_preimage(preimage);
  return SendAndReport(
      context, &v1::EscrowEngine::Stub::RevealPreimage, key, std::move(command),
      [&](const v1::Contract& contract) {
        context.out.Line(Concat("Revealed a preimage with SHA-256 ", Hex(Sha256(preimage)),
                                " to contract ", contract.id(), "."));
      });
}

// The payouts in --pay ROLE=AMOUNT (or PARTY=AMOUNT), in the contract's currency by default.
absl::StatusOr<google::protobuf::RepeatedPtrField<v1::Payout>> PayFlags(
    Context& context, const v1::Contract& contract) {
  POCHE_ASSIGN_OR_RETURN(const v1::ContractTerms terms, VerifiedTerms(contract));
  POCHE_ASSIGN_OR_RETURN(const v1::Money locked, LockedTotalOf(terms));
  google::protobuf::RepeatedPtrField<v1::Payout> payouts;
  for (const std::string& pay : context.Flags("pay")) {
    const size_t equals = pay.find('=');
    if (equals == std::string::npos) {
      return UsageError(Concat("--pay ", pay, ": write ROLE=AMOUNT, e.g. insured=5000.00"));
    }
    const std::string who = pay.substr(0, equals);
    const std::string text = pay.substr(equals + 1);
    v1::Payout& payout = *payouts.Add();
    for (const v1::ContractParty& party : contract.parties()) {
      if (party.role() == who) payout.set_party_id(party.party_id());
    }
    if (payout.party_id().empty()) {
      POCHE_ASSIGN_OR_RETURN(*payout.mutable_party_id(), context.Party(who));
    }
    absl::StatusOr<Money> amount = text.find(' ') == std::string::npos
                                       ? ParseMoney(text, locked.currency())
                                       : ParseMoney(text);
    if (!amount.ok()) return AsUsageError(amount.status(), Concat("--pay ", pay, ": "));
    *payout.mutable_amount() = amount->ToProto();
  }
  return payouts;
}

absl::Status RunContractDecide(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, FetchVerifiedContract(context, context.Operand(0)));
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(contract.id());
  POCHE_ASSIGN_OR_RETURN(*command.mutable_decide_contract()->mutable_payouts(),
                         PayFlags(context, contract));
  const auto payouts = command.decide_contract().payouts();
  return SendAndReport(context, &v1::EscrowEngine::Stub::DecideContract, key, std::move(command),
                       [&](const v1::Contract& decided) {
                         context.out.Line("Decided:");
                         PrintPayouts(context, decided, payouts, "  ");
                       });
}

const FlagSpec kKeyFlag{"key", "NAME", "The key that signs.", true};

}  // namespace

absl::Status CreateContract(Context& context, const SigningKey& key,
                            const v1::ContractTerms& terms) {
  POCHE_RETURN_IF_ERROR(CheckLocally(context, terms));
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  POCHE_ASSIGN_OR_RETURN(
      v1::Contract contract,
      context.Send(&v1::EscrowEngine::Stub::CreateContract, key, std::move(command)));
  if (context.out.json()) {
    return context.out.MutationJson(context.RequestId(), "contract", contract);
  }
  context.out.Line(
      Concat("Proposed the ", ContractSummary(contract), ": contract ", contract.id(), "."));
  if (!terms.has_deposit()) POCHE_RETURN_IF_ERROR(PrintConditionalExplanation(context, contract));
  context.out.Line("Next, every party signs it:");
  context.out.Line(Concat("  poche contract sign --key NAME ", contract.id()));
  return absl::OkStatus();
}

void AddContractCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "contract",
       .verb = "create",
       .summary = "Propose a contract whose terms are written in a file; prints its id.",
       .details = "FILE holds a ContractTerms message (proto/argentpoche/v1/contract.proto) in "
                  "protobuf text format\n(.txtpb, .textproto, .pb.txt) or JSON (.json); party "
                  "ids may be written as key names.\nThe terms are checked here first: a "
                  "mistake is reported with its line, and nothing is sent.\nExample: "
                  "docs/examples/price_above_threshold.txtpb.",
       .mutating = true,
       .flags = {{"key", "NAME", "The proposer's key (a party of the contract).", true},
                 {"terms", "FILE", "The terms.", true}},
       .run = RunContractCreate});
  table.push_back({.group = "contract",
                   .verb = "sign",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Show what a contract says and sign it (every party signs).",
                   .mutating = true,
                   .flags = {kKeyFlag},
                   .run = RunContractSign});
  table.push_back({.group = "contract",
                   .verb = "fund",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Lock your funding leg of a signed contract in escrow.",
                   .mutating = true,
                   .flags = {kKeyFlag,
                             {"account", "ACCOUNT",
                              "The account to lock it from (default: yours in its currency)."}},
                   .run = RunContractFund});
  table.push_back({.group = "contract",
                   .verb = "endorse",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Give your role's signature as a fact the conditions wait for.",
                   .mutating = true,
                   .flags = {kKeyFlag},
                   .run = RunContractEndorse});
  table.push_back({.group = "contract",
                   .verb = "reveal",
                   .operands = "CONTRACT_ID",
                   .operand_count = 1,
                   .summary = "Reveal a hash preimage a condition waits for.",
                   .mutating = true,
                   .flags = {kKeyFlag,
                             {"preimage", "TEXT", "The preimage as text."},
                             {"preimage-hex", "HEX", "The preimage as hex bytes."}},
                   .run = RunContractReveal});
  table.push_back(
      {.group = "contract",
       .verb = "decide",
       .operands = "CONTRACT_ID",
       .operand_count = 1,
       .summary = "Arbiter: split a disputed contract's lock.",
       .mutating = true,
       .flags = {{"key", "NAME", "The arbiter's key.", true},
                 {"pay", "WHO=AMOUNT",
                  "A role or party and what it gets, e.g. insured=5000.00; the payouts must "
                  "add up to what the contract locks.",
                  true, true}},
       .run = RunContractDecide});
}

}  // namespace argentpoche::cli
