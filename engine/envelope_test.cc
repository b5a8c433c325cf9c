#include "engine/envelope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/envelope.pb.h"
#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// A payload with the bytes most likely to confuse a parser: newlines, NUL, high bytes.
const std::string& SamplePayload() {
  static constexpr char kBytes[] = "line one\nline two\n\0\xff tail";
  static const std::string* const payload = new std::string(kBytes, sizeof(kBytes) - 1);
  return *payload;
}

// An envelope carrying `body` verbatim, signed by `key` (bypasses TaggedBytes, to
// build bodies SealEnvelope refuses to make).
v1::SignedEnvelope SignRawBody(const std::string& body, const SigningKey& key) {
  v1::SignedEnvelope envelope;
  envelope.set_body(body);
  envelope.set_signature(key.Sign(body));
  envelope.set_key_id(key.key_id());
  return envelope;
}

TEST(TaggedBytesTest, IsTagThenNewlineThenPayload) {
  EXPECT_EQ(TaggedBytes(domain::kCommand, "payload"), "argentpoche/v1/command\npayload");
  EXPECT_EQ(TaggedBytes(domain::kReceipt, ""), "argentpoche/v1/receipt\n");
  EXPECT_EQ(TaggedBytes("t", SamplePayload()), "t\n" + SamplePayload());
}

TEST(TaggedBytesDeathTest, TagWithANewlineOrEmptyAborts) {
  EXPECT_DEATH((void)TaggedBytes("bad\ntag", "payload"), "check failed");
  EXPECT_DEATH((void)TaggedBytes("", "payload"), "check failed");
}

TEST(DomainTest, TagsAreDistinctAndNoneIsAPrefixOfAnotherTagLine) {
  const std::string_view tags[] = {domain::kCommand, domain::kContractTerms,
                                   domain::kContractSignature, domain::kReceipt};
  for (std::string_view first : tags) {
    for (std::string_view second : tags) {
      if (first == second) continue;
      const std::string first_line = std::string(first) + "\n";
      EXPECT_NE(TaggedBytes(second, "").substr(0, first_line.size()), first_line);
    }
  }
}

TEST(EnvelopeTest, SealSignsTheTaggedBodyWithTheKeysId) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, SamplePayload(), key);
  EXPECT_EQ(envelope.body(), TaggedBytes(domain::kCommand, SamplePayload()));
  EXPECT_EQ(envelope.key_id(), key.key_id());
  EXPECT_EQ(envelope.signature().size(), kSignatureBytes);
  EXPECT_TRUE(VerifySignature(key.public_key(), envelope.body(), envelope.signature()));
}

TEST(EnvelopeTest, OpenReturnsThePayloadSealed) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, SamplePayload(), key);
  absl::StatusOr<std::string> payload = OpenEnvelope(envelope, domain::kCommand, key.public_key());
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(*payload, SamplePayload());
}

TEST(EnvelopeTest, SurvivesSerializationAsAProtobufMessage) {
  const SigningKey key = SigningKey::Generate();
  // A serialized protobuf message as the payload, as in real use.
  v1::SignedEnvelope inner;
  inner.set_key_id("inner");
  const v1::SignedEnvelope sealed = SealEnvelope(domain::kReceipt, inner.SerializeAsString(), key);

  v1::SignedEnvelope received;
  ASSERT_TRUE(received.ParseFromString(sealed.SerializeAsString()));
  absl::StatusOr<std::string> payload = OpenEnvelope(received, domain::kReceipt, key.public_key());
  ASSERT_TRUE(payload.ok()) << payload.status();
  v1::SignedEnvelope parsed;
  ASSERT_TRUE(parsed.ParseFromString(*payload));
  EXPECT_EQ(parsed.key_id(), "inner");
}

TEST(EnvelopeTest, EmptyPayloadRoundTrips) {
  const SigningKey key = SigningKey::Generate();
  absl::StatusOr<std::string> payload =
      OpenEnvelope(SealEnvelope(domain::kReceipt, "", key), domain::kReceipt, key.public_key());
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(*payload, "");
}

TEST(EnvelopeTest, OpenWithAnotherKeyIsWrongKey) {
  const SigningKey signer = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, "payload", signer);
  absl::StatusOr<std::string> payload =
      OpenEnvelope(envelope, domain::kCommand, other.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReasonOf(payload.status()), "WRONG_KEY");
}

