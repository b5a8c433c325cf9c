#include "engine/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// The randomness 00 01 02 ... 1f.
std::string CountingRandomness() {
  std::string randomness(kSamplingRandomnessBytes, '\0');
  for (size_t i = 0; i < randomness.size(); ++i) randomness[i] = static_cast<char>(i);
  return randomness;
}

Sampler MakeSampler(const std::string& randomness) {
  absl::StatusOr<Sampler> sampler = Sampler::FromRandomness(randomness);
  EXPECT_TRUE(sampler.ok()) << sampler.status();
  return *std::move(sampler);
}

// The seed-th fixed randomness of the statistical tests: SHA-256 of "seed <n>".
Sampler SeededSampler(int seed) { return MakeSampler(Sha256(Concat("seed ", seed))); }

// Known answers for CountingRandomness(), computed once by an independent Python program
// written from the header's description (hashlib.sha256 for the blocks, int.from_bytes
// for big-endian reads, a dict for the urn):
//   block(c) = sha256(b"argentpoche/v1/sampling" + R + c.to_bytes(8, "big"))
//   below(n): bits = (n-1).bit_length(); w = (bits+7)//8; repeat
//             u = int.from_bytes(next w bytes, "big") % 2**bits until u < n
//   shuffle(a): for i in range(len(a)-1, 0, -1): j = below(i+1); swap a[i], a[j]
//   pick(k, n): for p in range(k): m = n-p; r = below(m); out.append(a.get(r, r));
//               a[r] = a.get(m-1, m-1)
TEST(SamplerTest, FirstBlockIsTheDocumentedHash) {
  const std::string randomness = CountingRandomness();
  EXPECT_EQ(Hex(Sha256(Concat(kSamplingDomainTag, randomness, std::string(8, '\0')))),
            "790266963e4fb9fab69a7734c7eaaed5c1af4da7002858ac18b7cce0d8bc79b6");
  // 2^32 reads 4 bytes a draw and never rejects: the draws are the block's words.
  Sampler sampler = MakeSampler(randomness);
  EXPECT_EQ(*sampler.UniformBelow(uint64_t{1} << 32), 0x79026696u);
  EXPECT_EQ(*sampler.UniformBelow(uint64_t{1} << 32), 0x3e4fb9fau);
  EXPECT_EQ(sampler.bytes_read(), 8u);
}

