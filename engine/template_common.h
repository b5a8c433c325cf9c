// Pieces shared by the template compilers (engine/option_template.h and
// engine/weather_template.h): the MALFORMED_TEMPLATE refusal, the parties, the two legs of
// the lock (a principal that backs the payout and a premium), the oracles' value source,
// the observation window with the hard deadline, and the description. Internal to those
// compilers; everything here is pure and thread-safe, and writes only to the message the
// caller passes.
#ifndef ARGENTPOCHE_ENGINE_TEMPLATE_COMMON_H_
#define ARGENTPOCHE_ENGINE_TEMPLATE_COMMON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/money.pb.h"
#include "argentpoche/v1/templates.pb.h"
#include "engine/money.h"

namespace argentpoche::templates_internal {

// InvalidArgument "MALFORMED_TEMPLATE" with `message`.
[[nodiscard]] absl::Status MalformedTemplate(std::string_view message);

// Adds the roles to terms.parties in this order: the principal's, the premium's, then
// "arbiter" when `arbiter_party_id` is not empty. MALFORMED_TEMPLATE when a required party
// is missing, a party id is longer than limits::kMaxReferenceLength, or two roles name the
// same party.
[[nodiscard]] absl::Status AddParties(std::string_view principal_role,
                                      const std::string& principal_party_id,
                                      std::string_view premium_role,
                                      const std::string& premium_party_id,
                                      const std::string& arbiter_party_id,
                                      v1::ConditionalTerms& terms);

// What the contract locks: the principal (the collateral or the limit, > 0) and the
// premium (>= 0, in the principal's currency), and their sum.
struct Lock {
  Money principal;
  Money premium;
  Money total;
};
// `principal` and `premium` are null when the template leaves them out. Errors:
// MALFORMED_TEMPLATE (one is missing), AMOUNT_NOT_POSITIVE (principal <= 0, premium < 0),
// CURRENCY_MISMATCH (the premium in another currency), UNKNOWN_CURRENCY and
// AMOUNT_OUT_OF_RANGE from Money (the sum included).
[[nodiscard]] absl::StatusOr<Lock> CheckLock(const v1::Money* principal,
                                             std::string_view principal_name,
                                             const v1::Money* premium);

// Sets the locked total, the funding legs and the refund table: the principal's role locks
// and gets back the principal, the premium's role the premium; a zero premium has no leg.
void SetLockAndRefund(const Lock& lock, std::string_view principal_role,
                      std::string_view premium_role, v1::ConditionalTerms& terms);

// Copies the oracles, quorum, aggregation and max spread into `source`, unchecked (the
// contract checker refuses a bad quorum).
void SetOracles(const v1::OracleQuorum& oracles, v1::ValueSource& source);

// The hard deadline is from_unix_ms + grace_period_ms; the oracles observe in
// [from_unix_ms, hard deadline - 1), since the checker wants the window to end before the
// deadline. MALFORMED_TEMPLATE for a grace period under 2 ms (no window would remain) or a
// deadline beyond int64.
[[nodiscard]] absl::Status SetWindowAndDeadline(int64_t from_unix_ms, int64_t grace_period_ms,
                                                v1::ValueSource& source,
                                                v1::ConditionalTerms& terms);

// The piecewise-linear payout of `branch` on `value_source`: floor 0, cap `cap`.
v1::PiecewiseLinearPayout& SetPiecewisePayout(const std::string& value_source, const Money& cap,
                                              std::string_view payee_role,
                                              std::string_view remainder_role,
                                              v1::ConditionalBranch& branch);

// terms.description = `sentence`, followed by the template's own description if any.
// MALFORMED_TEMPLATE when the result is longer than limits::kMaxDescriptionLength.
[[nodiscard]] absl::Status SetDescription(const std::string& sentence,
                                          const std::string& template_description,
                                          v1::ConditionalTerms& terms);

}  // namespace argentpoche::templates_internal

#endif  // ARGENTPOCHE_ENGINE_TEMPLATE_COMMON_H_
