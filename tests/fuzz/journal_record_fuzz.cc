// Fuzz target: journal records (tests/fuzz/README.md), as an auditor reads them from a
// store or from ListJournalRecords.
//
// Input: a mode byte, then a v1::ListJournalRecordsResponse whose records are checked in
// order by a JournalVerifier.
//   - even mode: the records as given. The verifier accepts a prefix of them, its head
//     hash the last accepted record's; VerifyJournal over a store holding the same
//     records (and a head naming the last) agrees with it.
//   - odd mode: the records chained here first (each entry given its sequence and the
//     previous record's hash, each record the hash of both), so the fuzzer reaches past
//     the hashes: every record must be accepted. Then one byte of one record, chosen by
//     the input's last byte, is changed: the verifier must stop exactly there.
//
// The dictionary gives integer fields (sequences, times) their extreme values.
// libFuzzer flags: -dict=tests/fuzz/protobuf.dict
#include <cstddef>
#include <cstdint>
#include <string>

#include "argentpoche/v1/engine_service.pb.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/crypto.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/memory_store.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

// Records the verifier accepts before the first it refuses.
int AcceptedPrefix(const v1::ListJournalRecordsResponse& journal, JournalVerifier& verifier) {
  int accepted = 0;
  for (const v1::JournalRecord& record : journal.records()) {
    const absl::Status status = verifier.Add(record);
    if (!status.ok()) {
      Check(status.code() == absl::StatusCode::kDataLoss, "a broken chain is DATA_LOSS");
      break;
    }
    ++accepted;
    Check(verifier.records() == static_cast<uint64_t>(accepted) &&
              verifier.head_hash() == record.hash(),
          "the verifier's head is the last record accepted");
  }
  return accepted;
}

void RunAsGiven(const v1::ListJournalRecordsResponse& journal) {
  JournalVerifier verifier;
  const int accepted = AcceptedPrefix(journal, verifier);

  MemoryStore store;
  WriteBatch batch;
  uint64_t sequence = 0;
  for (const v1::JournalRecord& record : journal.records()) {
    batch.Put(Table::kJournal, keys::Padded(++sequence), record.SerializeAsString());
  }
  if (journal.records_size() > 0) {
    v1::JournalHead head;
    head.set_sequence(sequence);
    head.set_hash(journal.records(journal.records_size() - 1).hash());
    batch.Put(Table::kMeta, std::string(keys::kJournalHead), head.SerializeAsString());
  }
  CheckOk(store.Write(batch, WriteMode::kNoSync), "writing the records");
  absl::StatusOr<uint64_t> verified = VerifyJournal(store);
  Check(verified.ok() == (accepted == journal.records_size()),
        "VerifyJournal accepts a store exactly when the verifier accepts every record");
  if (verified.ok()) Check(*verified == sequence, "VerifyJournal counts every record");
}

void RunChained(v1::ListJournalRecordsResponse journal, uint8_t tamper) {
  std::string previous_hash(kSha256Bytes, '\0');
  uint64_t sequence = 0;
  for (v1::JournalRecord& record : *journal.mutable_records()) {
    v1::JournalEntry entry;
    if (!entry.ParseFromString(record.entry())) entry.Clear();
    entry.set_sequence(++sequence);
    entry.set_previous_hash(previous_hash);
    record.set_entry(entry.SerializeAsString());
    Sha256Hasher hasher;
    hasher.Update(previous_hash);
    hasher.Update(record.entry());
    record.set_hash(hasher.Finish());
    previous_hash = record.hash();
  }
  JournalVerifier verifier;
  Check(AcceptedPrefix(journal, verifier) == journal.records_size(),
        "a correctly chained journal verifies");
  if (journal.records_size() == 0) return;

  const int index = tamper % journal.records_size();
  v1::JournalRecord& record = *journal.mutable_records(index);
  std::string* field = (tamper & 0x80) != 0 || record.entry().empty() ? record.mutable_hash()
                                                                      : record.mutable_entry();
  (*field)[tamper % field->size()] ^= 0x20;
  JournalVerifier tampered;
  Check(AcceptedPrefix(journal, tampered) == index, "the verifier stops at the changed record");
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  argentpoche::fuzz::SilenceProtobufLogs();
  argentpoche::v1::ListJournalRecordsResponse journal;
  if (!journal.ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  if (data[0] % 2 == 0) {
    argentpoche::fuzz::RunAsGiven(journal);
  } else {
    argentpoche::fuzz::RunChained(std::move(journal), data[size - 1]);
  }
  return 0;
}
