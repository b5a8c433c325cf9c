// Tests of the VRF (engine/vrf.h): what it is for is drawing lots nobody can predict or
// steer, so these check that it computes exactly RFC 9381 ECVRF-EDWARDS25519-SHA512-TAI
// (the RFC's own examples, step by step), that only the one proof shape verifies (every
// single-bit change, another input or another key is refused), that malformed keys and
// proofs are refused with their reason, and the edge cases the RFC allows.
#include "engine/vrf.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// PUBLISHED TEST KEYS, NOT SECRETS: RFC 9381 Appendix B.3, Examples 16 to 18
// (ECVRF-EDWARDS25519-SHA512-TAI); the seeds are RFC 8032's test keys 1 to 3.
struct KnownAnswer {
  std::string_view seed, public_key, alpha, x;
  int counter;
  std::string_view h, k, u, v, pi, beta;
};
constexpr KnownAnswer kRfc9381Examples[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "307c83864f2833cb427a2ef1c00a013cfdff2768d980c0a3a520f006904de94f", 0,
     "91bbed02a99461df1ad4c6564a5f5d829d0b90cfc7903e7a5797bd658abf3318",
     "7100f3d9eadb6dc4743b029736ff283f5be494128df128df2817106f345b8594"
     "b6d6da2d6fb0b4c0257eb337675d96eab49cf39e66cc2c9547c2bf8b2a6afae4",
     "aef27c725be964c6a9bf4c45ca8e35df258c1878b838f37d9975523f09034071",
     "5016572f71466c646c119443455d6cb9b952f07d060ec8286d678615d55f954f",
     "8657106690b5526245a92b003bb079ccd1a92130477671f6fc01ad16f26f723f"
     "26f8a57ccaed74ee1b190bed1f479d9727d2d0f9b005a6e456a35d4fb0daab12"
     "68a1b0db10836d9826a528ca76567805",
     "90cf1df3b703cce59e2a35b925d411164068269d7b2d29f3301c03dd757876ff"
     "66b71dda49d2de59d03450451af026798e8f81cd2e333de5cdf4f3e140fdd8ae"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "68bd9ed75882d52815a97585caf4790a7f6c6b3b7f821c5e259a24b02e502e51", 1,
     "5b659fc3d4e9263fd9a4ed1d022d75eaacc20df5e09f9ea937502396598dc551",
     "42589bbf0c485c3c91c1621bb4bfe04aed7be76ee48f9b00793b2342acb9c167"
     "cab856f9f9d4febc311330c20b0a8afd3743d05433e8be8d32522ecdc16cc5ce",
     "1dcb0a4821a2c48bf53548228b7f170962988f6d12f5439f31987ef41f034ab3",
     "fd03c0bf498c752161bae4719105a074630a2aa5f200ff7b3995f7bfb1513423",
     "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed593"
     "3bf0864a62558b3ed7f2fea45c92a465301b3bbf5e3e54ddf2d935be3b67926d"
     "a3ef39226bbc355bdc9850112c8f4b02",
     "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb"
     "5e33821bc613efb94db5e5b54c70a848a0bef4553a41befc57663b56373a5031"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "909a8b755ed902849023a55b15c23d11ba4d7f4ec5c2f51b1325a181991ea95c", 0,
     "bf4339376f5542811de615e3313d2b36f6f53c0acfebb482159711201192576a",
     "38b868c335ccda94a088428cbf3ec8bc7955bfaffe1f3bd2aa2c59fc31a0febc"
     "59d0e1af3715773ce11b3bbdd7aba8e3505d4b9de6f7e4a96e67e0d6bb6d6c3a",
     "2bae73e15a64042fcebf062abe7e432b2eca6744f3e8265bc38e009cd577ecd5",
     "88cba1cb0d4f9b649d9a86026b69de076724a93a65c349c988954f0961c5d506",
     "9bc0f79119cc5604bf02d23b4caede71393cedfbb191434dd016d30177ccbf80"
     "96bb474e53895c362d8628ee9f9ea3c0e52c7a5c691b6c18c9979866568add7a"
     "2d41b00b05081ed0f58ee5e31b3a970e",
     "645427e5d00c62a23fb703732fa5d892940935942101e456ecca7bb217c61c45"
     "2118fec1219202a0edcf038bb6373241578be7217ba85a2687f7a0310b2df19f"},
};

// Encodings of small-order points: the neutral element (0, 1), the point (0, -1) of order
// 2, and y = 0, a point of order 4.
constexpr std::string_view kIdentityHex =
    "0100000000000000000000000000000000000000000000000000000000000000";
