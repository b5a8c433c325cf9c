// poche keys new|show|list: the signing keys in the home directory.
#include "cli/context.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

std::string KeyJson(std::string_view name, const SigningKey& key, std::string_view path) {
  return Concat("{\"name\": ", JsonString(name), ", \"partyId\": ", JsonString(key.key_id()),
                ", \"publicKey\": ", JsonString(Hex(key.public_key())),
                ", \"path\": ", JsonString(path), "}");
}

void PrintKey(const Context& context, std::string_view name, const SigningKey& key) {
  context.out.Field("Party id", key.key_id());
  context.out.Field("Public key", Hex(key.public_key()));
  context.out.Field("Key file", context.keys.PathOf(name));
}

absl::Status RunKeysNew(Context& context) {
  const std::string& name = context.Operand(0);
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.keys.Create(name));
  if (context.out.json()) {
    context.out.Line(KeyJson(name, key, context.keys.PathOf(name)));
    return absl::OkStatus();
  }
  context.out.Line(Concat("Created the key ", name, " (only you can read its file)."));
  PrintKey(context, name, key);
  context.out.Line(
      Concat("Next: poche party register --key ", name, " --display-name \"Your Name\""));
  return absl::OkStatus();
}

absl::Status RunKeysShow(Context& context) {
  const std::string& name = context.Operand(0);
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.keys.Load(name));
  if (context.out.json()) {
    context.out.Line(KeyJson(name, key, context.keys.PathOf(name)));
    return absl::OkStatus();
  }
  context.out.Line(Concat("Key ", name));
  PrintKey(context, name, key);
  return absl::OkStatus();
}

absl::Status RunKeysList(Context& context) {
  POCHE_ASSIGN_OR_RETURN(std::vector<std::string> names, context.keys.Names());
  std::string json;
  for (const std::string& name : names) {
    absl::StatusOr<SigningKey> key = context.keys.Load(name);
    if (context.out.json()) {
      if (key.ok()) {
        json = Concat(json, json.empty() ? "\n  " : ",\n  ",
                      KeyJson(name, *key, context.keys.PathOf(name)));
      }
    } else if (key.ok()) {
      context.out.Line(
          Concat(name, std::string(name.size() < 20 ? 20 - name.size() : 1, ' '), key->key_id()));
    } else {
      context.out.Line(Concat(name, std::string(name.size() < 20 ? 20 - name.size() : 1, ' '),
                              "(unreadable: ", key.status().message(), ")"));
    }
  }
  if (context.out.json()) {
    context.out.Line(Concat("{\"keys\": [", json, json.empty() ? "]}" : "\n]}"));
  } else if (names.empty()) {
    context.out.Line(Concat("No keys in ", context.keys.KeysDirectory(),
                            " yet: create one with poche keys new NAME"));
  }
  return absl::OkStatus();
}

}  // namespace

void AddKeyCommands(std::vector<CommandSpec>& table) {
  table.push_back({.group = "keys",
                   .verb = "new",
                   .operands = "NAME",
                   .operand_count = 1,
                   .summary = "Create a signing key called NAME in the home directory.",
                   .details = "The key's seed is written to HOME/keys/NAME.key with mode 0600; "
                              "an existing key is never\noverwritten. The party id is derived "
                              "from the public key.",
                   .run = RunKeysNew});
  table.push_back({.group = "keys",
                   .verb = "show",
                   .operands = "NAME",
                   .operand_count = 1,
                   .summary = "Show a key's public key and party id (never its seed).",
                   .run = RunKeysShow});
  table.push_back({.group = "keys",
                   .verb = "list",
                   .summary = "List the keys in the home directory with their party ids.",
                   .run = RunKeysList});
}

}  // namespace argentpoche::cli
