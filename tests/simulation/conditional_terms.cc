#include "tests/simulation/conditional_terms.h"

#include <algorithm>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/crypto.h"
#include "engine/feeds.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
const char* const kStations[] = {"ORY", "CDG", "LYS"};

CivilDay DayOf(int64_t unix_ms) {
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixMillis(unix_ms), absl::UTCTimeZone());
  return CivilDay{static_cast<int>(day.year()), day.month(), day.day()};
}

CivilDay NextDay(const CivilDay& day) {
  const absl::CivilDay next = absl::CivilDay(day.year, day.month, day.day) + 1;
  return CivilDay{static_cast<int>(next.year()), next.month(), next.day()};
}

// A period of a day or two whose end leaves at least half an hour to fund before it.
WeatherPeriod RandomPeriod(Simulation& s) {
  CivilDay start = DayOf(s.now());
  if (DayAfterUnixMs(start) - s.now() < 30 * kMinuteMs || s.Percent(30)) start = NextDay(start);
  return WeatherPeriod{start, s.Percent(30) ? NextDay(start) : start};
}

// Up to `euro_cents_max` (a hundredth of it in yen), and mostly within `can_lock`.
int64_t Amount(Simulation& s, const std::string& currency, int64_t euro_cents_max,
               int64_t can_lock) {
  int64_t most = currency == "JPY" ? euro_cents_max / 100 : euro_cents_max;
  if (can_lock > 0 && s.Percent(90)) most = std::min(most, can_lock);
  return s.Between(1, most);
}

void SetQuorum(Simulation& s, const Cast& cast, v1::OracleQuorum& quorum, int64_t spread) {
  for (const std::string& oracle : cast.oracles) quorum.add_oracle_party_ids(oracle);
  quorum.set_quorum(cast.quorum);
  const bool exact = s.Percent(20);
  quorum.set_aggregation(exact ? v1::AGGREGATION_EXACT : v1::AGGREGATION_MEDIAN);
  quorum.set_max_spread(exact ? 0 : spread);
}

v1::FixedAmount* AddAmount(google::protobuf::RepeatedPtrField<v1::FixedAmount>* amounts,
                           const std::string& role, const std::string& currency, int64_t units) {
  v1::FixedAmount* amount = amounts->Add();
  amount->set_role(role);
  amount->mutable_amount()->set_currency(currency);
  amount->mutable_amount()->set_minor_units(units);
  return amount;
}

