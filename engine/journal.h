// The hash-chained journal: every applied command or deadline appends one record
// whose hash covers the previous record's hash and the exact entry bytes, so that any
// change to history breaks the chain. JournalVerifier recomputes the chain.
#ifndef ARGENTPOCHE_ENGINE_JOURNAL_H_
#define ARGENTPOCHE_ENGINE_JOURNAL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/store.h"
#include "engine/transaction.h"

namespace argentpoche {

// The sequence the next appended record will have (1 for an empty journal).
[[nodiscard]] absl::StatusOr<uint64_t> NextJournalSequence(const Transaction& transaction);

// Appends `entry`, filling its sequence and previous hash; returns the record's hash.
// The entry's sequence must be NextJournalSequence().
[[nodiscard]] absl::StatusOr<std::string> AppendJournal(Transaction* transaction,
                                                        v1::JournalEntry entry);

// Checks records one after the other, in order.
class JournalVerifier {
 public:
  // DATA_LOSS "JOURNAL_BROKEN" with the sequence where the chain breaks.
  [[nodiscard]] absl::Status Add(const v1::JournalRecord& record);
  uint64_t records() const { return records_; }
  const std::string& head_hash() const { return head_hash_; }

 private:
  uint64_t records_ = 0;
  std::string head_hash_ = std::string(32, '\0');
};

// Verifies the whole journal in `store` and that its head record matches the stored
// head; returns the number of records.
[[nodiscard]] absl::StatusOr<uint64_t> VerifyJournal(const Store& store);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_JOURNAL_H_
