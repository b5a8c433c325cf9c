#include "tests/crash/store_audit.h"

#include "adapters/rocksdb_store.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/audit.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/schedule.h"
#include "engine/strings.h"
#include "tests/crash/engine_link.h"

namespace argentpoche::crash {
namespace {

// Most deadlines one check lists as overdue.
constexpr size_t kMaxOverdue = 100000;

template <typename Message>
std::optional<Message> ReadMessage(const Store& store, Table table, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> bytes = store.Get(table, key);
  Message message;
  if (!bytes.ok() || !bytes->has_value() || !message.ParseFromString(**bytes)) return std::nullopt;
  return message;
}

}  // namespace

std::string AnswerBytes(const v1::CommandResult& result) {
  switch (result.resource_case()) {
    case v1::CommandResult::kParty:
      return result.party().SerializeAsString();
    case v1::CommandResult::kAccount:
      return result.account().SerializeAsString();
    case v1::CommandResult::kTransfer:
      return result.transfer().SerializeAsString();
    case v1::CommandResult::kHold:
      return result.hold().SerializeAsString();
    case v1::CommandResult::kContract:
      return result.contract().SerializeAsString();
    case v1::CommandResult::kOracle:
      return result.oracle().SerializeAsString();
    case v1::CommandResult::kEvent:
      return result.event().SerializeAsString();
    case v1::CommandResult::kAttestationReceipt:
      return result.attestation_receipt().SerializeAsString();
    case v1::CommandResult::RESOURCE_NOT_SET:
      break;
  }
  return "";
}

AuditResult StoreAuditor::Audit(const std::string& database_directory, const AuditInput& input) {
  AuditResult result;
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
      RocksDbStore::Open(database_directory, RocksDbStoreOptions());
  if (!store.ok()) {
    Violation(input, Concat("the database does not open: ", store.status().message()));
    return result;
  }
  result.opened = true;
  absl::Status conserved = CheckConservation(**store);
  if (!conserved.ok()) Violation(input, std::string(conserved.message()));
  CheckJournal(**store, input, result);
  CheckAppliedOnce(**store, input);
  CheckAcknowledged(**store, input);
  CheckFloat(**store, input);
  CheckDeadlines(**store, input, result);
  CheckSettled(**store, input);
  return result;
}

void StoreAuditor::CheckSettled(const Store& store, const AuditInput& input) {
  for (const auto& [contract_id, receipt] : input.settled) {
    const std::optional<v1::Contract> contract =
        ReadMessage<v1::Contract>(store, Table::kContracts, contract_id);
    if (!contract || contract->receipt().SerializeAsString() != receipt) {
      Violation(input, Concat("contract ", contract_id, " was seen ended with a receipt, but is ",
                              contract ? "stored with another one" : "not stored"));
    }
  }
}

void StoreAuditor::CheckJournal(const Store& store, const AuditInput& input, AuditResult& result) {
  absl::StatusOr<uint64_t> records = VerifyJournal(store);
  if (!records.ok()) {
    Violation(input, Concat("the journal does not verify: ", records.status().message()));
    return;
  }
  if (*records < last_journal_records_) {
    Violation(input, Concat("the journal has ", *records, " records, fewer than the ",
                            last_journal_records_, " of the previous check"));
  }
  last_journal_records_ = std::max(last_journal_records_, *records);
  result.journal_records = *records;
}

void StoreAuditor::CheckAppliedOnce(const Store& store, const AuditInput& input) {
  absl::Status scanned = store.Scan(
      Table::kJournal, keys::Padded(scanned_records_ + 1), "", SIZE_MAX,
      [&](std::string_view key, std::string_view value) {
        v1::JournalRecord record;
        v1::JournalEntry entry;
        if (!record.ParseFromString(std::string(value)) || !entry.ParseFromString(record.entry())) {
          Violation(input, Concat("journal record ", key, " does not parse"));
          return false;
        }
        scanned_records_ = entry.sequence();
        if (!entry.has_command()) return true;
        const v1::Command command = CommandOf(entry.command());
        const std::string request = keys::Request(command.caller_party_id(), command.request_id());
        if (!applied_requests_.insert(request).second) {
          Violation(input,
                    Concat("request ", request, " was applied twice (again at journal record ",
                           entry.sequence(), ")"));
        }
        return true;
      });
  if (!scanned.ok()) Violation(input, Concat("the journal cannot be read: ", scanned.message()));
}

void StoreAuditor::CheckAcknowledged(const Store& store, const AuditInput& input) {
  for (const std::shared_ptr<const Acknowledged>& acknowledged : input.acknowledged) {
    const std::string request =
        keys::Request(acknowledged->caller_party_id, acknowledged->request_id);
    const std::optional<v1::IdempotencyRecord> record =
        ReadMessage<v1::IdempotencyRecord>(store, Table::kRequests, request);
    if (!record) {
      Violation(input, Concat("acknowledged request ", request, " is missing"));
      continue;
    }
    if (AnswerBytes(record->result()) != acknowledged->response) {
      Violation(input, Concat("acknowledged request ", request,
                              " is stored with another answer than the one given"));
    }
    const std::optional<v1::JournalRecord> journal_record = ReadMessage<v1::JournalRecord>(
        store, Table::kJournal, keys::Padded(record->journal_sequence()));
    v1::JournalEntry entry;
    bool journaled = journal_record && entry.ParseFromString(journal_record->entry());
    if (journaled) {
      const std::string applied = entry.command().SerializeAsString();
      journaled = applied == acknowledged->signed_command.envelope().SerializeAsString();
      for (const v1::SignedEnvelope& earlier : acknowledged->earlier_signings) {
        journaled = journaled || applied == earlier.SerializeAsString();
      }
    }
    if (!journaled) {
      Violation(input, Concat("acknowledged request ", request, " has no journal record ",
                              record->journal_sequence(), " with its signed command"));
    }
  }
}

void StoreAuditor::CheckFloat(const Store& store, const AuditInput& input) {
  for (const auto& [currency, range] : input.issued) {
    const std::optional<v1::Account> float_account =
        ReadMessage<v1::Account>(store, Table::kAccounts, keys::FloatAccountId(currency));
    const int64_t issued = float_account ? -float_account->balance().minor_units() : 0;
    if (issued < range.acknowledged || issued > range.acknowledged + range.in_doubt) {
      Violation(input, Concat("the ", currency, " float issued ", issued,
                              " minor units; acknowledged credits add up to ", range.acknowledged,
                              " and credits in doubt to ", range.in_doubt));
    }
  }
}

void StoreAuditor::CheckDeadlines(const Store& store, const AuditInput& input,
                                  AuditResult& result) {
  const int64_t fire_by = input.stopped_ms - input.deadline_grace_ms;
  if (fire_by > input.run_started_ms) {
    absl::StatusOr<std::vector<v1::DeadlineEvent>> late = DueDeadlines(store, fire_by, 10);
    if (!late.ok()) {
      Violation(input, Concat("the schedule cannot be read: ", late.status().message()));
    } else {
      for (const v1::DeadlineEvent& event : *late) {
        Violation(input,
                  Concat("deadline ", event.kind(), " of ", event.subject_id(), " due at ",
                         event.due_at_unix_ms(), " had not fired ",
                         input.stopped_ms - std::max(event.due_at_unix_ms(), input.run_started_ms),
                         " ms later, while the engine ran"));
      }
    }
  }
  absl::StatusOr<std::vector<v1::DeadlineEvent>> overdue =
      DueDeadlines(store, WallNowMs(), kMaxOverdue);
  if (overdue.ok()) result.overdue = *std::move(overdue);
}

void StoreAuditor::Violation(const AuditInput& input, const std::string& what) {
  violations_->Add(Concat(input.moment, ": ", what));
}

}  // namespace argentpoche::crash
