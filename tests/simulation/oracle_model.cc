#include "tests/simulation/oracle_model.h"

#include <algorithm>
#include <set>

#include "engine/check.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/simulation/model.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMaxMagnitude = 1'000'000'000'000'000'000;

struct ModelFacts {
  int64_t now = 0;
  std::set<std::string> endorsed_roles;
  std::set<std::string> revealed_digests;
  std::map<std::string, int64_t> values;
};

// Only whether a condition is true matters (a branch settles only then), and the language
// has no negation, so a fact not in yet counts as false.
bool Holds(const v1::Condition& condition, const ModelFacts& facts) {
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      for (const v1::Condition& child : condition.all_of().conditions()) {
        if (!Holds(child, facts)) return false;
      }
      return true;
    case v1::Condition::kAnyOf:
      for (const v1::Condition& child : condition.any_of().conditions()) {
        if (Holds(child, facts)) return true;
      }
      return false;
    case v1::Condition::kThreshold: {
      uint64_t weight = 0;
      for (const v1::WeightedCondition& child : condition.threshold().children()) {
        if (Holds(child.condition(), facts)) weight += child.weight();
      }
      return weight >= condition.threshold().threshold();
    }
    case v1::Condition::kSignatureOfRole:
      return facts.endorsed_roles.contains(condition.signature_of_role());
    case v1::Condition::kOracleComparison: {
      const v1::OracleComparison& comparison = condition.oracle_comparison();
      const auto found = facts.values.find(comparison.value_source());
      if (found == facts.values.end()) return false;
      const int64_t value = found->second, constant = comparison.constant();
      switch (comparison.comparison()) {
        case v1::COMPARISON_LT:
          return value < constant;
        case v1::COMPARISON_LE:
          return value <= constant;
        case v1::COMPARISON_EQ:
          return value == constant;
        case v1::COMPARISON_NE:
          return value != constant;
        case v1::COMPARISON_GE:
          return value >= constant;
        default:
          return value > constant;
      }
    }
    case v1::Condition::kAfterUnixMs:
      return facts.now >= condition.after_unix_ms();
    case v1::Condition::kBeforeUnixMs:
      return facts.now < condition.before_unix_ms();
    case v1::Condition::kSha256Preimage:
      return facts.revealed_digests.contains(condition.sha256_preimage().sha256());
    default:
      POCHE_CHECK(false);
      return false;
  }
}

void EarliestTime(const v1::Condition& condition, int64_t now, int64_t& next) {
  const auto consider = [&](int64_t time) {
    if (time > now && time < next) next = time;
  };
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      for (const v1::Condition& child : condition.all_of().conditions()) {
        EarliestTime(child, now, next);
      }
      return;
    case v1::Condition::kAnyOf:
      for (const v1::Condition& child : condition.any_of().conditions()) {
        EarliestTime(child, now, next);
      }
      return;
    case v1::Condition::kThreshold:
      for (const v1::WeightedCondition& child : condition.threshold().children()) {
        EarliestTime(child.condition(), now, next);
      }
      return;
    case v1::Condition::kAfterUnixMs:
      return consider(condition.after_unix_ms());
    case v1::Condition::kBeforeUnixMs:
      return consider(condition.before_unix_ms());
    default:
      return;
  }
}

// Shares by role turned into payouts to parties: merged per party in order of first
// appearance, zeros left out.
std::vector<Share> ToPayouts(const ModelConditional& contract,
                             const std::vector<std::pair<std::string, int64_t>>& shares) {
  std::vector<Share> payouts;
  for (const auto& [role, amount] : shares) {
    if (amount == 0) continue;
    const std::string party = contract.PartyOf(role);
    auto same = std::find_if(payouts.begin(), payouts.end(),
                             [&](const Share& share) { return share.to == party; });
    if (same == payouts.end()) {
      payouts.push_back({party, amount});
    } else {
      same->minor_units += amount;
    }
  }
  return payouts;
}

