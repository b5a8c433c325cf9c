// Audits of a store's whole state, for tests, the simulator and operators: per
// currency, every account balance (holds included) must sum to exactly zero.
#ifndef ARGENTPOCHE_ENGINE_AUDIT_H_
#define ARGENTPOCHE_ENGINE_AUDIT_H_

#include <map>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "engine/store.h"

namespace argentpoche {

// Sum of all account balances per currency (int128: no overflow however many).
[[nodiscard]] absl::StatusOr<std::map<std::string, absl::int128>> SumBalancesByCurrency(
    const Store& store);

// OK when every currency sums to zero; DATA_LOSS "LEDGER_UNBALANCED" naming the first
// currency that does not.
[[nodiscard]] absl::Status CheckConservation(const Store& store);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_AUDIT_H_
