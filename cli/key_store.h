// The signing keys of the poche client, kept as files in the home directory:
// HOME/keys/NAME.key holds the key's 32-byte seed in hex, with mode 0600 in a 0700
// directory. A key's name is local; its party id (the key id) is what the engine knows.
// Seeds are read and written here only and never printed.
#ifndef ARGENTPOCHE_CLI_KEY_STORE_H_
#define ARGENTPOCHE_CLI_KEY_STORE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/crypto.h"

namespace argentpoche::cli {

class KeyStore {
 public:
  explicit KeyStore(std::string home) : home_(std::move(home)) {}

  // A fresh key saved as `name`. ALREADY_EXISTS "KEY_EXISTS" if there is one: a key is
  // never overwritten.
  [[nodiscard]] absl::StatusOr<SigningKey> Create(std::string_view name) const;

  // The key saved as `name`. NOT_FOUND "KEY_NOT_FOUND"; PERMISSION_DENIED
  // "KEY_FILE_EXPOSED" when other users may read the file.
  [[nodiscard]] absl::StatusOr<SigningKey> Load(std::string_view name) const;

  // The names of the saved keys, sorted.
  [[nodiscard]] absl::StatusOr<std::vector<std::string>> Names() const;

  // The party id meant by `name_or_id`: the id of the key saved under that name, else
  // the text itself when it is a 16-hex party id. Usage error otherwise.
  [[nodiscard]] absl::StatusOr<std::string> ResolveParty(std::string_view name_or_id) const;

  // The name of the saved key whose party id is `party_id`, or "" (for display).
  [[nodiscard]] std::string NameOf(std::string_view party_id) const;

  const std::string& home() const { return home_; }
  std::string KeysDirectory() const;
  std::string PathOf(std::string_view name) const;

 private:
  std::string home_;
};

// True for text that looks like a party id: 16 lowercase hex characters.
[[nodiscard]] bool LooksLikePartyId(std::string_view text);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_KEY_STORE_H_
