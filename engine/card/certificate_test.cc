// Tests of card certificates, revocation lists and the card state layout: round trips,
// exact sizes, signatures by the right issuer key only, expiry, revocation, and refusal
// of malformed or truncated bytes.
#include "engine/card/certificate.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/card/apdu.h"
#include "engine/card/card_state.h"
#include "engine/card/card_testing.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

class CertificateTest : public ::testing::Test {
 protected:
  TestIssuer issuer_;
  TestIssuer other_issuer_{"other"};
  const SigningKey card_key_ = *SigningKey::FromSeed(std::string(32, 'k'));  // TEST SEED
  const std::string card_id_ = TestCardId(7);
};

TEST_F(CertificateTest, RoundTripsIn109Bytes) {
  const CardCertificate certificate =
      IssueCertificate(1, card_id_, card_key_.public_key(), kTestExpiryUnixS, issuer_.key(1));
  const std::string bytes = EncodeCertificate(certificate);
  EXPECT_EQ(bytes.size(), 109u);
  const absl::StatusOr<CardCertificate> decoded = DecodeCertificate(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, certificate);
  EXPECT_EQ(ReasonOf(DecodeCertificate(bytes.substr(1)).status()), "MALFORMED_CERTIFICATE");
  EXPECT_EQ(ReasonOf(DecodeCertificate(bytes + "x").status()), "MALFORMED_CERTIFICATE");
}

TEST_F(CertificateTest, ChecksIssuerRevocationAndExpiry) {
  const CardCertificate certificate =
      IssueCertificate(1, card_id_, card_key_.public_key(), kTestExpiryUnixS, issuer_.key(1));
  const std::string& issuer_key = issuer_.key(1).public_key();
  EXPECT_EQ(CheckCertificate(certificate, issuer_key, kTestNowMs, {}), sw::kOk);
  EXPECT_EQ(CheckCertificate(certificate, other_issuer_.key(1).public_key(), kTestNowMs, {}),
            sw::kOtherIssuer);
  EXPECT_EQ(CheckCertificate(certificate, issuer_.key(2).public_key(), kTestNowMs, {}),
            sw::kOtherIssuer);
  EXPECT_EQ(CheckCertificate(certificate, issuer_key, kTestNowMs, {TestCardId(1), card_id_}),
            sw::kCardRevoked);
  EXPECT_EQ(CheckCertificate(certificate, issuer_key, int64_t{kTestExpiryUnixS} * 1000, {}),
            sw::kCertificateExpired);
  CardCertificate tampered = certificate;
  tampered.expires_at_unix_s += 1;
  EXPECT_EQ(CheckCertificate(tampered, issuer_key, kTestNowMs, {}), sw::kOtherIssuer);
}

TEST_F(CertificateTest, RevocationListRoundTripsAndVerifies) {
  const RevocationList list =
      IssueRevocationList(1, 4, {TestCardId(1), TestCardId(2)}, issuer_.key(1));
  const std::string bytes = EncodeRevocationList(list);
  EXPECT_EQ(bytes.size(), 6u + 16u + 64u);
  const absl::StatusOr<RevocationList> decoded = DecodeRevocationList(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->version, 4u);
  EXPECT_EQ(decoded->revoked_card_ids, list.revoked_card_ids);
  EXPECT_TRUE(VerifyRevocationList(*decoded, issuer_.key(1).public_key()));
  EXPECT_FALSE(VerifyRevocationList(*decoded, other_issuer_.key(1).public_key()));
  EXPECT_FALSE(DecodeRevocationList(bytes.substr(0, bytes.size() - 1)).ok());
}

TEST(CardStateTest, RoundTripsAndRefusesDamage) {
  CardState state;
  state.card_id = TestCardId(3);
  state.slots.push_back({1, std::string(32, 's'), std::string(32, 'i'), ""});
  state.purses.push_back({"EUR", 5, 10});
  state.counter = 9;
  state.log.push_back({LogKind::kPayeeAwaiting, 8, TestCardId(4), 2, "EUR", 3});
  state.pin_try_limit = 3;
  state.pin_tries_left = 2;
  state.max_offline_payments = 7;
  state.revoked_card_ids.push_back(TestCardId(9));
  const std::string bytes = EncodeCardState(state);
  const absl::StatusOr<CardState> decoded = DecodeCardState(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, state);
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_EQ(ReasonOf(DecodeCardState(bytes.substr(0, length)).status()), "CORRUPT_CARD_STATE");
  }
  EXPECT_FALSE(DecodeCardState(bytes + "x").ok());
}

}  // namespace
}  // namespace argentpoche::card