constexpr std::string_view kOrderTwoHex =
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
constexpr std::string_view kOrderFourHex =
    "0000000000000000000000000000000000000000000000000000000000000000";
// L, the order of the prime-order subgroup, little-endian.
constexpr std::string_view kGroupOrderHex =
    "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";

std::string Bytes(std::string_view hex) {
  absl::StatusOr<std::string> bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *std::move(bytes) : std::string();
}

const unsigned char* Data(const std::string& bytes) {
  return reinterpret_cast<const unsigned char*>(bytes.data());
}
unsigned char* Data(std::string& bytes) { return reinterpret_cast<unsigned char*>(bytes.data()); }

std::string FlipBit(std::string bytes, size_t bit) {
  bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
  return bytes;
}

// `wide` (32 or 64 bytes, little-endian) mod L, as 32 bytes.
std::string Reduce(const std::string& wide) {
  std::string padded = wide;
  padded.resize(64, '\0');
  std::string reduced(32, '\0');
  crypto_core_ed25519_scalar_reduce(Data(reduced), Data(padded));
  return reduced;
}

// n*P with libsodium (P in the prime-order subgroup, n neither 0 nor L).
std::string Multiply(const std::string& n, const std::string& point) {
  std::string product(32, '\0');
  EXPECT_EQ(crypto_scalarmult_ed25519_noclamp(Data(product), Data(n), Data(point)), 0);
  return product;
}
std::string MultiplyBase(const std::string& n) {
  std::string product(32, '\0');
  EXPECT_EQ(crypto_scalarmult_ed25519_base_noclamp(Data(product), Data(n)), 0);
  return product;
}
std::string Add(const std::string& a, const std::string& b, bool subtract = false) {
  std::string sum(32, '\0');
  const int result = subtract ? crypto_core_ed25519_sub(Data(sum), Data(a), Data(b))
                              : crypto_core_ed25519_add(Data(sum), Data(a), Data(b));
  EXPECT_EQ(result, 0);
  return sum;
}

void ExpectReason(const absl::StatusOr<std::string>& result, absl::StatusCode code,
                  std::string_view reason) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), code) << result.status();
  EXPECT_EQ(ReasonOf(result.status()), reason) << result.status();
}

TEST(VrfTest, ComputesEveryStepOfTheRfc9381Examples) {
  for (const KnownAnswer& example : kRfc9381Examples) {
    SCOPED_TRACE(example.pi);
    const std::string seed = Bytes(example.seed);
    const std::string public_key = Bytes(example.public_key);
    const std::string alpha = Bytes(example.alpha);
    EXPECT_EQ(*VrfPublicKey(seed), public_key);
    EXPECT_EQ((*SigningKey::FromSeed(seed)).public_key(), public_key);
    EXPECT_EQ(Hex(vrf_internal::SecretScalar(seed)), example.x);
    int counter = -1;
    const std::string h = vrf_internal::EncodeToCurve(public_key, alpha, &counter);
    EXPECT_EQ(Hex(h), example.h);
    EXPECT_EQ(counter, example.counter);
    const std::string k_string = vrf_internal::NonceString(seed, h);
    EXPECT_EQ(Hex(k_string), example.k);
    const std::string k = Reduce(k_string);
    EXPECT_EQ(Hex(MultiplyBase(k)), example.u);
    EXPECT_EQ(Hex(Multiply(k, h)), example.v);

    absl::StatusOr<std::string> proof = VrfProve(seed, alpha);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(Hex(*proof), example.pi);
    absl::StatusOr<std::string> beta = VrfVerify(public_key, alpha, *proof);
    ASSERT_TRUE(beta.ok()) << beta.status();
    EXPECT_EQ(Hex(*beta), example.beta);
    EXPECT_EQ(Hex(*VrfProofToHash(*proof)), example.beta);
  }
}

TEST(VrfTest, ProvesTheSameProofEveryTime) {
  const std::string seed = RandomBytes(kSeedBytes);
  EXPECT_EQ(*VrfProve(seed, "draw 7"), *VrfProve(seed, "draw 7"));
  EXPECT_NE(*VrfProve(seed, "draw 7"), *VrfProve(seed, "draw 8"));
  const std::string public_key = *VrfPublicKey(seed);
  EXPECT_NE(*VrfVerify(public_key, "draw 7", *VrfProve(seed, "draw 7")),
            *VrfVerify(public_key, "draw 8", *VrfProve(seed, "draw 8")));
}

