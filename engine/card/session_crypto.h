// The cryptography of one card-to-card session: ephemeral X25519 keys, the static
// X25519 keys derived from the cards' Ed25519 keys, the transcript hash chain, the session
// key derivation and the sealing of the payment request (docs/cards.md, "Key schedule").
//
//   EphemeralKey mine = MakeEphemeralKey(random);
//   absl::StatusOr<std::string> shared = X25519(mine.secret(), their_public);
//   std::string key = DeriveSessionKey(*shared_ee, *shared_se, transcript_hash);
//   std::string sealed = SealRequest(key, plaintext, transcript_hash);
//
// Thread-safe: free functions; an EphemeralKey belongs to one session. Secrets (the
// ephemeral secret, static secrets, shared secrets, session keys) are never printed; the
// holders below wipe them (sodium_memzero) when destroyed.
#ifndef ARGENTPOCHE_ENGINE_CARD_SESSION_CRYPTO_H_
#define ARGENTPOCHE_ENGINE_CARD_SESSION_CRYPTO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "engine/card/random_source.h"

namespace argentpoche::card {

// A byte string that is wiped when destroyed or reassigned.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  const std::string& bytes() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }
  void Wipe();

 private:
  std::string bytes_;
};

struct EphemeralKey {
  SecretBytes secret;      // 32 bytes
  std::string public_key;  // 32 bytes
};

[[nodiscard]] EphemeralKey MakeEphemeralKey(RandomSource& random);

// X25519(secret, public). InvalidArgument "BAD_KEY_AGREEMENT" when `public_key` is not 32
// bytes or the result is all zeros (a low-order point).
[[nodiscard]] absl::StatusOr<SecretBytes> X25519(const SecretBytes& secret,
                                                 std::string_view public_key);

// The X25519 secret key matching the Ed25519 key of `seed`.
[[nodiscard]] SecretBytes StaticSecretFromSeed(const SecretBytes& seed);
// The X25519 public key matching the Ed25519 `public_key`. InvalidArgument
// "BAD_KEY_AGREEMENT" when it is not a valid Ed25519 point.
[[nodiscard]] absl::StatusOr<std::string> StaticPublicFromEd25519(std::string_view public_key);

// The transcript's first hash: SHA-256(TaggedBytes(kTranscript, hello)).
[[nodiscard]] std::string TranscriptStart(std::string_view hello);
// The next transcript hash: SHA-256(previous || part).
[[nodiscard]] std::string TranscriptNext(std::string_view previous, std::string_view part);

// The request key: crypto_kdf_derive_from_key(32, 1, "APcard01", master) where master =
// BLAKE2b-256(TaggedBytes(kSessionKey, shared_ee || shared_se || transcript_hash)).
[[nodiscard]] SecretBytes DeriveSessionKey(const SecretBytes& shared_ee,
                                           const SecretBytes& shared_se,
                                           std::string_view transcript_hash);
// A hash of `key` that tests may compare (never the key itself).
[[nodiscard]] std::string KeyFingerprint(const SecretBytes& key);

// ChaCha20-Poly1305 (IETF) under `key` with the nonce 0...01, `associated_data`
// authenticated: plaintext.size() + 16 bytes.
[[nodiscard]] std::string SealRequest(const SecretBytes& key, std::string_view plaintext,
                                      std::string_view associated_data);
// The plaintext, or InvalidArgument "BAD_SEAL" when the tag does not verify.
[[nodiscard]] absl::StatusOr<std::string> OpenRequest(const SecretBytes& key,
                                                      std::string_view sealed,
                                                      std::string_view associated_data);

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): the host's check value on the amount
// it gives the payee card, so that a byte changed on the local link is refused.
[[nodiscard]] uint16_t Crc16(std::string_view bytes);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_SESSION_CRYPTO_H_
