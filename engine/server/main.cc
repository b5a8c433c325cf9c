// poche-engine: the escrow engine process.
//   poche-engine --listen=127.0.0.1:7400 --data_dir=/var/lib/poche
// Stops cleanly on SIGTERM or SIGINT.
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "engine/crypto.h"
#include "engine/server/engine_server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7400", "Address to serve gRPC on (host:port).");
ABSL_FLAG(std::string, data_dir, "", "Data directory; initialised when empty.");
ABSL_FLAG(std::vector<std::string>, operator_public_key, {},
          "Hex Ed25519 public keys of the issuer's operators (comma-separated): they credit "
          "and debit accounts.");
ABSL_FLAG(int64_t, max_command_skew_ms, argentpoche::limits::kDefaultMaxCommandSkewMs,
          "Refuse commands signed further than this from the engine clock.");
ABSL_FLAG(bool, group_commit, true,
          "Apply many commands per synced write; false syncs once per command.");
ABSL_FLAG(int64_t, scheduler_poll_ms, 200, "How often deadlines are checked.");

namespace {

void Log(const std::string& event, const std::string& detail) {
  std::fprintf(stderr, "{\"component\":\"poche-engine\",\"event\":\"%s\",\"detail\":\"%s\"}\n",
               event.c_str(), detail.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The ARGENT POCHE escrow engine: a gRPC service holding money in a double-entry "
      "ledger on embedded RocksDB.\nUsage: poche-engine --listen=127.0.0.1:7400 "
      "--data_dir=DIR [--operator_public_key=HEX]");
  absl::ParseCommandLine(argc, argv);

  argentpoche::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.engine.max_command_skew_ms = absl::GetFlag(FLAGS_max_command_skew_ms);
  options.engine.max_batch_commands =
      absl::GetFlag(FLAGS_group_commit) ? argentpoche::limits::kMaxBatchCommands : 1;
  options.engine.scheduler_poll_ms = absl::GetFlag(FLAGS_scheduler_poll_ms);
  for (const std::string& hex : absl::GetFlag(FLAGS_operator_public_key)) {
    absl::StatusOr<std::string> key = argentpoche::FromHex(hex);
    if (!key.ok() || key->size() != argentpoche::kPublicKeyBytes) {
      Log("bad_flag", "--operator_public_key must be 64 hex characters");
      return 2;
    }
    options.engine.operator_public_keys.push_back(*key);
  }

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  argentpoche::SystemClock clock;
  absl::StatusOr<std::unique_ptr<argentpoche::EngineServer>> server =
      argentpoche::EngineServer::Start(options, &clock);
  if (!server.ok()) {
    Log("start_failed", std::string(server.status().message()));
    return 1;
  }
  Log("listening", options.listen_address.substr(0, options.listen_address.rfind(':') + 1) +
                       std::to_string((*server)->port()));
  int received = 0;
  sigwait(&stop_signals, &received);
  Log("stopping", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown();
  server->reset();
  Log("stopped", "clean shutdown");
  return 0;
}
