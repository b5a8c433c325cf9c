// Reconciler: what the issuer runs on the sync reports cards upload, to settle transfers
// that were cut. It is the only place where value lost on the way is given back.
//
// Every transfer is named by its payer: (payer card id, payer counter). A payer's
// "pending" entry says it debited and never saw the ack. The payee's reports decide it:
//   - refund the payer when the payee has reported a state past the transfer's payee
//     counter and its log still holds the "awaiting" entry of that counter (it never
//     credited the value, and can no longer: reporting ends any session);
//   - nothing is due when the payee has reported a state past that counter and its log
//     has no "awaiting" entry for it (the payee credited; credit and clearing the entry
//     are one commit);
//   - otherwise the transfer stays undecided until the payee syncs.
// A payee report at or below the transfer's payee counter decides nothing: a payer only
// debits on the payee's signed request, which the payee sends after moving past that
// counter, so such a report predates the transfer.
// Each transfer is decided once: never refunded twice, never refunded when credited.
// Reports are kept merged per card (the highest counter seen, every "awaiting" entry
// ever reported), so reports may arrive in any order and logs may be cleared after sync.
//
//   Reconciler reconciler({{1, issuer_generation_1_public_key}});
//   absl::StatusOr<std::vector<Refund>> refunds = reconciler.Submit(report, challenge);
//
// Thread-safety: not thread-safe; the issuer runs one reconciler per shard of cards.
#ifndef ARGENTPOCHE_ENGINE_CARD_RECONCILER_H_
#define ARGENTPOCHE_ENGINE_CARD_RECONCILER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/card/card_state.h"
#include "engine/card/sync_report.h"

namespace argentpoche::card {

struct Refund {
  std::string payer_card_id;
  uint32_t payer_counter = 0;
  std::string payee_card_id;
  uint32_t payee_counter = 0;
  std::string currency;
  int64_t amount = 0;
  bool operator==(const Refund&) const = default;
};

class Reconciler {
 public:
  // The issuer's public key for each card generation it certified.
  explicit Reconciler(std::map<uint8_t, std::string> issuer_public_keys);

  // Checks and records one sync report, then returns the refunds it made decidable
  // (each transfer's refund is returned once, ever). `expected_challenge` is the
  // challenge the issuer gave the card for this sync. Errors, with nothing recorded:
  // InvalidArgument "MALFORMED_SYNC_REPORT"; Unauthenticated "UNKNOWN_GENERATION",
  // "BAD_CERTIFICATE" (not signed by the issuer key of its generation), "BAD_SIGNATURE"
  // (the report is not signed by the certified key); FailedPrecondition "WRONG_CHALLENGE";
  // InvalidArgument "INCONSISTENT_SYNC_REPORT" (a log entry at or past the report's
  // counter).
  [[nodiscard]] absl::StatusOr<std::vector<Refund>> Submit(std::string_view report_bytes,
                                                           std::string_view expected_challenge);

  // Payers' pending transfers waiting for their payee's report.
  [[nodiscard]] std::vector<LogEntry> Undecided() const;
  // Transfers decided with nothing due (the payee credited), and refunds made.
  [[nodiscard]] size_t settled_count() const { return settled_.size(); }
  [[nodiscard]] size_t refund_count() const { return refunded_.size(); }
  // The last balances a card reported, per currency.
  [[nodiscard]] std::vector<PurseBalance> ReportedBalances(std::string_view card_id) const;

 private:
  using TransferId = std::pair<std::string, uint32_t>;  // payer card id, payer counter
  struct PendingTransfer {
    std::string payer_card_id;
    LogEntry entry;  // the payer's log entry
  };
  struct CardRecord {
    uint32_t counter = 0;                   // the highest reported
    std::map<uint32_t, LogEntry> awaiting;  // by payee counter, every one ever reported
    std::vector<PurseBalance> balances;
  };

  // Decides what can be; appends the refunds.
  void Decide(std::vector<Refund>& refunds);

  std::map<uint8_t, std::string> issuer_public_keys_;
  std::map<std::string, CardRecord> cards_;
  std::map<TransferId, PendingTransfer> pending_;
  std::set<TransferId> refunded_;
  std::set<TransferId> settled_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_RECONCILER_H_
