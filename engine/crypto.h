// The engine's cryptographic primitives, all backed by libsodium: Ed25519 signing keys
// and signature verification, SHA-256, key ids, hex encoding and random bytes.
//
// Initialization: every function and constructor here calls InitCrypto() itself (one
// atomic load once libsodium is up), so callers never need to. Calling it early, e.g.
// at the top of main(), only moves the one-time cost.
//
// Thread-safety: the free functions are thread-safe. SigningKey is immutable after
// construction, so const calls on one key may run concurrently; Sha256Hasher is not
// thread-safe (one hasher per thread).
//
// Ownership and secrets: a SigningKey owns its 64-byte Ed25519 secret key and zeroes it
// (sodium_memzero) on destruction and when moved from. Secret key bytes never appear in
// a log or an error message produced here; SigningKey::Seed() is the only way out and
// exists to write key files.
#ifndef ARGENTPOCHE_ENGINE_CRYPTO_H_
#define ARGENTPOCHE_ENGINE_CRYPTO_H_

#include <sodium.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace argentpoche {

// Sizes, in bytes, of raw (not hex) Ed25519 public keys, signatures and seeds, and of
// SHA-256 digests.
inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kSeedBytes = 32;
inline constexpr size_t kSha256Bytes = 32;

// Initializes libsodium once for the whole process. Idempotent and thread-safe: the
// first call runs sodium_init(), later and concurrent calls wait for it then return.
// Aborts through POCHE_CHECK if libsodium cannot initialize (no usable randomness):
// the engine cannot run without it.
void InitCrypto();

// An Ed25519 signing key (the secret key and its public key). Move-only; see the file
// comment for how the secret is handled. A moved-from key is empty: its public_key()
// and key_id() are "", and calling Seed() or Sign() on it is a programmer error that
// aborts.
class SigningKey {
 public:
  // A fresh key from libsodium's CSPRNG.
  static SigningKey Generate();

  // The key whose 32-byte seed is `seed` (raw bytes, as returned by Seed()). The same
  // seed always gives the same key. InvalidArgument "MALFORMED_KEY" if `seed` is not
  // kSeedBytes long; the error never shows the seed's bytes.
  static absl::StatusOr<SigningKey> FromSeed(std::string_view seed);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // The 32-byte raw seed, from which FromSeed() rebuilds this key. For writing key files
  // only: the caller owns the copy and should wipe it (sodium_memzero) when done.
  [[nodiscard]] std::string Seed() const;

  // The 32-byte raw Ed25519 public key.
  const std::string& public_key() const { return public_key_; }

  // KeyIdOf(public_key()): 16 lowercase hex characters.
  const std::string& key_id() const { return key_id_; }

  // The 64-byte Ed25519 detached signature of `message` (any bytes, any length).
  // Deterministic: the same key and message give the same signature.
  [[nodiscard]] std::string Sign(std::string_view message) const;

 private:
  SigningKey();
  // Fills public_key_ and key_id_ from public_key_bytes.
  void SetPublicKey(const unsigned char* public_key_bytes);
  // Zeroes the secret and empties the public key and key id.
  void Clear() noexcept;

  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key_;
  std::string public_key_;
  std::string key_id_;
};

// True if and only if `signature` is a valid Ed25519 signature of `message` by
// `public_key`. False, never a crash, when `public_key` is not kPublicKeyBytes long or
// `signature` is not kSignatureBytes long, or when the key is not a valid point.
[[nodiscard]] bool VerifySignature(std::string_view public_key, std::string_view message,
                                   std::string_view signature);

// The id of a public key: the lowercase hex of the first 8 bytes of
// SHA-256(public_key), 16 characters. Accepts any bytes; it does not validate the key.
[[nodiscard]] std::string KeyIdOf(std::string_view public_key);

// The 32-byte raw SHA-256 digest of `data`.
[[nodiscard]] std::string Sha256(std::string_view data);

// SHA-256 over data given in pieces: Update() any number of times, then Finish().
// Hashing "a" then "bc" gives Sha256("abc"). Copyable (a copy continues independently).
class Sha256Hasher {
 public:
  Sha256Hasher();

  // Appends `data` to the bytes being hashed.
  void Update(std::string_view data);

  // The 32-byte raw digest of everything given to Update() since construction or the
  // last Finish(). Resets the hasher, which may then start a new digest.
  [[nodiscard]] std::string Finish();

 private:
  crypto_hash_sha256_state state_;
};

// The lowercase hex encoding of `bytes` (2 characters per byte).
[[nodiscard]] std::string Hex(std::string_view bytes);

// The bytes encoded by `hex`: an even number of hex digits, upper or lower case, with
// nothing else (no spaces, no "0x"). "" decodes to "". InvalidArgument "MALFORMED_HEX"
// otherwise; the error never repeats the input, which may be a secret.
[[nodiscard]] absl::StatusOr<std::string> FromHex(std::string_view hex);

// `count` bytes from libsodium's CSPRNG.
[[nodiscard]] std::string RandomBytes(size_t count);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CRYPTO_H_
