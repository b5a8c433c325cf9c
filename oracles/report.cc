// The lines the daemon prints for its events (declared in daemon.h).
#include "absl/time/time.h"
#include "engine/strings.h"
#include "oracles/daemon.h"
#include "oracles/decimal.h"

namespace argentpoche::oracles {

std::string_view StatusName(EventStatus status) {
  switch (status) {
    case EventStatus::kPending:
      return "pending";
    case EventStatus::kWaiting:
      return "waiting";
    case EventStatus::kUnavailable:
      return "unavailable";
    case EventStatus::kDataError:
      return "data_error";
    case EventStatus::kRetrying:
      return "retrying";
    case EventStatus::kFailed:
      return "failed";
    case EventStatus::kWouldAttest:
      return "would_attest";
    case EventStatus::kAttested:
      return "attested";
  }
  return "unknown";
}

std::string ReportLine(const EventProgress& progress) {
  std::string line = Concat(StatusName(progress.status), " feed=", progress.event.feed,
                            " event=", progress.event.event_id);
  if (progress.attestation.has_value() &&
      (progress.status == EventStatus::kAttested || progress.status == EventStatus::kWouldAttest)) {
    const v1::Attestation& attestation = *progress.attestation;
    line += Concat(" value=", attestation.value(), " scale=", attestation.scale(),
                   " decimal=", FormatDecimal(attestation.value(), attestation.scale()),
                   " observed_at_unix_ms=", attestation.observed_at_unix_ms(), " observed_at=",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ",
                                    absl::FromUnixMillis(attestation.observed_at_unix_ms()),
                                    absl::UTCTimeZone()),
                   " rounded=", progress.rounded ? "yes" : "no");
  }
  if (!progress.detail.empty()) {
    std::string detail = progress.detail;
    for (char& c : detail) {
      if (c == '"' || c == '\n') c = '\'';
    }
    line += Concat(" detail=\"", detail, "\"");
  }
  return line;
}

}  // namespace argentpoche::oracles
