// Builders for tests of the condition language: conditions, payout rules and the terms of a
// weather cover, written as briefly as the tests need. For tests only.
#ifndef ARGENTPOCHE_ENGINE_CONDITIONS_TESTING_H_
#define ARGENTPOCHE_ENGINE_CONDITIONS_TESTING_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/money.pb.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::testing_conditions {

// 2026-06-01, 2026-07-01, 2026-07-15 and 2026-12-01 at 00:00 UTC.
inline constexpr int64_t kJune1 = 1780272000000;
inline constexpr int64_t kJuly1 = 1782864000000;
inline constexpr int64_t kJuly15 = 1784073600000;
inline constexpr int64_t kDecember1 = 1796083200000;
inline constexpr int64_t kDayMs = 24 * 3600 * 1000;

inline ::testing::AssertionResult HasReason(const absl::Status& status, std::string_view reason) {
  if (ReasonOf(status) == reason) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << status << " with reason \"" << ReasonOf(status)
                                       << "\", wanted \"" << reason << "\"";
}

inline v1::Money Minor(int64_t minor_units, std::string currency = "EUR") {
  v1::Money money;
  money.set_currency(std::move(currency));
  money.set_minor_units(minor_units);
  return money;
}

inline v1::Condition AllOf(std::initializer_list<v1::Condition> children) {
  v1::Condition condition;
  condition.mutable_all_of();  // Set even when there are no children.
  for (const v1::Condition& child : children) *condition.mutable_all_of()->add_conditions() = child;
  return condition;
}

inline v1::Condition AnyOf(std::initializer_list<v1::Condition> children) {
  v1::Condition condition;
  condition.mutable_any_of();  // Set even when there are no children.
  for (const v1::Condition& child : children) *condition.mutable_any_of()->add_conditions() = child;
  return condition;
}

inline v1::Condition AtLeastWeight(
    uint64_t threshold, std::initializer_list<std::pair<uint32_t, v1::Condition>> children) {
  v1::Condition condition;
  condition.mutable_threshold()->set_threshold(threshold);
  for (const auto& [weight, child] : children) {
    v1::WeightedCondition* weighted = condition.mutable_threshold()->add_children();
    weighted->set_weight(weight);
    *weighted->mutable_condition() = child;
  }
  return condition;
}

inline v1::Condition SignatureOf(const std::string& role) {
  v1::Condition condition;
  condition.set_signature_of_role(role);
  return condition;
}

inline v1::Condition OracleIs(const std::string& source, v1::Comparison comparison,
                              int64_t constant) {
  v1::Condition condition;
  condition.mutable_oracle_comparison()->set_value_source(source);
  condition.mutable_oracle_comparison()->set_comparison(comparison);
  condition.mutable_oracle_comparison()->set_constant(constant);
  return condition;
}

inline v1::Condition After(int64_t unix_ms) {
  v1::Condition condition;
  condition.set_after_unix_ms(unix_ms);
  return condition;
}

inline v1::Condition Before(int64_t unix_ms) {
  v1::Condition condition;
  condition.set_before_unix_ms(unix_ms);
  return condition;
}

inline v1::Condition PreimageOf(const std::string& sha256) {
  v1::Condition condition;
  condition.mutable_sha256_preimage()->set_sha256(sha256);
  return condition;
}

inline v1::PayoutRule FixedTable(std::initializer_list<std::pair<std::string, int64_t>> amounts,
                                 const std::string& remainder_role, std::string currency = "EUR") {
  v1::PayoutRule rule;
  for (const auto& [role, minor_units] : amounts) {
    v1::FixedAmount* amount = rule.mutable_fixed_table()->add_amounts();
    amount->set_role(role);
    *amount->mutable_amount() = Minor(minor_units, currency);
  }
  rule.mutable_fixed_table()->set_remainder_role(remainder_role);
  return rule;
}

inline v1::PayoutRule PiecewiseLinear(const std::string& source,
                                      std::initializer_list<std::pair<int64_t, int64_t>> points,
                                      int64_t floor, int64_t cap, const std::string& payee,
                                      const std::string& remainder, std::string currency = "EUR") {
  v1::PayoutRule rule;
  v1::PiecewiseLinearPayout* line = rule.mutable_piecewise_linear();
  line->set_value_source(source);
  for (const auto& [x, y] : points) {
    v1::Breakpoint* point = line->add_breakpoints();
    point->set_x(x);
    point->set_y(y);
  }
  *line->mutable_floor() = Minor(floor, currency);
  *line->mutable_cap() = Minor(cap, currency);
  line->set_payee_role(payee);
  line->set_remainder_role(remainder);
  return rule;
}

// June rainfall at Central Park in tenths of a millimetre, from 2 of 3 weather oracles.
inline v1::ValueSource RainSource() {
  v1::ValueSource source;
  source.set_name("rain");
  source.set_feed("weather/ghcn/USW00094728/PRCP");
  source.set_event_id("2026-06");
  for (const char* oracle : {"oracle-a", "oracle-b", "oracle-c"}) {
    source.add_oracle_party_ids(oracle);
  }
  source.set_quorum(2);
  source.set_aggregation(v1::AGGREGATION_MEDIAN);
  source.set_max_spread(20);
  source.set_scale(1);
  source.set_observe_from_unix_ms(kJune1);
  source.set_observe_until_unix_ms(kJuly1);
  source.set_oracle_kind("weather");
  return source;
}

// Excess-rain cover: the insurer locks 10000.00 EUR; from a trigger of 50 mm (500) to an
// exit of 150 mm (1500) the insured receives a straight-line share of it, the rest going
// back to the insurer. Nothing attested by the hard deadline (December 1): all back.
inline v1::ConditionalTerms WeatherCoverTerms() {
  v1::ConditionalTerms terms;
  *terms.mutable_locked_total() = Minor(1000000);
  for (const char* role : {"insurer", "insured"}) {
    v1::RoleParty* party = terms.add_parties();
    party->set_role(role);
    party->set_party_id(std::string("party-") + role);
  }
  *terms.add_value_sources() = RainSource();
  v1::ConditionalBranch* branch = terms.add_branches();
  *branch->mutable_condition() = OracleIs("rain", v1::COMPARISON_GE, 0);
  *branch->mutable_payout() =
      PiecewiseLinear("rain", {{500, 0}, {1500, 1000000}}, 0, 1000000, "insured", "insurer");
  branch->set_description("rainfall between trigger and exit");
  terms.set_hard_deadline_unix_ms(kDecember1);
  v1::FixedAmount* refund = terms.mutable_refund()->add_amounts();
  refund->set_role("insurer");
  *refund->mutable_amount() = Minor(1000000);
  return terms;
}

}  // namespace argentpoche::testing_conditions

#endif  // ARGENTPOCHE_ENGINE_CONDITIONS_TESTING_H_
