#include "engine/crypto.h"

#include <sodium.h>

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/check.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

static_assert(kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);
static_assert(kSeedBytes == crypto_sign_SEEDBYTES);
static_assert(kSha256Bytes == crypto_hash_sha256_BYTES);

// Number of leading SHA-256 bytes that make a key id.
constexpr size_t kKeyIdDigestBytes = 8;

const unsigned char* Bytes(std::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

unsigned char* MutableBytes(std::string& data) {
  return reinterpret_cast<unsigned char*>(data.data());
}

}  // namespace

void InitCrypto() {
  // A function-local static is initialized exactly once, and concurrent callers wait
  // for it (C++11 "magic statics"); afterwards this is a single guard check.
  [[maybe_unused]] static const bool initialized = [] {
    // sodium_init() returns 0 on first success, 1 if already initialized, -1 on failure.
    POCHE_CHECK(sodium_init() >= 0);
    return true;
  }();
}

SigningKey::SigningKey() : secret_key_{} {}

SigningKey SigningKey::Generate() {
  InitCrypto();
  SigningKey key;
  unsigned char public_key_bytes[crypto_sign_PUBLICKEYBYTES];
  POCHE_CHECK(crypto_sign_keypair(public_key_bytes, key.secret_key_.data()) == 0);
  key.SetPublicKey(public_key_bytes);
  return key;
}

absl::StatusOr<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  InitCrypto();
  if (seed.size() != kSeedBytes) {
    return InvalidArgument("MALFORMED_KEY", absl::StrCat("a signing key seed is ", kSeedBytes,
                                                         " bytes, this one is ", seed.size()));
  }
  SigningKey key;
  unsigned char public_key_bytes[crypto_sign_PUBLICKEYBYTES];
  POCHE_CHECK(crypto_sign_seed_keypair(public_key_bytes, key.secret_key_.data(), Bytes(seed)) == 0);
  key.SetPublicKey(public_key_bytes);
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : secret_key_(other.secret_key_),
      public_key_(std::move(other.public_key_)),
      key_id_(std::move(other.key_id_)) {
  other.Clear();
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    Clear();
    secret_key_ = other.secret_key_;
    public_key_ = std::move(other.public_key_);
    key_id_ = std::move(other.key_id_);
    other.Clear();
  }
  return *this;
}

SigningKey::~SigningKey() { Clear(); }

void SigningKey::Clear() noexcept {
  sodium_memzero(secret_key_.data(), secret_key_.size());
  public_key_.clear();
  key_id_.clear();
}

void SigningKey::SetPublicKey(const unsigned char* public_key_bytes) {
  public_key_.assign(reinterpret_cast<const char*>(public_key_bytes), crypto_sign_PUBLICKEYBYTES);
  key_id_ = KeyIdOf(public_key_);
}

std::string SigningKey::Seed() const {
  InitCrypto();
  POCHE_CHECK(!public_key_.empty());  // Not a moved-from key.
  std::string seed(kSeedBytes, '\0');
  POCHE_CHECK(crypto_sign_ed25519_sk_to_seed(MutableBytes(seed), secret_key_.data()) == 0);
  return seed;
}

std::string SigningKey::Sign(std::string_view message) const {
  InitCrypto();
  POCHE_CHECK(!public_key_.empty());  // Not a moved-from key.
  std::string signature(kSignatureBytes, '\0');
  POCHE_CHECK(crypto_sign_detached(MutableBytes(signature), nullptr, Bytes(message), message.size(),
                                   secret_key_.data()) == 0);
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  InitCrypto();
  if (public_key.size() != kPublicKeyBytes || signature.size() != kSignatureBytes) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

std::string KeyIdOf(std::string_view public_key) {
  return Hex(std::string_view(Sha256(public_key)).substr(0, kKeyIdDigestBytes));
}

std::string Sha256(std::string_view data) {
  InitCrypto();
  std::string digest(kSha256Bytes, '\0');
  POCHE_CHECK(crypto_hash_sha256(MutableBytes(digest), Bytes(data), data.size()) == 0);
  return digest;
}

Sha256Hasher::Sha256Hasher() {
  InitCrypto();
  POCHE_CHECK(crypto_hash_sha256_init(&state_) == 0);
}

void Sha256Hasher::Update(std::string_view data) {
  POCHE_CHECK(crypto_hash_sha256_update(&state_, Bytes(data), data.size()) == 0);
}

std::string Sha256Hasher::Finish() {
  std::string digest(kSha256Bytes, '\0');
  POCHE_CHECK(crypto_hash_sha256_final(&state_, MutableBytes(digest)) == 0);
  POCHE_CHECK(crypto_hash_sha256_init(&state_) == 0);
  return digest;
}

std::string Hex(std::string_view bytes) {
  InitCrypto();
  // sodium_bin2hex (constant time, so safe on seeds) writes a terminating NUL too.
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), Bytes(bytes), bytes.size());
  hex.pop_back();
  return hex;
}

absl::StatusOr<std::string> FromHex(std::string_view hex) {
  InitCrypto();
  if (hex.size() % 2 != 0) {
    return InvalidArgument("MALFORMED_HEX", absl::StrCat("hex has an even number of digits, this "
                                                         "has ",
                                                         hex.size()));
  }
  std::string bytes(hex.size() / 2, '\0');
  size_t decoded_size = 0;
  // With no `ignore` characters and no `hex_end`, sodium_hex2bin (constant time) fails
  // unless every input character is a hex digit.
  if (sodium_hex2bin(MutableBytes(bytes), bytes.size(), hex.data(), hex.size(), nullptr,
                     &decoded_size, nullptr) != 0 ||
      decoded_size != bytes.size()) {
    sodium_memzero(bytes.data(), bytes.size());
    return InvalidArgument("MALFORMED_HEX",
                           "hex holds only the digits 0-9 and a-f (or A-F), this holds another "
                           "character");
  }
  return bytes;
}

std::string RandomBytes(size_t count) {
  InitCrypto();
  std::string bytes(count, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

}  // namespace argentpoche
