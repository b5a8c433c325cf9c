#include "engine/vrf.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

// A point (RFC 8032 encoding) or a scalar (32 bytes, little-endian).
using Bytes32 = std::array<unsigned char, 32>;

// The RFC 9381 suite string and domain separators of ECVRF-EDWARDS25519-SHA512-TAI.
constexpr unsigned char kSuite = 0x03;
constexpr unsigned char kEncodeToCurveFront = 0x01;
constexpr unsigned char kChallengeFront = 0x02;
constexpr unsigned char kProofToHashFront = 0x03;
constexpr unsigned char kSeparatorBack = 0x00;
constexpr size_t kChallengeBytes = 16;
// ctr is one byte (int_to_string(ctr, 1)): 256 failures in a row have probability 2^-256.
constexpr int kEncodeToCurveAttemptsMax = 256;
// The neutral element, (0, 1).
constexpr Bytes32 kIdentity = {1};

static_assert(kVrfProofBytes == 32 + kChallengeBytes + 32);

// Bytes that are wiped when they go out of scope.
template <size_t N>
struct Secret {
  std::array<unsigned char, N> bytes{};
  Secret() = default;
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { sodium_memzero(bytes.data(), bytes.size()); }
};

const unsigned char* Data(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
std::string_view View(const unsigned char* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}
std::string_view View(const Bytes32& bytes) { return View(bytes.data(), bytes.size()); }
Bytes32 ToBytes32(std::string_view text) {
  POCHE_CHECK(text.size() == 32);
  Bytes32 bytes;
  std::copy(text.begin(), text.end(), bytes.begin());
  return bytes;
}

// SHA-512 of the concatenation of `pieces` into `digest`.
void Sha512(std::initializer_list<std::string_view> pieces, unsigned char* digest) {
  crypto_hash_sha512_state state;
  POCHE_CHECK(crypto_hash_sha512_init(&state) == 0);
  for (std::string_view piece : pieces) {
    POCHE_CHECK(crypto_hash_sha512_update(&state, Data(piece), piece.size()) == 0);
  }
  POCHE_CHECK(crypto_hash_sha512_final(&state, digest) == 0);
  sodium_memzero(&state, sizeof state);  // It held the seed or the nonce prefix.
}

std::string_view Byte(const unsigned char& byte) { return View(&byte, 1); }

// `narrow` (its first `size` bytes, little-endian) mod L, the order of the prime-order
// subgroup.
void Reduce(const unsigned char* narrow, size_t size, Bytes32& reduced) {
  Secret<64> wide;  // Zero-extended: crypto_core_ed25519_scalar_reduce reads 64 bytes.
  std::copy(narrow, narrow + size, wide.bytes.begin());
  crypto_core_ed25519_scalar_reduce(reduced.data(), wide.bytes.data());
}

// The RFC 8032 section 5.1.5 expansion of a seed: the clamped scalar x (first half) and
// the nonce prefix (second half); and x reduced mod L.
void ExpandSeed(std::string_view seed, Secret<64>& expanded, Secret<32>& x_reduced) {
  POCHE_CHECK(seed.size() == kSeedBytes);
  Sha512({seed}, expanded.bytes.data());
  expanded.bytes[0] &= 248;
  expanded.bytes[31] &= 127;
  expanded.bytes[31] |= 64;
  Reduce(expanded.bytes.data(), 32, x_reduced.bytes);
}

bool IsIdentity(const Bytes32& point) { return point == kIdentity; }

// RFC 8032 section 5.1.3 decoding, as RFC 9381's string_to_point: y below p = 2^255 - 19,
// no sign bit on x = 0, and x^2 = (y^2 - 1) / (d y^2 + 1) solvable. Any point of the
// curve passes, small-order ones included. libsodium's crypto_core_ed25519_is_valid_point
// is stricter (prime-order subgroup only), so the first two rules are checked here and
// the third by crypto_core_ed25519_add, which decodes any point of the curve.
bool DecodesToPoint(const Bytes32& point) {
  const unsigned char top = point[31] & 0x7f;
  const bool sign = (point[31] & 0x80) != 0;
  bool middle_all_ones = true;
  bool middle_all_zeros = true;
  for (size_t i = 1; i < 31; ++i) {
    middle_all_ones = middle_all_ones && point[i] == 0xff;
    middle_all_zeros = middle_all_zeros && point[i] == 0x00;
  }
  const bool high_all_ones = middle_all_ones && top == 0x7f;
  if (high_all_ones && point[0] >= 0xed) return false;  // y >= p.
  const bool y_is_one = middle_all_zeros && top == 0 && point[0] == 1;
  const bool y_is_minus_one = high_all_ones && point[0] == 0xec;
  if (sign && (y_is_one || y_is_minus_one)) return false;  // x = 0 has no negative.
  Bytes32 sum;
  return crypto_core_ed25519_add(sum.data(), point.data(), kIdentity.data()) == 0;
}

Bytes32 Add(const Bytes32& a, const Bytes32& b) {
  Bytes32 sum;
  POCHE_CHECK(crypto_core_ed25519_add(sum.data(), a.data(), b.data()) == 0);
  return sum;
}
Bytes32 Subtract(const Bytes32& a, const Bytes32& b) {
  Bytes32 difference;
  POCHE_CHECK(crypto_core_ed25519_sub(difference.data(), a.data(), b.data()) == 0);
  return difference;
}
Bytes32 TimesCofactor(const Bytes32& point) {
  Bytes32 result = point;
  for (int doubling = 0; doubling < 3; ++doubling) result = Add(result, result);
  return result;
}

// n*B for a reduced scalar n.
Bytes32 MultiplyBase(const Bytes32& n) {
  if (sodium_is_zero(n.data(), n.size())) return kIdentity;
  Bytes32 product;
  POCHE_CHECK(crypto_scalarmult_ed25519_base_noclamp(product.data(), n.data()) == 0);
  return product;
}

// n*P for a reduced scalar n and any decoded point P. libsodium multiplies points of the
// prime-order subgroup only; any other P is split as M + T with M = 8^-1 * (8P) in the
// subgroup and T = P - M of order dividing 8, so that n*P = n*M + (n mod 8)*T.
Bytes32 Multiply(const Bytes32& n, const Bytes32& point) {
  if (sodium_is_zero(n.data(), n.size())) return kIdentity;
  Bytes32 product;
  // Refused only when P is outside the subgroup: 0 < n < L makes n*P the identity there.
  if (crypto_scalarmult_ed25519_noclamp(product.data(), n.data(), point.data()) == 0) {
    return product;
  }
  static const Bytes32 kInverseOfEight = [] {
    Bytes32 eight = {8};
    Bytes32 inverse;
    POCHE_CHECK(crypto_core_ed25519_scalar_invert(inverse.data(), eight.data()) == 0);
    return inverse;
  }();
  const Bytes32 eight_times = TimesCofactor(point);
  Bytes32 main_part = kIdentity;
  product = kIdentity;
  if (!IsIdentity(eight_times)) {
    main_part = Multiply(kInverseOfEight, eight_times);
    product = Multiply(n, main_part);
  }
  const Bytes32 torsion_part = Subtract(point, main_part);
  for (int i = 0; i < (n[0] & 7); ++i) product = Add(product, torsion_part);
  return product;
}

Bytes32 EncodeToCurve(std::string_view public_key, std::string_view alpha, int* counter) {
  for (int attempt = 0; attempt < kEncodeToCurveAttemptsMax; ++attempt) {
    const unsigned char ctr = static_cast<unsigned char>(attempt);
    std::array<unsigned char, crypto_hash_sha512_BYTES> digest;
    Sha512({Byte(kSuite), Byte(kEncodeToCurveFront), public_key, alpha, Byte(ctr),
            Byte(kSeparatorBack)},
           digest.data());
    Bytes32 candidate;
    std::copy(digest.begin(), digest.begin() + 32, candidate.begin());
    if (!DecodesToPoint(candidate)) continue;
    const Bytes32 point = TimesCofactor(candidate);
    if (IsIdentity(point)) continue;
    if (counter != nullptr) *counter = attempt;
    return point;
  }
  POCHE_CHECK(false && "encode_to_curve found no point in 256 attempts");
  return kIdentity;
}

// The 16-byte challenge, zero-extended to a scalar.
Bytes32 Challenge(const Bytes32& y, const Bytes32& h, const Bytes32& gamma, const Bytes32& u,
                  const Bytes32& v) {
  std::array<unsigned char, crypto_hash_sha512_BYTES> digest;
  Sha512({Byte(kSuite), Byte(kChallengeFront), View(y), View(h), View(gamma), View(u), View(v),
          Byte(kSeparatorBack)},
         digest.data());
  Bytes32 c{};
  std::copy(digest.begin(), digest.begin() + kChallengeBytes, c.begin());
  return c;
}

std::string ProofToHash(const Bytes32& gamma) {
  std::string beta(kVrfOutputBytes, '\0');
  Sha512({Byte(kSuite), Byte(kProofToHashFront), View(TimesCofactor(gamma)), Byte(kSeparatorBack)},
         reinterpret_cast<unsigned char*>(beta.data()));
  return beta;
}

struct DecodedProof {
  Bytes32 gamma;
  Bytes32 c{};
  Bytes32 s;
};

// ECVRF_decode_proof: Gamma a point, s below L.
absl::StatusOr<DecodedProof> DecodeProof(std::string_view proof) {
  if (proof.size() != kVrfProofBytes) {
    return InvalidArgument("MALFORMED_PROOF", Concat("a VRF proof is ", kVrfProofBytes,
                                                     " bytes, this one is ", proof.size()));
  }
  DecodedProof decoded;
  decoded.gamma = ToBytes32(proof.substr(0, 32));
  std::copy(proof.begin() + 32, proof.begin() + 48, decoded.c.begin());
  decoded.s = ToBytes32(proof.substr(48));
  if (!DecodesToPoint(decoded.gamma)) {
    return InvalidArgument("MALFORMED_PROOF",
                           "the proof's Gamma is not the canonical encoding of a curve point");
  }
  Bytes32 reduced;
  Reduce(decoded.s.data(), decoded.s.size(), reduced);
  if (reduced != decoded.s) {
    return InvalidArgument("MALFORMED_PROOF", "the proof's s is not below the group order");
  }
  return decoded;
}

absl::Status CheckSeed(std::string_view seed) {
  if (seed.size() == kSeedBytes) return absl::OkStatus();
  return InvalidArgument("MALFORMED_KEY",
                         Concat("a VRF seed is ", kSeedBytes, " bytes, this one is ", seed.size()));
}

}  // namespace

