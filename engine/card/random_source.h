// The RandomSource port: where a card gets the randomness for its keys (its Ed25519 key
// generated inside it, ephemeral X25519 keys, the PIN salt). Production cards use
// SystemRandom; tests inject a SeededRandom so that runs are reproducible.
//
// Thread-safety: SystemRandom is thread-safe; SeededRandom is not (one per card).
#ifndef ARGENTPOCHE_ENGINE_CARD_RANDOM_SOURCE_H_
#define ARGENTPOCHE_ENGINE_CARD_RANDOM_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace argentpoche::card {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // `count` random bytes.
  [[nodiscard]] virtual std::string Bytes(size_t count) = 0;
};

// libsodium's CSPRNG.
class SystemRandom final : public RandomSource {
 public:
  [[nodiscard]] std::string Bytes(size_t count) override;
};

// TEST ONLY. A deterministic stream from a test seed: call i returns
// randombytes_buf_deterministic(count, SHA-256(seed || i)). Anyone who knows the seed
// knows every key made from it, so a SeededRandom must never personalise a real card;
// test seeds are labelled as such where they are written.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::string_view test_seed);
  [[nodiscard]] std::string Bytes(size_t count) override;

 private:
  std::string seed_;
  uint64_t calls_ = 0;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_RANDOM_SOURCE_H_