std::vector<Share> TablePayouts(const ModelConditional& contract, const v1::FixedTable& table) {
  std::vector<std::pair<std::string, int64_t>> shares;
  int64_t paid = 0;
  for (const v1::FixedAmount& amount : table.amounts()) {
    shares.emplace_back(amount.role(), amount.amount().minor_units());
    paid += amount.amount().minor_units();
  }
  if (paid < contract.locked) shares.emplace_back(table.remainder_role(), contract.locked - paid);
  return ToPayouts(contract, shares);
}

// The line through the breakpoints at `value`, rounded toward minus infinity, flat beyond
// the ends, then kept within floor and cap.
int64_t LineValue(const v1::PiecewiseLinearPayout& line, int64_t value) {
  const auto& points = line.breakpoints();
  int64_t y = 0;
  if (value <= points[0].x()) {
    y = points[0].y();
  } else if (value >= points[points.size() - 1].x()) {
    y = points[points.size() - 1].y();
  } else {
    int segment = 0;
    while (points[segment + 1].x() <= value) ++segment;
    const v1::Breakpoint& left = points[segment];
    const v1::Breakpoint& right = points[segment + 1];
    const __int128 product = static_cast<__int128>(right.y() - left.y()) * (value - left.x());
    const __int128 width = right.x() - left.x();
    __int128 quotient = product / width;
    if (product % width != 0 && product < 0) --quotient;
    y = left.y() + static_cast<int64_t>(quotient);
  }
  return std::clamp(y, line.floor().minor_units(), line.cap().minor_units());
}

// The values of `source` that count, by oracle (one each, in id order).
std::map<std::string, int64_t> UsableValues(const Model& model, const v1::ValueSource& source) {
  std::map<std::string, int> counts;
  std::map<std::string, int64_t> values;
  const auto found = model.oracle.attestations.find({source.feed(), source.event_id()});
  if (found == model.oracle.attestations.end()) return values;
  for (const ModelAttestation& each : found->second) {
    const auto& named = source.oracle_party_ids();
    if (std::find(named.begin(), named.end(), each.oracle) == named.end()) continue;
    if (++counts[each.oracle] > 1) continue;
    if (each.observed_at_unix_ms < source.observe_from_unix_ms() ||
        each.observed_at_unix_ms >= source.observe_until_unix_ms()) {
      continue;
    }
    const std::optional<int64_t> value = RescaleValue(each.value, each.scale, source.scale());
    if (value) values[each.oracle] = *value;
  }
  for (const auto& [oracle, count] : counts) {
    if (count > 1) values.erase(oracle);
  }
  return values;
}

// Fixes the sources whose quorum is reached (in the terms' order); false when one of them
// disagrees (the ones fixed before it stay fixed).
bool FixValues(const Model& model, ModelConditional& contract, int64_t now) {
  for (const v1::ValueSource& source : contract.compiled.value_sources()) {
    const bool fixed = std::any_of(contract.fixed.begin(), contract.fixed.end(),
                                   [&](const auto& each) { return each.source == source.name(); });
    if (fixed) continue;
    const std::map<std::string, int64_t> usable = UsableValues(model, source);
    if (usable.size() < source.quorum()) continue;
    ModelFixedValue value;
    value.source = source.name();
    std::vector<int64_t> sorted;
    for (const auto& [oracle, each] : usable) {
      value.oracles.push_back(oracle);
      value.values.push_back(each);
      sorted.push_back(each);
    }
    std::sort(sorted.begin(), sorted.end());
    const __int128 spread = static_cast<__int128>(sorted.back()) - sorted.front();
    const bool exact = source.aggregation() == v1::AGGREGATION_EXACT;
    if (exact ? spread != 0 : spread > source.max_spread()) return false;
    value.value = sorted[(sorted.size() - 1) / 2];
    value.fixed_at_unix_ms = now;
    contract.fixed.push_back(std::move(value));
  }
  return true;
}

}  // namespace

