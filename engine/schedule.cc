#include "engine/schedule.h"

#include "engine/check.h"
#include "engine/keys.h"

namespace argentpoche {

void ScheduleDeadline(Transaction* transaction, int64_t due_unix_ms, std::string_view kind,
                      std::string_view subject_id) {
  POCHE_CHECK(due_unix_ms > 0);
  v1::DeadlineEvent event;
  event.set_kind(std::string(kind));
  event.set_subject_id(std::string(subject_id));
  event.set_due_at_unix_ms(due_unix_ms);
  transaction->PutMessage(Table::kSchedule, keys::Schedule(due_unix_ms, kind, subject_id), event);
}

void CancelDeadline(Transaction* transaction, int64_t due_unix_ms, std::string_view kind,
                    std::string_view subject_id) {
  transaction->Delete(Table::kSchedule, keys::Schedule(due_unix_ms, kind, subject_id));
}

absl::StatusOr<bool> IsDeadlineScheduled(const Transaction& transaction,
                                         const v1::DeadlineEvent& event) {
  POCHE_ASSIGN_OR_RETURN(
      std::optional<std::string> found,
      transaction.Get(Table::kSchedule,
                      keys::Schedule(event.due_at_unix_ms(), event.kind(), event.subject_id())));
  return found.has_value();
}

absl::StatusOr<std::vector<v1::DeadlineEvent>> DueDeadlines(const Store& store, int64_t now_unix_ms,
                                                            size_t limit) {
  POCHE_CHECK(now_unix_ms >= 0);
  std::vector<v1::DeadlineEvent> due;
  // Keys start with the 20-digit due time: everything below now + 1 is due.
  const std::string end = keys::Padded(static_cast<uint64_t>(now_unix_ms) + 1);
  absl::Status parse_status;
  POCHE_RETURN_IF_ERROR(store.Scan(
      Table::kSchedule, "", end, limit, [&](std::string_view key, std::string_view value) {
        v1::DeadlineEvent event;
        if (!event.ParseFromString(std::string(value))) {
          parse_status = Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                               "a scheduled deadline does not parse: " + std::string(key));
          return false;
        }
        due.push_back(std::move(event));
        return true;
      }));
  POCHE_RETURN_IF_ERROR(parse_status);
  return due;
}

}  // namespace argentpoche
