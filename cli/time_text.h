// The times people type on the poche command line for deadlines, observations and
// validity periods, all meaning one instant in UTC:
//   "2026-12-01T00:00:00Z", "2026-12-01T09:30:00.250+02:00"   RFC 3339
//   "2026-12-01"                                               00:00 UTC that day
//   "1796083200000"                                            Unix milliseconds
//   "+7d", "+1h30m", "-1d", "now"                              from now (the engine's clock)
// Durations after '+' or '-' are written as for ParseDuration (cli/output.h).
//
//   POCHE_ASSIGN_OR_RETURN(int64_t expiry, ParseTimeText("+1d", engine_now_unix_ms));
//
// Pure; thread-safe.
#ifndef ARGENTPOCHE_CLI_TIME_TEXT_H_
#define ARGENTPOCHE_CLI_TIME_TEXT_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace argentpoche::cli {

// True when `text` is written relative to now ("now", "+7d", "-1h"): the caller then needs
// the engine's clock.
[[nodiscard]] bool IsRelativeTime(std::string_view text);

// The instant `text` means, in Unix milliseconds, with `now_unix_ms` for the relative forms.
// Usage error "BAD_TIME" (saying what is accepted) for any other text, or a time before
// 1970 or after the year 9999.
[[nodiscard]] absl::StatusOr<int64_t> ParseTimeText(std::string_view text, int64_t now_unix_ms);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_TIME_TEXT_H_