// Generic terms between a buyer (locks `price`) and a seller (locks `bond`, maybe 0):
// parties, funding, refund, lock.
v1::ConditionalTerms BuyerSellerTerms(Simulation& s, const Cast& cast, int64_t price,
                                      int64_t bond) {
  v1::ConditionalTerms terms;
  for (const auto& [role, party] :
       {std::pair{"buyer", cast.counterpart}, std::pair{"seller", cast.principal},
        std::pair{"arbiter", cast.arbiter}}) {
    if (party.empty()) continue;
    v1::RoleParty* added = terms.add_parties();
    added->set_role(role);
    added->set_party_id(party);
  }
  terms.mutable_locked_total()->set_currency(cast.currency);
  terms.mutable_locked_total()->set_minor_units(price + bond);
  AddAmount(terms.mutable_funding(), "buyer", cast.currency, price);
  AddAmount(terms.mutable_refund()->mutable_amounts(), "buyer", cast.currency, price);
  if (bond > 0) {
    AddAmount(terms.mutable_funding(), "seller", cast.currency, bond);
    AddAmount(terms.mutable_refund()->mutable_amounts(), "seller", cast.currency, bond);
  }
  terms.set_description(Concat("simulated terms ", s.Below(1'000'000'000)));
  return terms;
}

void PayAllTo(v1::ConditionalBranch& branch, const std::string& role) {
  branch.mutable_payout()->mutable_fixed_table()->set_remainder_role(role);
}

}  // namespace

bool PickCast(Simulation& s, bool with_oracles, Cast& cast) {
  cast.currency = s.Pick(s.model().currencies);
  const auto balance = [&](const std::string& id) {
    const ModelAccount* account = FindAccount(s.model(), keys::PartyAccountId(id, cast.currency));
    return account == nullptr ? -1 : account->balance;
  };
  std::vector<std::string> holders = s.RegisteredParties();
  const bool funded = s.Percent(85);  // mostly parties with money
  std::erase_if(holders, [&](const std::string& id) { return balance(id) < (funded ? 2 : 0); });
  if (holders.size() < 2) return false;
  cast.principal = s.Pick(holders);
  std::erase(holders, cast.principal);
  cast.counterpart = s.Pick(holders);
  cast.principal_can_lock = balance(cast.principal);
  cast.counterpart_can_lock = balance(cast.counterpart);
  std::vector<std::string> others = s.RegisteredParties();
  std::erase(others, cast.principal);
  std::erase(others, cast.counterpart);
  cast.arbiter = !others.empty() && s.Percent(50) ? s.Pick(others) : "";
  std::vector<std::string> good;
  for (const auto& [id, oracle] : s.model().oracle.oracles) {
    if (oracle.InGoodStanding()) good.push_back(id);
  }
  cast.oracles.clear();
  while (!good.empty() && cast.oracles.size() < 3) {
    cast.oracles.push_back(s.Pick(good));
    std::erase(good, cast.oracles.back());
  }
  const size_t named = cast.oracles.size();
  cast.quorum = named == 3 ? 2 : named == 2 ? 1 + static_cast<uint32_t>(s.Below(2)) : 1;
  return !with_oracles || named > 0;
}

v1::ContractTerms WeatherCover(Simulation& s, const Cast& cast) {
  const WeatherPeriod period = RandomPeriod(s);
  const int64_t period_end = DayAfterUnixMs(period.end);
  v1::ContractTerms terms;
  v1::WeatherCoverTerms& cover = *terms.mutable_weather_cover();
  cover.set_insurer_party_id(cast.principal);
  cover.set_insured_party_id(cast.counterpart);
  cover.set_arbiter_party_id(cast.arbiter);
  cover.set_source("sim");
  cover.set_station(kStations[s.Below(3)]);
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start(FormatDay(period.start));
  cover.set_period_end(FormatDay(period.end));
  const bool excess = s.Percent(50);
  cover.set_direction(excess ? v1::COVER_DIRECTION_EXCESS : v1::COVER_DIRECTION_SHORTFALL);
  cover.set_trigger(excess ? s.Between(200, 1000) : s.Between(800, 1600));
  cover.set_exit(excess ? cover.trigger() + s.Between(100, 1000)
                        : cover.trigger() - s.Between(100, 700));
  cover.mutable_limit()->set_currency(cast.currency);
  cover.mutable_limit()->set_minor_units(
      Amount(s, cast.currency, 100'000, cast.principal_can_lock));
  cover.mutable_premium()->set_currency(cast.currency);
  cover.mutable_premium()->set_minor_units(
      s.Between(0, std::min(cover.limit().minor_units() / 10, cast.counterpart_can_lock)));
  SetQuorum(s, cast, *cover.mutable_oracles(), s.Percent(50) ? 20 : 50);
  cover.set_grace_period_ms(s.Between(12 * kHourMs, 3 * kDayMs));
  cover.set_fund_by_unix_ms(
      s.now() +
      s.Between(10 * kMinuteMs, std::min(12 * kHourMs, period_end - s.now() - kMinuteMs)));
  cover.set_description(Concat("simulated cover ", s.Below(1'000'000'000)));
  return terms;
}

v1::ContractTerms Option(Simulation& s, const Cast& cast) {
  const int64_t later = s.now() + s.Between(4 * kHourMs, 30 * kHourMs);
  const int64_t expiry = (later / kHourMs + 1) * kHourMs;  // on the hour: options share events
  v1::ContractTerms terms;
  v1::OptionTerms& option = *terms.mutable_option();
  option.set_kind(s.Percent(50) ? v1::OPTION_KIND_CALL : v1::OPTION_KIND_PUT);
  option.set_writer_party_id(cast.principal);
  option.set_buyer_party_id(cast.counterpart);
  option.set_arbiter_party_id(cast.arbiter);
  option.set_feed(Concat("price/BTC-", cast.currency));
  option.set_price_scale(2);
  option.set_strike(s.Between(4'000'000, 4'800'000));
  option.set_quantity(s.Between(1, 100));
  option.set_quantity_scale(2);
  option.mutable_collateral()->set_currency(cast.currency);
  option.mutable_collateral()->set_minor_units(
      Amount(s, cast.currency, 100'000, cast.principal_can_lock));
  option.mutable_premium()->set_currency(cast.currency);
  option.mutable_premium()->set_minor_units(
      s.Between(0, std::min(option.collateral().minor_units() / 10, cast.counterpart_can_lock)));
  option.set_expiry_unix_ms(expiry);
  option.set_settlement_window_ms(s.Percent(30) ? kHourMs : 0);
  SetQuorum(s, cast, *option.mutable_oracles(), s.Percent(50) ? 500 : 2000);
  option.set_grace_period_ms(s.Between(2 * kHourMs, 2 * kDayMs));
  option.set_fund_by_unix_ms(s.now() +
                             s.Between((expiry - s.now()) / 2, expiry - s.now() - kMinuteMs));
  option.set_description(Concat("simulated option ", s.Below(1'000'000'000)));
  return terms;
}

v1::ContractTerms Escrow(Simulation& s, const Cast& cast) {
  const int64_t price = Amount(s, cast.currency, 50'000, cast.counterpart_can_lock);
  v1::ConditionalTerms terms = BuyerSellerTerms(
      s, cast, price, s.Percent(50) ? 0 : s.Between(1, std::max<int64_t>(1, price / 2)));
  terms.set_hard_deadline_unix_ms(s.now() + s.Between(18 * kHourMs, 3 * kDayMs));
  const int64_t secret_until = s.now() + s.Between(kHourMs, 2 * kDayMs);
  terms.set_fund_by_unix_ms(s.now() + s.Between(2 * kHourMs, 12 * kHourMs));
  v1::ConditionalBranch& both = *terms.add_branches();
  v1::ConditionList& endorsements = *both.mutable_condition()->mutable_all_of();
  endorsements.add_conditions()->set_signature_of_role("buyer");
  endorsements.add_conditions()->set_signature_of_role("seller");
  PayAllTo(both, "seller");
  both.set_description("both endorsed the delivery");
  v1::ConditionalBranch& secret = *terms.add_branches();
  v1::ConditionList& revealed = *secret.mutable_condition()->mutable_all_of();
  revealed.add_conditions()->mutable_sha256_preimage()->set_sha256(
      Sha256(SecretOf(terms.description())));
  revealed.add_conditions()->set_before_unix_ms(secret_until);
  AddAmount(secret.mutable_payout()->mutable_fixed_table()->mutable_amounts(), "buyer",
            cast.currency, price / 2);
  PayAllTo(secret, "seller");
  secret.set_description("the delivery code was revealed in time: half back to the buyer");
  v1::ContractTerms contract;
  *contract.mutable_conditional() = std::move(terms);
  return contract;
}

v1::ContractTerms RainThreshold(Simulation& s, const Cast& cast) {
  const WeatherPeriod period = RandomPeriod(s);
  const int64_t period_end = DayAfterUnixMs(period.end);
  v1::ConditionalTerms terms =
      BuyerSellerTerms(s, cast, Amount(s, cast.currency, 30'000, cast.counterpart_can_lock), 0);
  terms.set_hard_deadline_unix_ms(period_end + s.Between(6 * kHourMs, 2 * kDayMs));
  terms.set_fund_by_unix_ms(
      s.now() + s.Between(10 * kMinuteMs, std::min(24 * kHourMs, period_end - s.now())));
  v1::ValueSource& source = *terms.add_value_sources();
  source.set_name("rain");
  source.set_feed(Concat("weather/sim/", kStations[s.Below(3)], "/rain_mm"));
  source.set_event_id(WeatherEventId(period));
  v1::OracleQuorum quorum;
  SetQuorum(s, cast, quorum, 20);
  *source.mutable_oracle_party_ids() = quorum.oracle_party_ids();
  source.set_quorum(quorum.quorum());
  source.set_aggregation(quorum.aggregation());
  source.set_max_spread(quorum.max_spread());
  source.set_scale(1);
  source.set_observe_from_unix_ms(period_end);
  source.set_observe_until_unix_ms(terms.hard_deadline_unix_ms() - 1);
  source.set_oracle_kind("weather");
  v1::ConditionalBranch& wet = *terms.add_branches();
  v1::Threshold& two_of = *wet.mutable_condition()->mutable_threshold();
  two_of.set_threshold(2);
  v1::OracleComparison& level =
      *two_of.add_children()->mutable_condition()->mutable_oracle_comparison();
  level.set_value_source("rain");
  level.set_comparison(v1::COMPARISON_GE);
  level.set_constant(s.Between(300, 1500));
  two_of.add_children()->mutable_condition()->set_signature_of_role("buyer");
  two_of.add_children()->mutable_condition()->set_after_unix_ms(period_end + kHourMs);
  for (v1::WeightedCondition& child : *two_of.mutable_children()) child.set_weight(1);
  PayAllTo(wet, "seller");
  wet.set_description("two of: rain at or above the level, the buyer's word, an hour after");
  v1::ContractTerms contract;
  *contract.mutable_conditional() = std::move(terms);
  return contract;
}

}  // namespace argentpoche::simulation
