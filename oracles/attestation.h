// What the oracle daemon signs and sends: the AnnounceEvent command for an event, the
// Attestation of a computed value sealed in its envelope (domain "argentpoche/v1/
// attestation"), and the SubmitAttestation command carrying it.
//
// What it promises: everything here is deterministic. The request ids are digests of the
// content (feed, event and window for an announcement; feed, event, value, scale and
// observation moment for an attestation), and Ed25519 signatures are deterministic, so a
// daemon restarted after a crash sends the same command again and the engine answers with
// its first answer instead of applying it twice. Only issued_at (set by SignCommand)
// differs between tries, which the engine allows for a retry.
//
// Thread-safe (free functions). The key is borrowed for the call only; nothing here logs.
#ifndef ARGENTPOCHE_ORACLES_ATTESTATION_H_
#define ARGENTPOCHE_ORACLES_ATTESTATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/crypto.h"
#include "oracles/oracle_event.h"
#include "oracles/rational.h"

namespace argentpoche::oracles {

// The announcement of `event`: expected_at = observe_from = ObservedAtUnixMs(event),
// observe_until = that + window_ms, with a short description. InvalidArgument
// "BAD_WINDOW" when window_ms is not positive or the window's end overflows.
[[nodiscard]] absl::StatusOr<v1::AnnounceEvent> MakeAnnouncement(const EventSpec& event,
                                                                 int64_t window_ms);

// The attestation of `value` for `event` by the oracle whose party id and attestation
// key id are both `key_id`, observed at ObservedAtUnixMs(event).
[[nodiscard]] v1::Attestation MakeAttestation(const EventSpec& event, const RoundedValue& value,
                                              const std::string& key_id);

// "oracle-announce-<32 hex>" and "oracle-attest-<32 hex>": digests of the content.
[[nodiscard]] std::string AnnounceRequestId(const v1::AnnounceEvent& announcement);
[[nodiscard]] std::string AttestRequestId(const v1::Attestation& attestation);

// The unsigned commands, request id set (SignCommand fills caller and issued_at).
[[nodiscard]] v1::Command AnnounceCommand(const v1::AnnounceEvent& announcement);
// Seals `attestation` with `key` (SealEnvelope(domain::kAttestation, ...)). Aborts
// (programmer error) when the attestation's key ids are not key.key_id().
[[nodiscard]] v1::Command AttestCommand(const v1::Attestation& attestation, const SigningKey& key);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_ATTESTATION_H_
