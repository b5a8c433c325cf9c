// Property test of the condition language: thousands of random terms (condition trees,
// fixed tables, piecewise-linear rules, refunds; some deliberately unsound) go through the
// checker; every accepted one is settled against random facts, and every payout list it can
// produce must add up exactly to the lock, never be negative, never exceed the lock, and
// name only its parties, each once. Evaluate must also be monotone in time when only
// after() depends on it, and constant between the times NextTimeOfChange names.
// Seeded std::mt19937_64: a failure replays exactly.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/conditions.h"
#include "engine/conditions_outcome.h"
#include "engine/contract_checker.h"
#include "engine/crypto.h"
#include "engine/currency.h"
#include "engine/limits.h"
#include "engine/payout_rules.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

constexpr uint64_t kSeed = 20260601;
constexpr int kTermsGenerated = 12000;
constexpr int kFactsPerTerms = 24;
constexpr int64_t kStart = 1780272000000;  // 2026-06-01 00:00 UTC.
constexpr int64_t kDayMs = 24 * 3600 * 1000;
const char* const kCurrencies[] = {"EUR", "JPY", "BHD", "CLF"};
const char* const kOracles[] = {"o1", "o2", "o3", "o4", "o5"};
const char* const kPreimages[] = {"alpha", "beta", "gamma"};

class Generator {
 public:
  // With `defects`, the generator now and then makes terms the checker must refuse;
  // without, every condition it makes is well formed (safe to Evaluate unchecked).
  Generator(uint64_t seed, bool defects) : random_(seed), defects_(defects) {}

  int64_t Between(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }
  bool OneIn(int n) { return Between(1, n) == 1; }
  bool Defect(int one_in) { return defects_ && OneIn(one_in); }

  v1::ConditionalTerms Terms();
  Facts FactsFor(const v1::ConditionalTerms& terms);
  v1::Condition Condition(int depth, bool allow_before, int& nodes);

 private:
  v1::Money Amount(int64_t minor_units) {
    v1::Money money;
    money.set_currency(currency_);
    money.set_minor_units(minor_units);
    return money;
  }
  std::string Role() {
    return Defect(60) ? "ghost" : roles_[Between(0, static_cast<int64_t>(roles_.size()) - 1)];
  }
  std::string Source() {
    if (sources_.empty() || Defect(60)) return "nowhere";
    return sources_[Between(0, sources_.size() - 1)];
  }
  v1::ValueSource ValueSource(int index);
  v1::Condition Leaf(bool allow_before);
  v1::PayoutRule Rule();
  v1::FixedTable Table(int64_t total, bool exact);

  std::mt19937_64 random_;
  const bool defects_;
  std::string currency_;
  int64_t lock_ = 0;
  int64_t deadline_ = 0;
  std::vector<std::string> roles_;
  std::vector<std::string> sources_;
};

v1::ValueSource Generator::ValueSource(int index) {
  v1::ValueSource source;
  source.set_name(Concat("s", index));
  source.set_feed(Concat("price/FEED-", index));
  source.set_event_id("e");
  const int oracles = static_cast<int>(Between(1, 5));
  for (int i = 0; i < oracles; ++i) source.add_oracle_party_ids(kOracles[i]);
  source.set_quorum(static_cast<uint32_t>(Defect(40) ? oracles + 1 : Between(1, oracles)));
  source.set_aggregation(OneIn(2) ? v1::AGGREGATION_MEDIAN : v1::AGGREGATION_EXACT);
  source.set_scale(static_cast<uint32_t>(Between(0, 4)));
  source.set_observe_from_unix_ms(kStart);
  source.set_observe_until_unix_ms(kStart + Between(1, 30) * kDayMs);
  return source;
}

v1::Condition Generator::Leaf(bool allow_before) {
  v1::Condition condition;
  switch (Between(0, allow_before ? 5 : 4)) {
    case 0:
      condition.set_signature_of_role(Role());
      break;
    case 1: {
      v1::OracleComparison* comparison = condition.mutable_oracle_comparison();
      comparison->set_value_source(Source());
      comparison->set_comparison(static_cast<v1::Comparison>(Between(1, 6)));
      comparison->set_constant(Between(-100, 3000));
      break;
    }
    case 2:
      condition.mutable_sha256_preimage()->set_sha256(
          Defect(50) ? std::string(31, 'x') : Sha256(kPreimages[Between(0, 2)]));
      break;
    case 3:
    case 4:
      condition.set_after_unix_ms(kStart + Between(0, 60) * kDayMs);
      break;
    default:
      condition.set_before_unix_ms(kStart + Between(0, 60) * kDayMs);
      break;
  }
  return condition;
}

