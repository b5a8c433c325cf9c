#include "cli/arguments.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "absl/strings/cord.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

constexpr std::string_view kUsagePayloadUrl = "type.argentpoche/cli-usage";
constexpr std::string_view kDefaultEngine = "127.0.0.1:7400";

const FlagSpec kRequestIdFlag{
    "request-id", "ID",
    "Names this request so that a retry is safe: run the same command again with the same "
    "id and the command as first signed is sent again; the engine applies it once at most "
    "and answers with its first answer (default: a random id)."};

struct GlobalFlagSpec {
  std::string_view name;
  std::string_view value_name;
  std::string_view help;
};
constexpr GlobalFlagSpec kGlobalFlags[] = {
    {"engine", "HOST:PORT", "The engine to talk to (default $POCHE_ENGINE or 127.0.0.1:7400)."},
    {"home", "DIR", "Where keys live, as DIR/keys/NAME.key (default $POCHE_HOME or ~/.poche)."},
    {"json", "", "Print the resource as JSON instead of words."},
    {"tls_ca", "FILE",
     "Talk TLS, trusting the engine's certificate if this PEM CA issued it (default "
     "$POCHE_TLS_CA; without it, TLS trusts the system's CAs when --tls_cert is given)."},
    {"tls_cert", "FILE",
     "PEM client certificate for an engine that requires mutual TLS; it must name the "
     "party that signs (default $POCHE_TLS_CERT)."},
    {"tls_key", "FILE", "PEM private key of --tls_cert (default $POCHE_TLS_KEY)."},
    {"help", "", "Show this help; 'poche COMMAND --help' shows a command's flags."},
};

std::string EnvironmentOr(const char* name, std::string_view fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && value[0] != '\0' ? std::string(value) : std::string(fallback);
}

std::string CommandName(const CommandSpec& command) {
  return Concat(command.group, " ", command.verb);
}

bool GroupExists(const std::vector<CommandSpec>& table, std::string_view group) {
  return std::any_of(table.begin(), table.end(),
                     [&](const CommandSpec& command) { return command.group == group; });
}

std::string VerbsOf(const std::vector<CommandSpec>& table, std::string_view group) {
  std::string verbs;
  for (const CommandSpec& command : table) {
    if (command.group != group) continue;
    verbs = verbs.empty() ? std::string(command.verb) : Concat(verbs, ", ", command.verb);
  }
  return verbs;
}

const CommandSpec* FindCommand(const std::vector<CommandSpec>& table, std::string_view group,
                               std::string_view verb) {
  for (const CommandSpec& command : table) {
    if (command.group == group && command.verb == verb) return &command;
  }
  return nullptr;
}

const FlagSpec* FindFlag(const CommandSpec& command, std::string_view name) {
  for (const FlagSpec& flag : command.flags) {
    if (flag.name == name) return &flag;
  }
  if (command.mutating && name == kRequestIdFlag.name) return &kRequestIdFlag;
  return nullptr;
}

