// Persisted deadlines. A deadline is stored in the kSchedule table keyed by its due
// time, in the same atomic commit as the state change that set it, so it survives a
// restart; the scheduler fires the ones due, through the writer, as DeadlineEvents.
#ifndef ARGENTPOCHE_ENGINE_SCHEDULE_H_
#define ARGENTPOCHE_ENGINE_SCHEDULE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/store.h"
#include "engine/transaction.h"

namespace argentpoche {

// Deadline kinds.
namespace deadline {
inline constexpr std::string_view kHoldExpiry = "hold-expiry";
inline constexpr std::string_view kFundBy = "fund-by";
inline constexpr std::string_view kContestBy = "contest-by";
inline constexpr std::string_view kReturnBy = "return-by";
// A conditional contract's next moment of decision (engine/conditional.h).
inline constexpr std::string_view kDecide = "decide";
}  // namespace deadline

void ScheduleDeadline(Transaction* transaction, int64_t due_unix_ms, std::string_view kind,
                      std::string_view subject_id);
void CancelDeadline(Transaction* transaction, int64_t due_unix_ms, std::string_view kind,
                    std::string_view subject_id);
// True when that deadline is still scheduled (not fired, not cancelled).
[[nodiscard]] absl::StatusOr<bool> IsDeadlineScheduled(const Transaction& transaction,
                                                       const v1::DeadlineEvent& event);

// Up to `limit` deadlines due at or before `now_unix_ms`, earliest first.
[[nodiscard]] absl::StatusOr<std::vector<v1::DeadlineEvent>> DueDeadlines(const Store& store,
                                                                          int64_t now_unix_ms,
                                                                          size_t limit);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SCHEDULE_H_