TEST(EnvelopeTest, KeyIdRelabelledToAnotherKeyIsBadSignature) {
  const SigningKey signer = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, "payload", signer);
  envelope.set_key_id(other.key_id());
  absl::StatusOr<std::string> payload =
      OpenEnvelope(envelope, domain::kCommand, other.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ReasonOf(payload.status()), "BAD_SIGNATURE");
}

TEST(EnvelopeTest, TamperedBodyIsBadSignature) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope sealed = SealEnvelope(domain::kCommand, "pay 10.00 EUR", key);
  for (size_t index = 0; index < sealed.body().size(); ++index) {
    v1::SignedEnvelope tampered = sealed;
    (*tampered.mutable_body())[index] ^= 0x01;
    absl::StatusOr<std::string> payload =
        OpenEnvelope(tampered, domain::kCommand, key.public_key());
    ASSERT_FALSE(payload.ok()) << "byte " << index;
    EXPECT_EQ(payload.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ReasonOf(payload.status()), "BAD_SIGNATURE") << "byte " << index;
    EXPECT_NE(payload.status().message().find(key.key_id()), std::string_view::npos);
  }
  v1::SignedEnvelope extended = sealed;
  extended.mutable_body()->append("0");
  EXPECT_EQ(ReasonOf(OpenEnvelope(extended, domain::kCommand, key.public_key()).status()),
            "BAD_SIGNATURE");
}

TEST(EnvelopeTest, BodySignedWithAnotherTagIsWrongDomain) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kReceipt, "payload", key);
  absl::StatusOr<std::string> payload = OpenEnvelope(envelope, domain::kCommand, key.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(payload.status()), "WRONG_DOMAIN");
  EXPECT_EQ(payload.status().message(),
            "this was signed as a argentpoche/v1/receipt message, not a argentpoche/v1/command");
}

TEST(EnvelopeTest, ContractTermsAreRefusedAsACommand) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope terms = SealEnvelope(domain::kContractTerms, "the terms", key);
  absl::StatusOr<std::string> as_command = OpenEnvelope(terms, domain::kCommand, key.public_key());
  ASSERT_FALSE(as_command.ok());
  EXPECT_EQ(ReasonOf(as_command.status()), "WRONG_DOMAIN");
  // The same envelope opens as what it was signed for.
  EXPECT_TRUE(OpenEnvelope(terms, domain::kContractTerms, key.public_key()).ok());
}

TEST(EnvelopeTest, TagThatOnlyStartsWithTheExpectedTagIsWrongDomain) {
  const SigningKey key = SigningKey::Generate();
  // "argentpoche/v1/contract-signature" vs "argentpoche/v1/contract": the tag line must
  // match whole, newline included.
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kContractSignature, "payload", key);
  absl::StatusOr<std::string> payload =
      OpenEnvelope(envelope, "argentpoche/v1/contract", key.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(ReasonOf(payload.status()), "WRONG_DOMAIN");
}

TEST(EnvelopeTest, BodyWithoutATagLineIsWrongDomain) {
  const SigningKey key = SigningKey::Generate();
  for (const std::string& body : {std::string(), std::string("argentpoche/v1/command"),
                                  std::string("\npayload"), std::string("no newline")}) {
    const v1::SignedEnvelope envelope = SignRawBody(body, key);
    absl::StatusOr<std::string> payload =
        OpenEnvelope(envelope, domain::kCommand, key.public_key());
    ASSERT_FALSE(payload.ok()) << "body \"" << body << "\"";
    EXPECT_EQ(ReasonOf(payload.status()), "WRONG_DOMAIN") << "body \"" << body << "\"";
  }
}