TEST(VrfTest, RefusesEverySingleBitFlipOfAValidProof) {
  const KnownAnswer& example = kRfc9381Examples[1];
  const std::string proof = Bytes(example.pi);
  for (size_t bit = 0; bit < proof.size() * 8; ++bit) {
    absl::StatusOr<std::string> beta =
        VrfVerify(Bytes(example.public_key), Bytes(example.alpha), FlipBit(proof, bit));
    ASSERT_FALSE(beta.ok()) << "bit " << bit;
    const std::string reason = ReasonOf(beta.status());
    EXPECT_TRUE(reason == "BAD_PROOF" || reason == "MALFORMED_PROOF") << "bit " << bit;
  }
}

TEST(VrfTest, RefusesAProofForAnotherInputOrAnotherKey) {
  const std::string seed = RandomBytes(kSeedBytes);
  const std::string proof = *VrfProve(seed, "lottery 2027-01");
  ExpectReason(VrfVerify(*VrfPublicKey(seed), "lottery 2027-02", proof),
               absl::StatusCode::kUnauthenticated, "BAD_PROOF");
  ExpectReason(VrfVerify(*VrfPublicKey(RandomBytes(kSeedBytes)), "lottery 2027-01", proof),
               absl::StatusCode::kUnauthenticated, "BAD_PROOF");
  EXPECT_TRUE(VrfVerify(*VrfPublicKey(seed), "lottery 2027-01", proof).ok());
}