std::string ModelConditional::RoleOf(const std::string& party) const {
  for (const auto& [role, each] : parties) {
    if (each == party) return role;
  }
  return "";
}

std::string ModelConditional::PartyOf(const std::string& role) const {
  for (const auto& [each, party] : parties) {
    if (each == role) return party;
  }
  POCHE_CHECK(false);
  return "";
}

bool ModelConditional::NamesOracle(const std::string& oracle) const {
  for (const v1::ValueSource& source : compiled.value_sources()) {
    for (const std::string& each : source.oracle_party_ids()) {
      if (each == oracle) return true;
    }
  }
  return false;
}

bool ModelConditional::WaitsOn(const EventKey& event) const {
  for (const v1::ValueSource& source : compiled.value_sources()) {
    if (source.feed() == event.first && source.event_id() == event.second) return true;
  }
  return false;
}

std::optional<int64_t> RescaleValue(int64_t value, uint32_t from_scale, uint32_t to_scale) {
  __int128 result = value;
  for (uint32_t scale = from_scale; scale < to_scale; ++scale) result *= 10;
  if (to_scale < from_scale) {
    __int128 divisor = 1;
    for (uint32_t scale = to_scale; scale < from_scale; ++scale) divisor *= 10;
    const bool negative = result < 0;
    const __int128 magnitude = negative ? -result : result;
    __int128 quotient = magnitude / divisor;
    const __int128 twice_remainder = 2 * (magnitude % divisor);
    if (twice_remainder > divisor || (twice_remainder == divisor && quotient % 2 == 1)) {
      ++quotient;
    }
    result = negative ? -quotient : quotient;
  }
  if (result > kMaxMagnitude || result < -kMaxMagnitude) return std::nullopt;
  return static_cast<int64_t>(result);
}

bool SameValue(int64_t value, uint32_t scale, int64_t other_value, uint32_t other_scale) {
  __int128 left = value, right = other_value;
  for (uint32_t s = scale; s < other_scale; ++s) left *= 10;
  for (uint32_t s = other_scale; s < scale; ++s) right *= 10;
  return left == right;
}

void DisputeFunded(ModelConditional& contract, int64_t now) {
  POCHE_CHECK(contract.state == v1::CONTRACT_STATE_FUNDED);
  contract.state = v1::CONTRACT_STATE_DISPUTED;
  contract.disputed_at_unix_ms = now;
  contract.next_decision_unix_ms = contract.compiled.hard_deadline_unix_ms();
}

Decision DecideFunded(Model& model, ModelConditional& contract, int64_t now) {
  POCHE_CHECK(contract.state == v1::CONTRACT_STATE_FUNDED);
  if (!FixValues(model, contract, now)) {
    DisputeFunded(contract, now);
    return Decision::kDisputed;
  }
  const v1::ConditionalTerms& terms = contract.compiled;
  if (now >= terms.hard_deadline_unix_ms()) {
    SettleConditional(model, contract, TablePayouts(contract, terms.refund()),
                      v1::SETTLEMENT_OUTCOME_REFUNDED, v1::CONTRACT_STATE_REFUNDED, now);
    return Decision::kRefunded;
  }
  ModelFacts facts;
  facts.now = now;
  facts.endorsed_roles.insert(contract.endorsed_roles.begin(), contract.endorsed_roles.end());
  for (const std::string& revealed : contract.revealed)
    facts.revealed_digests.insert(Sha256(revealed));
  for (const ModelFixedValue& value : contract.fixed) facts.values[value.source] = value.value;
  for (int i = 0; i < terms.branches_size(); ++i) {
    const v1::ConditionalBranch& branch = terms.branches(i);
    const bool line = branch.payout().has_piecewise_linear();
    if (!Holds(branch.condition(), facts)) continue;
    if (line && !facts.values.contains(branch.payout().piecewise_linear().value_source())) continue;
    std::vector<Share> payouts;
    if (line) {
      const v1::PiecewiseLinearPayout& rule = branch.payout().piecewise_linear();
      const int64_t paid = LineValue(rule, facts.values.at(rule.value_source()));
      payouts = ToPayouts(
          contract, {{rule.payee_role(), paid}, {rule.remainder_role(), contract.locked - paid}});
    } else {
      payouts = TablePayouts(contract, branch.payout().fixed_table());
    }
    contract.settled_branch = i + 1;
    SettleConditional(model, contract, std::move(payouts), v1::SETTLEMENT_OUTCOME_CONDITION_MET,
                      v1::CONTRACT_STATE_SETTLED, now);
    return Decision::kSettled;
  }
  int64_t next = terms.hard_deadline_unix_ms();
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    EarliestTime(branch.condition(), now, next);
  }
  contract.next_decision_unix_ms = next;
  return Decision::kWaiting;
}

