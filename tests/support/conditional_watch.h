// The invariants tests/conditional_property_test.cc checks after every step, over what the
// engine answers and what its store holds: each contract moves only forward and never
// changes once it ended; it forgets no fact; a funded or disputed one has every leg
// locked; no funded contract waits on a flagged oracle, and none settles by a branch after
// one it relies on was flagged; every receipt is the engine's, for this contract, pays out
// exactly the lock (the locked legs for an expiry; the refund table for a refund) with no
// amount negative or above the lock; the hold accounts hold exactly the locked legs of the
// open contracts; no party's account is negative.
// Not thread-safe; `world` and `counts` must outlive the watch.
#ifndef ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WATCH_H_
#define ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WATCH_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "argentpoche/v1/contract.pb.h"
#include "engine/store.h"
#include "tests/support/conditional_world.h"

namespace argentpoche::testing {

bool IsFinal(v1::ContractState state);

class ContractWatch {
 public:
  // `receipt_public_key`: the engine's key for settlement receipts.
  ContractWatch(const ConditionalWorld& world, std::string receipt_public_key, WorldCounts& counts);

  // Checks `now` against what `tracked` saw last, then remembers it; counts the endings
  // and disputes. `flagged_before`: the oracles flagged before the step; `flagged_now`:
  // after it. OK, or FailedPrecondition naming the first violation.
  [[nodiscard]] absl::Status Observe(TrackedContract& tracked, const v1::Contract& now,
                                     const std::set<int>& flagged_before,
                                     const std::set<int>& flagged_now);

  // The hold accounts against the open contracts' locked legs; no account but the
  // issuer's negative.
  [[nodiscard]] absl::Status CheckAccounts(const Store& store,
                                           const std::vector<TrackedContract>& contracts) const;

 private:
  [[nodiscard]] absl::Status CheckReceipt(const TrackedContract& tracked,
                                          const v1::Contract& contract);

  const ConditionalWorld& world_;
  const std::string receipt_public_key_;
  WorldCounts& counts_;
};

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WATCH_H_
