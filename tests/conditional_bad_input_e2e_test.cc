// Bad input to conditional contracts through the real server: terms refused at creation
// (they could pay more than they lock, have no refund path, rely on oracles they may not,
// do not add up, or do not parse), endorsements, preimages and decisions refused in the
// wrong state or from the wrong party; each with the right code, ErrorInfo reason and a
// message that names the fault, and nothing changed. Then the happy path of the same
// contract: endorsed, preimage revealed, paid by its table to the cent.
#include "engine/crypto.h"
#include "engine/weather_template.h"
#include "tests/support/oracle_fixture.h"

namespace argentpoche::testing {
namespace {

v1::Money Usd(int64_t minor_units) {
  v1::Money money;
  money.set_currency("USD");
  money.set_minor_units(minor_units);
  return money;
}

class ConditionalBadInputTest : public OracleTest {
 protected:
  // The flood cover of conditional_e2e_test: trigger 50.0 mm, exit 150.0 mm, limit
  // 10,000.00 USD, premium 400.00, 2 of the 3 oracles.
  v1::WeatherCoverTerms Cover() const {
    v1::WeatherCoverTerms cover;
    cover.set_insurer_party_id(insurer_.id());
    cover.set_insured_party_id(insured_.id());
    cover.set_arbiter_party_id(arbiter_.id());
    cover.set_source("test");
    cover.set_station("CP");
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
    for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
      cover.mutable_oracles()->add_oracle_party_ids(oracle->id());
    }
    cover.mutable_oracles()->set_quorum(2);
    cover.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
    cover.mutable_oracles()->set_max_spread(20);
    cover.set_grace_period_ms(7 * kDay);
    cover.set_fund_by_unix_ms(kTestEpochMs + kDay);
    return cover;
  }

  // The cover compiled into generic conditional terms, to be spoiled one field at a time.
  v1::ConditionalTerms CompiledCover() const {
    absl::StatusOr<v1::ConditionalTerms> terms = CompileWeatherCoverTerms(Cover());
    EXPECT_TRUE(terms.ok()) << terms.status();
    return terms.value_or(v1::ConditionalTerms());
  }

