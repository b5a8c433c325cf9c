// Converts engine errors to gRPC statuses: same canonical code, the message, and a
// google.rpc.Status in the details trailer carrying an ErrorInfo with the reason, and a
// RetryInfo when the error says how long to wait (WithRetryDelay).
#ifndef ARGENTPOCHE_ENGINE_SERVER_GRPC_STATUS_H_
#define ARGENTPOCHE_ENGINE_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace argentpoche {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SERVER_GRPC_STATUS_H_
