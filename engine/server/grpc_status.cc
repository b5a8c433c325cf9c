#include "engine/server/grpc_status.h"

#include <string>

#include "engine/status.h"
#include "google/rpc/status.pb.h"

namespace argentpoche {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const std::string message(status.message());
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  google::rpc::ErrorInfo info;
  const std::string reason = ReasonOf(status);
  info.set_reason(reason.empty() ? "INTERNAL" : reason);
  info.set_domain(std::string(kErrorDomain));
  const int64_t retry_delay_ms = RetryDelayMsOf(status);
  if (retry_delay_ms >= 0) {
    (*info.mutable_metadata())["retry_after_ms"] = std::to_string(retry_delay_ms);
  }
  details.add_details()->PackFrom(info);
  if (retry_delay_ms >= 0) {
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(retry_delay_ms / 1000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(retry_delay_ms % 1000) * 1'000'000);
    details.add_details()->PackFrom(retry);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message,
                      details.SerializeAsString());
}

}  // namespace argentpoche
