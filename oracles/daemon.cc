#include "oracles/daemon.h"

#include "absl/time/time.h"
#include "engine/check.h"
#include "engine/command_signing.h"
#include "engine/event_log.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/attestation.h"
#include "oracles/limits.h"
#include "oracles/price_index.h"
#include "oracles/weather_index.h"

namespace argentpoche::oracles {
namespace {

std::string DetailOf(const absl::Status& status) {
  const std::string reason = ReasonOf(status);
  return Concat(reason.empty() ? absl::StatusCodeToString(status.code()) : reason, ": ",
                status.message());
}

// Refusals that may pass: a failure in transit, or state someone can fix.
bool MayPass(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
      return true;
    default:
      return false;
  }
}

std::string TimeText(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

void Log(std::string_view event, const EventProgress& progress,
         std::initializer_list<LogField> more = {}) {
  std::vector<LogField> fields = {{"feed", progress.event.feed},
                                  {"event_id", progress.event.event_id}};
  fields.insert(fields.end(), more.begin(), more.end());
  // LogEvent takes an initializer list: the common shapes spelled out.
  switch (fields.size()) {
    case 2:
      LogEvent(kOracleComponent, event, {fields[0], fields[1]});
      break;
    case 3:
      LogEvent(kOracleComponent, event, {fields[0], fields[1], fields[2]});
      break;
    case 4:
      LogEvent(kOracleComponent, event, {fields[0], fields[1], fields[2], fields[3]});
      break;
    default:
      POCHE_CHECK(fields.size() == 5);
      LogEvent(kOracleComponent, event, {fields[0], fields[1], fields[2], fields[3], fields[4]});
      break;
  }
}

}  // namespace

OracleDaemon::OracleDaemon(DaemonOptions options, DaemonPorts ports)
    : options_(std::move(options)), ports_(ports) {
  POCHE_CHECK(options_.events.size() <= limits::kMaxEvents);
  POCHE_CHECK(ports_.clock != nullptr);
  POCHE_CHECK(options_.dry_run || (ports_.key != nullptr && ports_.engine != nullptr));
  for (const EventSpec& event : options_.events) {
    POCHE_CHECK(event.kind == EventKind::kWeather ? ports_.weather != nullptr
                                                  : ports_.prices != nullptr);
    events_.push_back(EventProgress{.event = event});
  }
}

uint32_t OracleDaemon::ScaleOf(const EventSpec& event) const {
  if (options_.scale.has_value()) return *options_.scale;
  return event.kind == EventKind::kWeather ? DefaultWeatherScale(event.weather_feed)
                                           : options_.price_scale;
}

void OracleDaemon::SetStatus(EventProgress& progress, EventStatus status, std::string detail) {
  const bool changed = progress.status != status || progress.detail != detail;
  progress.status = status;
  progress.detail = std::move(detail);
  if (changed) Log(StatusName(status), progress, {{"detail", progress.detail}});
}

void OracleDaemon::RunPass(const std::function<bool()>& stop_requested) {
  for (EventProgress& progress : events_) {
    if (stop_requested && stop_requested()) return;
    if (progress.status == EventStatus::kAttested || progress.status == EventStatus::kFailed ||
        progress.status == EventStatus::kWouldAttest) {
      continue;
    }
    if (!Announce(progress)) continue;
    // An attestation sent once is sent again as it was (its outcome may be unknown), never
    // recomputed from data that may have changed meanwhile.
    if (!progress.attestation.has_value()) {
      const std::optional<RoundedValue> value = Compute(progress);
      if (!value.has_value()) continue;
      progress.attestation =
          MakeAttestation(progress.event, *value, ports_.key ? ports_.key->key_id() : "");
      progress.rounded = value->rounded;
    }
    Submit(progress);
  }
}

bool OracleDaemon::Announce(EventProgress& progress) {
  if (progress.announced || options_.dry_run) return true;
  absl::StatusOr<v1::AnnounceEvent> announcement =
      MakeAnnouncement(progress.event, options_.window_ms);
  if (!announcement.ok()) {
    SetStatus(progress, EventStatus::kFailed, DetailOf(announcement.status()));
    return false;
  }
  const v1::Command command = AnnounceCommand(*announcement);
  absl::StatusOr<v1::OracleEvent> answer =
      ports_.engine->AnnounceEvent(SignCommand(command, *ports_.key, ports_.clock->NowUnixMs()));
  const absl::StatusCode code = answer.status().code();
  if (answer.ok()) {
    Log("announced", progress,
        {{"request_id", command.request_id()},
         {"observe_until", TimeText(announcement->observe_until_unix_ms())},
         {"announced_by", answer->announced_by_party_id()}});
  } else if (code == absl::StatusCode::kAlreadyExists ||
             code == absl::StatusCode::kFailedPrecondition ||
             ReasonOf(answer.status()) == "DEADLINE_IN_PAST") {
    Log("announce_refused_continuing", progress,
        {{"request_id", command.request_id()}, {"detail", DetailOf(answer.status())}});
  } else {
    SetStatus(progress, MayPass(code) ? EventStatus::kRetrying : EventStatus::kFailed,
              DetailOf(answer.status()));
    return false;
  }
  progress.announced = true;
  return true;
}

std::optional<RoundedValue> OracleDaemon::Compute(EventProgress& progress) {
  const EventSpec& event = progress.event;
  const int64_t observed_at = ObservedAtUnixMs(event);
  if (ports_.clock->NowUnixMs() < observed_at) {
    SetStatus(progress, EventStatus::kWaiting,
              Concat("NOT_YET_OBSERVED: the value is observed at ", TimeText(observed_at)));
    return std::nullopt;
  }
  absl::StatusOr<IndexValue> value;
  bool covered = false;
  if (event.kind == EventKind::kWeather) {
    absl::StatusOr<DailyWeather> weather = ports_.weather->Read(event.period);
    if (!weather.ok()) {
      SetStatus(progress, EventStatus::kDataError, DetailOf(weather.status()));
      return std::nullopt;
    }
    covered = weather->latest_day.has_value() &&
              DayStartUnixMs(*weather->latest_day) >= DayStartUnixMs(event.period.end);
    value = ComputeWeatherIndex(event.weather_feed, event.period, *weather, ScaleOf(event));
  } else {
    absl::StatusOr<std::vector<PriceTick>> ticks = ports_.prices->ReadTicks();
    if (!ticks.ok()) {
      SetStatus(progress, EventStatus::kDataError, DetailOf(ticks.status()));
      return std::nullopt;
    }
    covered = PriceTicksCover(event.price_event, *ticks);
    value = covered
                ? ComputePriceIndex(event.price_event, *ticks, ScaleOf(event))
                : FailedPrecondition("DATA_MISSING",
                                     ticks->empty() ? "the data holds no tick yet"
                                                    : Concat("the ticks end at ",
                                                             TimeText(ticks->back().time_unix_ms),
                                                             ", before the event's end"));
  }
  if (value.ok()) return value->rounded;
  // A day or tick missing: still to come, or a gap in data that covers the event. Invalid
  // input (a period too long) no data can fix; anything else is the data's fault.
  EventStatus status = EventStatus::kDataError;
  if (ReasonOf(value.status()) == "DATA_MISSING") {
    status = covered ? EventStatus::kUnavailable : EventStatus::kWaiting;
  } else if (value.status().code() == absl::StatusCode::kInvalidArgument) {
    status = EventStatus::kFailed;
  }
  SetStatus(progress, status, DetailOf(value.status()));
  return std::nullopt;
}

void OracleDaemon::Submit(EventProgress& progress) {
  const v1::Attestation& attestation = *progress.attestation;
  const std::string request_id = AttestRequestId(attestation);
  const LogField value{"value", FormatDecimal(attestation.value(), attestation.scale())};
  if (options_.dry_run) {
    progress.status = EventStatus::kWouldAttest;
    progress.detail.clear();
    Log("would_attest", progress,
        {value, {"observed_at", TimeText(attestation.observed_at_unix_ms())}});
    return;
  }
  absl::StatusOr<v1::AttestationReceipt> receipt = ports_.engine->SubmitAttestation(
      SignCommand(AttestCommand(attestation, *ports_.key), *ports_.key, ports_.clock->NowUnixMs()));
  if (receipt.ok() || ReasonOf(receipt.status()) == "ATTESTATION_REPLAYED") {
    progress.status = EventStatus::kAttested;
    progress.detail.clear();
    Log(receipt.ok() ? "attested" : "attested_already", progress,
        {value,
         {"request_id", request_id},
         {"affected_contracts",
          std::to_string(receipt.ok() ? receipt->affected_contract_ids_size() : 0)}});
    return;
  }
  SetStatus(progress,
            MayPass(receipt.status().code()) ? EventStatus::kRetrying : EventStatus::kFailed,
            DetailOf(receipt.status()));
}

bool OracleDaemon::Finished() const {
  for (const EventProgress& progress : events_) {
    if (progress.status != EventStatus::kAttested && progress.status != EventStatus::kFailed &&
        progress.status != EventStatus::kWouldAttest) {
      return false;
    }
  }
  return true;
}

bool OracleDaemon::AllAttestedOrWaiting() const {
  for (const EventProgress& progress : events_) {
    if (progress.status != EventStatus::kAttested && progress.status != EventStatus::kWouldAttest &&
        progress.status != EventStatus::kWaiting) {
      return false;
    }
  }
  return true;
}

}  // namespace argentpoche::oracles