TEST(SamplerTest, UniformBelowMatchesTheReferenceValues) {
  Sampler dice = MakeSampler(CountingRandomness());
  std::vector<uint64_t> rolls;
  for (int i = 0; i < 20; ++i) rolls.push_back(*dice.UniformBelow(6));
  EXPECT_EQ(rolls,
            (std::vector<uint64_t>{1, 2, 1, 2, 2, 4, 2, 5, 1, 5, 0, 0, 0, 4, 0, 4, 0, 0, 4, 1}));
  // 31 attempts for 20 rolls: 11 bytes fell on 6 or 7 (3 bits) and were rejected.
  EXPECT_EQ(dice.attempts(), 31u);
  EXPECT_EQ(dice.bytes_read(), 31u);

  Sampler large = MakeSampler(CountingRandomness());
  std::vector<uint64_t> draws;
  for (int i = 0; i < 4; ++i) draws.push_back(*large.UniformBelow(1'000'000'007));
  EXPECT_EQ(draws, (std::vector<uint64_t>{956458646, 916092724, 132820693, 28265895}));
  EXPECT_EQ(large.attempts(), 5u);

  Sampler widest = MakeSampler(CountingRandomness());
  EXPECT_EQ(*widest.UniformBelow(UINT64_MAX), 8719644624019241466u);
  EXPECT_EQ(*widest.UniformBelow(UINT64_MAX), 13157960329892376277u);
}

TEST(SamplerTest, ShuffleAndPicksMatchTheReferenceValues) {
  std::vector<int> ten(10);
  std::iota(ten.begin(), ten.end(), 0);
  Sampler shuffler = MakeSampler(CountingRandomness());
  ASSERT_TRUE(shuffler.Shuffle(ten).ok());
  EXPECT_EQ(ten, (std::vector<int>{0, 5, 3, 4, 8, 1, 7, 6, 2, 9}));

  Sampler picker = MakeSampler(CountingRandomness());
  EXPECT_EQ(*picker.PickWithoutReplacement(3, 10), (std::vector<uint64_t>{9, 2, 6}));
  Sampler all = MakeSampler(CountingRandomness());
  EXPECT_EQ(*all.PickWithoutReplacement(10, 10),
            (std::vector<uint64_t>{9, 2, 6, 7, 1, 8, 4, 3, 5, 0}));
  Sampler tickets = MakeSampler(CountingRandomness());
  EXPECT_EQ(*tickets.PickWithoutReplacement(5, uint64_t{1} << 32),
            (std::vector<uint64_t>{2030200470, 1045412346, 3063576372, 3354046165, 3249491367}));
}

TEST(SamplerTest, PickingEverythingIsTheShuffleReversed) {
  for (int seed = 0; seed < 20; ++seed) {
    std::vector<uint64_t> items(37);
    std::iota(items.begin(), items.end(), 0);
    Sampler shuffler = SeededSampler(seed);
    ASSERT_TRUE(shuffler.Shuffle(items).ok());
    Sampler picker = SeededSampler(seed);
    std::vector<uint64_t> picks = *picker.PickWithoutReplacement(37, 37);
    std::reverse(picks.begin(), picks.end());
    EXPECT_EQ(picks, items) << "seed " << seed;
  }
}

TEST(SamplerTest, RejectsOnlyWhenTheRangeIsNotAPowerOfTwo) {
  Sampler power = SeededSampler(1);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(*power.UniformBelow(8), 8u);
  EXPECT_EQ(power.attempts(), 1000u);
  // n = 5 keeps 3 bits: 3 values of 8 rejected, about 600 extra attempts per 1000.
  Sampler five = SeededSampler(1);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(*five.UniformBelow(5), 5u);
  EXPECT_GT(five.attempts(), 1400u);
  EXPECT_LT(five.attempts(), 1800u);
  // n = 1 reads nothing.
  Sampler one = SeededSampler(1);
  EXPECT_EQ(*one.UniformBelow(1), 0u);
  EXPECT_EQ(one.bytes_read(), 0u);
}

// Critical values of the chi-square distribution at p = 0.001 (standard tables).
constexpr double kChiSquare999Df5 = 20.515;
constexpr double kChiSquare999Df9 = 27.877;

double ChiSquare(const std::vector<int64_t>& counts, double expected) {
  double sum = 0;
  for (int64_t count : counts) sum += (count - expected) * (count - expected) / expected;
  return sum;
}

TEST(SamplerTest, DiceAreUniformByChiSquare) {
  std::vector<int64_t> counts(6, 0);
  for (int seed = 0; seed < 10; ++seed) {
    Sampler sampler = SeededSampler(seed);
    for (int i = 0; i < 10'000; ++i) ++counts[*sampler.UniformBelow(6)];
  }
  EXPECT_LT(ChiSquare(counts, 100'000 / 6.0), kChiSquare999Df5);
}

TEST(SamplerTest, ShufflePositionsAreUniformByChiSquare) {
  // counts[position][item]: how often each item lands at each position.
  std::vector<std::vector<int64_t>> counts(10, std::vector<int64_t>(10, 0));
  for (int seed = 0; seed < 10; ++seed) {
    Sampler sampler = SeededSampler(100 + seed);
    for (int round = 0; round < 10'000; ++round) {
      std::vector<int> items(10);
      std::iota(items.begin(), items.end(), 0);
      ASSERT_TRUE(sampler.Shuffle(items).ok());
      for (int position = 0; position < 10; ++position) ++counts[position][items[position]];
    }
  }
  for (int position = 0; position < 10; ++position) {
    EXPECT_LT(ChiSquare(counts[position], 10'000.0), kChiSquare999Df9) << position;
  }
}

TEST(SamplerTest, PicksNeverRepeat) {
  for (int seed = 0; seed < 50; ++seed) {
    Sampler sampler = SeededSampler(seed);
    const uint64_t population = 1 + *sampler.UniformBelow(300);
    std::vector<uint64_t> picks = *sampler.PickWithoutReplacement(population, population);
    EXPECT_EQ(std::set<uint64_t>(picks.begin(), picks.end()).size(), population);
    EXPECT_LT(*std::max_element(picks.begin(), picks.end()), population);
  }
  Sampler large = SeededSampler(7);
  std::vector<uint64_t> picks = *large.PickWithoutReplacement(10'000, uint64_t{1} << 40);
  EXPECT_EQ(std::set<uint64_t>(picks.begin(), picks.end()).size(), 10'000u);
}

TEST(SamplerTest, RefusesBadInputWithoutReading) {
  EXPECT_EQ(ReasonOf(Sampler::FromRandomness(std::string(31, 'x')).status()),
            "MALFORMED_RANDOMNESS");
  EXPECT_EQ(ReasonOf(Sampler::FromRandomness(std::string(33, 'x')).status()),
            "MALFORMED_RANDOMNESS");
  Sampler sampler = SeededSampler(3);
  EXPECT_EQ(ReasonOf(sampler.UniformBelow(0).status()), "EMPTY_RANGE");
  EXPECT_EQ(ReasonOf(sampler.PickWithoutReplacement(1, 0).status()), "EMPTY_RANGE");
  EXPECT_EQ(ReasonOf(sampler.PickWithoutReplacement(0, 0).status()), "EMPTY_RANGE");
  EXPECT_EQ(ReasonOf(sampler.PickWithoutReplacement(11, 10).status()), "TOO_MANY_PICKS");
  EXPECT_EQ(ReasonOf(sampler.PickWithoutReplacement(kMaxPicks + 1, UINT64_MAX).status()),
            "TOO_MANY_PICKS");
  EXPECT_EQ(sampler.bytes_read(), 0u);
  EXPECT_TRUE(sampler.PickWithoutReplacement(0, 10)->empty());
  EXPECT_EQ(sampler.bytes_read(), 0u);
}

}  // namespace
}  // namespace argentpoche
