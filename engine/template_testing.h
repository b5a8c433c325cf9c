// Helpers for the template compilers' tests (engine/option_template_test.cc,
// engine/weather_template_test.cc): the checker's context with the test oracles registered,
// and settling compiled terms at one moment into payouts by party, checked to add up to the
// lock. For tests only.
#ifndef ARGENTPOCHE_ENGINE_TEMPLATE_TESTING_H_
#define ARGENTPOCHE_ENGINE_TEMPLATE_TESTING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/templates.pb.h"
#include "engine/conditions_outcome.h"
#include "engine/contract_checker.h"
#include "gtest/gtest.h"

namespace argentpoche::testing_templates {

// Two of the oracles "oracle-a", "oracle-b" and "oracle-c", by the median within
// `max_spread`.
inline v1::OracleQuorum TwoOfThree(int64_t max_spread) {
  v1::OracleQuorum oracles;
  for (const char* oracle : {"oracle-a", "oracle-b", "oracle-c"}) {
    oracles.add_oracle_party_ids(oracle);
  }
  oracles.set_quorum(2);
  oracles.set_aggregation(v1::AGGREGATION_MEDIAN);
  oracles.set_max_spread(max_spread);
  return oracles;
}

inline ConditionCheckContext CheckContextAt(int64_t now_unix_ms) {
  ConditionCheckContext context;
  context.now_unix_ms = now_unix_ms;
  context.registered_oracle_party_ids = {"oracle-a", "oracle-b", "oracle-c"};
  return context;
}

// Party id -> minor units paid (absent parties were paid nothing).
using PaidByParty = std::map<std::string, int64_t>;

// Decides `terms` at `now_unix_ms` with `value` as the aggregate of the value source
// `source_name` (none when std::nullopt), expecting `expected` (a settlement or a refund),
// and returns the payouts. A test failure when the outcome differs, the payouts fail, or
// they do not add up to the locked total in its currency.
inline PaidByParty PayoutsAt(const v1::ConditionalTerms& terms, const std::string& source_name,
                             std::optional<int64_t> value, int64_t now_unix_ms,
                             Outcome::Kind expected = Outcome::Kind::kSettle) {
  Facts facts;
  facts.now_unix_ms = now_unix_ms;
  if (value.has_value()) facts.oracle_values[source_name] = *value;
  const Outcome outcome = DecideOutcome(terms, facts);
  EXPECT_EQ(outcome.kind, expected);
  if (outcome.kind != expected || outcome.kind == Outcome::Kind::kWaiting) return {};
  absl::StatusOr<std::vector<v1::Payout>> payouts = OutcomePayouts(terms, outcome, facts);
  EXPECT_TRUE(payouts.ok()) << payouts.status();
  if (!payouts.ok()) return {};
  PaidByParty paid;
  int64_t sum = 0;
  for (const v1::Payout& payout : *payouts) {
    EXPECT_EQ(payout.amount().currency(), terms.locked_total().currency());
    paid[payout.party_id()] += payout.amount().minor_units();
    sum += payout.amount().minor_units();
  }
  EXPECT_EQ(sum, terms.locked_total().minor_units()) << "the payouts must add up to the lock";
  return paid;
}

}  // namespace argentpoche::testing_templates

#endif  // ARGENTPOCHE_ENGINE_TEMPLATE_TESTING_H_