absl::StatusOr<std::string> VrfPublicKey(std::string_view seed) {
  InitCrypto();
  POCHE_RETURN_IF_ERROR(CheckSeed(seed));
  Secret<64> expanded;
  Secret<32> x;
  ExpandSeed(seed, expanded, x);
  return std::string(View(MultiplyBase(x.bytes)));
}

absl::StatusOr<std::string> VrfProve(std::string_view seed, std::string_view alpha) {
  InitCrypto();
  POCHE_RETURN_IF_ERROR(CheckSeed(seed));
  Secret<64> expanded;
  Secret<32> x;
  ExpandSeed(seed, expanded, x);
  const Bytes32 y = MultiplyBase(x.bytes);
  const Bytes32 h = EncodeToCurve(View(y), alpha, nullptr);
  const Bytes32 gamma = Multiply(x.bytes, h);
  Secret<64> k_string;
  Sha512({View(expanded.bytes.data() + 32, 32), View(h)}, k_string.bytes.data());
  Secret<32> k;
  crypto_core_ed25519_scalar_reduce(k.bytes.data(), k_string.bytes.data());
  const Bytes32 c = Challenge(y, h, gamma, MultiplyBase(k.bytes), Multiply(k.bytes, h));
  Secret<32> c_times_x;
  crypto_core_ed25519_scalar_mul(c_times_x.bytes.data(), c.data(), x.bytes.data());
  Bytes32 s;
  crypto_core_ed25519_scalar_add(s.data(), k.bytes.data(), c_times_x.bytes.data());
  return Concat(View(gamma), View(c.data(), kChallengeBytes), View(s));
}

