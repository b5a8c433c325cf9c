// Issuer-signed documents a card checks: the card certificate (card id, card public key,
// generation, expiry) and the revocation list (versioned list of revoked card ids), in
// compact fixed binary layouts (docs/cards.md). The issuer key that signs a document is
// the one of its generation: a card trusts one issuer public key per generation it holds.
//
//   CardCertificate certificate = IssueCertificate(1, card_id, public_key, expiry, issuer);
//   std::string bytes = EncodeCertificate(certificate);            // 109 bytes
//   absl::StatusOr<CardCertificate> back = DecodeCertificate(bytes);
//   uint16_t status_word = CheckCertificate(*back, issuer.public_key(), now, revoked);
//
// Thread-safe: free functions on values. The issuer's SigningKey is only borrowed.
#ifndef ARGENTPOCHE_ENGINE_CARD_CERTIFICATE_H_
#define ARGENTPOCHE_ENGINE_CARD_CERTIFICATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/crypto.h"

namespace argentpoche::card {

// generation(1) card_id(8) public_key(32) expires_at_unix_s(4), then signature(64).
inline constexpr size_t kCertificateBodyBytes = 1 + 8 + kPublicKeyBytes + 4;
inline constexpr size_t kCertificateBytes = kCertificateBodyBytes + kSignatureBytes;

struct CardCertificate {
  uint8_t generation = 0;
  std::string card_id;     // kCardIdBytes
  std::string public_key;  // Ed25519, kPublicKeyBytes
  uint32_t expires_at_unix_s = 0;
  std::string signature;  // by the issuer key of `generation`

  bool operator==(const CardCertificate&) const = default;
};

// A certificate signed by `issuer_key`. Aborts (programmer error) if card_id or
// public_key has the wrong length or generation is 0.
[[nodiscard]] CardCertificate IssueCertificate(uint8_t generation, std::string_view card_id,
                                               std::string_view public_key,
                                               uint32_t expires_at_unix_s,
                                               const SigningKey& issuer_key);

[[nodiscard]] std::string EncodeCertificate(const CardCertificate& certificate);
// InvalidArgument "MALFORMED_CERTIFICATE" unless `bytes` is exactly kCertificateBytes.
// Does not check the signature.
[[nodiscard]] absl::StatusOr<CardCertificate> DecodeCertificate(std::string_view bytes);

// The status word a card answers to a peer's certificate, checked in this order:
// kOtherIssuer (the signature does not verify with `issuer_public_key`), kCardRevoked
// (its card id is in `revoked_card_ids`), kCertificateExpired (expires_at <= now), else
// kOk.
[[nodiscard]] uint16_t CheckCertificate(const CardCertificate& certificate,
                                        std::string_view issuer_public_key, int64_t now_unix_ms,
                                        const std::vector<std::string>& revoked_card_ids);

// generation(1) version(4) count(1) card_ids(8 x count), then signature(64).
struct RevocationList {
  uint8_t generation = 0;
  uint32_t version = 0;
  std::vector<std::string> revoked_card_ids;  // at most kMaxRevokedCards
  std::string signature;
};

// A revocation list signed by `issuer_key`. Aborts (programmer error) on more than
// kMaxRevokedCards ids or an id of the wrong length.
[[nodiscard]] RevocationList IssueRevocationList(uint8_t generation, uint32_t version,
                                                 std::vector<std::string> revoked_card_ids,
                                                 const SigningKey& issuer_key);
[[nodiscard]] std::string EncodeRevocationList(const RevocationList& list);
// InvalidArgument "MALFORMED_REVOCATION_LIST" when the layout or count is wrong. Does not
// check the signature.
[[nodiscard]] absl::StatusOr<RevocationList> DecodeRevocationList(std::string_view bytes);
// True when the signature verifies with `issuer_public_key`.
[[nodiscard]] bool VerifyRevocationList(const RevocationList& list,
                                        std::string_view issuer_public_key);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CERTIFICATE_H_