v1::Condition Generator::Condition(int depth, bool allow_before, int& nodes) {
  ++nodes;
  if (depth >= 5 || OneIn(depth + 1)) return Leaf(allow_before);
  v1::Condition condition;
  const int children = static_cast<int>(Defect(80) ? 0 : Between(1, 4));
  const int64_t kind = Between(0, 2);
  uint64_t total_weight = 0;
  for (int i = 0; i < children; ++i) {
    v1::Condition child = Condition(depth + 1, allow_before, nodes);
    if (kind == 0) *condition.mutable_all_of()->add_conditions() = std::move(child);
    if (kind == 1) *condition.mutable_any_of()->add_conditions() = std::move(child);
    if (kind == 2) {
      v1::WeightedCondition* weighted = condition.mutable_threshold()->add_children();
      weighted->set_weight(static_cast<uint32_t>(Between(1, 3)));
      total_weight += weighted->weight();
      *weighted->mutable_condition() = std::move(child);
    }
  }
  if (kind == 0) condition.mutable_all_of();
  if (kind == 1) condition.mutable_any_of();
  if (kind == 2) {
    const int64_t most = static_cast<int64_t>(total_weight) + (Defect(40) ? 1 : 0);
    condition.mutable_threshold()->set_threshold(
        static_cast<uint64_t>(Between(1, std::max<int64_t>(most, 1))));
  }
  return condition;
}

// Random amounts for the roles adding up to `total` when `exact`, else to at most `total`
// (or, rarely, one minor unit more).
v1::FixedTable Generator::Table(int64_t total, bool exact) {
  v1::FixedTable table;
  int64_t left = exact ? total : Between(0, total) + (Defect(40) ? total + 1 : 0);
  std::vector<std::string> roles = roles_;
  std::shuffle(roles.begin(), roles.end(), random_);
  if (Defect(60)) roles.front() = "ghost";
  const int entries = static_cast<int>(Between(exact ? 1 : 0, static_cast<int64_t>(roles.size())));
  for (int i = 0; i < entries; ++i) {
    const std::string& role = roles[i];
    const int64_t amount = i + 1 == entries && exact ? left : Between(0, left);
    left -= amount;
    v1::FixedAmount* entry = table.add_amounts();
    entry->set_role(role);
    *entry->mutable_amount() = Amount(amount);
  }
  if (!exact && !Defect(30)) table.set_remainder_role(Role());
  return table;
}

v1::PayoutRule Generator::Rule() {
  v1::PayoutRule rule;
  if (OneIn(2)) {
    *rule.mutable_fixed_table() = Table(lock_, /*exact=*/false);
    return rule;
  }
  v1::PiecewiseLinearPayout* line = rule.mutable_piecewise_linear();
  line->set_value_source(Source());
  int64_t x = Between(-1000, 1000);
  const int points = static_cast<int>(Between(Defect(50) ? 0 : 1, 6));
  for (int i = 0; i < points; ++i) {
    v1::Breakpoint* point = line->add_breakpoints();
    point->set_x(x);
    point->set_y(Between(0, lock_ + lock_ / 5));
    x += Defect(50) ? 0 : Between(1, 2000);
  }
  const int64_t cap = OneIn(3) ? lock_ : Between(0, lock_ + lock_ / 10);
  *line->mutable_floor() = Amount(Between(0, cap));
  *line->mutable_cap() = Amount(cap);
  line->set_payee_role(Role());
  line->set_remainder_role(Role());
  return rule;
}

