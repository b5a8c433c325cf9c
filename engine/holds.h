// Holds: locked value. Locking moves the amount from the payer's account into the
// hold's own account at once; the hold then resolves exactly once: released (to its
// beneficiary, or split between payees), voided back to the payer, or expired back to
// the payer at its deadline. A hold owned by a contract is resolved by the contract.
// Not thread-safe (the writer's); errors leave the caller to roll back.
#ifndef ARGENTPOCHE_ENGINE_HOLDS_H_
#define ARGENTPOCHE_ENGINE_HOLDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/journal.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/apply_context.h"
#include "engine/money.h"

namespace argentpoche {

struct HoldRequest {
  std::string hold_id;
  std::string payer_account_id;
  // Empty for a contract's hold.
  std::string beneficiary_account_id;
  Money amount;
  // 0: no expiry of its own (a contract's hold).
  int64_t expires_at_unix_ms = 0;
  std::string contract_id;
};

// One share paid out of a hold: an account and an amount in the hold's currency.
struct HoldPayout {
  std::string account_id;
  int64_t minor_units = 0;
};

// Locks the amount. FAILED_PRECONDITION "INSUFFICIENT_FUNDS" and the ledger's errors.
[[nodiscard]] absl::StatusOr<v1::Hold> LockHold(ApplyContext& ctx, const HoldRequest& request);

// NOT_FOUND "HOLD_NOT_FOUND".
[[nodiscard]] absl::StatusOr<v1::Hold> LoadHold(const ApplyContext& ctx, std::string_view hold_id);

// Pays `payouts` out of the pending hold and the rest back to the payer, then marks it
// `final_state`. FAILED_PRECONDITION "HOLD_RESOLVED" if it is not pending;
// INVALID_ARGUMENT "PAYOUT_EXCEEDS_HOLD" if the payouts add up to more than it holds.
[[nodiscard]] absl::Status ResolveHold(ApplyContext& ctx, v1::Hold& hold,
                                       const std::vector<HoldPayout>& payouts,
                                       v1::HoldState final_state);

// Expires the hold named by a hold-expiry deadline, if still pending.
[[nodiscard]] absl::Status ApplyHoldExpiry(ApplyContext& ctx, const v1::DeadlineEvent& event);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_HOLDS_H_
