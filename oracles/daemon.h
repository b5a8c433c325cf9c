// The oracle daemon's work, one pass at a time: for every configured event it announces
// the event to the engine, then, once the data covers the event and its moment has come,
// computes the value and submits the signed attestation. The caller (main.cc) decides
// how often to pass (once, or every poll interval until Finished()).
//
//   OracleDaemon daemon(options, {.key = &key, .engine = &engine, .weather = &weather,
//                                 .clock = &clock});
//   daemon.RunPass();
//   for (const EventProgress& each : daemon.events()) std::cout << ReportLine(each) << "\n";
//
// How it treats the engine's answers:
//   - AnnounceEvent refused ALREADY_EXISTS or FAILED_PRECONDITION (another oracle
//     announced it, with this window or another), or DEADLINE_IN_PAST (the window is
//     over, but the event may have been announced while it was open): logged, and the
//     daemon goes on to the attestation, which the engine checks against the event as
//     stored.
//   - SubmitAttestation refused ALREADY_EXISTS "ATTESTATION_REPLAYED": attested already.
//   - UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, UNKNOWN, INTERNAL,
//     FAILED_PRECONDITION, PERMISSION_DENIED, NOT_FOUND: tried again on the next pass (a
//     network failure, or state the operator can fix: the oracle not registered yet).
//   - Anything else (INVALID_ARGUMENT, UNIMPLEMENTED, ...): the event failed for good.
// A dry run computes and reports the attestations without contacting the engine.
//
// Logs one JSON line per action on stderr (engine/event_log.h, component "poche-oracle"):
// feeds, events, values, request ids, party ids, the engine's codes and reasons; never
// key material, signatures or command bytes.
//
// Not thread-safe. Everything in DaemonPorts is borrowed and must outlive the daemon.
#ifndef ARGENTPOCHE_ORACLES_DAEMON_H_
#define ARGENTPOCHE_ORACLES_DAEMON_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "argentpoche/v1/oracle.pb.h"
#include "engine/clock.h"
#include "engine/crypto.h"
#include "oracles/daily_weather.h"
#include "oracles/oracle_engine.h"
#include "oracles/oracle_event.h"
#include "oracles/price_ticks.h"
#include "oracles/rational.h"

namespace argentpoche::oracles {

inline constexpr std::string_view kOracleComponent = "poche-oracle";
inline constexpr int64_t kDefaultWindowMs = 7LL * 24 * 60 * 60 * 1000;

struct DaemonOptions {
  // At most limits::kMaxEvents.
  std::vector<EventSpec> events;
  // The scale of every event when set; otherwise DefaultWeatherScale (weather) or
  // price_scale (price). At most limits::kMaxScale.
  std::optional<uint32_t> scale;
  uint32_t price_scale = 0;
  // observe_until - observe_from of the announcements.
  int64_t window_ms = kDefaultWindowMs;
  bool dry_run = false;
};

// What the daemon works with. key and engine may be null in a dry run only; weather and
// prices may be null when no event needs them.
struct DaemonPorts {
  const SigningKey* key = nullptr;
  OracleEngine* engine = nullptr;
  DailyWeatherSource* weather = nullptr;
  PriceTickSource* prices = nullptr;
  const Clock* clock = nullptr;
};

enum class EventStatus {
  kPending,      // Not looked at yet.
  kWaiting,      // The data does not cover the event yet, or its moment has not come.
  kUnavailable,  // The data covers the event but lacks a day or a tick (DATA_MISSING).
  kDataError,    // The data could not be read (file, format); tried again next pass.
  kRetrying,     // The engine did not answer, or refused for a reason that may pass.
  kFailed,       // The engine refused for good.
  kWouldAttest,  // Dry run: computed, not sent.
  kAttested,     // The engine holds the attestation (sent now or on an earlier run).
};

struct EventProgress {
  EventSpec event;
  EventStatus status = EventStatus::kPending;
  bool announced = false;
  // Why, for the statuses other than kWouldAttest and kAttested: "REASON: message".
  std::string detail = {};
  // Set once the value is computed.
  std::optional<v1::Attestation> attestation = {};
  // True when the value lost digits to the scale.
  bool rounded = false;
};

class OracleDaemon {
 public:
  // Aborts (programmer error) when a port the options need is null, or with more events
  // than limits::kMaxEvents.
  OracleDaemon(DaemonOptions options, DaemonPorts ports);

  // One pass over the events not finished yet. `stop_requested`, when given, is asked
  // before each event: once it answers true, the pass ends there.
  void RunPass(const std::function<bool()>& stop_requested = nullptr);

  // True when no further pass can change anything: every event is attested, would be
  // attested (dry run) or failed.
  [[nodiscard]] bool Finished() const;
  // True when every event is attested, would be attested or still waiting for its data.
  [[nodiscard]] bool AllAttestedOrWaiting() const;

  const std::vector<EventProgress>& events() const { return events_; }

 private:
  // Each sets progress.status (and detail) unless it succeeds.
  bool Announce(EventProgress& progress);
  std::optional<RoundedValue> Compute(EventProgress& progress);
  void Submit(EventProgress& progress);
  // Sets the status and logs it when it changed.
  void SetStatus(EventProgress& progress, EventStatus status, std::string detail);
  uint32_t ScaleOf(const EventSpec& event) const;

  // Constant after construction.
  const DaemonOptions options_;
  const DaemonPorts ports_;

  std::vector<EventProgress> events_;
};

// "attested", "waiting", ...
[[nodiscard]] std::string_view StatusName(EventStatus status);

// The line printed for an event: its status, then key=value fields, for example
//   attested feed=weather/fte/KNYC/rain_mm event=2014-07-01..2014-07-31 value=141986
//     scale=3 decimal=141.986 observed_at_unix_ms=1406851200000
//     observed_at=2014-08-01T00:00:00Z rounded=no
//   waiting feed=... event=... detail="DATA_MISSING: no observation for ..."
[[nodiscard]] std::string ReportLine(const EventProgress& progress);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_DAEMON_H_
