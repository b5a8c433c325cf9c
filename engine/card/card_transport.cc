// The in-process transport (see card_transport.h).
#include "engine/card/card_transport.h"

#include <string>
#include <string_view>

#include "engine/card/software_card.h"
#include "engine/status.h"

namespace argentpoche::card {

absl::StatusOr<std::string> InProcessTransport::Transmit(std::string_view command) {
  if (card_ == nullptr) {
    return Error(absl::StatusCode::kUnavailable, "LINK_DOWN", "no card in the reader");
  }
  return card_->Process(command);
}

}  // namespace argentpoche::card
