// poche oracle register|list|show|revoke|rotate: the oracles the engine trusts to attest
// feeds, their attestation keys and how long each is valid.
#include "cli/conditional_flags.h"
#include "cli/context.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

std::string KeyInWords(const v1::OracleKey& key, bool current, int64_t now) {
  std::string state;
  if (key.revoked_at_unix_ms() > 0) {
    state = Concat("revoked ", FormatTimestamp(key.revoked_at_unix_ms()));
  } else if (now >= key.valid_until_unix_ms()) {
    state = "expired";
  } else if (now < key.valid_from_unix_ms()) {
    state = "not valid yet";
  } else {
    state = current ? "current" : "valid";
  }
  return Concat(key.key_id(), ": valid from ", FormatTimestamp(key.valid_from_unix_ms()), " until ",
                FormatTimestamp(key.valid_until_unix_ms()), " (", state, ")");
}

std::string OracleStateInWords(const v1::Oracle& oracle) {
  if (oracle.flagged()) return "FLAGGED: it signed two different values for one event";
  if (oracle.revoked_at_unix_ms() > 0) {
    return Concat("revoked ", FormatTimestamp(oracle.revoked_at_unix_ms()));
  }
  return "in good standing";
}

void PrintOracle(Context& context, const v1::Oracle& oracle) {
  const int64_t now = LocalNowUnixMs();
  context.out.Line(Concat("Oracle ", context.parties().Describe(oracle.party_id())));
  context.out.Field("State", OracleStateInWords(oracle));
  for (int i = 0; i < oracle.feeds_size(); ++i) {
    context.out.Field(i == 0 ? "Feeds" : "", oracle.feeds(i));
  }
  for (int i = 0; i < oracle.keys_size(); ++i) {
    context.out.Field(i == 0 ? "Keys" : "",
                      KeyInWords(oracle.keys(i), i + 1 == oracle.keys_size(), now));
  }
  for (int i = 0; i < oracle.equivocation_proof_ids_size(); ++i) {
    context.out.Field(i == 0 ? "Proofs" : "",
                      Concat(oracle.equivocation_proof_ids(i), " (poche oracle proof ",
                             oracle.equivocation_proof_ids(i), ")"));
  }
  context.out.Field("Registered", FormatTimestamp(oracle.registered_at_unix_ms()));
}

absl::Status Report(Context& context, const v1::Oracle& oracle, std::string_view done) {
  if (context.out.json()) return context.out.MutationJson(context.RequestId(), "oracle", oracle);
  context.out.Line(done);
  PrintOracle(context, oracle);
  return absl::OkStatus();
}

absl::Status RunOracleRegister(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  v1::RegisterOracle& action = *command.mutable_register_oracle();
  POCHE_ASSIGN_OR_RETURN(*action.mutable_party_id(), context.PartyFlag("oracle"));
  for (const std::string& feed : context.Flags("feed")) action.add_feeds(feed);
  if (context.Has("public-key")) {
    POCHE_ASSIGN_OR_RETURN(*action.mutable_public_key(), PublicKeyFlag(context, "public-key"));
  } else {
    POCHE_ASSIGN_OR_RETURN(v1::Party party, context.client().GetParty(action.party_id()));
    action.set_public_key(party.public_key());
  }
  if (context.Has("valid-from")) {
    POCHE_ASSIGN_OR_RETURN(const int64_t from, context.TimeFlag("valid-from"));
    action.set_valid_from_unix_ms(from);
  }
  POCHE_ASSIGN_OR_RETURN(const int64_t until, context.TimeFlag("valid-until"));
  action.set_valid_until_unix_ms(until);
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, context.Send(&v1::EscrowEngine::Stub::RegisterOracle,
                                                         key, std::move(command)));
  return Report(context, oracle, "Registered the oracle.");
}

absl::Status RunOracleList(Context& context) {
  v1::ListOraclesResponse all;
  POCHE_RETURN_IF_ERROR(
      context.client().ForEachPage(&v1::EscrowEngine::Stub::ListOracles, v1::ListOraclesRequest(),
                                   [&](const v1::ListOraclesResponse& page) {
                                     for (const v1::Oracle& oracle : page.oracles())
                                       *all.add_oracles() = oracle;
                                     return absl::OkStatus();
                                   }));
  if (context.out.json()) return context.out.Json(all);
  context.out.Line(Concat("Oracles: ", all.oracles_size()));
  for (const v1::Oracle& oracle : all.oracles()) {
    std::string feeds;
    for (const std::string& feed : oracle.feeds()) feeds += Concat(feeds.empty() ? "" : ", ", feed);
    context.out.Line(Concat("  ", context.parties().Describe(oracle.party_id()), "  ",
                            OracleStateInWords(oracle)));
    context.out.Line(Concat("      feeds ", feeds));
  }
  return absl::OkStatus();
}

