// RemoteCardTransport and ServeCard (see remote_card.h).
#include "adapters/card_link/remote_card.h"

#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card_link {

absl::StatusOr<std::string> RemoteCardTransport::Transmit(std::string_view command) {
  absl::Status sent = link_.Send(command, timeout_ms_);
  absl::StatusOr<std::string> response =
      sent.ok() ? link_.Receive(timeout_ms_) : absl::StatusOr<std::string>(sent);
  if (!response.ok()) {
    return Error(absl::StatusCode::kUnavailable, "LINK_DOWN",
                 Concat("the link to the peer box failed: ", response.status().message()));
  }
  ++round_trips_;
  return response;
}

absl::Status ServeCard(FrameLink& link, card::CardTransport& card, const ServeOptions& options) {
  for (int answered = 0;; ++answered) {
    absl::StatusOr<std::string> command = link.Receive(options.frame_timeout_ms);
    if (!command.ok()) {
      return ReasonOf(command.status()) == "LINK_CLOSED" ? absl::OkStatus() : command.status();
    }
    absl::StatusOr<std::string> response = card.Transmit(*command);
    if (!response.ok()) return response.status();
    if (options.drop_after_frames >= 0 && answered >= options.drop_after_frames) {
      link.Close();
      return Error(absl::StatusCode::kUnavailable, "LINK_DROPPED",
                   Concat("test drill: link cut after ", answered, " frames answered"));
    }
    if (absl::Status sent = link.Send(*response, options.frame_timeout_ms); !sent.ok()) {
      return sent;
    }
  }
}

}  // namespace argentpoche::card_link
