// The CardTransport port: how host code reaches a card. It carries one command frame to
// the card and brings back its response frame, and nothing else: a reader, a relay box
// (serial, infrared, TCP) or, here, a call into a SoftwareCard in the same process.
// Adapters for real links (PC/SC, relay boxes) implement the same port in adapters/.
//
// Thread-safety: a transport serves one host thread at a time.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_TRANSPORT_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_TRANSPORT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace argentpoche::card {

class SoftwareCard;

class CardTransport {
 public:
  virtual ~CardTransport() = default;
  // The card's response frame to `command`. Unavailable "LINK_DOWN" when the link failed;
  // the command may or may not have reached the card.
  [[nodiscard]] virtual absl::StatusOr<std::string> Transmit(std::string_view command) = 0;
};

// A SoftwareCard in this process. The card is borrowed; Attach() points the transport at
// another one (the same card after a reset, say). With no card attached, every
// Transmit is Unavailable "LINK_DOWN" (the card is out of the reader).
class InProcessTransport final : public CardTransport {
 public:
  explicit InProcessTransport(SoftwareCard* card) : card_(card) {}
  void Attach(SoftwareCard* card) { card_ = card; }
  [[nodiscard]] absl::StatusOr<std::string> Transmit(std::string_view command) override;

 private:
  SoftwareCard* card_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_TRANSPORT_H_
