// The card state's byte layout (see card_state.h). Layout, version 1:
//   version(1) card_id(8) counter(4)
//   slot_count(1) { generation(1) seed(32) issuer_public_key(32) cert_length(1) cert }
//   purse_count(1) { currency(3) balance(8) max_balance(8) }
//   log_count(1) { log entry(28) }
//   pin_salt_length(1) pin_salt pin_hash_length(1) pin_hash pin_tries_left(1) pin_try_limit(1)
//   offline_payments(2) max_offline_payments(2)
//   revocation_version(4) revoked_count(1) { card_id(8) }
#include "engine/card/card_state.h"

#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/card/card_limits.h"
#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

constexpr uint8_t kStateVersion = 1;

absl::Status Corrupt(std::string_view what) {
  return Error(absl::StatusCode::kDataLoss, "CORRUPT_CARD_STATE",
               std::string("the stored card state is damaged: ") + std::string(what));
}

bool ReadShortString(ByteReader& reader, size_t max_length, std::string& value) {
  uint8_t length = 0;
  return reader.U8(length) && length <= max_length && reader.Raw(length, value);
}

bool ReadSlot(ByteReader& reader, KeySlot& slot) {
  return reader.U8(slot.generation) && reader.Raw(kSeedBytes, slot.seed) &&
         reader.Raw(kPublicKeyBytes, slot.issuer_public_key) &&
         ReadShortString(reader, 255, slot.certificate);
}

bool ReadPurse(ByteReader& reader, Purse& purse) {
  return reader.Raw(kCurrencyBytes, purse.currency) && reader.I64(purse.balance) &&
         reader.I64(purse.max_balance) && purse.balance >= 0 &&
         purse.balance <= purse.max_balance && purse.max_balance <= kMaxCardMinorUnits;
}

template <typename Item, typename ReadItem>
bool ReadList(ByteReader& reader, size_t max_count, std::vector<Item>& items, ReadItem read) {
  uint8_t count = 0;
  if (!reader.U8(count) || count > max_count) return false;
  items.resize(count);
  for (Item& item : items) {
    if (!read(reader, item)) return false;
  }
  return true;
}

}  // namespace

std::string EncodeLogEntry(const LogEntry& entry) {
  POCHE_CHECK(entry.peer_card_id.size() == kCardIdBytes);
  POCHE_CHECK(entry.currency.size() == kCurrencyBytes);
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(entry.kind))
      .U32(entry.counter)
      .Raw(entry.peer_card_id)
      .U32(entry.peer_counter)
      .Raw(entry.currency)
      .I64(entry.amount);
  return writer.Take();
}

absl::StatusOr<LogEntry> DecodeLogEntry(std::string_view bytes) {
  LogEntry entry;
  ByteReader reader(bytes);
  uint8_t kind = 0;
  if (!reader.U8(kind) || (kind != 1 && kind != 2) || !reader.U32(entry.counter) ||
      !reader.Raw(kCardIdBytes, entry.peer_card_id) || !reader.U32(entry.peer_counter) ||
      !reader.Raw(kCurrencyBytes, entry.currency) || !reader.I64(entry.amount) ||
      entry.amount <= 0 || !reader.done()) {
    return InvalidArgument("MALFORMED_LOG_ENTRY", "an exception log entry is 28 bytes");
  }
  entry.kind = static_cast<LogKind>(kind);
  return entry;
}

std::string EncodeCardState(const CardState& state) {
  POCHE_CHECK(state.card_id.size() == kCardIdBytes);
  POCHE_CHECK(!state.slots.empty() && state.slots.size() <= kMaxGenerations);
  POCHE_CHECK(state.purses.size() <= kMaxPurses && state.log.size() <= kMaxLogEntries);
  POCHE_CHECK(state.revoked_card_ids.size() <= kMaxRevokedCards);
  ByteWriter writer;
  writer.U8(kStateVersion).Raw(state.card_id).U32(state.counter);
  writer.U8(static_cast<uint8_t>(state.slots.size()));
  for (const KeySlot& slot : state.slots) {
    writer.U8(slot.generation).Raw(slot.seed).Raw(slot.issuer_public_key);
    writer.U8(static_cast<uint8_t>(slot.certificate.size())).Raw(slot.certificate);
  }
  writer.U8(static_cast<uint8_t>(state.purses.size()));
  for (const Purse& purse : state.purses) {
    writer.Raw(purse.currency).I64(purse.balance).I64(purse.max_balance);
  }
  writer.U8(static_cast<uint8_t>(state.log.size()));
  for (const LogEntry& entry : state.log) writer.Raw(EncodeLogEntry(entry));
  writer.U8(static_cast<uint8_t>(state.pin_salt.size())).Raw(state.pin_salt);
  writer.U8(static_cast<uint8_t>(state.pin_hash.size())).Raw(state.pin_hash);
  writer.U8(state.pin_tries_left).U8(state.pin_try_limit);
  writer.U16(state.offline_payments).U16(state.max_offline_payments);
  writer.U32(state.revocation_version).U8(static_cast<uint8_t>(state.revoked_card_ids.size()));
  for (const std::string& card_id : state.revoked_card_ids) writer.Raw(card_id);
  POCHE_CHECK(writer.bytes().size() <= kMaxStateBytes);
  return writer.Take();
}

absl::StatusOr<CardState> DecodeCardState(std::string_view bytes) {
  if (bytes.size() > kMaxStateBytes) return Corrupt("too long");
  CardState state;
  ByteReader reader(bytes);
  uint8_t version = 0;
  if (!reader.U8(version) || version != kStateVersion) return Corrupt("unknown version");
  bool ok =
      reader.Raw(kCardIdBytes, state.card_id) && reader.U32(state.counter) &&
      ReadList(reader, kMaxGenerations, state.slots, ReadSlot) && !state.slots.empty() &&
      ReadList(reader, kMaxPurses, state.purses, ReadPurse) &&
      ReadList(reader, kMaxLogEntries, state.log,
               [](ByteReader& in, LogEntry& entry) {
                 std::string_view entry_bytes;
                 if (!in.Raw(kLogEntryBytes, entry_bytes)) return false;
                 absl::StatusOr<LogEntry> decoded = DecodeLogEntry(entry_bytes);
                 if (!decoded.ok()) return false;
                 entry = *decoded;
                 return true;
               }) &&
      ReadShortString(reader, kPinSaltBytes, state.pin_salt) &&
      ReadShortString(reader, kPinHashBytes, state.pin_hash) && reader.U8(state.pin_tries_left) &&
      reader.U8(state.pin_try_limit) && reader.U16(state.offline_payments) &&
      reader.U16(state.max_offline_payments) && reader.U32(state.revocation_version) &&
      ReadList(reader, kMaxRevokedCards, state.revoked_card_ids,
               [](ByteReader& in, std::string& card_id) { return in.Raw(kCardIdBytes, card_id); });
  if (!ok || !reader.done()) return Corrupt("truncated, trailing bytes or a bound exceeded");
  return state;
}

Purse* FindPurse(CardState& state, std::string_view currency) {
  for (Purse& purse : state.purses) {
    if (purse.currency == currency) return &purse;
  }
  return nullptr;
}

const Purse* FindPurse(const CardState& state, std::string_view currency) {
  for (const Purse& purse : state.purses) {
    if (purse.currency == currency) return &purse;
  }
  return nullptr;
}

}  // namespace argentpoche::card
