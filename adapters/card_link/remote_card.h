// The two halves of a payment between relay boxes. The paying box's host code runs the
// PaymentSession with its own card behind an InProcessTransport and the peer's card behind
// a RemoteCardTransport, which sends each command frame over the link and waits for the
// response frame. The peer box runs ServeCard: frame in, its card's answer out. Neither
// knows a key or checks what it carries; the cards do.
//
//   RemoteCardTransport peer(*link, 3000);
//   PaymentSession(own_transport, peer).Run({"EUR", 1250});
//   ...                                           // on the other box:
//   absl::Status served = ServeCard(*link, own_transport, {.frame_timeout_ms = 3000});
//
// Thread-safety: one thread at a time. The link and transports are borrowed.
#ifndef ARGENTPOCHE_ADAPTERS_CARD_LINK_REMOTE_CARD_H_
#define ARGENTPOCHE_ADAPTERS_CARD_LINK_REMOTE_CARD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/card_link/frame_link.h"
#include "engine/card/card_transport.h"

namespace argentpoche::card_link {

class RemoteCardTransport final : public card::CardTransport {
 public:
  RemoteCardTransport(FrameLink& link, int timeout_ms) : link_(link), timeout_ms_(timeout_ms) {}
  // The peer card's response. Every failure of the link (timeout, hang-up, oversize frame)
  // is Unavailable "LINK_DOWN", as the port says; the message keeps the cause.
  [[nodiscard]] absl::StatusOr<std::string> Transmit(std::string_view command) override;
  // Command/response pairs completed.
  [[nodiscard]] int round_trips() const { return round_trips_; }

 private:
  FrameLink& link_;
  int timeout_ms_;
  int round_trips_ = 0;
};

struct ServeOptions {
  // The longest wait for the next command frame (and to send a response).
  int frame_timeout_ms = 5000;
  // TEST DRILL, never for use: after answering this many frames, feed the next one to
  // the card, drop its response and close the link, as a cut would (-1: never).
  int drop_after_frames = -1;
};

// Serves `card` to the peer box until the peer closes the link: OK then. Otherwise the
// link's error (LINK_DOWN, LINK_TIMEOUT, FRAME_TOO_LONG, STOPPED), or Unavailable
// "LINK_DROPPED" when the test drill cut it.
[[nodiscard]] absl::Status ServeCard(FrameLink& link, card::CardTransport& card,
                                     const ServeOptions& options);

}  // namespace argentpoche::card_link

#endif  // ARGENTPOCHE_ADAPTERS_CARD_LINK_REMOTE_CARD_H_
