// The OracleEngine port over gRPC: the poche client's connection (cli/client.h), with its
// TLS options, 10 s deadline per call and the engine's reasons kept in the statuses.
// Not thread-safe: one caller at a time.
#ifndef ARGENTPOCHE_ORACLES_GRPC_ORACLE_ENGINE_H_
#define ARGENTPOCHE_ORACLES_GRPC_ORACLE_ENGINE_H_

#include <string>

#include "cli/client.h"
#include "oracles/oracle_engine.h"

namespace argentpoche::oracles {

class GrpcOracleEngine : public OracleEngine {
 public:
  // Connects lazily to `target` ("host:port"); plaintext when `tls` names no file.
  GrpcOracleEngine(std::string target, const cli::ClientTls& tls)
      : client_(std::move(target), tls) {}

  [[nodiscard]] absl::StatusOr<v1::OracleEvent> AnnounceEvent(
      const v1::SignedCommand& command) override {
    return client_.Call(&v1::EscrowEngine::Stub::AnnounceEvent, command);
  }
  [[nodiscard]] absl::StatusOr<v1::AttestationReceipt> SubmitAttestation(
      const v1::SignedCommand& command) override {
    return client_.Call(&v1::EscrowEngine::Stub::SubmitAttestation, command);
  }
  // The engine's clock now (EngineInfo.now_unix_ms).
  [[nodiscard]] absl::StatusOr<int64_t> EngineNowUnixMs() {
    absl::StatusOr<v1::EngineInfo> info =
        client_.Call(&v1::EscrowEngine::Stub::GetEngineInfo, v1::GetEngineInfoRequest());
    if (!info.ok()) return info.status();
    return info->now_unix_ms();
  }

 private:
  cli::EngineClient client_;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_GRPC_ORACLE_ENGINE_H_