void SettleConditional(Model& model, ModelConditional& contract, std::vector<Share> payouts,
                       v1::SettlementOutcome outcome, v1::ContractState state, int64_t now) {
  size_t index = 0;
  int64_t left = payouts.empty() ? 0 : payouts[0].minor_units;
  for (const ModelLeg& leg : contract.legs) {
    if (leg.hold_id.empty()) continue;
    int64_t hold_left = leg.amount;
    std::vector<Share> shares;
    while (hold_left > 0 && index < payouts.size()) {
      const int64_t share = std::min(hold_left, left);
      if (share > 0) {
        shares.push_back({keys::PartyAccountId(payouts[index].to, contract.currency), share});
      }
      hold_left -= share;
      left -= share;
      if (left == 0 && ++index < payouts.size()) left = payouts[index].minor_units;
    }
    ResolveHold(
        model, model.holds.at(leg.hold_id), std::move(shares),
        outcome == v1::SETTLEMENT_OUTCOME_EXPIRED ? v1::HOLD_STATE_VOIDED : v1::HOLD_STATE_RELEASED,
        now);
  }
  contract.state = state;
  contract.outcome = outcome;
  contract.settled_payouts = std::move(payouts);
  contract.next_decision_unix_ms = 0;
}

uint64_t FireConditionalDeadlines(Model& model, int64_t now) {
  uint64_t fired = 0;
  for (auto& [id, contract] : model.oracle.contracts) {
    const bool open = contract.state == v1::CONTRACT_STATE_PROPOSED ||
                      contract.state == v1::CONTRACT_STATE_SIGNED;
    if (open && contract.compiled.fund_by_unix_ms() <= now) {
      std::vector<Share> refunds;
      for (const ModelLeg& leg : contract.legs) {
        if (!leg.hold_id.empty()) refunds.push_back({leg.party, leg.amount});
      }
      SettleConditional(model, contract, std::move(refunds), v1::SETTLEMENT_OUTCOME_EXPIRED,
                        v1::CONTRACT_STATE_EXPIRED, now);
      ++fired;
      continue;
    }
    if (contract.next_decision_unix_ms == 0 || contract.next_decision_unix_ms > now) continue;
    ++fired;
    contract.next_decision_unix_ms = 0;
    if (contract.state == v1::CONTRACT_STATE_FUNDED) DecideFunded(model, contract, now);
    // A dispute due at its hard deadline fires in the next pass, at once.
    if (contract.state == v1::CONTRACT_STATE_DISPUTED &&
        contract.compiled.hard_deadline_unix_ms() <= now) {
      if (contract.next_decision_unix_ms != 0) ++fired;
      SettleConditional(model, contract, TablePayouts(contract, contract.compiled.refund()),
                        v1::SETTLEMENT_OUTCOME_REFUNDED, v1::CONTRACT_STATE_REFUNDED, now);
    }
  }
  return fired;
}

}  // namespace argentpoche::simulation
