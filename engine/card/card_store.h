// The CardStore port: where a card keeps its persistent state (a real card's EEPROM). A
// card saves its whole state, as one byte string, before it answers any command whose
// answer depends on it; Save is atomic, so a crash leaves the old state or the new one,
// never a mix. MemoryCardStore is for tests; FileCardStore (file_card_store.h) is the
// real one.
//
// Thread-safety: a store belongs to one card; not thread-safe.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_STORE_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_STORE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace argentpoche::card {

class CardStore {
 public:
  virtual ~CardStore() = default;
  // The state last saved. NotFound "NO_CARD_STATE" when none was ever saved; DataLoss
  // "CORRUPT_CARD_STATE" when what is stored fails its integrity check.
  [[nodiscard]] virtual absl::StatusOr<std::string> Load() = 0;
  // Replaces the state with `state`, atomically and durably. Unavailable
  // "CARD_STORE_FAILED" when it could not: then a later Load() returns the previous
  // state or `state` (which one is unknown), so the card must stop until it is reset.
  [[nodiscard]] virtual absl::Status Save(std::string_view state) = 0;
};

// In memory, for tests. Can be told to fail saves: with FailSaves(n) the next n saves
// fail; with `applied`, a failing save still replaces the state (as a crash after the
// rename but before the reply would).
class MemoryCardStore final : public CardStore {
 public:
  [[nodiscard]] absl::StatusOr<std::string> Load() override;
  [[nodiscard]] absl::Status Save(std::string_view state) override;

  void FailSaves(int count, bool applied) {
    failing_saves_ = count;
    failed_saves_applied_ = applied;
  }
  int saves() const { return saves_; }

 private:
  bool has_state_ = false;
  std::string state_;
  int saves_ = 0;
  int failing_saves_ = 0;
  bool failed_saves_applied_ = false;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_STORE_H_