v1::ConditionalTerms Generator::Terms() {
  v1::ConditionalTerms terms;
  currency_ = kCurrencies[Between(0, 3)];
  const int64_t max_units = MaxMinorUnits(*CurrencyExponent(currency_));
  lock_ = OneIn(20) ? max_units - Between(0, 5) : Between(1, OneIn(2) ? 1000 : 1'000'000'000);
  *terms.mutable_locked_total() = Amount(lock_);
  roles_.clear();
  const int parties = static_cast<int>(Between(1, 6));
  for (int i = 0; i < parties; ++i) {
    roles_.push_back(Concat("r", i));
    v1::RoleParty* party = terms.add_parties();
    party->set_role(roles_.back());
    party->set_party_id(Concat("p", Between(0, parties - 1)));  // Some play two roles.
  }
  deadline_ = kStart + Between(31, 90) * kDayMs;
  terms.set_hard_deadline_unix_ms(deadline_);
  sources_.clear();
  const int sources = static_cast<int>(Between(0, 3));
  for (int i = 0; i < sources; ++i) {
    *terms.add_value_sources() = ValueSource(i);
    sources_.push_back(terms.value_sources(i).name());
  }
  const int branches = static_cast<int>(Between(1, 4));
  for (int i = 0; i < branches; ++i) {
    v1::ConditionalBranch* branch = terms.add_branches();
    int nodes = 0;
    *branch->mutable_condition() = Condition(1, /*allow_before=*/true, nodes);
    *branch->mutable_payout() = Rule();
  }
  *terms.mutable_refund() = Table(lock_ + (Defect(40) ? Between(-1, 1) : 0), /*exact=*/true);
  return terms;
}

Facts Generator::FactsFor(const v1::ConditionalTerms& terms) {
  Facts facts;
  facts.now_unix_ms = kStart + Between(-2, 95) * kDayMs + Between(-1, 1);
  for (const std::string& role : roles_) {
    if (OneIn(2)) facts.signed_roles.insert(role);
  }
  // Breakpoints' x (where the largest payouts lie) and their neighbours, extremes, or any.
  std::vector<int64_t> xs = {std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max()};
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    for (const v1::Breakpoint& point : branch.payout().piecewise_linear().breakpoints()) {
      xs.push_back(point.x() + Between(-1, 1));
    }
  }
  for (const v1::ValueSource& source : terms.value_sources()) {
    if (OneIn(3)) continue;
    facts.oracle_values[source.name()] =
        OneIn(2) ? xs[Between(0, static_cast<int64_t>(xs.size()) - 1)] : Between(-2000, 14000);
  }
  for (const char* preimage : kPreimages) {
    if (OneIn(3)) facts.revealed_preimages.insert(preimage);
  }
  return facts;
}

// Asserts the guarantees of every payout list (see engine/payout_rules.h).
void ExpectSoundPayouts(const absl::StatusOr<std::vector<v1::Payout>>& payouts,
                        const v1::ConditionalTerms& terms, std::string_view what) {
  ASSERT_TRUE(payouts.ok()) << what << ": " << payouts.status() << "\n" << terms.DebugString();
  std::set<std::string> parties;
  for (const v1::RoleParty& party : terms.parties()) parties.insert(party.party_id());
  std::set<std::string> paid;
  int64_t sum = 0;
  ASSERT_LE(payouts->size(), limits::kMaxPayouts);
  for (const v1::Payout& payout : *payouts) {
    ASSERT_EQ(payout.amount().currency(), terms.locked_total().currency()) << what;
    ASSERT_GT(payout.amount().minor_units(), 0) << what << "\n" << terms.DebugString();
    ASSERT_LE(payout.amount().minor_units(), terms.locked_total().minor_units()) << what;
    ASSERT_TRUE(parties.contains(payout.party_id())) << what;
    ASSERT_TRUE(paid.insert(payout.party_id()).second) << what << ": a party paid twice";
    sum += payout.amount().minor_units();  // Each at most the lock, at most 16 of them.
  }
  ASSERT_EQ(sum, terms.locked_total().minor_units()) << what << "\n" << terms.DebugString();
}

// How often each path was taken, so the test can tell it explored them all.
struct Coverage {
  int settled = 0;
  int refunded = 0;
  int piecewise_paid = 0;
};

// Checks every payout reachable under `facts`: the decided outcome, each branch whose
// payout can be computed, and the refund.
void ExpectSoundSettlements(const v1::ConditionalTerms& terms, const Facts& facts,
                            Coverage& coverage) {
  const Outcome outcome = DecideOutcome(terms, facts);
  coverage.settled += outcome.kind == Outcome::Kind::kSettle ? 1 : 0;
  coverage.refunded += outcome.kind == Outcome::Kind::kRefund ? 1 : 0;
  if (outcome.kind != Outcome::Kind::kWaiting) {
    ExpectSoundPayouts(OutcomePayouts(terms, outcome, facts), terms, "the decided outcome");
  }
  const Money locked = *Money::FromProto(terms.locked_total());
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    // Neither may abort on checked terms.
    (void)Evaluate(branch.condition(), facts);
    EXPECT_FALSE(Explain(branch.condition(), terms.value_sources(), facts).empty());
    const v1::PayoutRule& rule = branch.payout();
    if (rule.has_piecewise_linear() &&
        !facts.oracle_values.contains(rule.piecewise_linear().value_source())) {
      continue;
    }
    coverage.piecewise_paid += rule.has_piecewise_linear() ? 1 : 0;
    ExpectSoundPayouts(ComputePayouts(rule, locked, RolePartiesOf(terms), facts), terms,
                       "a branch payout");
  }
  ExpectSoundPayouts(ComputeFixedTablePayouts(terms.refund(), locked, RolePartiesOf(terms)), terms,
                     "the refund");
}

