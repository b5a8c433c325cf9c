#include "engine/journal.h"

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/keys.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::Status Broken(uint64_t sequence, std::string_view what) {
  return Error(absl::StatusCode::kDataLoss, "JOURNAL_BROKEN",
               Concat("journal record ", sequence, ": ", what));
}

std::string ChainHash(std::string_view previous_hash, std::string_view entry_bytes) {
  Sha256Hasher hasher;
  hasher.Update(previous_hash);
  hasher.Update(entry_bytes);
  return hasher.Finish();
}

}  // namespace

absl::StatusOr<uint64_t> NextJournalSequence(const Transaction& transaction) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::JournalHead> head,
                         transaction.GetMessage<v1::JournalHead>(Table::kMeta, keys::kJournalHead));
  return head ? head->sequence() + 1 : 1;
}

absl::StatusOr<std::string> AppendJournal(Transaction* transaction, v1::JournalEntry entry) {
  POCHE_ASSIGN_OR_RETURN(
      std::optional<v1::JournalHead> head,
      transaction->GetMessage<v1::JournalHead>(Table::kMeta, keys::kJournalHead));
  const uint64_t sequence = head ? head->sequence() + 1 : 1;
  const std::string previous_hash = head ? head->hash() : std::string(32, '\0');
  POCHE_CHECK(entry.sequence() == sequence);
  entry.set_previous_hash(previous_hash);
  v1::JournalRecord record;
  POCHE_CHECK(entry.SerializeToString(record.mutable_entry()));
  record.set_hash(ChainHash(previous_hash, record.entry()));
  transaction->PutMessage(Table::kJournal, keys::Padded(sequence), record);
  v1::JournalHead new_head;
  new_head.set_sequence(sequence);
  new_head.set_hash(record.hash());
  transaction->PutMessage(Table::kMeta, keys::kJournalHead, new_head);
  return record.hash();
}

absl::Status JournalVerifier::Add(const v1::JournalRecord& record) {
  const uint64_t expected = records_ + 1;
  v1::JournalEntry entry;
  if (!entry.ParseFromString(record.entry())) return Broken(expected, "the entry does not parse");
  if (entry.sequence() != expected) {
    return Broken(expected, Concat("found sequence ", entry.sequence()));
  }
  if (entry.previous_hash() != head_hash_) {
    return Broken(expected, "its previous hash is not the hash of the record before it");
  }
  const std::string hash = ChainHash(head_hash_, record.entry());
  if (hash != record.hash()) return Broken(expected, "its hash does not match its content");
  head_hash_ = hash;
  records_ = expected;
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> VerifyJournal(const Store& store) {
  JournalVerifier verifier;
  absl::Status status;
  constexpr size_t kPage = 1024;
  std::string start;
  for (bool more = true; more;) {
    size_t seen = 0;
    POCHE_RETURN_IF_ERROR(store.Scan(
        Table::kJournal, start, "", kPage, [&](std::string_view key, std::string_view value) {
          ++seen;
          start = Concat(key, std::string(1, '\0'));
          v1::JournalRecord record;
          status = record.ParseFromString(std::string(value))
                       ? verifier.Add(record)
                       : Broken(verifier.records() + 1, "the record does not parse");
          return status.ok();
        }));
    POCHE_RETURN_IF_ERROR(status);
    more = seen == kPage;
  }
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> head_bytes,
                         store.Get(Table::kMeta, keys::kJournalHead));
  v1::JournalHead head;
  if (head_bytes && !head.ParseFromString(*head_bytes)) {
    return Broken(verifier.records(), "the journal head does not parse");
  }
  if (head.sequence() != verifier.records() ||
      (head_bytes && head.hash() != verifier.head_hash())) {
    return Broken(verifier.records(), "the stored head does not match the last record");
  }
  return verifier.records();
}

}  // namespace argentpoche
