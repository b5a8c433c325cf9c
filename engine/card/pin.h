// The card's PIN: its shape, and how the card stores it (a keyed BLAKE2b hash under a
// per-card random salt, compared in constant time). The PIN itself is never stored,
// printed or put in an error.
#ifndef ARGENTPOCHE_ENGINE_CARD_PIN_H_
#define ARGENTPOCHE_ENGINE_CARD_PIN_H_

#include <string>
#include <string_view>

namespace argentpoche::card {

// kMinPinDigits to kMaxPinDigits ASCII decimal digits.
[[nodiscard]] bool IsWellFormedPin(std::string_view pin);
// BLAKE2b-256 of `pin` keyed with `salt` (kPinSaltBytes).
[[nodiscard]] std::string HashPin(std::string_view salt, std::string_view pin);
// Whether HashPin(salt, pin) equals `hash`, in constant time.
[[nodiscard]] bool PinMatches(std::string_view salt, std::string_view hash, std::string_view pin);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_PIN_H_