TEST(VrfTest, RefusesSeedsKeysAndProofsOfTheWrongLength) {
  const KnownAnswer& example = kRfc9381Examples[0];
  const std::string public_key = Bytes(example.public_key);
  const std::string proof = Bytes(example.pi);
  for (size_t size : {0, 31, 33}) {
    ExpectReason(VrfPublicKey(std::string(size, 'x')), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_KEY");
    ExpectReason(VrfProve(std::string(size, 'x'), "a"), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_KEY");
    ExpectReason(VrfVerify(std::string(size, 'x'), "", proof), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_KEY");
  }
  for (const std::string& bad : {std::string(), proof.substr(1), proof + "x"}) {
    ExpectReason(VrfVerify(public_key, "", bad), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_PROOF");
    ExpectReason(VrfProofToHash(bad), absl::StatusCode::kInvalidArgument, "MALFORMED_PROOF");
  }
}

TEST(VrfTest, RefusesAnSNotBelowTheGroupOrder) {
  const KnownAnswer& example = kRfc9381Examples[0];
  const std::string proof = Bytes(example.pi);
  // s + L names the same scalar mod L: it would verify if s were reduced, not refused.
  const std::string s = proof.substr(48);
  const std::string order = Bytes(kGroupOrderHex);
  std::string s_plus_order = s;
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    carry += static_cast<unsigned char>(s[i]) + static_cast<unsigned char>(order[i]);
    s_plus_order[i] = static_cast<char>(carry & 0xff);
    carry >>= 8;
  }
  ASSERT_EQ(carry, 0u);
  for (const std::string& bad_s : {order, s_plus_order, std::string(32, '\xff')}) {
    const std::string bad = proof.substr(0, 48) + bad_s;
    ExpectReason(VrfVerify(Bytes(example.public_key), "", bad), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_PROOF");
    ExpectReason(VrfProofToHash(bad), absl::StatusCode::kInvalidArgument, "MALFORMED_PROOF");
  }
}

// Encodings RFC 8032 section 5.1.3 refuses: a y that is not a point's, a y at or above
// p = 2^255 - 19 (the same points as y - p), and x = 0 with its sign bit set.
std::vector<std::string> NonPoints() {
  std::string off_curve = Bytes(kIdentityHex);
  std::string sum(32, '\0');
  while (crypto_core_ed25519_add(Data(sum), Data(off_curve), Data(off_curve)) == 0) {
    ++off_curve[0];
  }
  std::string y_is_p = Bytes(kOrderTwoHex);  // p - 1, so p is one more.
  ++y_is_p[0];
  std::string y_is_p_plus_one = y_is_p;
  ++y_is_p_plus_one[0];
  std::string negative_zero_x = Bytes(kIdentityHex);
  negative_zero_x[31] = static_cast<char>(0x80);
  std::string negative_zero_x_order_two = Bytes(kOrderTwoHex);
  negative_zero_x_order_two[31] = static_cast<char>(0xff);
  return {off_curve, y_is_p, y_is_p_plus_one, negative_zero_x, negative_zero_x_order_two};
}

TEST(VrfTest, RefusesAGammaThatIsNotACanonicalCurvePoint) {
  const KnownAnswer& example = kRfc9381Examples[0];
  const std::string proof = Bytes(example.pi);
  for (const std::string& gamma : NonPoints()) {
    SCOPED_TRACE(Hex(gamma));
    ExpectReason(VrfVerify(Bytes(example.public_key), "", gamma + proof.substr(32)),
                 absl::StatusCode::kInvalidArgument, "MALFORMED_PROOF");
    ExpectReason(VrfProofToHash(gamma + proof.substr(32)), absl::StatusCode::kInvalidArgument,
                 "MALFORMED_PROOF");
  }
  // A small-order Gamma decodes (string_to_point takes any point), then fails the check.
  for (std::string_view gamma : {kIdentityHex, kOrderTwoHex, kOrderFourHex}) {
    ExpectReason(VrfVerify(Bytes(example.public_key), "", Bytes(gamma) + proof.substr(32)),
                 absl::StatusCode::kUnauthenticated, "BAD_PROOF");
  }
}

TEST(VrfTest, RefusesAPublicKeyThatIsNotAPointOrHasSmallOrder) {
  const std::string proof = Bytes(kRfc9381Examples[0].pi);
  std::vector<std::string> keys = NonPoints();
  for (std::string_view small_order : {kIdentityHex, kOrderTwoHex, kOrderFourHex}) {
    keys.push_back(Bytes(small_order));
  }
  for (const std::string& key : keys) {
    SCOPED_TRACE(Hex(key));
    ExpectReason(VrfVerify(key, "", proof), absl::StatusCode::kInvalidArgument, "MALFORMED_KEY");
  }
}

// A proof a dishonest prover can make, which RFC 9381 accepts: the order-2 point T added
// to Gamma and/or to the public key, with the nonce tried until c has the parity that
// cancels T out of U and V. Returns {public key, proof}.
std::pair<std::string, std::string> ProveWithTorsion(const std::string& seed,
                                                     std::string_view alpha, bool on_key,
                                                     bool on_gamma) {
  const std::string torsion = Bytes(kOrderTwoHex);
  const std::string x = Reduce(vrf_internal::SecretScalar(seed));
  const std::string y = on_key ? Add(MultiplyBase(x), torsion) : MultiplyBase(x);
  const std::string h = vrf_internal::EncodeToCurve(y, alpha, nullptr);
  const std::string gamma = on_gamma ? Add(Multiply(x, h), torsion) : Multiply(x, h);
  for (int attempt = 0; attempt < 64; ++attempt) {
    const std::string k = Reduce(RandomBytes(64));
    const int parity = attempt % 2;
    std::string u = MultiplyBase(k);
    std::string v = Multiply(k, h);
    if (parity == 1 && on_key) u = Add(u, torsion, /*subtract=*/true);
    if (parity == 1 && on_gamma) v = Add(v, torsion, /*subtract=*/true);
    std::string c = vrf_internal::ChallengeString(y, h, gamma, u, v);
    if ((c[0] & 1) != parity) continue;
    c.resize(32, '\0');
    std::string s(32, '\0');
    crypto_core_ed25519_scalar_mul(Data(s), Data(c), Data(x));
    crypto_core_ed25519_scalar_add(Data(s), Data(s), Data(k));
    return {y, gamma + c.substr(0, 16) + s};
  }
  ADD_FAILURE() << "no nonce gave the parity needed";
  return {};
}

TEST(VrfTest, AcceptsSmallOrderComponentsAsTheRfcDoesWithoutChangingBeta) {
  const std::string seed = RandomBytes(kSeedBytes);
  const std::string public_key = *VrfPublicKey(seed);
  const std::string beta = *VrfVerify(public_key, "round 1", *VrfProve(seed, "round 1"));
  for (int repeat = 0; repeat < 8; ++repeat) {
    const auto [same_key, odd_proof] = ProveWithTorsion(seed, "round 1", false, true);
    EXPECT_EQ(same_key, public_key);
    EXPECT_NE(odd_proof, *VrfProve(seed, "round 1"));
    EXPECT_EQ(*VrfVerify(public_key, "round 1", odd_proof), beta);

    const auto [odd_key, proof] = ProveWithTorsion(seed, "round 1", true, repeat % 2 == 0);
    absl::StatusOr<std::string> odd_key_beta = VrfVerify(odd_key, "round 1", proof);
    ASSERT_TRUE(odd_key_beta.ok()) << odd_key_beta.status();
    ExpectReason(VrfVerify(public_key, "round 1", proof), absl::StatusCode::kUnauthenticated,
                 "BAD_PROOF");
  }
}

}  // namespace
}  // namespace argentpoche
