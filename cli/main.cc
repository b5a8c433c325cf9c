// poche: the command-line client of the ARGENT POCHE escrow engine.
//   poche deposit create --key claire --tenant lea --landlord claire --arbiter bruno ...
// Exit status: 0 on success, 1 when the command failed, 2 on a usage error.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/client.h"
#include "cli/context.h"
#include "engine/crypto.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

void PrintError(const absl::Status& status) {
  std::string reason = ReasonOf(status);
  if (reason.empty()) reason = absl::StatusCodeToString(status.code());
  const std::string line = Concat("error: ", status.message(), " (", reason, ")\n");
  std::fputs(line.c_str(), stderr);
}

std::string HelpHint(const Invocation* invocation) {
  if (invocation == nullptr || invocation->command == nullptr) return "Run 'poche --help'.";
  return Concat("Run 'poche ", invocation->command->group, " ", invocation->command->verb,
                " --help'.");
}

// The outcome of a call that failed in transit is unknown: say how to retry safely.
void PrintRetryHint(const Context& context, const absl::Status& status) {
  const std::string request_id = context.UsedRequestId();
  if (request_id.empty() || !IsTransportError(status)) return;
  const std::string hint = Concat(
      "The engine may or may not have applied the command. To retry safely, run the "
      "same command\nwith --request-id ",
      request_id, ": the engine applies it once at most.\n");
  std::fputs(hint.c_str(), stderr);
}

int Run(const std::vector<std::string>& words) {
  InitCrypto();
  std::vector<CommandSpec> table;
  AddKeyCommands(table);
  AddPartyCommands(table);
  AddAccountCommands(table);
  AddHoldCommands(table);
  AddDepositCommands(table);
  AddDepositViewCommands(table);
  AddOracleCommands(table);
  AddOracleEventCommands(table);
  AddOptionCommands(table);
  AddInsuranceCommands(table);
  AddContractCommands(table);
  AddContractShowCommands(table);
  AddEngineCommands(table);

  Invocation invocation;
  if (const absl::Status status = ParseCommandLine(table, words, &invocation); !status.ok()) {
    PrintError(status);
    std::fprintf(stderr, "%s\n", HelpHint(&invocation).c_str());
    return 2;
  }
  if (invocation.help) {
    std::fputs(HelpText(table, invocation.help_topic).c_str(), stdout);
    return 0;
  }
  Context context(std::move(invocation));
  const absl::Status status = context.invocation.command->run(context);
  std::fflush(stdout);
  if (status.ok()) return 0;
  PrintError(status);
  if (IsUsageError(status)) {
    std::fprintf(stderr, "%s\n", HelpHint(&context.invocation).c_str());
    return 2;
  }
  PrintRetryHint(context, status);
  return 1;
}

}  // namespace
}  // namespace argentpoche::cli

int main(int argc, char** argv) {
  return argentpoche::cli::Run(std::vector<std::string>(argv + 1, argv + argc));
}
