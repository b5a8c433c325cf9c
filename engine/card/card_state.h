// A card's persistent state (what a real applet keeps in EEPROM) and its byte layout.
// The card saves all of it at once through its CardStore; the layout starts with a
// version byte and every list is bounded by card_limits.h, so DecodeCardState refuses
// anything a card could not have written.
//
// Secrets: KeySlot::seed is the card's Ed25519 seed. It is generated inside the card and
// is only ever written to the card's own store; nothing here prints it.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_STATE_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_STATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace argentpoche::card {

// One protocol generation: the card's key for it and the issuer key it trusts for it.
struct KeySlot {
  uint8_t generation = 0;
  std::string seed;               // 32 bytes, secret
  std::string issuer_public_key;  // 32 bytes
  std::string certificate;        // kCertificateBytes once installed, else empty
  bool operator==(const KeySlot&) const = default;
};

struct Purse {
  std::string currency;     // ISO 4217 alpha-3
  int64_t balance = 0;      // minor units, 0 <= balance <= max_balance
  int64_t max_balance = 0;  // the offline limit on what this purse may hold
  bool operator==(const Purse&) const = default;
};

// An exception log entry: what this card did in a transfer that has not finished.
enum class LogKind : uint8_t {
  // Payer: debited and sent value; no acknowledgement yet.
  kPayerPending = 1,
  // Payee: sent a request; no value credited.
  kPayeeAwaiting = 2,
};

// kind(1) counter(4) peer_card_id(8) peer_counter(4) currency(3) amount(8): 28 bytes.
inline constexpr size_t kLogEntryBytes = 28;

struct LogEntry {
  LogKind kind = LogKind::kPayerPending;
  uint32_t counter = 0;       // this card's counter at the start of the transfer
  std::string peer_card_id;   // the other card
  uint32_t peer_counter = 0;  // the other card's counter at the start of the transfer
  std::string currency;
  int64_t amount = 0;
  bool operator==(const LogEntry&) const = default;
};

[[nodiscard]] std::string EncodeLogEntry(const LogEntry& entry);
// InvalidArgument "MALFORMED_LOG_ENTRY" unless `bytes` is one well-formed entry.
[[nodiscard]] absl::StatusOr<LogEntry> DecodeLogEntry(std::string_view bytes);

struct CardState {
  std::string card_id;         // kCardIdBytes
  std::vector<KeySlot> slots;  // 1 to kMaxGenerations, ascending generation
  std::vector<Purse> purses;   // at most kMaxPurses, distinct currencies
  uint32_t counter = 0;        // monotonic; at most kMaxCounter
  std::vector<LogEntry> log;   // at most kMaxLogEntries
  std::string pin_salt;        // empty when the card has no PIN
  std::string pin_hash;        // BLAKE2b(key = pin_salt, pin); empty when no PIN
  uint8_t pin_tries_left = 0;
  uint8_t pin_try_limit = 0;
  uint16_t offline_payments = 0;      // payments made since the last sync
  uint16_t max_offline_payments = 0;  // allowance before a sync is needed
  uint32_t revocation_version = 0;
  std::vector<std::string> revoked_card_ids;  // at most kMaxRevokedCards
  bool operator==(const CardState&) const = default;
};

[[nodiscard]] std::string EncodeCardState(const CardState& state);
// DataLoss "CORRUPT_CARD_STATE" when `bytes` is not a state EncodeCardState wrote
// (wrong version, truncated, trailing bytes, a bound exceeded).
[[nodiscard]] absl::StatusOr<CardState> DecodeCardState(std::string_view bytes);

// The purse of `currency`, or nullptr.
[[nodiscard]] Purse* FindPurse(CardState& state, std::string_view currency);
[[nodiscard]] const Purse* FindPurse(const CardState& state, std::string_view currency);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_STATE_H_
