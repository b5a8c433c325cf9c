#include "engine/payout_rules.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/check.h"
#include "engine/currency.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

// A share owed to a role before roles are turned into parties.
struct RoleShare {
  std::string role;
  int64_t minor_units;
};

absl::Status Malformed(std::string_view message) {
  return InvalidArgument("MALFORMED_CONDITION", message);
}

absl::Status CheckRole(const std::string& role, const RoleParties& role_parties,
                       std::string_view what) {
  if (role.empty()) return Malformed(Concat(what, " is missing"));
  if (!role_parties.contains(role)) {
    return Malformed(
        Concat(what, " ", QuoteForMessage(role), " is played by no party of the contract"));
  }
  return absl::OkStatus();
}

// The amount in minor units of `proto`, which must be in the locked currency.
absl::StatusOr<int64_t> AmountIn(const v1::Money& proto, const Money& locked_total,
                                 std::string_view what) {
  if (proto.currency() != locked_total.currency()) {
    return InvalidArgument("CURRENCY_MISMATCH",
                           Concat(what, " is in ", QuoteForMessage(proto.currency()),
                                  " but the contract locks ", locked_total.currency()));
  }
  POCHE_ASSIGN_OR_RETURN(Money amount, Money::FromProto(proto));
  if (amount.minor_units() < 0) return Malformed(Concat(what, " must not be negative"));
  return amount.minor_units();
}

}  // namespace

