#include "engine/audit.h"

#include "argentpoche/v1/ledger.pb.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {

absl::StatusOr<std::map<std::string, absl::int128>> SumBalancesByCurrency(const Store& store) {
  std::map<std::string, absl::int128> sums;
  bool corrupt = false;
  POCHE_RETURN_IF_ERROR(
      store.Scan(Table::kAccounts, "", "", SIZE_MAX, [&](std::string_view, std::string_view value) {
        v1::Account account;
        if (!account.ParseFromString(std::string(value))) {
          corrupt = true;
          return false;
        }
        sums[account.balance().currency()] += account.balance().minor_units();
        return true;
      }));
  if (corrupt) {
    return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD", "a stored account does not parse");
  }
  return sums;
}

absl::Status CheckConservation(const Store& store) {
  POCHE_ASSIGN_OR_RETURN(auto sums, SumBalancesByCurrency(store));
  for (const auto& [currency, sum] : sums) {
    if (sum != 0) {
      return Error(absl::StatusCode::kDataLoss, "LEDGER_UNBALANCED",
                   Concat("the ", currency, " balances sum to ", static_cast<int64_t>(sum),
                          " minor units, not zero"));
    }
  }
  return absl::OkStatus();
}

}  // namespace argentpoche