  // 1,000.00 USD locked, 800.00 by the insurer and 200.00 by the insured; once the
  // insured has endorsed and someone revealed `kSecret`, 700.00 go to the insured and
  // 300.00 to the insurer; at the hard deadline the locks go back.
  v1::ContractTerms SecretTerms() const {
    v1::ConditionalTerms terms;
    *terms.mutable_locked_total() = Usd(100'000);
    for (const auto& [role, party] :
         {std::pair{"insurer", &insurer_}, {"insured", &insured_}, {"arbiter", &arbiter_}}) {
      v1::RoleParty* added = terms.add_parties();
      added->set_role(role);
      added->set_party_id(party->id());
    }
    v1::ConditionalBranch* branch = terms.add_branches();
    v1::ConditionList* all_of = branch->mutable_condition()->mutable_all_of();
    all_of->add_conditions()->set_signature_of_role("insured");
    all_of->add_conditions()->mutable_sha256_preimage()->set_sha256(Sha256(kSecret));
    for (const auto& [role, amount] : {std::pair{"insured", 70'000}, {"insurer", 30'000}}) {
      v1::FixedAmount* paid = branch->mutable_payout()->mutable_fixed_table()->add_amounts();
      paid->set_role(role);
      *paid->mutable_amount() = Usd(amount);
    }
    branch->set_description("the insured endorsed and the secret is out");
    terms.set_hard_deadline_unix_ms(kTestEpochMs + 10 * kDay);
    for (const auto& [role, amount] : {std::pair{"insurer", 80'000}, {"insured", 20'000}}) {
      v1::FixedAmount* refund = terms.mutable_refund()->add_amounts();
      refund->set_role(role);
      *refund->mutable_amount() = Usd(amount);
      *terms.add_funding() = *refund;
    }
    terms.set_fund_by_unix_ms(kTestEpochMs + kDay);
    v1::ContractTerms contract_terms;
    *contract_terms.mutable_conditional() = terms;
    return contract_terms;
  }

  static v1::ContractTerms AsTerms(const v1::ConditionalTerms& conditional) {
    v1::ContractTerms terms;
    *terms.mutable_conditional() = conditional;
    return terms;
  }

  // DecideContract as `by`: `to_insured` and `to_insurer` USD minor units.
  grpc::Status Decide(const TestParty& by, const std::string& contract_id, int64_t to_insured,
                      int64_t to_insurer, v1::Contract* out) {
    v1::Command command;
    command.mutable_decide_contract()->set_contract_id(contract_id);
    for (const auto& [party, amount] :
         {std::pair{insured_.id(), to_insured}, std::pair{insurer_.id(), to_insurer}}) {
      v1::Payout* payout = command.mutable_decide_contract()->add_payouts();
      payout->set_party_id(party);
      *payout->mutable_amount() = Usd(amount);
    }
    return engine_.Call(&v1::EscrowEngine::Stub::DecideContract, by, NextRequestId(), command, out);
  }

  static constexpr char kSecret[] = "the harvest came in on 2026-12-03";
};

TEST_F(ConditionalBadInputTest, TermsThatCouldOverpayOrNeverRefundOrRelyOnWrongOraclesAreRefused) {
  const TestParty price_only(41);
  const TestParty no_dollars(42);
  engine_.Enroll(price_only, "Pat Price Oracle", {});
  engine_.Enroll(no_dollars, "Nina No Dollars", {"EUR"});
  ASSERT_TRUE(RegisterOracle(price_only, {"price/*"}).ok());
  const v1::ConditionalTerms base = CompiledCover();
  const Snapshot before = TakeSnapshot();
  v1::Contract contract;
  const auto refused = [&](const v1::ConditionalTerms& terms, grpc::StatusCode code,
                           const std::string& reason, const std::string& mentions) {
    ExpectRefused(Create(AsTerms(terms), insured_, &contract), code, reason, mentions, before);
  };

  v1::ConditionalTerms terms = base;  // pays up to 15,000.00 of 10,400.00
  v1::PiecewiseLinearPayout* line =
      terms.mutable_branches(0)->mutable_payout()->mutable_piecewise_linear();
  line->mutable_breakpoints(1)->set_y(1'500'000);
  *line->mutable_cap() = Usd(2'000'000);
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "PAYOUT_EXCEEDS_LOCK", "branch 1");

  terms = base;  // the refund gives back one cent less than the lock
  terms.mutable_refund()->mutable_amounts(0)->mutable_amount()->set_minor_units(999'999);
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "NO_REFUND_PATH", "refund table");
  terms = base;
  terms.set_hard_deadline_unix_ms(kTestEpochMs - 1);
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "NO_REFUND_PATH", "hard deadline");

