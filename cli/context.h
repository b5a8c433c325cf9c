// What every poche command runs with: the parsed command line, the key store, the
// output, a lazily opened engine client, and the shared readers of flag values (keys,
// parties, amounts, durations, the request id). Also declares where each group of
// commands adds itself to the command table.
#ifndef ARGENTPOCHE_CLI_CONTEXT_H_
#define ARGENTPOCHE_CLI_CONTEXT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/money.pb.h"
#include "cli/arguments.h"
#include "cli/client.h"
#include "cli/key_store.h"
#include "cli/output.h"
#include "cli/parties.h"
#include "engine/command_signing.h"
#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche::cli {

struct Context {
  explicit Context(Invocation parsed);

  Invocation invocation;
  KeyStore keys;
  Output out;

  EngineClient& client();
  PartyDirectory& parties();

  // Sends `command` signed now by `key` with RequestId() to `method`. A retry with the
  // same --request-id, signed again, gets the engine's first answer and moves nothing.
  template <typename Response>
  absl::StatusOr<Response> Send(StubMethod<v1::SignedCommand, Response> method,
                                const SigningKey& key, v1::Command command) {
    command.set_request_id(RequestId());
    return client().Call(method, SignCommand(std::move(command), key, NowUnixMs()));
  }

  bool Has(std::string_view flag) const;
  // The flag's value, or `fallback` when it was not given.
  std::string Flag(std::string_view flag, std::string_view fallback = "") const;
  // Every value of a repeated flag, in order (empty when it was not given).
  std::vector<std::string> Flags(std::string_view flag) const;
  const std::string& Operand(size_t index) const { return invocation.operands[index]; }

  // --request-id, or a random one chosen once per run.
  const std::string& RequestId();
  // The request id a command was sent with, "" when none was.
  std::string UsedRequestId() const { return request_id_.value_or(""); }
  // The key named by --key.
  [[nodiscard]] absl::StatusOr<SigningKey> SignerKey() const;
  // The party id meant by a key name or party id (see KeyStore::ResolveParty).
  [[nodiscard]] absl::StatusOr<std::string> Party(std::string_view name_or_id) const;
  // The account meant by `text`: an account id ("3f2a...:EUR", "hold:..."), a key name
  // with a currency ("lea:EUR"), or a key name or party id alone, whose account in
  // `currency` it means.
  [[nodiscard]] absl::StatusOr<std::string> Account(std::string_view text,
                                                    std::string_view currency = "") const;
  // The party id given by `flag`.
  [[nodiscard]] absl::StatusOr<std::string> PartyFlag(std::string_view flag) const;
  // The amount in `flag`: "1200.00" with --currency (or `default_currency` when
  // --currency is absent), or "1200.00 EUR".
  [[nodiscard]] absl::StatusOr<v1::Money> AmountFlag(std::string_view flag,
                                                     std::string_view default_currency = "") const;
  // The duration in `flag`, in milliseconds.
  [[nodiscard]] absl::StatusOr<int64_t> DurationFlag(std::string_view flag) const;
  // The engine's clock, asked once per run: what relative times ("+7d") count from.
  [[nodiscard]] absl::StatusOr<int64_t> EngineNowUnixMs();
  // The time in `flag` (see cli/time_text.h), in Unix milliseconds.
  [[nodiscard]] absl::StatusOr<int64_t> TimeFlag(std::string_view flag);

 private:
  // The local wall clock, in Unix milliseconds (the engine checks it is close to its own).
  static int64_t NowUnixMs();

  std::unique_ptr<EngineClient> client_;
  std::unique_ptr<PartyDirectory> parties_;
  std::optional<std::string> request_id_;
  std::optional<int64_t> engine_now_unix_ms_;
};

// Each file of commands adds its commands to the table.
void AddKeyCommands(std::vector<CommandSpec>& table);
void AddPartyCommands(std::vector<CommandSpec>& table);
void AddAccountCommands(std::vector<CommandSpec>& table);
void AddHoldCommands(std::vector<CommandSpec>& table);
void AddDepositCommands(std::vector<CommandSpec>& table);
void AddDepositViewCommands(std::vector<CommandSpec>& table);
void AddEngineCommands(std::vector<CommandSpec>& table);
void AddOracleCommands(std::vector<CommandSpec>& table);
void AddOracleEventCommands(std::vector<CommandSpec>& table);
void AddOptionCommands(std::vector<CommandSpec>& table);
void AddInsuranceCommands(std::vector<CommandSpec>& table);
void AddContractCommands(std::vector<CommandSpec>& table);
void AddContractShowCommands(std::vector<CommandSpec>& table);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONTEXT_H_
