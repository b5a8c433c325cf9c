// A verifiable random function: RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI (suite 0x03), for
// contracts that draw lots (lotteries, games). The holder of a secret seed proves, for any
// input `alpha`, one 64-byte output `beta`; anyone with the public key checks the proof and
// gets the same `beta`. Nobody else can predict `beta`, and the holder cannot choose it:
// for a valid public key and `alpha` there is exactly one `beta` that verifies.
//
//   std::string seed = RandomBytes(kSeedBytes);         // kept secret, wiped after use
//   std::string public_key = *VrfPublicKey(seed);        // published
//   std::string proof = *VrfProve(seed, "draw 42");      // published with the draw
//   absl::StatusOr<std::string> beta = VrfVerify(public_key, "draw 42", proof);
//
// The secret key is a 32-byte seed, expanded as an Ed25519 seed (RFC 8032 section 5.1.5),
// so VrfPublicKey(seed) equals the Ed25519 public key of the same seed. Never use one seed
// both as a VRF key and as a signing key: the VRF nonce is SHA-512(prefix || H) and the
// Ed25519 nonce SHA-512(prefix || message), so a signature of the 32-byte message H and a
// proof on an alpha that hashes to H would share a nonce and reveal the secret scalar.
//
// Thread-safety: free functions on caller-owned bytes only; all are thread-safe.
// Secrets: the expanded seed, the secret scalar and the nonce are wiped (sodium_memzero)
// before returning; no error message repeats a seed. VrfPublicKey and VrfProve use
// libsodium's constant-time arithmetic on the secret; verification sees public data only
// and takes variable time.
#ifndef ARGENTPOCHE_ENGINE_VRF_H_
#define ARGENTPOCHE_ENGINE_VRF_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace argentpoche {

// Sizes, in bytes, of a VRF public key, a proof (Gamma 32 || c 16 || s 32) and an output.
inline constexpr size_t kVrfPublicKeyBytes = 32;
inline constexpr size_t kVrfProofBytes = 80;
inline constexpr size_t kVrfOutputBytes = 64;

// The 32-byte public key Y = x*B of the 32-byte `seed`. InvalidArgument "MALFORMED_KEY" if
// `seed` is not 32 bytes long.
[[nodiscard]] absl::StatusOr<std::string> VrfPublicKey(std::string_view seed);

// The 80-byte proof of `alpha` (any bytes) under the 32-byte `seed`. Deterministic: the
// same seed and alpha always give the same proof. InvalidArgument "MALFORMED_KEY" if
// `seed` is not 32 bytes long.
[[nodiscard]] absl::StatusOr<std::string> VrfProve(std::string_view seed, std::string_view alpha);

// The 64-byte output beta when `proof` is a valid proof of `alpha` under `public_key`.
// Errors: InvalidArgument "MALFORMED_KEY" if `public_key` is not 32 bytes, is not the
// canonical encoding of a curve point, or is a point of small order; InvalidArgument
// "MALFORMED_PROOF" if `proof` is not 80 bytes, its Gamma is not the canonical encoding of
// a curve point, or its s is not below the group order; Unauthenticated "BAD_PROOF" if it
// is well formed but does not prove `alpha` under `public_key`.
[[nodiscard]] absl::StatusOr<std::string> VrfVerify(std::string_view public_key,
                                                    std::string_view alpha, std::string_view proof);

// The 64-byte output beta named by `proof`, without checking it (RFC 9381
// ECVRF_proof_to_hash): trust it only for a proof VrfVerify accepted, which returns the
// same bytes. InvalidArgument "MALFORMED_PROOF" as in VrfVerify.
[[nodiscard]] absl::StatusOr<std::string> VrfProofToHash(std::string_view proof);

// The RFC's intermediate steps, exposed for the known-answer tests only. Each takes
// well-formed inputs (the sizes above; H a point from VrfEncodeToCurve) and aborts on
// anything else. The secret ones return copies the caller must wipe.
namespace vrf_internal {

// ECVRF_encode_to_curve_try_and_increment: H (32 bytes) for `public_key` and `alpha`.
// Sets `*counter` (if not null) to the ctr that succeeded.
[[nodiscard]] std::string EncodeToCurve(std::string_view public_key, std::string_view alpha,
                                        int* counter);
// The secret scalar x (32 bytes, clamped, not reduced) of `seed`. Secret.
[[nodiscard]] std::string SecretScalar(std::string_view seed);
// ECVRF_nonce_generation_RFC8032 before reduction: SHA-512(prefix || h_string). Secret.
[[nodiscard]] std::string NonceString(std::string_view seed, std::string_view h_string);
// ECVRF_challenge_generation: the 16-byte c_string over the five 32-byte points.
[[nodiscard]] std::string ChallengeString(std::string_view y, std::string_view h,
                                          std::string_view gamma, std::string_view u,
                                          std::string_view v);

}  // namespace vrf_internal
}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_VRF_H_
