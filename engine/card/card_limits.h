// The sizes and bounds of the card protocol and of a card's memory: every field length of
// the wire layouts (docs/cards.md) and every limit on what a card can hold. A real applet
// would size its EEPROM from these.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_LIMITS_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace argentpoche::card {

// Frames (ISO 7816-4 short APDUs).
// Bytes of data in one command or one response (Lc and Le are one byte).
inline constexpr size_t kMaxFrameDataBytes = 255;
// CLA INS P1 P2.
inline constexpr size_t kCommandHeaderBytes = 4;
// SW1 SW2.
inline constexpr size_t kStatusWordBytes = 2;

// Field sizes, in bytes.
inline constexpr size_t kCardIdBytes = 8;
inline constexpr size_t kCurrencyBytes = 3;
inline constexpr size_t kAmountBytes = 8;
inline constexpr size_t kCounterBytes = 4;
inline constexpr size_t kX25519Bytes = 32;
inline constexpr size_t kSessionIdBytes = 4;
inline constexpr size_t kAeadTagBytes = 16;
inline constexpr size_t kChallengeBytes = 16;
inline constexpr size_t kPinSaltBytes = 16;
inline constexpr size_t kPinHashBytes = 32;
// The host's check value on an amount it types into the payee card (CRC-16).
inline constexpr size_t kAmountCheckBytes = 2;

// What one card holds.
// Key generations held at once (the old and the new during a migration).
inline constexpr size_t kMaxGenerations = 2;
// Currencies (purses) on one card.
inline constexpr size_t kMaxPurses = 8;
// Exception log entries; a card whose log is full refuses new transfers until a sync.
inline constexpr size_t kMaxLogEntries = 32;
// Revoked card ids in one revocation list (one frame; see docs/cards.md).
inline constexpr size_t kMaxRevokedCards = 20;
// PIN length in digits, and the most tries a card may be given.
inline constexpr size_t kMinPinDigits = 4;
inline constexpr size_t kMaxPinDigits = 8;
inline constexpr int kMaxPinTries = 15;
// Largest offline-payment allowance before a sync.
inline constexpr int kMaxOfflinePayments = 10'000;
// Largest balance or amount on a card, in minor units (as the engine's limit).
inline constexpr int64_t kMaxCardMinorUnits = 1'000'000'000'000'000'000;
// The counter stops (the card refuses to go on) at this value rather than wrap.
inline constexpr uint32_t kMaxCounter = 0xFFFF'FFF0;
// Largest persisted card state and largest sync report.
inline constexpr size_t kMaxStateBytes = 8 * 1024;
inline constexpr size_t kMaxSyncReportBytes = 4 * 1024;

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_LIMITS_H_
