// FileCardStore: a card's state in one file, replaced atomically. Save writes the new
// state to "<path>.tmp", fsyncs it, renames it over <path> and fsyncs the directory, so
// that after a crash at any point <path> holds the old state or the new one, never a mix
// (a rename is atomic; a leftover temporary file is ignored and overwritten). The file
// carries a magic, the length and a SHA-256 of the state, so damage is reported, never
// loaded.
//
//   file: "APCARD01" length(4, big-endian) state SHA-256(state)(32)
//
// For tests, a crash hook is called before each step of Save; when it returns true, Save
// stops there as a crash would (after writing half the temporary file, for kWriteTemp),
// and returns Unavailable "CARD_STORE_FAILED".
//
// Thread-safety: one card per store, not thread-safe. The directory must exist.
#ifndef ARGENTPOCHE_ENGINE_CARD_FILE_CARD_STORE_H_
#define ARGENTPOCHE_ENGINE_CARD_FILE_CARD_STORE_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/card/card_store.h"

namespace argentpoche::card {

enum class SaveStep { kCreateTemp, kWriteTemp, kSyncTemp, kRename, kSyncDirectory };

class FileCardStore final : public CardStore {
 public:
  using CrashHook = std::function<bool(SaveStep)>;
  explicit FileCardStore(std::string path, CrashHook crash_before = nullptr)
      : path_(std::move(path)), crash_before_(std::move(crash_before)) {}

  // NotFound "NO_CARD_STATE" when the file does not exist; DataLoss "CORRUPT_CARD_STATE"
  // when its magic, length or digest is wrong; Unavailable "CARD_STORE_FAILED" on an I/O
  // error.
  [[nodiscard]] absl::StatusOr<std::string> Load() override;
  [[nodiscard]] absl::Status Save(std::string_view state) override;

  void set_crash_hook(CrashHook crash_before) { crash_before_ = std::move(crash_before); }
  const std::string& path() const { return path_; }

 private:
  bool CrashBefore(SaveStep step) const { return crash_before_ && crash_before_(step); }

  std::string path_;
  CrashHook crash_before_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_FILE_CARD_STORE_H_
