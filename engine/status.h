// Errors of the engine: an absl::Status whose payload carries a stable UPPER_SNAKE
// reason (the gRPC ErrorInfo reason) beside a message a person understands.
//
//   return Error(absl::StatusCode::kFailedPrecondition, "INSUFFICIENT_FUNDS",
//                "account 3fa2...:EUR holds 12.00 EUR, 50.00 EUR needed");
//
// Thread-safe: free functions only.
#ifndef ARGENTPOCHE_ENGINE_STATUS_H_
#define ARGENTPOCHE_ENGINE_STATUS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace argentpoche {

// The error domain put in ErrorInfo.domain.
inline constexpr std::string_view kErrorDomain = "argentpoche.v1";

// Builds an error with `code` (never kOk), `reason` and `message`.
[[nodiscard]] absl::Status Error(absl::StatusCode code, std::string_view reason,
                                 std::string_view message);

// The reason attached by Error(), or "" when the status has none.
[[nodiscard]] std::string ReasonOf(const absl::Status& status);

// Attaches how long the caller should wait before trying again (sent as a
// google.rpc.RetryInfo and an ErrorInfo "retry_after_ms" entry).
[[nodiscard]] absl::Status WithRetryDelay(absl::Status status, int64_t delay_ms);
// The delay attached by WithRetryDelay, or -1 when there is none.
[[nodiscard]] int64_t RetryDelayMsOf(const absl::Status& status);

// Shorthands for the codes used most.
[[nodiscard]] absl::Status InvalidArgument(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status NotFound(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status FailedPrecondition(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status PermissionDenied(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status AlreadyExists(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status OutOfRange(std::string_view reason, std::string_view message);
[[nodiscard]] absl::Status Unauthenticated(std::string_view reason, std::string_view message);

}  // namespace argentpoche

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define POCHE_RETURN_IF_ERROR(expr)                                                     \
  do {                                                                                  \
    if (absl::Status poche_status_ = (expr); !poche_status_.ok()) return poche_status_; \
  } while (0)

#define POCHE_CONCAT_INNER_(a, b) a##b
#define POCHE_CONCAT_(a, b) POCHE_CONCAT_INNER_(a, b)
// Declares `lhs` from an absl::StatusOr expression, returning its status on error.
#define POCHE_ASSIGN_OR_RETURN(lhs, expr) \
  POCHE_ASSIGN_OR_RETURN_IMPL_(POCHE_CONCAT_(poche_statusor_, __LINE__), lhs, expr)
#define POCHE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(*tmp)

#endif  // ARGENTPOCHE_ENGINE_STATUS_H_
