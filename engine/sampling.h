// Sampling: the one derivation from a 32-byte randomness (a beacon value, a revealed
// commitment, ...) to choices: a number below n, a shuffle, winners drawn in order. The
// engine and any independent verifier must get the same choices from the same randomness,
// so the algorithm is specified here byte by byte; it uses integers only.
//
//   absl::StatusOr<Sampler> sampler = Sampler::FromRandomness(randomness);
//   absl::StatusOr<std::vector<uint64_t>> winners =
//       sampler->PickWithoutReplacement(/*count=*/3, /*population=*/ticket_count);
//
// THE ALGORITHM (version 1)
//
// 1. Byte stream. Block c (c = 0, 1, 2, ...) is the 32-byte
//        SHA-256( "argentpoche/v1/sampling" (the 23 ASCII bytes, no terminator)
//                 || randomness (32 bytes)
//                 || c as 8 bytes, big-endian )
//    and the stream is block 0, then block 1, and so on, each read from its first byte
//    to its last. Every draw below takes the next unread bytes of the stream; nothing is
//    ever skipped or read twice.
//
// 2. UniformBelow(n), for 1 <= n <= 2^64 - 1. Let b be the number of bits of n - 1
//    (b = 0 for n = 1, b = 3 for n = 6, b = 32 for n = 2^32) and w = ceil(b / 8) bytes.
//    Repeat: read the next w bytes as a big-endian integer u (u = 0 when w = 0), keep its
//    low b bits (u = u mod 2^b); if u < n return u, else reject u and repeat. No modulo
//    of a wider number is ever taken, so every value below n is exactly equally likely;
//    each attempt succeeds with probability n / 2^b > 1/2. n = 1 reads no bytes.
//
// 3. Shuffle(items), m = items.size(): for i = m - 1 down to 1: j = UniformBelow(i + 1),
//    swap items[i] and items[j] (Fisher-Yates from the last index down).
//
// 4. PickWithoutReplacement(k, n): an urn holds a[0..n-1] with a[x] = x. For place
//    p = 0, 1, ..., k - 1 (1st, 2nd, ... place): r = UniformBelow(n - p); the p-th pick
//    is a[r]; then a[r] = a[n - p - 1] (the hole is filled with the last ball) and the urn
//    shrinks by one. These are the steps of 3 run on 0..n-1, stopped after k swaps:
//    PickWithoutReplacement(n, n)[p] is Shuffle(0..n-1)[n - 1 - p] for the same
//    randomness. The urn is kept sparse, so n may be up to 2^64 - 1.
//
// Thread-safety: a Sampler is a stream with a position; one thread at a time. Copies
// continue independently from the same position.
#ifndef ARGENTPOCHE_ENGINE_SAMPLING_H_
#define ARGENTPOCHE_ENGINE_SAMPLING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/crypto.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {

// The domain tag hashed before the randomness (step 1 above).
inline constexpr std::string_view kSamplingDomainTag = "argentpoche/v1/sampling";
// Bytes of the randomness a Sampler starts from.
inline constexpr size_t kSamplingRandomnessBytes = 32;
// Most items one Shuffle may permute, and most picks one PickWithoutReplacement may make
// (the urn keeps at most this many moved balls in memory).
inline constexpr size_t kMaxShuffleItems = 1 << 20;
inline constexpr uint64_t kMaxPicks = 1 << 20;

class Sampler {
 public:
  // A sampler at the start of the stream of `randomness`. InvalidArgument
  // "MALFORMED_RANDOMNESS" unless it is exactly kSamplingRandomnessBytes long.
  [[nodiscard]] static absl::StatusOr<Sampler> FromRandomness(std::string_view randomness);

  // A uniform integer in [0, n) by step 2. InvalidArgument "EMPTY_RANGE" if n == 0 (then
  // nothing is read).
  [[nodiscard]] absl::StatusOr<uint64_t> UniformBelow(uint64_t n);

  // Permutes `items` in place by step 3. InvalidArgument "TOO_MANY_ITEMS" (nothing read or
  // moved) beyond kMaxShuffleItems.
  template <typename T>
  [[nodiscard]] absl::Status Shuffle(std::vector<T>& items) {
    if (items.size() > kMaxShuffleItems) {
      return InvalidArgument("TOO_MANY_ITEMS", Concat("cannot shuffle ", items.size(),
                                                      " items, at most ", kMaxShuffleItems));
    }
    for (size_t i = items.size(); i-- > 1;) {
      const uint64_t j = Below(i + 1);
      std::swap(items[i], items[j]);
    }
    return absl::OkStatus();
  }

  // `count` distinct values of [0, population), in order of draw (1st place first), by
  // step 4. InvalidArgument "EMPTY_RANGE" if population == 0, "TOO_MANY_PICKS" if count >
  // population or count > kMaxPicks; nothing is read on error. count == 0 gives {}.
  [[nodiscard]] absl::StatusOr<std::vector<uint64_t>> PickWithoutReplacement(uint64_t count,
                                                                             uint64_t population);

  // Bytes of the stream read so far, and UniformBelow attempts made so far (accepted and
  // rejected): for tests and for a verifier's report.
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t attempts() const { return attempts_; }

 private:
  explicit Sampler(std::string_view randomness);
  // Step 2 for n >= 1 (checked).
  uint64_t Below(uint64_t n);
  // The next stream byte.
  uint8_t NextByte();

  // Constant after construction.
  std::string randomness_;
  // The current block, its counter, and how many of its bytes were read.
  std::string block_;
  uint64_t next_counter_ = 0;
  size_t block_offset_ = 0;
  uint64_t bytes_read_ = 0;
  uint64_t attempts_ = 0;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SAMPLING_H_