const GlobalFlagSpec* FindGlobalFlag(std::string_view name) {
  for (const GlobalFlagSpec& flag : kGlobalFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

// "--amount AMOUNT" or "--json".
std::string FlagUsage(std::string_view name, std::string_view value_name) {
  return value_name.empty() ? Concat("--", name) : Concat("--", name, " ", value_name);
}

std::string UsageLine(const CommandSpec& command) {
  std::string line = Concat("poche ", CommandName(command));
  for (const FlagSpec& flag : command.flags) {
    std::string usage = FlagUsage(flag.name, flag.value_name);
    if (flag.repeated) usage = Concat(usage, "...");
    line = flag.required ? Concat(line, " ", usage) : Concat(line, " [", usage, "]");
  }
  if (command.mutating) {
    line = Concat(line, " [", FlagUsage(kRequestIdFlag.name, kRequestIdFlag.value_name), "]");
  }
  if (!command.operands.empty()) line = Concat(line, " ", command.operands);
  return line;
}

constexpr size_t kHelpWidth = 100;

// `left` padded to `width`, then `right` wrapped at kHelpWidth with its continuation
// lines indented to `width`; `right` starts on its own line when `left` is too long.
std::string Columns(std::string_view left, size_t width, std::string_view right) {
  std::string text(left);
  size_t column = left.size();
  if (column + 2 > width) {
    text.push_back('\n');
    column = 0;
  }
  text.append(width - column, ' ');
  column = width;
  size_t start = 0;
  while (start < right.size()) {
    size_t end = right.find(' ', start);
    if (end == std::string_view::npos) end = right.size();
    const std::string_view word = right.substr(start, end - start);
    if (column > width && column + 1 + word.size() > kHelpWidth) {
      text.append("\n").append(width, ' ');
      column = width;
    } else if (column > width) {
      text.push_back(' ');
      ++column;
    }
    text.append(word);
    column += word.size();
    start = end + 1;
  }
  return Concat(text, "\n");
}

std::string CommandHelp(const CommandSpec& command) {
  std::string text = Concat("Usage: ", UsageLine(command), "\n\n", command.summary, "\n");
  if (!command.details.empty()) text = Concat(text, "\n", command.details, "\n");
  std::vector<const FlagSpec*> flags;
  for (const FlagSpec& flag : command.flags) flags.push_back(&flag);
  if (command.mutating) flags.push_back(&kRequestIdFlag);
  if (!flags.empty()) text = Concat(text, "\nFlags:\n");
  for (const FlagSpec* flag : flags) {
    text = Concat(text, Columns(Concat("  ", FlagUsage(flag->name, flag->value_name)), 30,
                                Concat(flag->help, flag->required ? " Required." : "",
                                       flag->repeated ? " May be given more than once." : "")));
  }
  return Concat(text,
                "\nGlobal flags --engine, --home, --json and --tls_* work here too (see poche "
                "--help).\n");
}

std::string GeneralHelp(const std::vector<CommandSpec>& table, std::string_view only_group) {
  std::string text =
      "poche: the command-line client of the ARGENT POCHE escrow engine.\n\n"
      "Usage: poche [--engine HOST:PORT] [--home DIR] [--json] GROUP COMMAND [FLAGS] "
      "[OPERANDS]\n\nCommands:\n";
  for (const CommandSpec& command : table) {
    if (!only_group.empty() && command.group != only_group) continue;
    std::string left = Concat("  ", CommandName(command));
    if (!command.operands.empty()) left = Concat(left, " ", command.operands);
    text = Concat(text, Columns(left, 36, command.summary));
  }
  text = Concat(text, "\nGlobal flags:\n");
  for (const GlobalFlagSpec& flag : kGlobalFlags) {
    text =
        Concat(text, Columns(Concat("  ", FlagUsage(flag.name, flag.value_name)), 22, flag.help));
  }
  return Concat(text,
                "\nWherever a party is expected, give the NAME of a key in the home directory or "
                "a\n16-hex party id. Durations look like 30s, 10m, 2h, 7d (or 1h30m). Amounts "
                "look like\n1200.00, with --currency EUR, or \"1200.00 EUR\". Times look like "
                "2026-12-01T00:00:00Z,\n2026-12-01 (00:00 UTC), Unix milliseconds, or +7d from "
                "now.\n"
                "Run 'poche GROUP COMMAND --help' for the flags of one command.\n");
}

}  // namespace

absl::Status UsageError(std::string_view message, std::string_view reason) {
  absl::Status status = Error(absl::StatusCode::kInvalidArgument, reason, message);
  status.SetPayload(absl::string_view(kUsagePayloadUrl.data(), kUsagePayloadUrl.size()),
                    absl::Cord("usage"));
  return status;
}

absl::Status AsUsageError(const absl::Status& status, std::string_view prefix) {
  const std::string reason = ReasonOf(status);
  return UsageError(Concat(prefix, status.message()), reason.empty() ? "USAGE" : reason);
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(absl::string_view(kUsagePayloadUrl.data(), kUsagePayloadUrl.size()))
      .has_value();
}

absl::Status ParseCommandLine(const std::vector<CommandSpec>& table,
                              const std::vector<std::string>& words, Invocation* parsed) {
  Invocation& invocation = *parsed;
  std::optional<std::string> engine;
  std::optional<std::string> home;
  std::map<std::string, std::string> tls_files;
  std::vector<std::string> command_words;
  bool only_operands = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (only_operands || !word.starts_with("--") || word == "--") {
      const bool help_command = !command_words.empty() && command_words[0] == "help";
      if (word == "--" && !only_operands) {
        only_operands = true;
      } else if (invocation.command == nullptr && (command_words.size() < 2 || help_command)) {
        command_words.push_back(word);
        if (command_words.size() == 1 && word != "help" && !GroupExists(table, word)) {
          return UsageError(Concat("unknown command \"", word, "\""));
        }
        if (command_words.size() == 2 && !help_command) {
          invocation.command = FindCommand(table, command_words[0], command_words[1]);
        }
      } else {
        invocation.operands.push_back(word);
      }
      continue;
    }
    const size_t equals = word.find('=');
    const std::string name = word.substr(2, equals == std::string::npos ? equals : equals - 2);
    std::optional<std::string> value;
    if (equals != std::string::npos) value = word.substr(equals + 1);
    std::string_view value_name;
    const GlobalFlagSpec* global = FindGlobalFlag(name);
    const FlagSpec* flag =
        invocation.command == nullptr ? nullptr : FindFlag(*invocation.command, name);
    if (global != nullptr) {
      value_name = global->value_name;
    } else if (flag != nullptr) {
      value_name = flag->value_name;
    } else if (invocation.command == nullptr) {
      return UsageError(
          Concat("unknown flag --", name, " (a command's own flags come after the command)"));
    } else {
      return UsageError(
          Concat("poche ", CommandName(*invocation.command), " has no flag --", name));
    }
    if (value_name.empty() && value.has_value()) {
      return UsageError(Concat("--", name, " takes no value"));
    }
    if (!value_name.empty() && !value.has_value()) {
      if (i + 1 >= words.size()) return UsageError(Concat("--", name, " needs a value"));
      value = words[++i];
    }
    if (global != nullptr) {
      if (name == "engine") engine = *value;
      if (name == "home") home = *value;
      if (name.starts_with("tls_")) tls_files[name] = *value;
      if (name == "json") invocation.global.json = true;
      if (name == "help") invocation.help = true;
      continue;
    }
    if (flag->repeated) {
      invocation.flags.emplace(name, value.value_or(""));
      invocation.repeated_flags[name].push_back(value.value_or(""));
      continue;
    }
    if (!invocation.flags.emplace(name, value.value_or("")).second) {
      return UsageError(Concat("--", name, " is given twice"));
    }
  }
  invocation.global.engine = engine.value_or(EnvironmentOr("POCHE_ENGINE", kDefaultEngine));
  const std::string user_home = EnvironmentOr("HOME", "");
  invocation.global.home = home.value_or(
      EnvironmentOr("POCHE_HOME", user_home.empty() ? "" : Concat(user_home, "/.poche")));
  invocation.global.tls_ca =
      tls_files.contains("tls_ca") ? tls_files["tls_ca"] : EnvironmentOr("POCHE_TLS_CA", "");
  invocation.global.tls_cert =
      tls_files.contains("tls_cert") ? tls_files["tls_cert"] : EnvironmentOr("POCHE_TLS_CERT", "");
  invocation.global.tls_key =
      tls_files.contains("tls_key") ? tls_files["tls_key"] : EnvironmentOr("POCHE_TLS_KEY", "");

  if (!command_words.empty() && command_words[0] == "help") {
    invocation.help = true;
    command_words.erase(command_words.begin());
  }
  if (invocation.help) {
    if (command_words.size() > 2) command_words.resize(2);
    if (!command_words.empty() && !GroupExists(table, command_words[0])) {
      return UsageError(Concat("unknown command \"", command_words[0], "\""));
    }
    if (command_words.size() == 2 &&
        FindCommand(table, command_words[0], command_words[1]) == nullptr) {
      return UsageError(Concat("unknown command \"", command_words[0], " ", command_words[1],
                               "\" (", command_words[0], " has: ", VerbsOf(table, command_words[0]),
                               ")"));
    }
    for (const std::string& word : command_words) {
      invocation.help_topic =
          invocation.help_topic.empty() ? word : Concat(invocation.help_topic, " ", word);
    }
    invocation.command = nullptr;
    return absl::OkStatus();
  }
  if (invocation.global.tls_cert.empty() != invocation.global.tls_key.empty()) {
    return UsageError("--tls_cert and --tls_key go together: the certificate and its key");
  }
  if (command_words.empty()) return UsageError("no command given");
  if (command_words.size() == 1) {
    return UsageError(Concat("'poche ", command_words[0], "' needs a command: one of ",
                             VerbsOf(table, command_words[0])));
  }
  if (invocation.command == nullptr) {
    return UsageError(Concat("unknown command \"", command_words[0], " ", command_words[1], "\" (",
                             command_words[0], " has: ", VerbsOf(table, command_words[0]), ")"));
  }
  const CommandSpec& command = *invocation.command;
  const int operand_count = static_cast<int>(invocation.operands.size());
  if (operand_count > command.operand_count) {
    return UsageError(Concat("poche ", CommandName(command), " takes ",
                             command.operand_count == 0 ? "no operand" : command.operands,
                             ", not also \"", invocation.operands[command.operand_count], "\""));
  }
  if (operand_count < command.operand_count) {
    return UsageError(Concat("poche ", CommandName(command), " needs ", command.operands));
  }
  for (const FlagSpec& flag : command.flags) {
    if (flag.required && !invocation.flags.contains(flag.name)) {
      return UsageError(
          Concat("poche ", CommandName(command), " needs --", flag.name, " ", flag.value_name));
    }
  }
  return absl::OkStatus();
}

std::string HelpText(const std::vector<CommandSpec>& table, std::string_view topic) {
  if (topic.empty()) return GeneralHelp(table, "");
  const size_t space = topic.find(' ');
  if (space == std::string_view::npos) return GeneralHelp(table, topic);
  const CommandSpec* command = FindCommand(table, topic.substr(0, space), topic.substr(space + 1));
  return command == nullptr ? GeneralHelp(table, "") : CommandHelp(*command);
}

}  // namespace argentpoche::cli
