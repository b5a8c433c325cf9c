#include "cli/time_text.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "absl/time/time.h"
#include "cli/arguments.h"
#include "cli/output.h"
#include "engine/feeds.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

// 10000-01-01T00:00:00Z: no time people type lies beyond it.
constexpr int64_t kLatestUnixMs = 253'402'300'800'000;
// Unix milliseconds are written with at most this many digits (kLatestUnixMs has 15).
constexpr size_t kMaxMillisecondDigits = 15;

absl::Status BadTime(std::string_view text, std::string_view why = "") {
  return UsageError(Concat("\"", text, "\" is not a time", why,
                           ": write it as 2026-12-01T00:00:00Z (RFC 3339), 2026-12-01 (00:00 "
                           "UTC), Unix milliseconds such as 1796083200000, or from now as "
                           "+7d, -1h or now"),
                    "BAD_TIME");
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

absl::StatusOr<int64_t> InRange(std::string_view text, int64_t unix_ms) {
  if (unix_ms < 0 || unix_ms >= kLatestUnixMs) {
    return BadTime(text, " between 1970 and the year 9999");
  }
  return unix_ms;
}

}  // namespace

bool IsRelativeTime(std::string_view text) {
  return text == "now" || text.starts_with('+') || text.starts_with('-');
}

absl::StatusOr<int64_t> ParseTimeText(std::string_view text, int64_t now_unix_ms) {
  if (text == "now") return InRange(text, now_unix_ms);
  if (text.starts_with('+') || text.starts_with('-')) {
    absl::StatusOr<int64_t> duration = ParseDuration(text.substr(1));
    if (!duration.ok()) return BadTime(text);
    return InRange(text, text[0] == '+' ? now_unix_ms + *duration : now_unix_ms - *duration);
  }
  if (AllDigits(text)) {
    if (text.size() > kMaxMillisecondDigits) return BadTime(text);
    int64_t unix_ms = 0;
    for (char digit : text) unix_ms = unix_ms * 10 + (digit - '0');
    return InRange(text, unix_ms);
  }
  if (text.size() == 10) {
    absl::StatusOr<CivilDay> day = ParseDay(text);
    if (!day.ok()) return BadTime(text);
    return InRange(text, DayStartUnixMs(*day));
  }
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &time, &error)) {
    return BadTime(text);
  }
  if (time < absl::UnixEpoch() || time >= absl::FromUnixMillis(kLatestUnixMs)) {
    return BadTime(text, " between 1970 and the year 9999");
  }
  return absl::ToUnixMillis(time);
}

}  // namespace argentpoche::cli
