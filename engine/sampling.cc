#include "engine/sampling.h"

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/check.h"

namespace argentpoche {

absl::StatusOr<Sampler> Sampler::FromRandomness(std::string_view randomness) {
  if (randomness.size() != kSamplingRandomnessBytes) {
    return InvalidArgument(
        "MALFORMED_RANDOMNESS",
        Concat("randomness must be ", kSamplingRandomnessBytes, " bytes, got ", randomness.size()));
  }
  return Sampler(randomness);
}

Sampler::Sampler(std::string_view randomness) : randomness_(randomness) {
  POCHE_CHECK(randomness_.size() == kSamplingRandomnessBytes);
}

uint8_t Sampler::NextByte() {
  if (block_offset_ == block_.size()) {
    // 2^64 blocks are out of reach; running out would be a bug elsewhere.
    POCHE_CHECK(next_counter_ != UINT64_MAX);
    std::string counter(8, '\0');
    for (int i = 0; i < 8; ++i) {
      counter[i] = static_cast<char>((next_counter_ >> (56 - 8 * i)) & 0xff);
    }
    Sha256Hasher hasher;
    hasher.Update(kSamplingDomainTag);
    hasher.Update(randomness_);
    hasher.Update(counter);
    block_ = hasher.Finish();
    POCHE_CHECK(block_.size() == kSha256Bytes);
    ++next_counter_;
    block_offset_ = 0;
  }
  ++bytes_read_;
  return static_cast<uint8_t>(block_[block_offset_++]);
}

uint64_t Sampler::Below(uint64_t n) {
  POCHE_CHECK(n >= 1);
  const int bits = std::bit_width(n - 1);
  const int bytes = (bits + 7) / 8;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  // Each attempt succeeds with probability > 1/2; a million failures in a row means the
  // stream is broken, not unlucky.
  for (int attempt = 0; attempt < 1'000'000; ++attempt) {
    ++attempts_;
    uint64_t u = 0;
    for (int i = 0; i < bytes; ++i) u = (u << 8) | NextByte();
    u &= mask;
    if (u < n) return u;
  }
  POCHE_CHECK(false);
  return 0;
}

absl::StatusOr<uint64_t> Sampler::UniformBelow(uint64_t n) {
  if (n == 0) return InvalidArgument("EMPTY_RANGE", "cannot draw a number below 0");
  return Below(n);
}

absl::StatusOr<std::vector<uint64_t>> Sampler::PickWithoutReplacement(uint64_t count,
                                                                      uint64_t population) {
  if (population == 0) return InvalidArgument("EMPTY_RANGE", "cannot pick from nothing");
  if (count > population || count > kMaxPicks) {
    return InvalidArgument("TOO_MANY_PICKS", Concat("cannot pick ", count, " of ", population,
                                                    " (at most ", kMaxPicks, " picks)"));
  }
  // The urn a[0..remaining-1], kept sparse: a[x] is moved[x] if present, else x.
  absl::flat_hash_map<uint64_t, uint64_t> moved;
  auto ball = [&moved](uint64_t x) {
    auto it = moved.find(x);
    return it == moved.end() ? x : it->second;
  };
  std::vector<uint64_t> picks;
  picks.reserve(count);
  uint64_t remaining = population;
  for (uint64_t place = 0; place < count; ++place) {
    const uint64_t r = Below(remaining);
    picks.push_back(ball(r));
    moved[r] = ball(remaining - 1);
    moved.erase(remaining - 1);
    --remaining;
  }
  POCHE_CHECK(picks.size() == count);
  POCHE_CHECK(moved.size() <= count);
  return picks;
}

}  // namespace argentpoche
