// poche-engine: the escrow engine process.
//   poche-engine --listen=127.0.0.1:7400 --data_dir=/var/lib/poche
//   poche-engine --listen=0.0.0.0:7400 --data_dir=/var/lib/poche --tls_cert=server.pem
//       --tls_key=server.key --tls_client_ca=clients-ca.pem
// Stops cleanly on SIGTERM or SIGINT. Logs one JSON object per line on stderr; the first
// line is always the "listening" event with the bound address.
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_split.h"
#include "engine/crypto.h"
#include "engine/event_log.h"
#include "engine/server/engine_server.h"
#include "engine/status.h"

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
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain of the server. With --tls_key and --tls_client_ca: mutual "
          "TLS, every client must present a certificate issued by the client CA.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificate(s) that issue client certificates. A client certificate names "
          "the parties it may act for: subject CN or SAN URI argentpoche:party:<party id>.");
ABSL_FLAG(bool, allow_plaintext_remote, false,
          "Without TLS, listen on a non-loopback address anyway (behind a proxy that "
          "terminates TLS). Off by default: plaintext is for loopback.");
ABSL_FLAG(int64_t, rate_limit_per_second, argentpoche::limits::kDefaultRateLimitPerSecond,
          "Requests per second each caller (party, or peer for reads) may make on average; "
          "beyond it RESOURCE_EXHAUSTED RATE_LIMITED. 0 turns the limit off.");
ABSL_FLAG(int64_t, rate_limit_burst, argentpoche::limits::kDefaultRateLimitBurst,
          "Requests a caller may make at once after a pause.");

namespace {

void Log(std::string_view event, std::string detail) {
  argentpoche::LogEvent(argentpoche::kEngineComponent, event, {{"detail", std::move(detail)}});
}

// A start refused because of the flags (exit status 2) rather than the machine (1).
bool IsUsageError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument;
}

// The second line: how the engine protects itself, so an operator sees it at a glance.
void LogServing(const argentpoche::ServerOptions& options,
                const argentpoche::EngineServer& server) {
  const argentpoche::RateLimitOptions& rate = options.engine.rate_limit;
  argentpoche::LogEvent(
      argentpoche::kEngineComponent, "serving",
      {{"transport", server.mutual_tls() ? "mutual-tls" : "plaintext"},
       {"rate_limit_per_second", rate.per_second > 0 ? std::to_string(rate.per_second) : "off"},
       {"rate_limit_burst", std::to_string(rate.burst)},
       {"max_command_skew_ms", std::to_string(options.engine.max_command_skew_ms)},
       {"operators", std::to_string(options.engine.operator_public_keys.size())}});
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The ARGENT POCHE escrow engine: a gRPC service holding money in a double-entry "
      "ledger on embedded RocksDB.\nUsage: poche-engine --listen=127.0.0.1:7400 "
      "--data_dir=DIR [--operator_public_key=HEX] [--tls_cert=PEM --tls_key=PEM "
      "--tls_client_ca=PEM]");
  // --help lists the flags of this file (Abseil's default looks for the program's name).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view path) {
    return path.find("engine/server/") != absl::string_view::npos;
  };
  usage.contains_helpshort_flags = usage.contains_help_flags;
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);

  argentpoche::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.engine.max_command_skew_ms = absl::GetFlag(FLAGS_max_command_skew_ms);
  options.engine.max_batch_commands =
      absl::GetFlag(FLAGS_group_commit) ? argentpoche::limits::kMaxBatchCommands : 1;
  options.engine.scheduler_poll_ms = absl::GetFlag(FLAGS_scheduler_poll_ms);
  options.engine.rate_limit.per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  options.engine.rate_limit.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  options.tls.certificate_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls.private_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  options.allow_plaintext_remote = absl::GetFlag(FLAGS_allow_plaintext_remote);
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
    argentpoche::LogEvent(argentpoche::kEngineComponent, "start_failed",
                          {{"reason", argentpoche::ReasonOf(server.status())},
                           {"detail", std::string(server.status().message())}});
    return IsUsageError(server.status()) ? 2 : 1;
  }
  Log("listening", options.listen_address.substr(0, options.listen_address.rfind(':') + 1) +
                       std::to_string((*server)->port()));
  LogServing(options, **server);
  int received = 0;
  sigwait(&stop_signals, &received);
  Log("stopping", received == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown();
  server->reset();
  Log("stopped", "clean shutdown");
  return 0;
}