TEST(EnvelopeTest, WrongDomainShowsAtMost64PrintableCharactersOfTheFoundTag) {
  const SigningKey key = SigningKey::Generate();
  std::string hostile_tag;
  for (int index = 0; index < 200; ++index) hostile_tag.push_back(index % 2 ? '\x1b' : 'A');
  const v1::SignedEnvelope envelope = SealEnvelope(hostile_tag, "payload", key);
  EXPECT_EQ(EnvelopeDomain(envelope), hostile_tag);

  absl::StatusOr<std::string> payload = OpenEnvelope(envelope, domain::kCommand, key.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(ReasonOf(payload.status()), "WRONG_DOMAIN");
  const std::string message(payload.status().message());
  for (char character : message) {
    EXPECT_TRUE(character >= 0x20 && character <= 0x7e) << static_cast<int>(character);
  }
  // 64 shown characters of the found tag, the escape bytes as '?', then "...".
  std::string expected_shown;
  for (int index = 0; index < 64; ++index) expected_shown.push_back(index % 2 ? '?' : 'A');
  expected_shown += "...";
  const size_t shown_start = std::string_view("this was signed as a ").size();
  const size_t shown_end = message.find(" message, not a ");
  ASSERT_NE(shown_end, std::string_view::npos);
  EXPECT_EQ(message.substr(shown_start, shown_end - shown_start), expected_shown);
}

TEST(EnvelopeTest, TruncatedSignatureIsMalformedEnvelope) {
  const SigningKey key = SigningKey::Generate();
  v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, "payload", key);
  envelope.mutable_signature()->resize(kSignatureBytes - 1);
  absl::StatusOr<std::string> payload = OpenEnvelope(envelope, domain::kCommand, key.public_key());
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(payload.status()), "MALFORMED_ENVELOPE");

  envelope.clear_signature();
  EXPECT_EQ(ReasonOf(OpenEnvelope(envelope, domain::kCommand, key.public_key()).status()),
            "MALFORMED_ENVELOPE");
  envelope.set_signature(std::string(kSignatureBytes + 1, '\0'));
  EXPECT_EQ(ReasonOf(OpenEnvelope(envelope, domain::kCommand, key.public_key()).status()),
            "MALFORMED_ENVELOPE");
}

TEST(EnvelopeTest, ChecksRunInOrderMalformedThenKeyThenSignatureThenDomain) {
  const SigningKey signer = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();

  // Short signature, wrong key, wrong domain: the signature size is reported.
  v1::SignedEnvelope envelope = SealEnvelope(domain::kReceipt, "payload", signer);
  envelope.mutable_signature()->resize(10);
  EXPECT_EQ(ReasonOf(OpenEnvelope(envelope, domain::kCommand, other.public_key()).status()),
            "MALFORMED_ENVELOPE");

  // Wrong key and wrong domain: the key is reported.
  envelope = SealEnvelope(domain::kReceipt, "payload", signer);
  EXPECT_EQ(ReasonOf(OpenEnvelope(envelope, domain::kCommand, other.public_key()).status()),
            "WRONG_KEY");

  // Bad signature and wrong domain: the signature is reported.
  (*envelope.mutable_body())[0] ^= 0x01;
  EXPECT_EQ(ReasonOf(OpenEnvelope(envelope, domain::kCommand, signer.public_key()).status()),
            "BAD_SIGNATURE");
}

TEST(EnvelopeTest, PublicKeyOfTheWrongSizeIsMalformedKey) {
  const SigningKey key = SigningKey::Generate();
  const v1::SignedEnvelope envelope = SealEnvelope(domain::kCommand, "payload", key);
  for (const std::string& public_key :
       {std::string(), key.public_key().substr(0, 31), key.public_key() + "x"}) {
    absl::StatusOr<std::string> payload = OpenEnvelope(envelope, domain::kCommand, public_key);
    ASSERT_FALSE(payload.ok());
    EXPECT_EQ(payload.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ReasonOf(payload.status()), "MALFORMED_KEY");
  }
}

TEST(EnvelopeTest, ErrorsNeverContainTheSecretSeed) {
  const SigningKey key = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  const std::string seed = key.Seed();
  const std::string seed_hex = Hex(seed);
  v1::SignedEnvelope envelope = SealEnvelope(domain::kReceipt, "payload", key);
  std::vector<absl::Status> errors;
  errors.push_back(OpenEnvelope(envelope, domain::kCommand, key.public_key()).status());
  errors.push_back(OpenEnvelope(envelope, domain::kReceipt, other.public_key()).status());
  (*envelope.mutable_body())[0] ^= 0x01;
  errors.push_back(OpenEnvelope(envelope, domain::kReceipt, key.public_key()).status());
  for (const absl::Status& error : errors) {
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.message().find(seed_hex.substr(0, 16)), std::string_view::npos);
    EXPECT_EQ(error.message().find(seed.substr(0, 8)), std::string_view::npos);
  }
}

TEST(EnvelopeDomainTest, IsTheTagLineOrEmpty) {
  const SigningKey key = SigningKey::Generate();
  EXPECT_EQ(EnvelopeDomain(SealEnvelope(domain::kContractTerms, "a\nb", key)),
            domain::kContractTerms);
  EXPECT_EQ(EnvelopeDomain(SignRawBody("no newline", key)), "");
  EXPECT_EQ(EnvelopeDomain(v1::SignedEnvelope()), "");
}

}  // namespace
}  // namespace argentpoche