absl::StatusOr<int64_t> FixedTableSum(const v1::FixedTable& table, const Money& locked_total,
                                      const RoleParties& role_parties) {
  if (static_cast<size_t>(table.amounts_size()) > limits::kMaxConditionParties) {
    return Malformed(Concat("a fixed table names at most ", limits::kMaxConditionParties,
                            " amounts, got ", table.amounts_size()));
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (const v1::FixedAmount& entry : table.amounts()) {
    POCHE_RETURN_IF_ERROR(CheckRole(entry.role(), role_parties, "the role of an amount"));
    if (!seen.insert(entry.role()).second) {
      return Malformed(Concat("a fixed table names the ", entry.role(), " twice"));
    }
    POCHE_ASSIGN_OR_RETURN(int64_t amount, AmountIn(entry.amount(), locked_total,
                                                    Concat("the amount for the ", entry.role())));
    // Both are at most the lock (<= 10^18) here, so the sum fits in int64.
    sum += amount;
    if (sum > locked_total.minor_units()) {
      return InvalidArgument(
          "PAYOUT_EXCEEDS_LOCK",
          Concat("a fixed table pays at least ", FormatAmount(sum, locked_total.exponent()), " ",
                 locked_total.currency(), " but the contract locks only ",
                 locked_total.ToString()));
    }
  }
  return sum;
}

namespace {

absl::Status ValidateBreakpoints(const v1::PiecewiseLinearPayout& rule, const Money& locked_total) {
  if (rule.breakpoints().empty() ||
      static_cast<size_t>(rule.breakpoints_size()) > limits::kMaxBreakpoints) {
    return Malformed(Concat("a piecewise-linear payout has between 1 and ", limits::kMaxBreakpoints,
                            " breakpoints, got ", rule.breakpoints_size()));
  }
  const int64_t max_y = MaxMinorUnits(locked_total.exponent());
  for (int i = 0; i < rule.breakpoints_size(); ++i) {
    const v1::Breakpoint& point = rule.breakpoints(i);
    if (point.x() > limits::kMaxOracleValueMagnitude ||
        point.x() < -limits::kMaxOracleValueMagnitude) {
      return Malformed(Concat("breakpoint ", i + 1, " has x = ", point.x(),
                              ", beyond the limit of ", limits::kMaxOracleValueMagnitude));
    }
    if (point.y() < 0 || point.y() > max_y) {
      return Malformed(Concat("breakpoint ", i + 1, " has y = ", point.y(),
                              " minor units; it must lie between 0 and ", max_y));
    }
    if (i > 0 && point.x() <= rule.breakpoints(i - 1).x()) {
      return InvalidArgument("BREAKPOINTS_NOT_INCREASING",
                             Concat("breakpoint ", i + 1, " has x = ", point.x(),
                                    ", not more than the x = ", rule.breakpoints(i - 1).x(),
                                    " before it: x must increase strictly"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePiecewiseLinear(const v1::PiecewiseLinearPayout& rule,
                                     const Money& locked_total, const RoleParties& role_parties) {
  if (rule.value_source().empty()) {
    return Malformed("a piecewise-linear payout names no value source");
  }
  POCHE_RETURN_IF_ERROR(ValidateBreakpoints(rule, locked_total));
  if (!rule.has_floor() || !rule.has_cap()) {
    return Malformed("a piecewise-linear payout needs both a floor and a cap");
  }
  POCHE_ASSIGN_OR_RETURN(int64_t floor, AmountIn(rule.floor(), locked_total, "the floor"));
  POCHE_ASSIGN_OR_RETURN(int64_t cap, AmountIn(rule.cap(), locked_total, "the cap"));
  if (floor > cap) {
    return Malformed(Concat("the floor (", FormatMoney(rule.floor()), ") is above the cap (",
                            FormatMoney(rule.cap()), ")"));
  }
  POCHE_RETURN_IF_ERROR(CheckRole(rule.payee_role(), role_parties, "the payee role"));
  return CheckRole(rule.remainder_role(), role_parties, "the remainder role");
}

// Turns role shares into payouts: parties merged in first-appearance order, zeros left out.
absl::StatusOr<std::vector<v1::Payout>> ToPayouts(const std::vector<RoleShare>& shares,
                                                  const Money& locked_total,
                                                  const RoleParties& role_parties) {
  std::vector<v1::Payout> payouts;
  int64_t sum = 0;
  for (const RoleShare& share : shares) {
    POCHE_CHECK(share.minor_units >= 0);
    POCHE_CHECK(share.minor_units <= locked_total.minor_units());
    POCHE_ASSIGN_OR_RETURN(sum, CheckedAdd(sum, share.minor_units));
    if (share.minor_units == 0) continue;
    const std::string& party_id = role_parties.at(share.role);
    auto same_party = std::find_if(payouts.begin(), payouts.end(), [&](const v1::Payout& payout) {
      return payout.party_id() == party_id;
    });
    if (same_party == payouts.end()) {
      same_party = payouts.insert(payouts.end(), v1::Payout());
      same_party->set_party_id(party_id);
      same_party->mutable_amount()->set_currency(locked_total.currency());
    }
    same_party->mutable_amount()->set_minor_units(same_party->amount().minor_units() +
                                                  share.minor_units);
  }
  // The shares were built to add up to the lock; anything else is a bug here.
  POCHE_CHECK(sum == locked_total.minor_units());
  POCHE_CHECK(!payouts.empty());
  return payouts;
}

}  // namespace

RoleParties RolePartiesOf(const v1::ConditionalTerms& terms) {
  RoleParties role_parties;
  for (const v1::RoleParty& party : terms.parties()) {
    role_parties.emplace(party.role(), party.party_id());
  }
  return role_parties;
}

absl::Status ValidateFixedTable(const v1::FixedTable& table, const Money& locked_total,
                                const RoleParties& role_parties) {
  POCHE_ASSIGN_OR_RETURN(int64_t sum, FixedTableSum(table, locked_total, role_parties));
  POCHE_CHECK(sum >= 0 && sum <= locked_total.minor_units());
  if (!table.remainder_role().empty()) {
    return CheckRole(table.remainder_role(), role_parties, "the remainder role");
  }
  if (sum < locked_total.minor_units()) {
    return Malformed(Concat("a fixed table pays ", FormatAmount(sum, locked_total.exponent()), " ",
                            locked_total.currency(), " of the ", locked_total.ToString(),
                            " locked and names no remainder role"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePayoutRule(const v1::PayoutRule& rule, const Money& locked_total,
                                const RoleParties& role_parties) {
  switch (rule.rule_case()) {
    case v1::PayoutRule::kFixedTable:
      return ValidateFixedTable(rule.fixed_table(), locked_total, role_parties);
    case v1::PayoutRule::kPiecewiseLinear:
      POCHE_RETURN_IF_ERROR(
          ValidatePiecewiseLinear(rule.piecewise_linear(), locked_total, role_parties));
      break;
    case v1::PayoutRule::RULE_NOT_SET:
      return Malformed("a payout rule is neither a fixed table nor piecewise-linear");
  }
  const int64_t max_payout = MaxPayoutMinorUnits(rule);
  if (max_payout > locked_total.minor_units()) {
    return InvalidArgument(
        "PAYOUT_EXCEEDS_LOCK",
        Concat("a piecewise-linear payout can pay up to ",
               FormatAmount(max_payout, locked_total.exponent()), " ", locked_total.currency(),
               " but the contract locks only ", locked_total.ToString()));
  }
  return absl::OkStatus();
}

int64_t MaxPayoutMinorUnits(const v1::PayoutRule& rule) {
  if (rule.has_fixed_table()) {
    int64_t sum = 0;
    for (const v1::FixedAmount& entry : rule.fixed_table().amounts()) {
      // Validated: every partial sum is at most the lock.
      sum += entry.amount().minor_units();
    }
    return sum;
  }
  POCHE_CHECK(rule.has_piecewise_linear());
  const v1::PiecewiseLinearPayout& line = rule.piecewise_linear();
  POCHE_CHECK(!line.breakpoints().empty());
  int64_t largest_y = line.breakpoints(0).y();
  for (const v1::Breakpoint& point : line.breakpoints()) largest_y = std::max(largest_y, point.y());
  return std::min(line.cap().minor_units(), std::max(line.floor().minor_units(), largest_y));
}

absl::StatusOr<int64_t> PiecewiseLinearMinorUnits(const v1::PiecewiseLinearPayout& rule,
                                                  int64_t value) {
  const auto& points = rule.breakpoints();
  POCHE_CHECK(!points.empty());
  POCHE_CHECK(rule.floor().minor_units() <= rule.cap().minor_units());
  int64_t y = 0;
  if (value <= points.Get(0).x()) {
    y = points.Get(0).y();
  } else if (value >= points.Get(points.size() - 1).x()) {
    y = points.Get(points.size() - 1).y();
  } else {
    int segment = 0;
    while (points.Get(segment + 1).x() <= value) ++segment;
    const v1::Breakpoint& left = points.Get(segment);
    const v1::Breakpoint& right = points.Get(segment + 1);
    POCHE_CHECK(left.x() <= value && value < right.x());
    // Breakpoints lie within +/- kMaxOracleValueMagnitude and 0 <= y <= 10^18, so these
    // differences fit in int64. Rounding the rise down on a rising segment and up (away
    // from zero) on a falling one rounds the payout itself down, toward the payer.
    const int64_t rise = right.y() - left.y();
    const Rounding rounding = rise >= 0 ? Rounding::kDown : Rounding::kUp;
    POCHE_ASSIGN_OR_RETURN(int64_t part,
                           MultiplyDivide(rise, value - left.x(), right.x() - left.x(), rounding));
    y = left.y() + part;
    POCHE_CHECK(y >= std::min(left.y(), right.y()) && y <= std::max(left.y(), right.y()));
  }
  return std::clamp(y, rule.floor().minor_units(), rule.cap().minor_units());
}

absl::StatusOr<std::vector<v1::Payout>> ComputeFixedTablePayouts(const v1::FixedTable& table,
                                                                 const Money& locked_total,
                                                                 const RoleParties& role_parties) {
  POCHE_RETURN_IF_ERROR(ValidateFixedTable(table, locked_total, role_parties));
  std::vector<RoleShare> shares;
  int64_t paid = 0;
  for (const v1::FixedAmount& entry : table.amounts()) {
    shares.push_back({entry.role(), entry.amount().minor_units()});
    paid += entry.amount().minor_units();  // At most the lock, as validated.
  }
  if (paid < locked_total.minor_units()) {
    shares.push_back({table.remainder_role(), locked_total.minor_units() - paid});
  }
  return ToPayouts(shares, locked_total, role_parties);
}

absl::StatusOr<std::vector<v1::Payout>> ComputePayouts(const v1::PayoutRule& rule,
                                                       const Money& locked_total,
                                                       const RoleParties& role_parties,
                                                       const Facts& facts) {
  POCHE_RETURN_IF_ERROR(ValidatePayoutRule(rule, locked_total, role_parties));
  if (rule.has_fixed_table()) {
    return ComputeFixedTablePayouts(rule.fixed_table(), locked_total, role_parties);
  }
  const v1::PiecewiseLinearPayout& line = rule.piecewise_linear();
  const auto value = facts.oracle_values.find(line.value_source());
  if (value == facts.oracle_values.end()) {
    return FailedPrecondition("VALUE_NOT_AVAILABLE",
                              Concat("the payout depends on ", QuoteForMessage(line.value_source()),
                                     ", which has no aggregated value yet"));
  }
  POCHE_ASSIGN_OR_RETURN(int64_t payout, PiecewiseLinearMinorUnits(line, value->second));
  // Validated: 0 <= floor <= payout <= max payout <= lock.
  POCHE_CHECK(payout >= 0 && payout <= locked_total.minor_units());
  const std::vector<RoleShare> shares = {
      {line.payee_role(), payout},
      {line.remainder_role(), locked_total.minor_units() - payout},
  };
  return ToPayouts(shares, locked_total, role_parties);
}

}  // namespace argentpoche
