// The port through which the oracle daemon talks to the engine: the two commands it sends.
// GrpcOracleEngine (grpc_oracle_engine.h) is the real one; tests use a fake.
#ifndef ARGENTPOCHE_ORACLES_ORACLE_ENGINE_H_
#define ARGENTPOCHE_ORACLES_ORACLE_ENGINE_H_

#include "absl/status/statusor.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "argentpoche/v1/oracle.pb.h"

namespace argentpoche::oracles {

// Thread-safety: one caller at a time.
class OracleEngine {
 public:
  virtual ~OracleEngine() = default;

  // The engine's answer, or its refusal as a status carrying the engine's reason
  // (engine/status.h ReasonOf); a failure in transit is UNAVAILABLE or DEADLINE_EXCEEDED.
  [[nodiscard]] virtual absl::StatusOr<v1::OracleEvent> AnnounceEvent(
      const v1::SignedCommand& command) = 0;
  [[nodiscard]] virtual absl::StatusOr<v1::AttestationReceipt> SubmitAttestation(
      const v1::SignedCommand& command) = 0;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_ORACLE_ENGINE_H_
