// The poche command line: the table of commands with their flags and help text, and the
// parser that turns argv into the command to run, its flag values and its operands.
// Usage errors (unknown command or flag, missing value) carry a marker so that main()
// exits with status 2 for them and 1 for every other error.
#ifndef ARGENTPOCHE_CLI_ARGUMENTS_H_
#define ARGENTPOCHE_CLI_ARGUMENTS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace argentpoche::cli {

struct Context;

// One flag of a command. A flag with an empty value_name is a switch (no value).
struct FlagSpec {
  std::string_view name = {};
  std::string_view value_name = {};
  std::string_view help = {};
  bool required = false;
  // A flag that may be given more than once (--oracle A --oracle B): every value is kept,
  // in order, in Invocation::repeated_flags.
  bool repeated = false;
};

// One command, `poche GROUP VERB`.
struct CommandSpec {
  std::string_view group = {};
  std::string_view verb = {};
  // How the operands are written in the usage line ("CONTRACT_ID"), and how many there
  // must be.
  std::string_view operands = {};
  int operand_count = 0;
  std::string_view summary = {};
  // Optional longer explanation shown by --help.
  std::string_view details = {};
  // Mutating commands sign a command and take --request-id.
  bool mutating = false;
  std::vector<FlagSpec> flags = {};
  absl::Status (*run)(Context& context) = nullptr;
};

// The global flags, valid before or after the command.
struct GlobalOptions {
  std::string engine;
  std::string home;
  bool json = false;
  // PEM files for TLS to the engine; all empty: plaintext.
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
};

// What the command line asked for.
struct Invocation {
  // Null when only help was asked for.
  const CommandSpec* command = nullptr;
  // Set with --help or `poche help ...`: the help text to print instead of running.
  bool help = false;
  std::string help_topic;  // "", a group name, or "group verb"
  GlobalOptions global;
  // Each flag given, with its value (the first one for a repeated flag).
  std::map<std::string, std::string, std::less<>> flags;
  // Every value of each repeated flag given, in order.
  std::map<std::string, std::vector<std::string>, std::less<>> repeated_flags;
  std::vector<std::string> operands;
};

// Parses argv (without the program name) against `table` into `invocation`.
// Environment defaults (POCHE_ENGINE, POCHE_HOME, HOME, POCHE_TLS_CA, POCHE_TLS_CERT,
// POCHE_TLS_KEY) fill the global options not given as flags. On a usage error,
// `invocation->command` still names the command when it was recognized, so that the
// caller can point to its help.
[[nodiscard]] absl::Status ParseCommandLine(const std::vector<CommandSpec>& table,
                                            const std::vector<std::string>& words,
                                            Invocation* invocation);

// The help text for `topic` ("", "deposit" or "deposit create").
[[nodiscard]] std::string HelpText(const std::vector<CommandSpec>& table, std::string_view topic);

// A usage error: exit status 2. `reason` defaults to "USAGE".
[[nodiscard]] absl::Status UsageError(std::string_view message, std::string_view reason = "USAGE");
// The same status (message and reason), marked as a usage error, with `prefix` before
// the message: for a flag value that does not parse.
[[nodiscard]] absl::Status AsUsageError(const absl::Status& status, std::string_view prefix);
[[nodiscard]] bool IsUsageError(const absl::Status& status);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_ARGUMENTS_H_