ConditionCheckContext CheckContext() {
  ConditionCheckContext context;
  context.now_unix_ms = kStart - kDayMs;
  for (const char* oracle : kOracles) context.registered_oracle_party_ids.insert(oracle);
  return context;
}

TEST(ConditionsPropertyTest, AcceptedTermsAlwaysPayExactlyTheLockAndNeverMore) {
  Generator generator(kSeed, /*defects=*/true);
  const ConditionCheckContext context = CheckContext();
  int accepted = 0;
  Coverage coverage;
  std::map<std::string, int> refusals;
  for (int i = 0; i < kTermsGenerated; ++i) {
    const v1::ConditionalTerms terms = generator.Terms();
    const absl::Status status = CheckConditionalTerms(terms, context);
    if (!status.ok()) {
      ++refusals[ReasonOf(status)];
      continue;
    }
    ++accepted;
    for (int j = 0; j < kFactsPerTerms; ++j) {
      Facts facts = generator.FactsFor(terms);
      ExpectSoundSettlements(terms, facts, coverage);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  std::printf("accepted %d of %d terms; refusals:", accepted, kTermsGenerated);
  for (const auto& [reason, count] : refusals) std::printf(" %s %d", reason.c_str(), count);
  std::printf("\nsettled %d, refunded %d, piecewise-linear payouts %d\n", coverage.settled,
              coverage.refunded, coverage.piecewise_paid);
  EXPECT_GE(accepted, 3000);
  EXPECT_GE(coverage.settled, 10000);
  EXPECT_GE(coverage.refunded, 10000);
  EXPECT_GE(coverage.piecewise_paid, 10000);
  // The generator makes each defect often enough for the checker to be exercised on it.
  for (const char* reason : {"MALFORMED_CONDITION", "BREAKPOINTS_NOT_INCREASING",
                             "PAYOUT_EXCEEDS_LOCK", "NO_REFUND_PATH", "QUORUM_TOO_LARGE"}) {
    EXPECT_GT(refusals[reason], 0) << reason;
  }
}

// Evaluates `condition` at increasing times with the other facts fixed.
std::vector<Truth> TruthOverTime(const v1::Condition& condition, Facts facts,
                                 const std::vector<int64_t>& times) {
  std::vector<Truth> truths;
  for (int64_t time : times) {
    facts.now_unix_ms = time;
    truths.push_back(Evaluate(condition, facts));
  }
  return truths;
}

TEST(ConditionsPropertyTest, WithoutBeforeATrueOrFalseAnswerNeverChangesAsTimeAdvances) {
  Generator generator(kSeed + 1, /*defects=*/false);
  const v1::ConditionalTerms terms = generator.Terms();  // Roles and sources to draw from.
  for (int i = 0; i < 4000; ++i) {
    int nodes = 0;
    const v1::Condition condition = generator.Condition(1, /*allow_before=*/false, nodes);
    const Facts facts = generator.FactsFor(terms);
    std::vector<int64_t> times;
    for (int64_t day = -1; day <= 62; ++day) times.push_back(kStart + day * kDayMs);
    const std::vector<Truth> truths = TruthOverTime(condition, facts, times);
    for (size_t t = 1; t < truths.size(); ++t) {
      if (truths[t - 1] != Truth::kUnknown) {
        ASSERT_EQ(truths[t], truths[t - 1]) << "at day " << t << "\n" << condition.DebugString();
      }
    }
  }
}

TEST(ConditionsPropertyTest, AnswersChangeOnlyAtTheTimesNextTimeOfChangeNames) {
  Generator generator(kSeed + 2, /*defects=*/false);
  const v1::ConditionalTerms terms = generator.Terms();
  for (int i = 0; i < 4000; ++i) {
    int nodes = 0;
    const v1::Condition condition = generator.Condition(1, /*allow_before=*/true, nodes);
    Facts facts = generator.FactsFor(terms);
    int64_t now = kStart - kDayMs;
    for (int step = 0; step < 20; ++step) {
      const std::optional<int64_t> next = NextTimeOfChange(condition, now);
      const int64_t later = next ? *next - 1 : now + 365 * kDayMs;
      facts.now_unix_ms = now;
      const Truth at_now = Evaluate(condition, facts);
      facts.now_unix_ms = generator.Between(now, later);
      ASSERT_EQ(Evaluate(condition, facts), at_now) << condition.DebugString();
      if (!next) break;
      now = *next;
    }
  }
}

}  // namespace
}  // namespace argentpoche
