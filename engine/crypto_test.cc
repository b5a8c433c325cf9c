#include "engine/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// PUBLISHED TEST KEY, NOT A SECRET: RFC 8032 section 7.1, "TEST 1" (empty message).
// Anyone can sign with it; it must never be used for anything but this known answer.
constexpr std::string_view kRfc8032Test1SeedHex =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr std::string_view kRfc8032Test1PublicKeyHex =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr std::string_view kRfc8032Test1SignatureHex =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
    "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

std::string FromHexOrDie(std::string_view hex) {
  absl::StatusOr<std::string> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *std::move(bytes) : std::string();
}

// `bytes` with bit `bit` (0 = lowest bit of the first byte) inverted.
std::string FlipBit(std::string bytes, size_t bit) {
  bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
  return bytes;
}

TEST(InitCryptoTest, IsIdempotentAndSafeFromManyThreads) {
  std::vector<std::thread> threads;
  for (int index = 0; index < 8; ++index) {
    threads.emplace_back([] { InitCrypto(); });
  }
  for (std::thread& thread : threads) thread.join();
  InitCrypto();
  InitCrypto();
}

TEST(SigningKeyTest, SignatureMadeByAKeyVerifiesWithItsPublicKey) {
  const SigningKey key = SigningKey::Generate();
  const std::string message = "pay 12.00 EUR into escrow 7";
  const std::string signature = key.Sign(message);
  EXPECT_EQ(signature.size(), kSignatureBytes);
  EXPECT_EQ(key.public_key().size(), kPublicKeyBytes);
  EXPECT_TRUE(VerifySignature(key.public_key(), message, signature));
}

TEST(SigningKeyTest, GeneratedKeysAreDistinct) {
  const SigningKey first = SigningKey::Generate();
  const SigningKey second = SigningKey::Generate();
  EXPECT_NE(first.public_key(), second.public_key());
  EXPECT_NE(first.Seed(), second.Seed());
}

TEST(SigningKeyTest, SigningIsDeterministic) {
  const SigningKey key = SigningKey::Generate();
  EXPECT_EQ(key.Sign("same message"), key.Sign("same message"));
}

TEST(SigningKeyTest, SignatureByAnotherKeyDoesNotVerify) {
  const SigningKey signer = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  EXPECT_FALSE(VerifySignature(other.public_key(), "message", signer.Sign("message")));
}

TEST(VerifySignatureTest, FlippingAnyBitOfTheMessageFailsVerification) {
  const SigningKey key = SigningKey::Generate();
  const std::string message = "release escrow 42 to the seller";
  const std::string signature = key.Sign(message);
  for (size_t bit = 0; bit < message.size() * 8; ++bit) {
    EXPECT_FALSE(VerifySignature(key.public_key(), FlipBit(message, bit), signature))
        << "bit " << bit;
  }
}

TEST(VerifySignatureTest, FlippingAnyBitOfTheSignatureFailsVerification) {
  const SigningKey key = SigningKey::Generate();
  const std::string message = "release escrow 42 to the seller";
  const std::string signature = key.Sign(message);
  for (size_t bit = 0; bit < signature.size() * 8; ++bit) {
    EXPECT_FALSE(VerifySignature(key.public_key(), message, FlipBit(signature, bit)))
        << "bit " << bit;
  }
}

TEST(VerifySignatureTest, FlippingAnyBitOfThePublicKeyFailsVerification) {
  const SigningKey key = SigningKey::Generate();
  const std::string message = "release escrow 42 to the seller";
  const std::string signature = key.Sign(message);
  for (size_t bit = 0; bit < key.public_key().size() * 8; ++bit) {
    EXPECT_FALSE(VerifySignature(FlipBit(key.public_key(), bit), message, signature))
        << "bit " << bit;
  }
}

TEST(VerifySignatureTest, WrongSizesAreRejectedWithoutCrashing) {
  const SigningKey key = SigningKey::Generate();
  const std::string signature = key.Sign("message");
  EXPECT_FALSE(VerifySignature(key.public_key(), "message", ""));
  EXPECT_FALSE(VerifySignature(key.public_key(), "message", signature.substr(0, 63)));
  EXPECT_FALSE(VerifySignature(key.public_key(), "message", signature + "x"));
  EXPECT_FALSE(VerifySignature("", "message", signature));
  EXPECT_FALSE(VerifySignature(key.public_key().substr(0, 31), "message", signature));
  EXPECT_FALSE(VerifySignature(key.public_key() + "x", "message", signature));
  EXPECT_FALSE(VerifySignature(std::string(kPublicKeyBytes, '\0'), "message",
                               std::string(kSignatureBytes, '\0')));
}

TEST(SigningKeyTest, SeedRoundTripGivesTheSameKey) {
  const SigningKey key = SigningKey::Generate();
  const std::string seed = key.Seed();
  EXPECT_EQ(seed.size(), kSeedBytes);
  absl::StatusOr<SigningKey> restored = SigningKey::FromSeed(seed);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->public_key(), key.public_key());
  EXPECT_EQ(restored->key_id(), key.key_id());
  EXPECT_EQ(restored->Seed(), seed);
  EXPECT_EQ(restored->Sign("message"), key.Sign("message"));
}

TEST(SigningKeyTest, SeedOfTheWrongLengthIsMalformedKeyAndNotEchoed) {
  for (const std::string& seed :
       {std::string(), std::string(31, 'k'), std::string(33, 'k'), std::string(64, 'k')}) {
    absl::StatusOr<SigningKey> key = SigningKey::FromSeed(seed);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ReasonOf(key.status()), "MALFORMED_KEY");
    EXPECT_EQ(key.status().message().find("kkkk"), std::string_view::npos);
  }
}

