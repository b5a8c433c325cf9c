// Signed envelopes with domain separation. Every signed message of the protocol travels
// as a v1::SignedEnvelope whose body is
//
//   <domain tag> "\n" <payload>
//
// where the payload is a serialized protobuf message and the domain tag (one of the
// `domain` constants) says what kind of message it is. The Ed25519 signature covers the
// exact body bytes, so a signature made for one kind of message (say contract terms)
// can never be replayed as another (say a command). Openers verify the signature over
// the bytes received first, then check the tag; only then may the payload be parsed.
//
//   v1::SignedEnvelope envelope =
//       SealEnvelope(domain::kCommand, command.SerializeAsString(), key);
//   absl::StatusOr<std::string> payload =
//       OpenEnvelope(envelope, domain::kCommand, public_key);
//
// Thread-safety: free functions on values the caller owns; thread-safe. The key passed
// to SealEnvelope is only borrowed for the call. Secret key bytes never reach an error.
#ifndef ARGENTPOCHE_ENGINE_ENVELOPE_H_
#define ARGENTPOCHE_ENGINE_ENVELOPE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/envelope.pb.h"
#include "engine/crypto.h"

namespace argentpoche {

// The domain tags. A tag is never empty and never contains '\n'.
namespace domain {
inline constexpr std::string_view kCommand = "argentpoche/v1/command";
inline constexpr std::string_view kContractTerms = "argentpoche/v1/contract-terms";
inline constexpr std::string_view kContractSignature = "argentpoche/v1/contract-signature";
inline constexpr std::string_view kReceipt = "argentpoche/v1/receipt";
inline constexpr std::string_view kAttestation = "argentpoche/v1/attestation";
}  // namespace domain

// The bytes that get signed: `tag` + '\n' + `payload`. `payload` may hold any bytes,
// newlines included. Aborts (programmer error) if `tag` is empty or contains '\n'.
[[nodiscard]] std::string TaggedBytes(std::string_view tag, std::string_view payload);

// An envelope whose body is TaggedBytes(tag, payload), whose signature is key.Sign(body)
// and whose key_id is key.key_id(). Aborts (programmer error) if `tag` is empty or
// contains '\n', or if `key` was moved from.
[[nodiscard]] v1::SignedEnvelope SealEnvelope(std::string_view tag, std::string_view payload,
                                              const SigningKey& key);

// The payload of `envelope` (its body after the tag line) if it was signed by
// `public_key` (32 raw bytes) as a `tag` message. Checks, in this order, and stops at
// the first failure:
//   - InvalidArgument "MALFORMED_KEY": `public_key` is not kPublicKeyBytes long (a
//     caller or configuration error, reported before looking at the envelope);
//   - InvalidArgument "MALFORMED_ENVELOPE": the signature is not kSignatureBytes long;
//   - Unauthenticated "WRONG_KEY": envelope.key_id() is not KeyIdOf(public_key);
//   - Unauthenticated "BAD_SIGNATURE": the signature does not verify over the exact
//     body bytes with `public_key`;
//   - InvalidArgument "WRONG_DOMAIN": the body does not start with `tag` + "\n"; the
//     message names the tag found (at most 64 characters, non-printable ones shown as
//     '?').
// Nothing in the body is parsed before the signature has been verified. Aborts
// (programmer error) if `tag` is empty or contains '\n'.
[[nodiscard]] absl::StatusOr<std::string> OpenEnvelope(const v1::SignedEnvelope& envelope,
                                                       std::string_view tag,
                                                       std::string_view public_key);

// The tag part of the envelope's body: the bytes before the first '\n', or "" if the
// body has no '\n'. Unverified: for diagnostics only, never for decisions. The view
// points into `envelope`, which must outlive it.
[[nodiscard]] std::string_view EnvelopeDomain(const v1::SignedEnvelope& envelope);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_ENVELOPE_H_
