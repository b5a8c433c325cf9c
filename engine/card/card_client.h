// Host-side calls to a card over a CardTransport, for everything but the payment itself
// (payment_session.h): reading its public key and status, installing its certificate and
// revocation list, presenting a PIN, and the two halves of a sync (reading the signed
// report, delivering the issuer's acknowledgement). Host code holds no card secrets.
//
//   absl::StatusOr<CardStatus> status = ReadCardStatus(transport);
//   absl::StatusOr<std::string> report = ReadSyncReport(transport, challenge);
//
// Errors: the transport's (Unavailable "LINK_DOWN"), FailedPrecondition "CARD_REFUSED"
// with the status word's name in the message (StatusWordOf() gives it back), and
// InvalidArgument "MALFORMED_ANSWER" when a card's answer has the wrong shape.
// Thread-safe as the transport is.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_CLIENT_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_CLIENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/card/apdu.h"
#include "engine/card/card_state.h"
#include "engine/card/card_transport.h"
#include "engine/card/certificate.h"
#include "engine/card/sync_report.h"

namespace argentpoche::card {

// One command and its response, whatever the status word. Only link and framing errors
// are errors here.
[[nodiscard]] absl::StatusOr<ResponseFrame> Call(CardTransport& transport,
                                                 const CommandFrame& command);
// The status word of a "CARD_REFUSED" error from this file, else 0.
[[nodiscard]] uint16_t StatusWordOf(const absl::Status& status);

struct CardPublicKey {
  std::string card_id;
  std::string public_key;
};
[[nodiscard]] absl::StatusOr<CardPublicKey> ReadPublicKey(CardTransport& transport,
                                                          uint8_t generation);
[[nodiscard]] absl::Status InstallCertificate(CardTransport& transport,
                                              const CardCertificate& certificate);
[[nodiscard]] absl::Status InstallRevocationList(CardTransport& transport,
                                                 const RevocationList& list);
[[nodiscard]] absl::Status PresentPin(CardTransport& transport, std::string_view pin);

struct CardStatus {
  uint32_t counter = 0;
  uint16_t offline_payments = 0;
  uint16_t max_offline_payments = 0;
  uint8_t log_entries = 0;
  uint8_t pin_tries_left = 0;
  std::vector<Purse> purses;
};
[[nodiscard]] absl::StatusOr<CardStatus> ReadCardStatus(CardTransport& transport);

// The card's signed sync report for `challenge` (kChallengeBytes), read in frames.
[[nodiscard]] absl::StatusOr<std::string> ReadSyncReport(CardTransport& transport,
                                                         std::string_view challenge,
                                                         uint8_t generation = 0);
[[nodiscard]] absl::Status AcknowledgeSync(CardTransport& transport,
                                           const SyncAcknowledgement& ack);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_CLIENT_H_
