// PIN shape, hashing and comparison (see pin.h).
#include "engine/card/pin.h"

#include <sodium.h>

#include <string>
#include <string_view>

#include "engine/card/card_limits.h"
#include "engine/check.h"
#include "engine/crypto.h"

namespace argentpoche::card {

bool IsWellFormedPin(std::string_view pin) {
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits) return false;
  for (char digit : pin) {
    if (digit < '0' || digit > '9') return false;
  }
  return true;
}

std::string HashPin(std::string_view salt, std::string_view pin) {
  InitCrypto();
  POCHE_CHECK(salt.size() == kPinSaltBytes);
  std::string hash(kPinHashBytes, '\0');
  POCHE_CHECK(crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                                 reinterpret_cast<const unsigned char*>(pin.data()), pin.size(),
                                 reinterpret_cast<const unsigned char*>(salt.data()),
                                 salt.size()) == 0);
  return hash;
}

bool PinMatches(std::string_view salt, std::string_view hash, std::string_view pin) {
  if (hash.size() != kPinHashBytes) return false;
  std::string candidate = HashPin(salt, pin);
  const bool matches = sodium_memcmp(candidate.data(), hash.data(), kPinHashBytes) == 0;
  sodium_memzero(candidate.data(), candidate.size());
  return matches;
}

}  // namespace argentpoche::card
