#include "cli/contract_explain.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cli/contract_terms.h"
#include "cli/terms_file.h"
#include "engine/contract_checker.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/weather_template.h"
#include "gtest/gtest.h"

namespace argentpoche::cli {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
// 2026-12-08 00:00 UTC: the day after the period, when the index is known.
constexpr int64_t kObserved = 1'796'688'000'000;
const std::string kInsurer = "1111111111111111";
const std::string kInsured = "2222222222222222";
const std::string kArbiter = "3333333333333333";
const std::string kOracleA = "aaaaaaaaaaaaaaaa";
const std::string kOracleB = "bbbbbbbbbbbbbbbb";
const std::string kOracleC = "cccccccccccccccc";
const std::string kStranger = "dddddddddddddddd";

std::string NameOf(const std::string& party_id) {
  static const std::map<std::string, std::string> kNames = {
      {kInsurer, "Ivy Insurer"}, {kInsured, "Ian Insured"}, {kArbiter, "Ada Arbiter"},
      {kOracleA, "Oracle A"},    {kOracleB, "Oracle B"},    {kOracleC, "Oracle C"},
      {kStranger, "Sam"}};
  auto found = kNames.find(party_id);
  return found == kNames.end() ? party_id : found->second;
}

v1::Money Usd(int64_t minor_units) {
  v1::Money money;
  money.set_currency("USD");
  money.set_minor_units(minor_units);
  return money;
}

// The flood cover of the worked example: 50.0 mm to 150.0 mm, 10,000.00 USD for 400.00.
v1::WeatherCoverTerms Cover() {
  v1::WeatherCoverTerms cover;
  cover.set_insurer_party_id(kInsurer);
  cover.set_insured_party_id(kInsured);
  cover.set_arbiter_party_id(kArbiter);
  cover.set_source("fte");
  cover.set_station("KNYC");
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start("2026-12-01");
  cover.set_period_end("2026-12-07");
  cover.set_direction(v1::COVER_DIRECTION_EXCESS);
  cover.set_trigger(500);
  cover.set_exit(1500);
  *cover.mutable_limit() = Usd(1'000'000);
  *cover.mutable_premium() = Usd(40'000);
  for (const std::string& oracle : {kOracleA, kOracleB, kOracleC}) {
    cover.mutable_oracles()->add_oracle_party_ids(oracle);
  }
  cover.mutable_oracles()->set_quorum(2);
  cover.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
  cover.mutable_oracles()->set_max_spread(20);
  cover.set_grace_period_ms(7 * kDay);
  cover.set_fund_by_unix_ms(kObserved - 5 * kDay);
  return cover;
}

// A funded contract with the cover's terms, as the engine returns it.
v1::Contract FundedCover() {
  v1::ContractTerms terms;
  *terms.mutable_weather_cover() = Cover();
  v1::Contract contract;
  contract.set_id("c0123456789abcdef");
  contract.set_template_("weather_cover");
  contract.set_terms(terms.SerializeAsString());
  contract.set_terms_hash(Sha256(TaggedBytes(domain::kContractTerms, contract.terms())));
  contract.set_created_at_unix_ms(kObserved - 6 * kDay);
  contract.set_state(v1::CONTRACT_STATE_FUNDED);
  *contract.mutable_conditional()->mutable_terms() = *CompileWeatherCoverTerms(Cover());
  for (const auto& [party, amount] :
       {std::pair{kInsurer, 1'000'000}, std::pair{kInsured, 40'000}}) {
    v1::FundingLeg& leg = *contract.add_funding_legs();
    leg.set_party_id(party);
    *leg.mutable_amount() = Usd(amount);
    leg.set_hold_id(Concat("hold-", party));
    leg.set_funded_at_unix_ms(kObserved - 6 * kDay + kHour);
  }
  return contract;
}

v1::StoredAttestation Attested(const std::string& oracle, int64_t value, uint32_t scale,
                               int64_t observed_at) {
  v1::StoredAttestation stored;
  v1::Attestation& attestation = *stored.mutable_attestation();
  attestation.set_feed("weather/fte/KNYC/rain_mm");
  attestation.set_event_id("2026-12-01..2026-12-07");
  attestation.set_value(value);
  attestation.set_scale(scale);
  attestation.set_observed_at_unix_ms(observed_at);
  attestation.set_oracle_party_id(oracle);
  return stored;
}

ConditionalSnapshot Snapshot(const v1::Contract& contract, int64_t now) {
  ConditionalSnapshot snapshot;
  snapshot.contract = contract;
  snapshot.terms = *SignedConditionalTerms(contract);
  snapshot.now_unix_ms = now;
  return snapshot;
}

bool HasLine(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(SignedConditionalTermsTest, AreTheCompiledTemplateWhenTheEngineAgrees) {
  const absl::StatusOr<v1::ConditionalTerms> terms = SignedConditionalTerms(FundedCover());
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->hard_deadline_unix_ms(), kObserved + 7 * kDay);
}

TEST(SignedConditionalTermsTest, AreRefusedWhenTheEngineEvaluatesOtherTermsOrTheHashIsWrong) {
  v1::Contract other = FundedCover();
  other.mutable_conditional()->mutable_terms()->mutable_branches(0)->set_description("other");
  EXPECT_EQ(ReasonOf(SignedConditionalTerms(other).status()), "TERMS_MISMATCH");
  v1::Contract tampered = FundedCover();
  tampered.set_terms(tampered.terms() + " ");
  EXPECT_EQ(ReasonOf(SignedConditionalTerms(tampered).status()), "TERMS_HASH_MISMATCH");
}

TEST(ContractExplainTest, APiecewisePayoutIsDescribedAtEachBreakpoint) {
  const ConditionalSnapshot snapshot = Snapshot(FundedCover(), kObserved);
  EXPECT_EQ(DescribePayoutRule(snapshot.terms.branches(0).payout(), snapshot.terms, NameOf),
            "the insured (Ian Insured) receives 0.00 USD at 50.0 mm or less, rising linearly to "
            "10000.00 USD at 150.0 mm or more (rounded down to the minor unit in between); the "
            "insurer (Ivy Insurer) receives the rest of 10400.00 USD");
}

TEST(ContractExplainTest, SaysWhatIsAwaitedWhatEachPartyGetsTheRefundAndTheDisputePath) {
  ConditionalSnapshot snapshot = Snapshot(FundedCover(), kObserved - kHour);
  snapshot.unannounced_sources.insert("index");
  const std::vector<std::string> lines = ExplainConditional(snapshot, NameOf);
  EXPECT_EQ(lines[0], "State: funded: it settles by itself once an outcome below holds");
  EXPECT_TRUE(HasLine(lines,
                      "Parties: the insurer (Ivy Insurer), the insured (Ian Insured), the "
                      "arbiter (Ada Arbiter)"))
      << Joined(lines);
  EXPECT_TRUE(HasLine(lines,
                      "  the insurer (Ivy Insurer) locks 10000.00 USD (locked "
                      "2026-12-02 01:00 UTC)"))
      << Joined(lines);
  EXPECT_TRUE(HasLine(lines, "  index: weather/fte/KNYC/rain_mm, event 2026-12-01..2026-12-07"));
  EXPECT_TRUE(HasLine(lines,
                      "    attested by 2 of 3 oracles (Oracle A, Oracle B, Oracle C); the "
                      "lower median of their values counts, if they are at most 2.0 mm "
                      "apart"))
      << Joined(lines);
  EXPECT_TRUE(HasLine(lines, "    no oracle has announced the event yet"));
  EXPECT_TRUE(HasLine(lines, "       waiting until 2026-12-08 00:00 UTC")) << Joined(lines);
  EXPECT_TRUE(HasLine(lines,
                      "  At the hard deadline, if nothing has settled, the refund: the "
                      "insurer (Ivy Insurer) gets 10000.00 USD back, the insured (Ian "
                      "Insured) 400.00 USD."))
      << Joined(lines);
  EXPECT_NE(Joined(lines).find("the arbiter (Ada Arbiter) decides how the 10400.00 USD is split"),
            std::string::npos);
}

TEST(ContractExplainTest, CountsOnlyTheAttestationsTheEngineCounts) {
  ConditionalSnapshot snapshot = Snapshot(FundedCover(), kObserved + kHour);
  snapshot.attestations["index"] = {Attested(kOracleA, 10040, 2, kObserved),
                                    Attested(kOracleB, 1000, 1, kObserved - kDay),
                                    Attested(kStranger, 1000, 1, kObserved)};
  EXPECT_EQ(RebuildFacts(snapshot).attestations_received.at("index"), 1);
  const std::vector<std::string> lines = ExplainConditional(snapshot, NameOf);
  EXPECT_TRUE(HasLine(lines, "    arrived: 3 attestations, 1 counting, of the 2 needed"))
      << Joined(lines);
  EXPECT_TRUE(HasLine(lines, "      Oracle A: 100.40, observed 2026-12-08 00:00 UTC (counts)"));
  EXPECT_TRUE(HasLine(lines,
                      "      Oracle B: 100.0, observed 2026-12-07 00:00 UTC (does not "
                      "count: observed outside the window)"));
  EXPECT_TRUE(HasLine(lines,
                      "      Sam: 100.0, observed 2026-12-08 00:00 UTC (does not count: "
                      "not one of the named oracles)"));
  EXPECT_TRUE(HasLine(lines, "       met: after 2026-12-08 00:00 UTC")) << Joined(lines);
}

TEST(ContractExplainTest, ASettledContractSaysItsOutcomeAndWhatEachPartyReceived) {
  v1::Contract contract = FundedCover();
  contract.set_state(v1::CONTRACT_STATE_SETTLED);
  v1::SourceValue& fixed = *contract.mutable_conditional()->add_values();
  fixed.set_source("index");
  fixed.set_value(1000);
  fixed.add_oracle_party_ids(kOracleA);
  fixed.add_oracle_party_ids(kOracleB);
  fixed.add_values(1000);
  fixed.add_values(1004);
  fixed.set_fixed_at_unix_ms(kObserved + kHour);
  contract.mutable_conditional()->set_settled_branch(1);
  const std::vector<std::string> lines = ExplainConditional(Snapshot(contract, kObserved), NameOf);
  EXPECT_EQ(lines[0].substr(0, 28), "State: settled by outcome 1 ");
  EXPECT_TRUE(HasLine(lines,
                      "    fixed at 100.0 mm on 2026-12-08 01:00 UTC (Oracle A 100.0 mm, "
                      "Oracle B 100.4 mm)"))
      << Joined(lines);
  EXPECT_TRUE(HasLine(lines,
                      "     with index at 100.0 mm: the insured (Ian Insured) receives "
                      "5000.00 USD, the insurer (Ivy Insurer) 5400.00 USD"))
      << Joined(lines);
}

TEST(ContractExplainTest, StatesInWords) {
  v1::Contract contract = FundedCover();
  const v1::ConditionalTerms& terms = contract.conditional().terms();
  contract.set_state(v1::CONTRACT_STATE_DISPUTED);
  contract.mutable_dispute()->set_reason("the oracles disagree");
  EXPECT_EQ(ConditionalStateInWords(contract, terms), "in dispute: the oracles disagree");
  contract.set_state(v1::CONTRACT_STATE_SETTLED);
  EXPECT_EQ(ConditionalStateInWords(contract, terms), "settled by the arbiter's decision");
  contract.set_state(v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(ConditionalStateInWords(contract, terms).substr(0, 9), "refunded:");
}

TEST(ContractExplainTest, ARuleWithSeveralBreakpointsAFloorAndACap) {
  v1::ConditionalTerms terms = *CompileWeatherCoverTerms(Cover());
  v1::PiecewiseLinearPayout& rule =
      *terms.mutable_branches(0)->mutable_payout()->mutable_piecewise_linear();
  rule.clear_breakpoints();
  for (const auto& [x, y] : {std::pair{500, 0}, std::pair{1000, 600'000}, std::pair{1200, 600'000},
                             std::pair{1500, 200'000}}) {
    v1::Breakpoint& point = *rule.add_breakpoints();
    point.set_x(x);
    point.set_y(y);
  }
  *rule.mutable_floor() = Usd(10'000);
  *rule.mutable_cap() = Usd(500'000);
  EXPECT_EQ(DescribePayoutRule(terms.branches(0).payout(), terms, NameOf),
            "the insured (Ian Insured) receives 0.00 USD at 50.0 mm or less, rising linearly to "
            "6000.00 USD at 100.0 mm, then the same up to 120.0 mm, then falling linearly to "
            "2000.00 USD at 150.0 mm or more (rounded down to the minor unit in between), but "
            "never less than 100.00 USD, but never more than 5000.00 USD; the insurer (Ivy "
            "Insurer) receives the rest of 10400.00 USD");
}

TEST(ContractExplainTest, TheExampleTermsCheckAndReadAsABet) {
  absl::StatusOr<v1::ContractTerms> file =
      ReadTermsFile(std::string(POCHE_SOURCE_DIR) + "/docs/examples/price_above_threshold.txtpb");
  ASSERT_TRUE(file.ok()) << file.status();
  const v1::ConditionalTerms& terms = file->conditional();
  ConditionCheckContext check;
  check.now_unix_ms = 1'861'920'000'000;  // 2029-01-01
  check.registered_oracle_party_ids = {"oracle-a", "oracle-b", "oracle-c"};
  ASSERT_TRUE(CheckConditionalTerms(terms, check).ok()) << CheckConditionalTerms(terms, check);
  EXPECT_EQ(DescribePayoutRule(terms.branches(0).payout(), terms, NameOf),
            "the buyer (alice) receives everything (1000.00 USD)");
  EXPECT_EQ(DescribePayoutRule(terms.branches(1).payout(), terms, NameOf),
            "the buyer (alice) receives 100.00 USD; the seller (bob) receives the rest (900.00 "
            "USD)");
  ConditionalSnapshot snapshot;
  snapshot.terms = terms;
  snapshot.contract.set_state(v1::CONTRACT_STATE_PROPOSED);
  snapshot.contract.add_parties();
  snapshot.contract.add_parties();
  snapshot.now_unix_ms = check.now_unix_ms;
  const std::vector<std::string> lines = ExplainConditional(snapshot, NameOf);
  EXPECT_EQ(lines[0], "State: waiting for signatures (0 of 2 signed)");
  EXPECT_TRUE(HasLine(lines,
                      "         waiting for 2 of 3 price oracles to attest price/BTC-USD "
                      "for event at:1893456000000 (met if more than 50000.00; 0 attested "
                      "so far)"))
      << Joined(lines);
}

}  // namespace
}  // namespace argentpoche::cli
