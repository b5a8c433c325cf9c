// Safe retries. The engine answers a retry with its first answer only when it receives
// the very bytes it applied, and a command's bytes include the time it was signed. So
// poche keeps each signed command in HOME/requests/KEY_ID/ until its outcome is known,
// and a later run with the same key, --request-id and kind of command re-sends the saved
// bytes instead of signing new ones. A command the engine refused is forgotten (it was
// not applied, so the id is free); one that succeeded is kept only when the user chose
// the request id (so running the same command again prints the first answer).
#ifndef ARGENTPOCHE_CLI_OUTBOX_H_
#define ARGENTPOCHE_CLI_OUTBOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "engine/crypto.h"

namespace argentpoche::cli {

struct PreparedCommand {
  v1::SignedCommand request;
  // True when `request` was saved by an earlier run and is sent again as it was.
  bool resent = false;
  int64_t signed_at_unix_ms = 0;
};

class Outbox {
 public:
  // Keeps nothing when `home` is empty.
  explicit Outbox(std::string home) : home_(std::move(home)) {}

  // The command to send: the saved one for the same signer, request id and kind of
  // action, else `command` (whose request id is set) signed now and saved first.
  [[nodiscard]] absl::StatusOr<PreparedCommand> Prepare(const SigningKey& key,
                                                        const v1::Command& command) const;
  // Signs `command` now and saves it, replacing what was saved.
  [[nodiscard]] absl::StatusOr<PreparedCommand> SignAfresh(const SigningKey& key,
                                                           const v1::Command& command) const;
  // Forgets the saved command: its outcome is known.
  void Forget(const SigningKey& key, const std::string& request_id) const;

 private:
  std::string PathOf(const SigningKey& key, const std::string& request_id) const;

  std::string home_;
};

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_OUTBOX_H_
