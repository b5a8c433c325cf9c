// SoftwareCard: PIN, keys and certificates, revocation list, balances, and sync (see
// software_card.h and docs/cards.md, "Instructions").
#include <algorithm>
#include <string>

#include "engine/card/bytes.h"
#include "engine/card/card_limits.h"
#include "engine/card/certificate.h"
#include "engine/card/pin.h"
#include "engine/card/software_card.h"
#include "engine/card/sync_report.h"

namespace argentpoche::card {

ResponseFrame SoftwareCard::VerifyPin(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  if (state_.pin_hash.empty()) return {"", sw::kConditionsNotSatisfied};
  if (state_.pin_tries_left == 0) return {"", sw::kPinBlocked};
  if (!IsWellFormedPin(command.data)) return {"", sw::kWrongData};
  // Anti-tearing: the try is counted (and saved) before the PIN is compared, so cutting
  // the power once the answer is known gains nothing.
  CardState counted = state_;
  --counted.pin_tries_left;
  if (Commit(counted) != sw::kOk) return {"", sw::kMemoryFailure};
  if (!PinMatches(state_.pin_salt, state_.pin_hash, command.data)) {
    pin_verified_ = false;
    return {"", static_cast<uint16_t>(sw::kWrongPinBase | state_.pin_tries_left)};
  }
  CardState restored = state_;
  restored.pin_tries_left = restored.pin_try_limit;
  if (Commit(restored) != sw::kOk) return {"", sw::kMemoryFailure};
  pin_verified_ = true;
  return {"", sw::kOk};
}

ResponseFrame SoftwareCard::GetPublicKey(const CommandFrame& command) {
  if (command.p1 == 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  const int slot = SlotOf(command.p1);
  if (slot < 0) return {"", sw::kWrongGeneration};
  return {state_.card_id + keys_[slot].public_key(), sw::kOk};
}

ResponseFrame SoftwareCard::PutCertificate(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  const absl::StatusOr<CardCertificate> certificate = DecodeCertificate(command.data);
  if (!certificate.ok()) return {"", sw::kWrongLength};
  const int slot = SlotOf(certificate->generation);
  if (slot < 0) return {"", sw::kWrongGeneration};
  if (certificate->card_id != state_.card_id ||
      certificate->public_key != keys_[slot].public_key()) {
    return {"", sw::kWrongData};
  }
  const uint16_t status = CheckCertificate(*certificate, state_.slots[slot].issuer_public_key,
                                           clock_.NowUnixMs(), /*revoked_card_ids=*/{});
  if (status != sw::kOk) return {"", status};
  CardState next = state_;
  next.slots[slot].certificate = command.data;
  return {"", Commit(std::move(next))};
}

ResponseFrame SoftwareCard::PutRevocationList(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  const absl::StatusOr<RevocationList> list = DecodeRevocationList(command.data);
  if (!list.ok()) return {"", sw::kWrongData};
  const int slot = SlotOf(list->generation);
  if (slot < 0) return {"", sw::kWrongGeneration};
  if (!VerifyRevocationList(*list, state_.slots[slot].issuer_public_key)) {
    return {"", sw::kOtherIssuer};
  }
  if (list->version <= state_.revocation_version) return {"", sw::kStaleUpdate};
  CardState next = state_;
  next.revocation_version = list->version;
  next.revoked_card_ids = list->revoked_card_ids;
  return {"", Commit(std::move(next))};
}

ResponseFrame SoftwareCard::GetBalances(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  ByteWriter writer;
  writer.U32(state_.counter)
      .U16(state_.offline_payments)
      .U16(state_.max_offline_payments)
      .U8(static_cast<uint8_t>(state_.log.size()))
      .U8(state_.pin_tries_left)
      .U8(static_cast<uint8_t>(state_.purses.size()));
  for (const Purse& purse : state_.purses) {
    writer.Raw(purse.currency).I64(purse.balance).I64(purse.max_balance);
  }
  return {writer.Take(), sw::kOk};
}

ResponseFrame SoftwareCard::PrepareSyncReport(const CommandFrame& command) {
  if (command.p2 != 0) return {"", sw::kWrongP1P2};
  if (command.data.size() != kChallengeBytes) return {"", sw::kWrongLength};
  const int slot = CertifiedSlot(command.p1);
  if (slot < 0) return {"", sw::kWrongGeneration};
  SyncReport report;
  report.certificate = state_.slots[slot].certificate;
  report.challenge = command.data;
  report.counter = state_.counter;
  report.offline_payments = state_.offline_payments;
  for (const Purse& purse : state_.purses)
    report.balances.push_back({purse.currency, purse.balance});
  report.log = state_.log;
  report.signature = keys_[slot].Sign(SyncReportSignedBytes(report));
  sync_report_ = EncodeSyncReport(report);
  ByteWriter writer;
  writer.U16(static_cast<uint16_t>(sync_report_.size()));
  return {writer.Take(), sw::kOk};
}

ResponseFrame SoftwareCard::ReadSyncReport(const CommandFrame& command) {
  if (sync_report_.empty()) return {"", sw::kConditionsNotSatisfied};
  const size_t offset = (size_t{command.p1} << 8) | command.p2;
  if (offset >= sync_report_.size()) return {"", sw::kWrongP1P2};
  const size_t wanted = std::min<size_t>(command.le.value_or(256), kMaxFrameDataBytes);
  return {sync_report_.substr(offset, wanted), sw::kOk};
}

ResponseFrame SoftwareCard::SyncAcknowledge(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  SyncAcknowledgement ack;
  if (!DecodeSyncAcknowledgement(command.data, ack)) return {"", sw::kWrongLength};
  const int slot = SlotOf(ack.generation);
  if (slot < 0) return {"", sw::kWrongGeneration};
  if (!VerifySyncAcknowledgement(ack, state_.slots[slot].issuer_public_key)) {
    return {"", sw::kOtherIssuer};
  }
  if (ack.card_id != state_.card_id) return {"", sw::kWrongData};
  // Only the acknowledgement of a report of this very state: nothing was logged since.
  if (ack.counter != state_.counter) return {"", sw::kStaleUpdate};
  if (state_.counter >= kMaxCounter) return {"", sw::kConditionsNotSatisfied};
  CardState next = state_;
  next.log.clear();
  next.offline_payments = 0;
  ++next.counter;  // The same acknowledgement can never apply twice.
  sync_report_.clear();
  return {"", Commit(std::move(next))};
}

}  // namespace argentpoche::card