absl::StatusOr<std::string> VrfVerify(std::string_view public_key, std::string_view alpha,
                                      std::string_view proof) {
  InitCrypto();
  if (public_key.size() != kVrfPublicKeyBytes) {
    return InvalidArgument("MALFORMED_KEY", Concat("a VRF public key is ", kVrfPublicKeyBytes,
                                                   " bytes, this one is ", public_key.size()));
  }
  const Bytes32 y = ToBytes32(public_key);
  if (!DecodesToPoint(y)) {
    return InvalidArgument("MALFORMED_KEY",
                           "the VRF public key is not the canonical encoding of a curve point");
  }
  if (IsIdentity(TimesCofactor(y))) {  // ECVRF_validate_key.
    return InvalidArgument("MALFORMED_KEY", "the VRF public key is a point of small order");
  }
  POCHE_ASSIGN_OR_RETURN(const DecodedProof decoded, DecodeProof(proof));
  const Bytes32 h = EncodeToCurve(public_key, alpha, nullptr);
  const Bytes32 u = Subtract(MultiplyBase(decoded.s), Multiply(decoded.c, y));
  const Bytes32 v = Subtract(Multiply(decoded.s, h), Multiply(decoded.c, decoded.gamma));
  const Bytes32 c = Challenge(y, h, decoded.gamma, u, v);
  if (sodium_memcmp(c.data(), decoded.c.data(), kChallengeBytes) != 0) {
    return Unauthenticated("BAD_PROOF", "the VRF proof does not prove this input under this key");
  }
  return ProofToHash(decoded.gamma);
}