  terms = base;
  terms.mutable_value_sources(0)->set_oracle_party_ids(2, stranger_.id());
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "UNKNOWN_ORACLE", stranger_.id());
  terms = base;
  terms.mutable_value_sources(0)->set_oracle_party_ids(2, price_only.id());
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "ORACLE_NOT_FOR_FEED", "weather/test/CP");
  terms = base;
  terms.mutable_value_sources(0)->set_quorum(4);
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "QUORUM_TOO_LARGE", "quorum of 4");

  terms = base;
  line = terms.mutable_branches(0)->mutable_payout()->mutable_piecewise_linear();
  line->mutable_breakpoints(1)->set_x(line->breakpoints(0).x());
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "BREAKPOINTS_NOT_INCREASING", "branch 1");

  terms = base;
  terms.mutable_funding(1)->mutable_amount()->set_minor_units(39'999);
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "FUNDING_MISMATCH", "add up");
  terms = base;
  terms.set_fund_by_unix_ms(terms.hard_deadline_unix_ms());
  refused(terms, grpc::StatusCode::INVALID_ARGUMENT, "DEADLINE_ORDER", "funding deadline");

  terms = base;  // the insured has no USD account to lock from or be paid to
  terms.mutable_parties(1)->set_party_id(no_dollars.id());
  ExpectRefused(Create(AsTerms(terms), insurer_, &contract), grpc::StatusCode::FAILED_PRECONDITION,
                "ACCOUNT_NOT_FOUND", "USD account", before);

  v1::Command command;
  command.mutable_create_contract()->set_terms("\xff\xff\xff not contract terms");
  ExpectRefused(engine_.Call(&v1::EscrowEngine::Stub::CreateContract, insured_, NextRequestId(),
                             command, &contract),
                grpc::StatusCode::INVALID_ARGUMENT, "MALFORMED_TERMS", "do not parse", before);
  v1::ContractTerms template_terms;
  *template_terms.mutable_weather_cover() = Cover();
  template_terms.mutable_weather_cover()->set_period_end("2026-11-30");
  ExpectRefused(Create(template_terms, insured_, &contract), grpc::StatusCode::INVALID_ARGUMENT,
                "MALFORMED_TEMPLATE", "before it starts", before);
  template_terms.mutable_weather_cover()->set_period_end("2026-12-07");
  template_terms.mutable_weather_cover()->set_unit(v1::WEATHER_UNIT_CELSIUS);
  ExpectRefused(Create(template_terms, insured_, &contract), grpc::StatusCode::INVALID_ARGUMENT,
                "MALFORMED_TEMPLATE", "rain", before);

  // Each fault alone was the reason: the unspoiled terms are accepted.
  grpc::Status status = Create(AsTerms(base), insured_, &contract);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_PROPOSED);
  ExpectConsistent();
}

