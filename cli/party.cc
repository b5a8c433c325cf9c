// poche party register|show: the parties the engine knows, one per key.
#include "cli/context.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

std::string RoleInWords(v1::PartyRole role) {
  switch (role) {
    case v1::PARTY_ROLE_HOLDER:
      return "account holder";
    case v1::PARTY_ROLE_OPERATOR:
      return "operator (credits and debits accounts for the bank)";
    default:
      return "unknown";
  }
}

void PrintParty(Context& context, const v1::Party& party) {
  context.out.Field("Name", party.display_name().empty() ? "(none)" : party.display_name());
  context.out.Field("Party id", party.id());
  context.out.Field("Role", RoleInWords(party.role()));
  context.out.Field("Public key", Hex(party.public_key()));
  context.out.Field("Registered", FormatTimestamp(party.created_at_unix_ms()));
}

absl::Status RunPartyRegister(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  command.mutable_register_party()->set_public_key(key.public_key());
  command.mutable_register_party()->set_display_name(context.Flag("display-name"));
  POCHE_ASSIGN_OR_RETURN(v1::Party party, context.Send(&v1::EscrowEngine::Stub::RegisterParty, key,
                                                       std::move(command)));
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "party", party);
  context.out.Line(
      Concat("Registered the key ", context.Flag("key"), " as party ", party.id(), "."));
  PrintParty(context, party);
  return absl::OkStatus();
}

absl::Status RunPartyShow(Context& context) {
  POCHE_ASSIGN_OR_RETURN(std::string party_id, context.Party(context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Party party, context.client().GetParty(party_id));
  if (context.out.json()) return context.out.Json(party);
  context.out.Line(Concat("Party ", party.id()));
  PrintParty(context, party);
  return absl::OkStatus();
}

}  // namespace

void AddPartyCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "party",
       .verb = "register",
       .summary = "Register a key with the engine as a party.",
       .details = "The party id is the key's id; the display name is what other people see.",
       .mutating = true,
       .flags = {{"key", "NAME", "The key to register (it signs its own registration).", true},
                 {"display-name", "TEXT", "The name people see, e.g. \"Alice Martin\"."}},
       .run = RunPartyRegister});
  table.push_back({.group = "party",
                   .verb = "show",
                   .operands = "ID|NAME",
                   .operand_count = 1,
                   .summary = "Show a party: name, id, role and public key.",
                   .run = RunPartyShow});
}

}  // namespace argentpoche::cli