absl::StatusOr<std::string> VrfProofToHash(std::string_view proof) {
  InitCrypto();
  POCHE_ASSIGN_OR_RETURN(const DecodedProof decoded, DecodeProof(proof));
  return ProofToHash(decoded.gamma);
}

namespace vrf_internal {

std::string EncodeToCurve(std::string_view public_key, std::string_view alpha, int* counter) {
  InitCrypto();
  POCHE_CHECK(public_key.size() == kVrfPublicKeyBytes);
  return std::string(View(argentpoche::EncodeToCurve(public_key, alpha, counter)));
}

std::string SecretScalar(std::string_view seed) {
  InitCrypto();
  Secret<64> expanded;
  Secret<32> x;
  ExpandSeed(seed, expanded, x);
  return std::string(View(expanded.bytes.data(), 32));
}

std::string NonceString(std::string_view seed, std::string_view h_string) {
  InitCrypto();
  POCHE_CHECK(h_string.size() == 32);
  Secret<64> expanded;
  Secret<32> x;
  ExpandSeed(seed, expanded, x);
  std::string k_string(crypto_hash_sha512_BYTES, '\0');
  Sha512({View(expanded.bytes.data() + 32, 32), h_string},
         reinterpret_cast<unsigned char*>(k_string.data()));
  return k_string;
}

std::string ChallengeString(std::string_view y, std::string_view h, std::string_view gamma,
                            std::string_view u, std::string_view v) {
  InitCrypto();
  const Bytes32 c =
      Challenge(ToBytes32(y), ToBytes32(h), ToBytes32(gamma), ToBytes32(u), ToBytes32(v));
  return std::string(View(c.data(), kChallengeBytes));
}

}  // namespace vrf_internal
}  // namespace argentpoche