TEST_F(ConditionalBadInputTest, EndorsementsAndPreimagesAreRefusedUntilFundedFromStrangersOrTwice) {
  v1::Contract contract =
      CreateSignFund(SecretTerms(), insured_, {&insurer_, &insured_, &arbiter_}, {});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SIGNED);
  v1::Contract out;
  Snapshot before = TakeSnapshot();
  ExpectRefused(Endorse(insured_, contract.id(), &out), grpc::StatusCode::FAILED_PRECONDITION,
                "NOT_FUNDED", contract.id(), before);
  ExpectRefused(Reveal(insured_, contract.id(), kSecret, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "NOT_FUNDED", contract.id(), before);

  contract = CreateSignFund(SecretTerms(), insured_, {&insurer_, &insured_, &arbiter_},
                            {&insurer_, &insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  before = TakeSnapshot();
  ExpectRefused(Endorse(stranger_, contract.id(), &out), grpc::StatusCode::PERMISSION_DENIED,
                "NOT_A_PARTY", stranger_.id(), before);
  ExpectRefused(Reveal(stranger_, contract.id(), "the harvest came in on 2026-12-04", &out),
                grpc::StatusCode::INVALID_ARGUMENT, "PREIMAGE_NOT_AWAITED", "SHA-256", before);
  // Only an arbiter decides, and only a dispute.
  ExpectRefused(Decide(insured_, contract.id(), 50'000, 50'000, &out),
                grpc::StatusCode::PERMISSION_DENIED, "NOT_ALLOWED", "arbiter", before);
  ExpectRefused(Decide(arbiter_, contract.id(), 50'000, 50'000, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "NOT_DISPUTED", "not in dispute", before);

  ASSERT_TRUE(Endorse(insured_, contract.id(), &out).ok());
  EXPECT_EQ(out.state(), v1::CONTRACT_STATE_FUNDED);  // the secret is still awaited
  before = TakeSnapshot();
  ExpectRefused(Endorse(insured_, contract.id(), &out), grpc::StatusCode::ALREADY_EXISTS,
                "ALREADY_ENDORSED", "insured", before);

  // Anyone registered may reveal the secret: the branch holds and pays its table.
  grpc::Status status = Reveal(stranger_, contract.id(), kSecret, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(out.state(), v1::CONTRACT_STATE_SETTLED);
  const v1::SettlementReceipt receipt = VerifiedReceipt(out);
  EXPECT_EQ(receipt.outcome(), v1::SETTLEMENT_OUTCOME_CONDITION_MET);
  ASSERT_EQ(receipt.payouts_size(), 2);
  EXPECT_EQ(receipt.payouts(0).party_id(), insured_.id());
  EXPECT_EQ(receipt.payouts(0).amount().minor_units(), 70'000);
  EXPECT_EQ(receipt.payouts(1).party_id(), insurer_.id());
  EXPECT_EQ(receipt.payouts(1).amount().minor_units(), 30'000);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 20'000 + 70'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 80'000 + 30'000);
  EXPECT_EQ(engine_.Balance(stranger_.account("USD")), 0);
  ExpectConsistent();
}

TEST_F(ConditionalBadInputTest, AnArbiterDecidingAtTheHardDeadlineIsTooLateTheRefundApplies) {
  v1::ContractTerms terms;
  *terms.mutable_weather_cover() = Cover();
  v1::Contract contract =
      CreateSignFund(terms, insured_, {&insurer_, &insured_, &arbiter_}, {&insurer_, &insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  // 2026-12-08 00:00 UTC, the day after the period: two oracles disagree.
  const int64_t period_over = 1796688000000;
  engine_.AdvanceAndFire(period_over + kHour - engine_.clock().NowUnixMs());
  const std::string feed = "weather/test/CP/rain_mm";
  const std::string event = "2026-12-01..2026-12-07";
  ASSERT_TRUE(Announce(oracle_a_, feed, event, period_over, period_over + 7 * kDay).ok());
  ASSERT_TRUE(Attest(oracle_a_, feed, event, 1000, 1, period_over).ok());
  ASSERT_TRUE(Attest(oracle_b_, feed, event, 3000, 1, period_over).ok());
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_DISPUTED);

  // The hard deadline has come, the scheduler has not run yet: the refund applies, not a
  // decision that would win or lose by the scheduler's timing.
  engine_.clock().Set(contract.conditional().terms().hard_deadline_unix_ms());
  const Snapshot before = TakeSnapshot();
  v1::Contract out;
  ExpectRefused(Decide(arbiter_, contract.id(), 520'000, 520'000, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "DEADLINE_PASSED", "hard deadline", before);
  engine_.AdvanceAndFire(0);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(VerifiedReceipt(contract).outcome(), v1::SETTLEMENT_OUTCOME_REFUNDED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds);
  ExpectConsistent();
}

TEST_F(ConditionalBadInputTest, EndorsingOrRevealingToADepositIsRefused) {
  v1::ContractTerms terms;
  v1::DepositTerms* deposit = terms.mutable_deposit();
  deposit->set_tenant_party_id(insured_.id());
  deposit->set_landlord_party_id(insurer_.id());
  deposit->set_arbiter_party_id(arbiter_.id());
  *deposit->mutable_amount() = Usd(120'000);
  deposit->set_fund_by_unix_ms(kTestEpochMs + kDay);
  deposit->set_return_by_unix_ms(kTestEpochMs + 30 * kDay);
  deposit->set_contest_window_ms(7 * kDay);
  v1::Contract contract =
      CreateSignFund(terms, insured_, {&insured_, &insurer_, &arbiter_}, {&insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  const Snapshot before = TakeSnapshot();
  v1::Contract out;
  ExpectRefused(Endorse(insured_, contract.id(), &out), grpc::StatusCode::FAILED_PRECONDITION,
                "NOT_CONDITIONAL", "deposit", before);
  ExpectRefused(Reveal(insured_, contract.id(), kSecret, &out),
                grpc::StatusCode::FAILED_PRECONDITION, "NOT_CONDITIONAL", "deposit", before);
}

}  // namespace
}  // namespace argentpoche::testing
