// The in-memory card store (see card_store.h).
#include "engine/card/card_store.h"

#include <string>
#include <string_view>

#include "engine/status.h"

namespace argentpoche::card {

absl::StatusOr<std::string> MemoryCardStore::Load() {
  if (!has_state_) return NotFound("NO_CARD_STATE", "this card has never saved a state");
  return state_;
}

absl::Status MemoryCardStore::Save(std::string_view state) {
  ++saves_;
  if (failing_saves_ > 0) {
    --failing_saves_;
    if (failed_saves_applied_) {
      state_.assign(state);
      has_state_ = true;
    }
    return Error(absl::StatusCode::kUnavailable, "CARD_STORE_FAILED",
                 "the card's memory refused the write (injected failure)");
  }
  state_.assign(state);
  has_state_ = true;
  return absl::OkStatus();
}

}  // namespace argentpoche::card
