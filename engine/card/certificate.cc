// Card certificates and revocation lists (see certificate.h).
#include "engine/card/certificate.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/bytes.h"
#include "engine/card/card_domains.h"
#include "engine/card/card_limits.h"
#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

std::string CertificateBody(const CardCertificate& certificate) {
  ByteWriter writer;
  writer.U8(certificate.generation)
      .Raw(certificate.card_id)
      .Raw(certificate.public_key)
      .U32(certificate.expires_at_unix_s);
  return writer.Take();
}

std::string RevocationListBody(const RevocationList& list) {
  ByteWriter writer;
  writer.U8(list.generation)
      .U32(list.version)
      .U8(static_cast<uint8_t>(list.revoked_card_ids.size()));
  for (const std::string& card_id : list.revoked_card_ids) writer.Raw(card_id);
  return writer.Take();
}

}  // namespace

CardCertificate IssueCertificate(uint8_t generation, std::string_view card_id,
                                 std::string_view public_key, uint32_t expires_at_unix_s,
                                 const SigningKey& issuer_key) {
  POCHE_CHECK(generation != 0);
  POCHE_CHECK(card_id.size() == kCardIdBytes);
  POCHE_CHECK(public_key.size() == kPublicKeyBytes);
  CardCertificate certificate;
  certificate.generation = generation;
  certificate.card_id.assign(card_id);
  certificate.public_key.assign(public_key);
  certificate.expires_at_unix_s = expires_at_unix_s;
  certificate.signature =
      issuer_key.Sign(TaggedBytes(domain::kCertificate, CertificateBody(certificate)));
  return certificate;
}

std::string EncodeCertificate(const CardCertificate& certificate) {
  std::string bytes = CertificateBody(certificate);
  bytes.append(certificate.signature);
  POCHE_CHECK(bytes.size() == kCertificateBytes);
  return bytes;
}

absl::StatusOr<CardCertificate> DecodeCertificate(std::string_view bytes) {
  if (bytes.size() != kCertificateBytes) {
    return InvalidArgument(
        "MALFORMED_CERTIFICATE",
        Concat("a card certificate is ", kCertificateBytes, " bytes, this is ", bytes.size()));
  }
  CardCertificate certificate;
  ByteReader reader(bytes);
  POCHE_CHECK(reader.U8(certificate.generation) && reader.Raw(kCardIdBytes, certificate.card_id) &&
              reader.Raw(kPublicKeyBytes, certificate.public_key) &&
              reader.U32(certificate.expires_at_unix_s) &&
              reader.Raw(kSignatureBytes, certificate.signature) && reader.done());
  return certificate;
}

uint16_t CheckCertificate(const CardCertificate& certificate, std::string_view issuer_public_key,
                          int64_t now_unix_ms, const std::vector<std::string>& revoked_card_ids) {
  if (!VerifySignature(issuer_public_key,
                       TaggedBytes(domain::kCertificate, CertificateBody(certificate)),
                       certificate.signature)) {
    return sw::kOtherIssuer;
  }
  if (std::find(revoked_card_ids.begin(), revoked_card_ids.end(), certificate.card_id) !=
      revoked_card_ids.end()) {
    return sw::kCardRevoked;
  }
  if (int64_t{certificate.expires_at_unix_s} * 1000 <= now_unix_ms) {
    return sw::kCertificateExpired;
  }
  return sw::kOk;
}

RevocationList IssueRevocationList(uint8_t generation, uint32_t version,
                                   std::vector<std::string> revoked_card_ids,
                                   const SigningKey& issuer_key) {
  POCHE_CHECK(revoked_card_ids.size() <= kMaxRevokedCards);
  for (const std::string& card_id : revoked_card_ids) POCHE_CHECK(card_id.size() == kCardIdBytes);
  RevocationList list;
  list.generation = generation;
  list.version = version;
  list.revoked_card_ids = std::move(revoked_card_ids);
  list.signature = issuer_key.Sign(TaggedBytes(domain::kRevocationList, RevocationListBody(list)));
  return list;
}

std::string EncodeRevocationList(const RevocationList& list) {
  return RevocationListBody(list) + list.signature;
}

absl::StatusOr<RevocationList> DecodeRevocationList(std::string_view bytes) {
  RevocationList list;
  ByteReader reader(bytes);
  uint8_t count = 0;
  bool ok = reader.U8(list.generation) && reader.U32(list.version) && reader.U8(count) &&
            count <= kMaxRevokedCards;
  for (uint8_t index = 0; ok && index < count; ++index) {
    std::string card_id;
    ok = reader.Raw(kCardIdBytes, card_id);
    list.revoked_card_ids.push_back(std::move(card_id));
  }
  ok = ok && reader.Raw(kSignatureBytes, list.signature) && reader.done();
  if (!ok) {
    return InvalidArgument("MALFORMED_REVOCATION_LIST",
                           Concat("a revocation list is 6 + 8 x count + 64 bytes with at most ",
                                  kMaxRevokedCards, " card ids"));
  }
  return list;
}

bool VerifyRevocationList(const RevocationList& list, std::string_view issuer_public_key) {
  return VerifySignature(issuer_public_key,
                         TaggedBytes(domain::kRevocationList, RevocationListBody(list)),
                         list.signature);
}

}  // namespace argentpoche::card
