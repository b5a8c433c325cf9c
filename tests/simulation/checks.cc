// Simulation::CheckInvariants: the whole engine against the model. Every step: the
// journal holds exactly one record per acknowledged command and fired deadline
// (exactly once), each currency sums to zero (conservation), each party account and
// float holds what the model says, and each domain's live objects match the model and
// moved along legal transitions. Full checks also compare final objects with their
// frozen records and count every table; VerifyJournal recomputes the hash chain.
#include <cstddef>
#include <cstdint>

#include "engine/audit.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

absl::StatusOr<uint64_t> CountRows(const Store& store, Table table) {
  uint64_t rows = 0;
  POCHE_RETURN_IF_ERROR(
      store.Scan(table, "", "", SIZE_MAX, [&](std::string_view, std::string_view) {
        ++rows;
        return true;
      }));
  return rows;
}

absl::StatusOr<uint64_t> CountPartyAccounts(const Store& store) {
  uint64_t rows = 0;
  POCHE_RETURN_IF_ERROR(
      store.Scan(Table::kAccounts, "", "", SIZE_MAX, [&](std::string_view, std::string_view value) {
        v1::Account account;
        if (account.ParseFromString(std::string(value)) &&
            account.kind() == v1::ACCOUNT_KIND_PARTY) {
          ++rows;
        }
        return true;
      }));
  return rows;
}

absl::Status CheckCount(const absl::StatusOr<uint64_t>& stored, uint64_t expected,
                        std::string_view what) {
  if (!stored.ok()) return Violation(Concat("counting ", what, ": ", stored.status().message()));
  if (*stored != expected) {
    return Violation(
        Concat("the engine holds ", *stored, " ", what, ", the model expects ", expected));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Simulation::CheckInvariants(bool full, bool verify_journal) {
  const absl::StatusOr<v1::JournalHead> head = harness_.JournalHead();
  if (!head.ok()) return Violation(Concat("the journal head: ", head.status().message()));
  if (head->sequence() != model_.journal_records) {
    return Violation(Concat("the journal holds ", head->sequence(), " records but ",
                            model_.journal_records,
                            " commands and deadlines were acknowledged (applied twice or lost)"));
  }
  const Store& store = harness_.store();
  if (absl::Status conserved = CheckConservation(store); !conserved.ok()) {
    return Violation(Concat("money is not conserved: ", conserved.message()));
  }
  const Engine& engine = harness_.engine();
  for (const auto& [id, account] : model_.accounts) {
    const absl::StatusOr<v1::Account> stored = engine.GetAccount(id);
    if (!stored.ok()) {
      return Violation(
          Concat("account ", id, " was opened but cannot be read: ", stored.status().message()));
    }
    if (stored->kind() != v1::ACCOUNT_KIND_PARTY ||
        stored->owner_party_id() != account.owner_party_id ||
        stored->balance().currency() != account.currency ||
        stored->balance().minor_units() != account.balance) {
      return Violation(Concat("account ", id, " holds ", stored->balance().minor_units(), " ",
                              stored->balance().currency(), ", the model expects ", account.balance,
                              " ", account.currency));
    }
  }
  for (const std::string& currency : model_.currencies) {
    const auto issued = model_.issued.find(currency);
    const int64_t expected = issued == model_.issued.end() ? 0 : issued->second;
    const absl::StatusOr<v1::Account> float_account =
        engine.GetAccount(keys::FloatAccountId(currency));
    if (!float_account.ok() && float_account.status().code() != absl::StatusCode::kNotFound) {
      return Violation(Concat("the ", currency, " float: ", float_account.status().message()));
    }
    const int64_t carried = float_account.ok() ? -float_account->balance().minor_units() : 0;
    if (carried != expected) {
      return Violation(Concat("the ", currency, " float carries ", carried, " but the model has ",
                              expected, " credited net of debits"));
    }
  }
  for (const std::unique_ptr<Domain>& domain : domains_) {
    POCHE_RETURN_IF_ERROR(domain->Check(model_, engine, full));
  }
  if (full) {
    uint64_t registered = 1;  // the operator
    for (const auto& [id, party] : model_.parties) registered += party.registered ? 1 : 0;
    uint64_t deadlines = 0;
    for (const std::unique_ptr<Domain>& domain : domains_) {
      deadlines += domain->ScheduledDeadlines(model_);
    }
    POCHE_RETURN_IF_ERROR(CheckCount(CountRows(store, Table::kParties), registered, "parties"));
    POCHE_RETURN_IF_ERROR(
        CheckCount(CountPartyAccounts(store), model_.accounts.size(), "party accounts"));
    POCHE_RETURN_IF_ERROR(
        CheckCount(CountRows(store, Table::kHolds), model_.holds.size(), "holds"));
    POCHE_RETURN_IF_ERROR(CheckCount(CountRows(store, Table::kContracts),
                                     model_.contracts.size() + model_.oracle.contracts.size(),
                                     "contracts"));
    POCHE_RETURN_IF_ERROR(CheckCount(CountRows(store, Table::kRequests), model_.requests.size(),
                                     "idempotency records"));
    POCHE_RETURN_IF_ERROR(
        CheckCount(CountRows(store, Table::kSchedule), deadlines, "scheduled deadlines"));
  }
  if (verify_journal) {
    const absl::StatusOr<uint64_t> records = VerifyJournal(store);
    if (!records.ok()) {
      return Violation(Concat("the journal does not verify: ", records.status().message()));
    }
    if (*records != model_.journal_records) {
      return Violation(Concat("the journal chain has ", *records, " records, the model expects ",
                              model_.journal_records));
    }
  }
  return absl::OkStatus();
}

}  // namespace argentpoche::simulation
