// Session cryptography (see session_crypto.h).
#include "engine/card/session_crypto.h"

#include <sodium.h>

#include <string>
#include <string_view>

#include "engine/card/card_domains.h"
#include "engine/card/card_limits.h"
#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

static_assert(kX25519Bytes == crypto_scalarmult_BYTES);
static_assert(kAeadTagBytes == crypto_aead_chacha20poly1305_ietf_ABYTES);

// The KDF context: 8 bytes, as crypto_kdf requires.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "APcard01";
constexpr uint64_t kRequestKeyId = 1;

const unsigned char* Bytes(std::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

unsigned char* MutableBytes(std::string& data) {
  return reinterpret_cast<unsigned char*>(data.data());
}

absl::Status BadAgreement() {
  return InvalidArgument("BAD_KEY_AGREEMENT", "the peer's key cannot be used for key agreement");
}

std::string RequestNonce() {
  std::string nonce(crypto_aead_chacha20poly1305_ietf_NPUBBYTES, '\0');
  nonce.back() = 1;
  return nonce;
}

}  // namespace

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.Wipe();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.Wipe();
  }
  return *this;
}

SecretBytes::~SecretBytes() { Wipe(); }

void SecretBytes::Wipe() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
  bytes_.clear();
}

EphemeralKey MakeEphemeralKey(RandomSource& random) {
  InitCrypto();
  EphemeralKey key;
  key.secret = SecretBytes(random.Bytes(crypto_scalarmult_SCALARBYTES));
  key.public_key.assign(crypto_scalarmult_BYTES, '\0');
  POCHE_CHECK(crypto_scalarmult_base(MutableBytes(key.public_key), Bytes(key.secret.bytes())) == 0);
  return key;
}

absl::StatusOr<SecretBytes> X25519(const SecretBytes& secret, std::string_view public_key) {
  InitCrypto();
  POCHE_CHECK(secret.bytes().size() == crypto_scalarmult_SCALARBYTES);
  if (public_key.size() != crypto_scalarmult_BYTES) return BadAgreement();
  std::string shared(crypto_scalarmult_BYTES, '\0');
  // Returns -1 when the result is all zeros (the peer sent a low-order point).
  if (crypto_scalarmult(MutableBytes(shared), Bytes(secret.bytes()), Bytes(public_key)) != 0) {
    sodium_memzero(shared.data(), shared.size());
    return BadAgreement();
  }
  return SecretBytes(std::move(shared));
}

SecretBytes StaticSecretFromSeed(const SecretBytes& seed) {
  InitCrypto();
  POCHE_CHECK(seed.bytes().size() == crypto_sign_SEEDBYTES);
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  POCHE_CHECK(crypto_sign_seed_keypair(public_key, secret_key, Bytes(seed.bytes())) == 0);
  std::string x25519_secret(crypto_scalarmult_SCALARBYTES, '\0');
  POCHE_CHECK(crypto_sign_ed25519_sk_to_curve25519(MutableBytes(x25519_secret), secret_key) == 0);
  sodium_memzero(secret_key, sizeof(secret_key));
  return SecretBytes(std::move(x25519_secret));
}

absl::StatusOr<std::string> StaticPublicFromEd25519(std::string_view public_key) {
  InitCrypto();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES) return BadAgreement();
  std::string x25519_public(crypto_scalarmult_BYTES, '\0');
  if (crypto_sign_ed25519_pk_to_curve25519(MutableBytes(x25519_public), Bytes(public_key)) != 0) {
    return BadAgreement();
  }
  return x25519_public;
}

std::string TranscriptStart(std::string_view hello) {
  return Sha256(TaggedBytes(domain::kTranscript, hello));
}

std::string TranscriptNext(std::string_view previous, std::string_view part) {
  Sha256Hasher hasher;
  hasher.Update(previous);
  hasher.Update(part);
  return hasher.Finish();
}

SecretBytes DeriveSessionKey(const SecretBytes& shared_ee, const SecretBytes& shared_se,
                             std::string_view transcript_hash) {
  InitCrypto();
  std::string input = shared_ee.bytes() + shared_se.bytes() + std::string(transcript_hash);
  const SecretBytes tagged(TaggedBytes(domain::kSessionKey, input));
  sodium_memzero(input.data(), input.size());
  std::string master(crypto_kdf_KEYBYTES, '\0');
  POCHE_CHECK(crypto_generichash(MutableBytes(master), master.size(), Bytes(tagged.bytes()),
                                 tagged.bytes().size(), nullptr, 0) == 0);
  const SecretBytes master_key(std::move(master));
  std::string request_key(crypto_aead_chacha20poly1305_ietf_KEYBYTES, '\0');
  POCHE_CHECK(crypto_kdf_derive_from_key(MutableBytes(request_key), request_key.size(),
                                         kRequestKeyId, kKdfContext,
                                         Bytes(master_key.bytes())) == 0);
  return SecretBytes(std::move(request_key));
}

std::string KeyFingerprint(const SecretBytes& key) {
  return Sha256(TaggedBytes("argentpoche/v1/card-key-fingerprint", key.bytes()));
}

std::string SealRequest(const SecretBytes& key, std::string_view plaintext,
                        std::string_view associated_data) {
  InitCrypto();
  POCHE_CHECK(key.bytes().size() == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
  std::string sealed(plaintext.size() + crypto_aead_chacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long sealed_size = 0;
  const std::string nonce = RequestNonce();
  POCHE_CHECK(crypto_aead_chacha20poly1305_ietf_encrypt(
                  MutableBytes(sealed), &sealed_size, Bytes(plaintext), plaintext.size(),
                  Bytes(associated_data), associated_data.size(), nullptr, Bytes(nonce),
                  Bytes(key.bytes())) == 0);
  POCHE_CHECK(sealed_size == sealed.size());
  return sealed;
}

absl::StatusOr<std::string> OpenRequest(const SecretBytes& key, std::string_view sealed,
                                        std::string_view associated_data) {
  InitCrypto();
  POCHE_CHECK(key.bytes().size() == crypto_aead_chacha20poly1305_ietf_KEYBYTES);
  if (sealed.size() < crypto_aead_chacha20poly1305_ietf_ABYTES) {
    return InvalidArgument("BAD_SEAL", "the sealed request is too short");
  }
  std::string plaintext(sealed.size() - crypto_aead_chacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plaintext_size = 0;
  const std::string nonce = RequestNonce();
  if (crypto_aead_chacha20poly1305_ietf_decrypt(
          MutableBytes(plaintext), &plaintext_size, nullptr, Bytes(sealed), sealed.size(),
          Bytes(associated_data), associated_data.size(), Bytes(nonce), Bytes(key.bytes())) != 0) {
    return InvalidArgument("BAD_SEAL", "the sealed request does not verify");
  }
  return plaintext;
}

uint16_t Crc16(std::string_view bytes) {
  uint16_t crc = 0xFFFF;
  for (char byte : bytes) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(byte) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

}  // namespace argentpoche::card
