#include "engine/status.h"

#include "absl/strings/cord.h"

namespace argentpoche {
namespace {
constexpr std::string_view kReasonPayloadUrl = "type.argentpoche/reason";
}  // namespace

absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message) {
  absl::Status status(code, message);
  status.SetPayload(kReasonPayloadUrl, absl::Cord(reason));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  std::optional<absl::Cord> reason = status.GetPayload(kReasonPayloadUrl);
  return reason ? std::string(*reason) : std::string();
}

absl::Status InvalidArgument(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kInvalidArgument, reason, message);
}
absl::Status NotFound(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kNotFound, reason, message);
}
absl::Status FailedPrecondition(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kFailedPrecondition, reason, message);
}
absl::Status PermissionDenied(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kPermissionDenied, reason, message);
}
absl::Status AlreadyExists(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kAlreadyExists, reason, message);
}
absl::Status OutOfRange(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kOutOfRange, reason, message);
}
absl::Status Unauthenticated(std::string_view reason, std::string_view message) {
  return Error(absl::StatusCode::kUnauthenticated, reason, message);
}

}  // namespace argentpoche
