#include "tests/support/conditional_world.h"

#include <algorithm>

#include "argentpoche/v1/oracle.pb.h"
#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/strings.h"

namespace argentpoche::testing {
namespace {

constexpr const char* kMoneyRoleNames[] = {"alpha", "beta", "gamma"};

// 10^(scale - 2) for scale >= 2, else 1: one reading's noise at `scale`.
int64_t UnitAt(uint32_t scale) {
  int64_t unit = 1;
  for (uint32_t i = 2; i < scale; ++i) unit *= 10;
  return unit;
}

// `value` at scale 2 expressed at `scale` (0..3), rounded down when the scale shrinks.
int64_t AtScale(int64_t value, uint32_t scale) {
  if (scale == 3) return value * 10;
  if (scale == 1) return value / 10;
  if (scale == 0) return value / 100;
  return value;
}

std::vector<std::string> MoneyRoles(const v1::ConditionalTerms& terms) {
  std::vector<std::string> roles;
  for (const v1::RoleParty& party : terms.parties()) {
    if (party.role() != "arbiter") roles.push_back(party.role());
  }
  return roles;
}

v1::Money Amount(const std::string& currency, int64_t minor_units) {
  v1::Money money;
  money.set_currency(currency);
  money.set_minor_units(minor_units);
  return money;
}

}  // namespace

void WorldCounts::Add(const WorldCounts& other) {
  contracts += other.contracts;
  settled_by_branch += other.settled_by_branch;
  arbitrated += other.arbitrated;
  refunded += other.refunded;
  expired += other.expired;
  disputed += other.disputed;
  attestations += other.attestations;
  equivocations += other.equivocations;
  retries += other.retries;
  refusals += other.refusals;
  journal_records += other.journal_records;
  for (const auto& [reason, count] : other.refusals_by_reason) refusals_by_reason[reason] += count;
}

std::string WorldCounts::Summary() const {
  std::string reasons;
  for (const auto& [reason, count] : refusals_by_reason) {
    reasons += Concat(reasons.empty() ? "" : ", ", reason, " ", count);
  }
  return Concat("contracts ", contracts, ": settled by a branch ", settled_by_branch,
                ", arbitrated ", arbitrated, ", refunded ", refunded, ", expired ", expired,
                "; disputed ", disputed, "; attestations stored ", attestations, ", equivocations ",
                equivocations, "; blind retries ", retries, "; journal records ", journal_records,
                "; refusals ", refusals, " (", reasons, ")");
}

ConditionalWorld::ConditionalWorld(std::mt19937_64& random) : random_(random) {
  for (int i = 0; i < kFirstOracleKey + kOracles; ++i) {
    keys_.push_back(*SigningKey::FromSeed(std::string(31, '\x40') + static_cast<char>(i)));
  }
  const char* const feeds[kEvents] = {"price/AAA-USD",         "price/BBB-JPY",
                                      "price/CCC-USD",         "weather/prop/S1/rain_mm",
                                      "weather/prop/S2/hdd_c", "weather/prop/S3/tmax_c"};
  for (int event = 0; event < kEvents; ++event) {
    WorldEvent& added = events_.emplace_back();
    added.feed = feeds[event];
    added.from_unix_ms = kWorldStartMs + Uniform(0, 6 * kWorldDayMs);
    added.until_unix_ms = added.from_unix_ms + Uniform(kWorldDayMs, 4 * kWorldDayMs);
    added.event_id = Concat("window:", added.from_unix_ms, "..", added.until_unix_ms);
    added.truth = Uniform(1'000, 100'000);
  }
  readings_.resize(kOracles);
  lies_.resize(kOracles);
  for (int oracle = 0; oracle < kOracles; ++oracle) {
    for (const WorldEvent& event : events_) {
      // One reading in six is a lie, far beyond any spread a contract allows.
      const bool lie = Uniform(0, 5) == 0;
      lies_[oracle].push_back(lie);
      readings_[oracle].push_back(
          event.truth + (lie ? (Uniform(0, 1) == 0 ? 1 : -1) * Uniform(100, 900) : Uniform(-2, 2)));
    }
  }
}

int64_t ConditionalWorld::Uniform(int64_t low, int64_t high) {
  POCHE_CHECK(low <= high);
  return std::uniform_int_distribution<int64_t>(low, high)(random_);
}

bool ConditionalWorld::MayAttest(int oracle, int event) const {
  return oracle != kOracles - 1 || events_[event].feed.starts_with("price/");
}

v1::RegisterOracle ConditionalWorld::Registration(int oracle) const {
  v1::RegisterOracle action;
  action.set_party_id(oracle_key(oracle).key_id());
  action.add_feeds("price/*");
  if (oracle != kOracles - 1) action.add_feeds("weather/prop/*");
  action.set_public_key(oracle_key(oracle).public_key());
  action.set_valid_until_unix_ms(kWorldStartMs + 365 * kWorldDayMs);
  return action;
}

std::string ConditionalWorld::Secret(int index) { return Concat("secret number ", index); }

std::vector<int64_t> ConditionalWorld::Split(int64_t total, size_t parts, int64_t minimum) {
  POCHE_CHECK(parts >= 1 && total >= static_cast<int64_t>(parts) * minimum);
  const int64_t spare = total - static_cast<int64_t>(parts) * minimum;
  std::vector<int64_t> cuts = {0, spare};
  for (size_t i = 1; i < parts; ++i) cuts.push_back(Uniform(0, spare));
  std::sort(cuts.begin(), cuts.end());
  std::vector<int64_t> amounts;
  for (size_t i = 0; i < parts; ++i) amounts.push_back(minimum + cuts[i + 1] - cuts[i]);
  return amounts;
}

v1::ValueSource ConditionalWorld::RandomSource(int index, int64_t now_unix_ms,
                                               const std::set<int>& flagged) {
  const int event_index = static_cast<int>(Uniform(0, kEvents - 1));
  const WorldEvent& event = events_[event_index];
  std::vector<int> candidates;
  for (int oracle = 0; oracle < kOracles; ++oracle) {
    if (!flagged.contains(oracle) && MayAttest(oracle, event_index)) candidates.push_back(oracle);
  }
  std::shuffle(candidates.begin(), candidates.end(), random_);
  v1::ValueSource source;
  source.set_name(Concat("source-", index));
  source.set_feed(event.feed);
  source.set_event_id(event.event_id);
  if (candidates.empty()) return source;
  const int64_t count = Uniform(1, std::min<int64_t>(5, static_cast<int64_t>(candidates.size())));
  for (int64_t i = 0; i < count; ++i) {
    source.add_oracle_party_ids(oracle_key(candidates[i]).key_id());
  }
  source.set_quorum(static_cast<uint32_t>(Uniform(1, count)));
  source.set_scale(static_cast<uint32_t>(Uniform(0, 3)));
  if (Uniform(0, 3) == 0) {
    source.set_aggregation(v1::AGGREGATION_EXACT);
  } else {
    source.set_aggregation(v1::AGGREGATION_MEDIAN);
    source.set_max_spread(Uniform(0, 5) * UnitAt(source.scale()));
  }
  source.set_observe_from_unix_ms(event.from_unix_ms + Uniform(-2 * kWorldHourMs, kWorldDayMs));
  source.set_observe_until_unix_ms(std::max(source.observe_from_unix_ms() + kWorldHourMs,
                                            event.until_unix_ms - Uniform(0, kWorldDayMs)));
  source.set_oracle_kind("test");
  (void)now_unix_ms;
  return source;
}

v1::Condition ConditionalWorld::RandomCondition(const v1::ConditionalTerms& terms,
                                                int64_t now_unix_ms, int depth) {
  v1::Condition condition;
  if (depth > 0 && Uniform(0, 2) == 0) {
    const int64_t kind = Uniform(0, 2);
    const int64_t children = Uniform(2, 3);
    uint64_t total_weight = 0;
    for (int64_t i = 0; i < children; ++i) {
      v1::Condition child = RandomCondition(terms, now_unix_ms, depth - 1);
      if (kind == 0) *condition.mutable_all_of()->add_conditions() = std::move(child);
      if (kind == 1) *condition.mutable_any_of()->add_conditions() = std::move(child);
      if (kind == 2) {
        v1::WeightedCondition* weighted = condition.mutable_threshold()->add_children();
        *weighted->mutable_condition() = std::move(child);
        weighted->set_weight(static_cast<uint32_t>(Uniform(1, 3)));
        total_weight += weighted->weight();
      }
    }
    if (kind == 2) {
      condition.mutable_threshold()->set_threshold(
          static_cast<uint64_t>(Uniform(1, static_cast<int64_t>(total_weight))));
    }
    return condition;
  }
  const int64_t leaf = Uniform(0, 9);
  if (leaf <= 3) {
    const v1::ValueSource& source =
        terms.value_sources(static_cast<int>(Uniform(0, terms.value_sources_size() - 1)));
    int64_t truth = 0;
    for (const WorldEvent& event : events_) {
      if (event.event_id == source.event_id()) truth = event.truth;
    }
    v1::OracleComparison* comparison = condition.mutable_oracle_comparison();
    comparison->set_value_source(source.name());
    comparison->set_comparison(static_cast<v1::Comparison>(Uniform(1, 6)));
    comparison->set_constant(AtScale(truth, source.scale()) +
                             Uniform(-3, 3) * UnitAt(source.scale()));
  } else if (leaf <= 5) {
    condition.set_signature_of_role(
        terms.parties(static_cast<int>(Uniform(0, terms.parties_size() - 1))).role());
  } else if (leaf <= 7) {
    condition.mutable_sha256_preimage()->set_sha256(
        Sha256(Secret(static_cast<int>(Uniform(0, kSecrets - 2)))));
  } else if (leaf == 8) {
    condition.set_after_unix_ms(now_unix_ms + Uniform(0, 4 * kWorldDayMs));
  } else {
    condition.set_before_unix_ms(now_unix_ms + Uniform(kWorldHourMs, 6 * kWorldDayMs));
  }
  return condition;
}

v1::PayoutRule ConditionalWorld::RandomPayout(const v1::ConditionalTerms& terms,
                                              const std::vector<int64_t>& truths) {
  const std::string& currency = terms.locked_total().currency();
  const int64_t locked = terms.locked_total().minor_units();
  std::vector<std::string> roles = MoneyRoles(terms);
  std::shuffle(roles.begin(), roles.end(), random_);
  v1::PayoutRule rule;
  if (Uniform(0, 1) == 0) {
    v1::FixedTable* table = rule.mutable_fixed_table();
    int64_t left = locked;
    for (int64_t i = 0, count = Uniform(1, static_cast<int64_t>(roles.size())); i < count; ++i) {
      v1::FixedAmount* amount = table->add_amounts();
      amount->set_role(roles[i]);
      const int64_t paid = Uniform(0, left);
      *amount->mutable_amount() = Amount(currency, paid);
      left -= paid;
    }
    table->set_remainder_role(roles[Uniform(0, static_cast<int64_t>(roles.size()) - 1)]);
    return rule;
  }
  const int source_index = static_cast<int>(Uniform(0, terms.value_sources_size() - 1));
  const v1::ValueSource& source = terms.value_sources(source_index);
  const int64_t unit = UnitAt(source.scale());
  v1::PiecewiseLinearPayout* line = rule.mutable_piecewise_linear();
  line->set_value_source(source.name());
  int64_t x = AtScale(truths[source_index], source.scale()) - Uniform(0, 6) * unit;
  for (int64_t i = 0, count = Uniform(1, 4); i < count; ++i) {
    v1::Breakpoint* point = line->add_breakpoints();
    point->set_x(x);
    point->set_y(Uniform(0, locked));
    x += Uniform(1, 4) * unit;
  }
  const int64_t floor = Uniform(0, locked / 4);
  *line->mutable_floor() = Amount(currency, floor);
  *line->mutable_cap() = Amount(currency, Uniform(floor, locked));
  line->set_payee_role(roles[0]);
  line->set_remainder_role(roles[1]);
  return rule;
}

std::optional<v1::ConditionalTerms> ConditionalWorld::RandomTerms(
    int64_t now_unix_ms, const std::set<int>& flagged, std::map<std::string, int>& key_of_role) {
  v1::ConditionalTerms terms;
  const std::string currency = Uniform(0, 1) == 0 ? "USD" : "JPY";
  const int64_t locked = currency == "USD" ? Uniform(300, 5'000'000) : Uniform(300, 500'000);
  *terms.mutable_locked_total() = Amount(currency, locked);
  std::vector<int> parties = {0, 1, 2, 3};
  std::shuffle(parties.begin(), parties.end(), random_);
  const size_t money_roles = static_cast<size_t>(Uniform(2, 3));
  key_of_role.clear();
  for (size_t i = 0; i < money_roles; ++i) key_of_role[kMoneyRoleNames[i]] = parties[i];
  if (Uniform(0, 1) == 0) key_of_role["arbiter"] = kArbiterKey;
  for (const auto& [role, key_index] : key_of_role) {
    v1::RoleParty* party = terms.add_parties();
    party->set_role(role);
    party->set_party_id(keys_[key_index].key_id());
  }
  int64_t hard_deadline = now_unix_ms + Uniform(12 * kWorldHourMs, 4 * kWorldDayMs);
  std::vector<int64_t> truths;
  for (int i = 0, count = static_cast<int>(Uniform(1, 2)); i < count; ++i) {
    v1::ValueSource source = RandomSource(i, now_unix_ms, flagged);
    if (source.oracle_party_ids().empty()) return std::nullopt;
    for (const WorldEvent& event : events_) {
      if (event.event_id == source.event_id()) truths.push_back(event.truth);
    }
    hard_deadline = std::max(
        hard_deadline, source.observe_until_unix_ms() + Uniform(kWorldHourMs, 3 * kWorldDayMs));
    *terms.add_value_sources() = std::move(source);
  }
  terms.set_hard_deadline_unix_ms(hard_deadline);
  terms.set_fund_by_unix_ms(
      now_unix_ms +
      Uniform(kWorldHourMs, std::min(2 * kWorldDayMs, hard_deadline - now_unix_ms - 1)));
  for (int i = 0, count = static_cast<int>(Uniform(1, 3)); i < count; ++i) {
    v1::ConditionalBranch* branch = terms.add_branches();
    *branch->mutable_condition() = RandomCondition(terms, now_unix_ms, 2);
    *branch->mutable_payout() = RandomPayout(terms, truths);
    branch->set_description(Concat("branch ", i + 1));
  }
  const std::vector<std::string> roles = MoneyRoles(terms);
  const std::vector<int64_t> refunds = Split(locked, roles.size(), 0);
  const std::vector<int64_t> legs = Split(locked, roles.size(), 1);
  for (size_t i = 0; i < roles.size(); ++i) {
    v1::FixedAmount* refund = terms.mutable_refund()->add_amounts();
    refund->set_role(roles[i]);
    *refund->mutable_amount() = Amount(currency, refunds[i]);
    v1::FixedAmount* leg = terms.add_funding();
    leg->set_role(roles[i]);
    *leg->mutable_amount() = Amount(currency, legs[i]);
  }
  terms.set_description("a random contract of the property test");
  return terms;
}

v1::SignedEnvelope ConditionalWorld::Seal(int oracle, int event, int64_t value,
                                          int64_t observed_at_unix_ms, int scale_choice) const {
  v1::Attestation attestation;
  attestation.set_feed(events_[event].feed);
  attestation.set_event_id(events_[event].event_id);
  uint32_t scale = 2;
  if (scale_choice == 0 && value % 10 == 0) scale = 1, value /= 10;
  if (scale_choice == 2) scale = 3, value *= 10;
  attestation.set_value(value);
  attestation.set_scale(scale);
  attestation.set_observed_at_unix_ms(observed_at_unix_ms);
  attestation.set_oracle_party_id(oracle_key(oracle).key_id());
  attestation.set_oracle_key_id(oracle_key(oracle).key_id());
  return SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), oracle_key(oracle));
}

}  // namespace argentpoche::testing