absl::Status RunOracleShow(Context& context) {
  v1::GetOracleRequest request;
  POCHE_ASSIGN_OR_RETURN(*request.mutable_party_id(), context.Party(context.Operand(0)));
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle,
                         context.client().Call(&v1::EscrowEngine::Stub::GetOracle, request));
  if (context.out.json()) return context.out.Json(oracle);
  PrintOracle(context, oracle);
  return absl::OkStatus();
}

absl::Status RunOracleRevoke(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  v1::RevokeOracle& action = *command.mutable_revoke_oracle();
  POCHE_ASSIGN_OR_RETURN(*action.mutable_party_id(), context.PartyFlag("oracle"));
  action.set_key_id(context.Flag("key-id"));
  action.set_reason(context.Flag("reason"));
  const std::string key_id = action.key_id();  // `action` goes with the command
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, context.Send(&v1::EscrowEngine::Stub::RevokeOracle, key,
                                                         std::move(command)));
  return Report(context, oracle,
                key_id.empty() ? "Revoked the oracle: none of its keys may attest any more."
                               : Concat("Revoked the key ", key_id, " of the oracle."));
}

absl::Status RunOracleRotate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::Command command;
  v1::RotateOracleKey& action = *command.mutable_rotate_oracle_key();
  POCHE_ASSIGN_OR_RETURN(*action.mutable_party_id(), context.PartyFlag("oracle"));
  POCHE_ASSIGN_OR_RETURN(*action.mutable_public_key(), PublicKeyFlag(context, "public-key"));
  POCHE_ASSIGN_OR_RETURN(const int64_t until, context.TimeFlag("valid-until"));
  action.set_valid_until_unix_ms(until);
  POCHE_ASSIGN_OR_RETURN(v1::Oracle oracle, context.Send(&v1::EscrowEngine::Stub::RotateOracleKey,
                                                         key, std::move(command)));
  return Report(context, oracle,
                "Rotated the attestation key: the new one is valid from now, the old one no "
                "longer signs (what it signed stays valid).");
}

const FlagSpec kOracleFlag{"oracle", "PARTY", "The oracle (a registered party).", true};
constexpr std::string_view kTimeHelp =
    "Times: 2026-12-01T00:00:00Z, 2026-12-01 (00:00 UTC), Unix milliseconds, or from now as "
    "+365d.";
constexpr std::string_view kRegisterDetails =
    "The attestation key defaults to the oracle's own party key.\nTimes: "
    "2026-12-01T00:00:00Z, 2026-12-01 (00:00 UTC), Unix milliseconds, or from now as +365d.";

}  // namespace

void AddOracleCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "oracle",
       .verb = "register",
       .summary = "Operator: let a party attest feeds, with an attestation key.",
       .details = kRegisterDetails,
       .mutating = true,
       .flags = {{"key", "NAME", "The operator's key.", true},
                 kOracleFlag,
                 {"feed", "PATTERN",
                  "A feed it may attest: a name, or a prefix ending in *, e.g. weather/fte/*.",
                  true, true},
                 {"public-key", "HEX|NAME",
                  "Its attestation key (default: the oracle's party key)."},
                 {"valid-from", "TIME", "When the key starts to be valid (default: now)."},
                 {"valid-until", "TIME", "When the key stops being valid, e.g. +365d.", true}},
       .run = RunOracleRegister});
  table.push_back({.group = "oracle",
                   .verb = "list",
                   .summary = "List the oracles: feeds and standing.",
                   .run = RunOracleList});
  table.push_back({.group = "oracle",
                   .verb = "show",
                   .operands = "ID|NAME",
                   .operand_count = 1,
                   .summary = "Show an oracle: feeds, keys with validity, flag and proofs.",
                   .run = RunOracleShow});
  table.push_back(
      {.group = "oracle",
       .verb = "revoke",
       .summary = "Operator: revoke an oracle, or one of its keys.",
       .details = "What the oracle signed before and the engine stored stays valid.",
       .mutating = true,
       .flags = {{"key", "NAME", "The operator's key.", true},
                 kOracleFlag,
                 {"key-id", "K", "Revoke only this attestation key (default: the whole oracle)."},
                 {"reason", "TEXT", "Why, in words.", true}},
       .run = RunOracleRevoke});
  table.push_back(
      {.group = "oracle",
       .verb = "rotate",
       .summary = "Operator or oracle: a new attestation key, valid from now.",
       .details = kTimeHelp,
       .mutating = true,
       .flags = {{"key", "NAME", "The operator's or the oracle's key.", true},
                 kOracleFlag,
                 {"public-key", "HEX|NAME", "The new attestation key.", true},
                 {"valid-until", "TIME", "When it stops being valid, e.g. +365d.", true}},
       .run = RunOracleRotate});
}

}  // namespace argentpoche::cli
