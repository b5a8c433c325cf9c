// System and seeded random sources (see random_source.h).
#include "engine/card/random_source.h"

#include <sodium.h>

#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/crypto.h"

namespace argentpoche::card {

std::string SystemRandom::Bytes(size_t count) { return RandomBytes(count); }

SeededRandom::SeededRandom(std::string_view test_seed) : seed_(test_seed) {}

std::string SeededRandom::Bytes(size_t count) {
  static_assert(randombytes_SEEDBYTES == kSha256Bytes);
  ByteWriter input;
  input.Raw(seed_).U32(static_cast<uint32_t>(calls_ >> 32)).U32(static_cast<uint32_t>(calls_));
  ++calls_;
  const std::string call_seed = Sha256(input.bytes());
  std::string bytes(count, '\0');
  randombytes_buf_deterministic(bytes.data(), bytes.size(),
                                reinterpret_cast<const unsigned char*>(call_seed.data()));
  return bytes;
}

}  // namespace argentpoche::card
