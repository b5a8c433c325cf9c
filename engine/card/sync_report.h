// What a card tells its issuer when it syncs, and the issuer's answer.
//
// The sync report is signed by the card: its certificate, the issuer's challenge (so the
// report is fresh), its counter, its balances and its whole exception log. The issuer's
// Reconciler decides interrupted transfers from reports. The sync acknowledgement is
// signed by the issuer: it names the card and the counter of the report it reconciled,
// and lets the card clear its log and its offline-payment count (only while its counter
// is still that one, so an old acknowledgement cannot clear newer entries).
//
//   report:  version(1) certificate(109) challenge(16) counter(4) offline_payments(2)
//            purse_count(1) {currency(3) balance(8)} log_count(1) {entry(28)} signature(64)
//   ack:     generation(1) card_id(8) counter(4) signature(64)
//
// Thread-safe: free functions on values.
#ifndef ARGENTPOCHE_ENGINE_CARD_SYNC_REPORT_H_
#define ARGENTPOCHE_ENGINE_CARD_SYNC_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/card/card_state.h"
#include "engine/crypto.h"

namespace argentpoche::card {

struct PurseBalance {
  std::string currency;
  int64_t balance = 0;
  bool operator==(const PurseBalance&) const = default;
};

struct SyncReport {
  std::string certificate;  // encoded; its key signed the report
  std::string challenge;    // kChallengeBytes, chosen by the issuer
  uint32_t counter = 0;
  uint16_t offline_payments = 0;
  std::vector<PurseBalance> balances;
  std::vector<LogEntry> log;
  std::string signature;
};

// The signed bytes: TaggedBytes(kSyncReport, body), the body being everything but the
// signature.
[[nodiscard]] std::string SyncReportSignedBytes(const SyncReport& report);
[[nodiscard]] std::string EncodeSyncReport(const SyncReport& report);
// InvalidArgument "MALFORMED_SYNC_REPORT" when the layout or a bound is wrong. Does not
// check the signature or the certificate.
[[nodiscard]] absl::StatusOr<SyncReport> DecodeSyncReport(std::string_view bytes);

inline constexpr size_t kSyncAcknowledgementBytes = 1 + 8 + 4 + kSignatureBytes;

struct SyncAcknowledgement {
  uint8_t generation = 0;
  std::string card_id;
  uint32_t counter = 0;
  std::string signature;
};

[[nodiscard]] SyncAcknowledgement IssueSyncAcknowledgement(uint8_t generation,
                                                           std::string_view card_id,
                                                           uint32_t counter,
                                                           const SigningKey& issuer_key);
[[nodiscard]] std::string EncodeSyncAcknowledgement(const SyncAcknowledgement& ack);
[[nodiscard]] bool DecodeSyncAcknowledgement(std::string_view bytes, SyncAcknowledgement& ack);
[[nodiscard]] bool VerifySyncAcknowledgement(const SyncAcknowledgement& ack,
                                             std::string_view issuer_public_key);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_SYNC_REPORT_H_
