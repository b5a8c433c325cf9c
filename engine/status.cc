#include "engine/status.h"

#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace argentpoche {
namespace {
constexpr std::string_view kReasonPayloadUrl = "type.argentpoche/reason";
constexpr std::string_view kRetryDelayPayloadUrl = "type.argentpoche/retry-delay-ms";
}  // namespace

absl::Status Error(absl::StatusCode code, std::string_view reason, std::string_view message) {
  absl::Status status(code, absl::string_view(message.data(), message.size()));
  status.SetPayload(absl::string_view(kReasonPayloadUrl.data(), kReasonPayloadUrl.size()),
                    absl::Cord(absl::string_view(reason.data(), reason.size())));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  auto reason =
      status.GetPayload(absl::string_view(kReasonPayloadUrl.data(), kReasonPayloadUrl.size()));
  return reason ? std::string(*reason) : std::string();
}

absl::Status WithRetryDelay(absl::Status status, int64_t delay_ms) {
  status.SetPayload(absl::string_view(kRetryDelayPayloadUrl.data(), kRetryDelayPayloadUrl.size()),
                    absl::Cord(std::to_string(delay_ms)));
  return status;
}

int64_t RetryDelayMsOf(const absl::Status& status) {
  auto delay = status.GetPayload(
      absl::string_view(kRetryDelayPayloadUrl.data(), kRetryDelayPayloadUrl.size()));
  if (!delay) return -1;
  int64_t delay_ms = -1;
  return absl::SimpleAtoi(std::string(*delay), &delay_ms) ? delay_ms : -1;
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
