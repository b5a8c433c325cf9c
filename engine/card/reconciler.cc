// The issuer's reconciler of cut transfers (see reconciler.h).
#include "engine/card/reconciler.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/certificate.h"
#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {

Reconciler::Reconciler(std::map<uint8_t, std::string> issuer_public_keys)
    : issuer_public_keys_(std::move(issuer_public_keys)) {}

absl::StatusOr<std::vector<Refund>> Reconciler::Submit(std::string_view report_bytes,
                                                       std::string_view expected_challenge) {
  POCHE_ASSIGN_OR_RETURN(SyncReport report, DecodeSyncReport(report_bytes));
  POCHE_ASSIGN_OR_RETURN(CardCertificate certificate, DecodeCertificate(report.certificate));
  const auto issuer_key = issuer_public_keys_.find(certificate.generation);
  if (issuer_key == issuer_public_keys_.end()) {
    return Unauthenticated("UNKNOWN_GENERATION",
                           Concat("no issuer key for card generation ", certificate.generation));
  }
  // Expiry and revocation do not stop a sync: an expired or revoked card still settles.
  const uint16_t certificate_status =
      CheckCertificate(certificate, issuer_key->second, /*now_unix_ms=*/0, /*revoked=*/{});
  if (certificate_status != sw::kOk) {
    return Unauthenticated("BAD_CERTIFICATE", "the report's certificate is not the issuer's");
  }
  if (!VerifySignature(certificate.public_key, SyncReportSignedBytes(report), report.signature)) {
    return Unauthenticated("BAD_SIGNATURE", "the report is not signed by the certified card key");
  }
  if (report.challenge != expected_challenge) {
    return FailedPrecondition("WRONG_CHALLENGE", "the report answers another sync's challenge");
  }
  for (const LogEntry& entry : report.log) {
    if (entry.counter >= report.counter) {
      return InvalidArgument("INCONSISTENT_SYNC_REPORT",
                             "a log entry's counter is not below the card's counter");
    }
  }

  CardRecord& record = cards_[certificate.card_id];
  if (report.counter >= record.counter) {
    record.counter = report.counter;
    record.balances = report.balances;
  }
  for (const LogEntry& entry : report.log) {
    if (entry.kind == LogKind::kPayeeAwaiting) {
      record.awaiting.emplace(entry.counter, entry);
      continue;
    }
    const TransferId id{certificate.card_id, entry.counter};
    if (refunded_.contains(id) || settled_.contains(id)) continue;
    pending_.emplace(id, PendingTransfer{certificate.card_id, entry});
  }
  std::vector<Refund> refunds;
  Decide(refunds);
  return refunds;
}

void Reconciler::Decide(std::vector<Refund>& refunds) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    const LogEntry& entry = it->second.entry;
    const auto payee = cards_.find(entry.peer_card_id);
    if (payee == cards_.end() || payee->second.counter <= entry.peer_counter) {
      ++it;  // The payee has not reported a state past this transfer yet.
      continue;
    }
    const auto awaiting = payee->second.awaiting.find(entry.peer_counter);
    // An "awaiting" entry at that counter, whoever it names, proves the payee did not
    // credit this transfer (one request per payee counter).
    if (awaiting != payee->second.awaiting.end()) {
      POCHE_CHECK(!refunded_.contains(it->first) && !settled_.contains(it->first));
      refunds.push_back({it->second.payer_card_id, entry.counter, entry.peer_card_id,
                         entry.peer_counter, entry.currency, entry.amount});
      refunded_.insert(it->first);
    } else {
      settled_.insert(it->first);
    }
    it = pending_.erase(it);
  }
}

std::vector<LogEntry> Reconciler::Undecided() const {
  std::vector<LogEntry> undecided;
  for (const auto& [id, transfer] : pending_) undecided.push_back(transfer.entry);
  return undecided;
}

std::vector<PurseBalance> Reconciler::ReportedBalances(std::string_view card_id) const {
  const auto record = cards_.find(std::string(card_id));
  if (record == cards_.end()) return {};
  return record->second.balances;
}

}  // namespace argentpoche::card