TEST(SigningKeyTest, MovingAKeyTransfersItAndEmptiesTheSource) {
  SigningKey source = SigningKey::Generate();
  const std::string public_key = source.public_key();
  const std::string key_id = source.key_id();

  SigningKey moved(std::move(source));
  EXPECT_EQ(moved.public_key(), public_key);
  EXPECT_EQ(moved.key_id(), key_id);
  EXPECT_TRUE(VerifySignature(public_key, "message", moved.Sign("message")));
  EXPECT_TRUE(source.public_key().empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(source.key_id().empty());      // NOLINT(bugprone-use-after-move)

  SigningKey assigned = SigningKey::Generate();
  assigned = std::move(moved);
  EXPECT_EQ(assigned.public_key(), public_key);
  EXPECT_TRUE(VerifySignature(public_key, "message", assigned.Sign("message")));
  EXPECT_TRUE(moved.public_key().empty());  // NOLINT(bugprone-use-after-move)
}

TEST(SigningKeyDeathTest, SigningWithAMovedFromKeyAborts) {
  SigningKey source = SigningKey::Generate();
  SigningKey destination(std::move(source));
  EXPECT_DEATH((void)source.Sign("message"), "check failed");  // NOLINT(bugprone-use-after-move)
}

TEST(SigningKeyTest, Rfc8032TestVector1PublishedTestKeySignsTheEmptyMessage) {
  absl::StatusOr<SigningKey> key = SigningKey::FromSeed(FromHexOrDie(kRfc8032Test1SeedHex));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(Hex(key->public_key()), kRfc8032Test1PublicKeyHex);
  EXPECT_EQ(Hex(key->Sign("")), kRfc8032Test1SignatureHex);
  EXPECT_TRUE(VerifySignature(FromHexOrDie(kRfc8032Test1PublicKeyHex), "",
                              FromHexOrDie(kRfc8032Test1SignatureHex)));
  EXPECT_EQ(Hex(key->Seed()), kRfc8032Test1SeedHex);
}

TEST(KeyIdTest, IsTheHexOfTheFirstEightBytesOfTheSha256OfThePublicKey) {
  // SHA-256 of the RFC 8032 test 1 public key starts 21fe31dfa154a261 (computed with an
  // independent SHA-256 implementation).
  EXPECT_EQ(KeyIdOf(FromHexOrDie(kRfc8032Test1PublicKeyHex)), "21fe31dfa154a261");

  const SigningKey key = SigningKey::Generate();
  EXPECT_EQ(key.key_id(), KeyIdOf(key.public_key()));
  EXPECT_EQ(key.key_id(), Hex(Sha256(key.public_key())).substr(0, 16));
  EXPECT_EQ(key.key_id().size(), 16u);
}

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").size(), kSha256Bytes);
}

TEST(Sha256HasherTest, HashingInPiecesEqualsHashingAtOnce) {
  Sha256Hasher hasher;
  hasher.Update("a");
  hasher.Update("");
  hasher.Update("bc");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));

  const std::string data = RandomBytes(1000);
  for (size_t split = 0; split <= data.size(); split += 97) {
    hasher.Update(std::string_view(data).substr(0, split));
    hasher.Update(std::string_view(data).substr(split));
    EXPECT_EQ(hasher.Finish(), Sha256(data)) << "split at " << split;
  }
}

TEST(Sha256HasherTest, FinishResetsTheHasher) {
  Sha256Hasher hasher;
  hasher.Update("abc");
  EXPECT_EQ(hasher.Finish(), Sha256("abc"));
  EXPECT_EQ(hasher.Finish(), Sha256(""));
}

TEST(HexTest, RoundTripsEveryByteValueInLowercase) {
  std::string bytes;
  for (int value = 0; value < 256; ++value) bytes.push_back(static_cast<char>(value));
  const std::string hex = Hex(bytes);
  EXPECT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 8), "fcfdfeff");
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  absl::StatusOr<std::string> decoded = FromHex(hex);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, bytes);
}

TEST(HexTest, EmptyEncodesAndDecodesToEmpty) {
  EXPECT_EQ(Hex(""), "");
  absl::StatusOr<std::string> decoded = FromHex("");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "");
}

TEST(HexTest, UppercaseDigitsAreAccepted) {
  absl::StatusOr<std::string> decoded = FromHex("ABcdEF");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "\xab\xcd\xef");
}

TEST(HexTest, MalformedHexIsRejectedWithoutEchoingIt) {
  const std::string_view malformed[] = {"abc",
                                        "0",
                                        "zz",
                                        "0g",
                                        "00 11",
                                        " 0011",
                                        "0011 ",
                                        "0x00",
                                        "ab\n",
                                        "+1",
                                        std::string_view("a\0", 2),
                                        std::string_view("\0\0", 2)};
  for (std::string_view hex : malformed) {
    absl::StatusOr<std::string> decoded = FromHex(hex);
    ASSERT_FALSE(decoded.ok()) << "accepted \"" << hex << "\"";
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ReasonOf(decoded.status()), "MALFORMED_HEX");
  }
  const std::string secret_hex = Hex(RandomBytes(32));
  absl::StatusOr<std::string> decoded = FromHex(secret_hex + "zz");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message().find(secret_hex.substr(0, 16)), std::string_view::npos);
}

TEST(RandomBytesTest, GivesTheRequestedNumberOfDistinctBytes) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  const std::string first = RandomBytes(32);
  const std::string second = RandomBytes(32);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace argentpoche
