// Tests of CompileOptionTerms: the compiled terms pass the checker, and settle to the minor
// unit as worked out by hand in the comments, always adding up to the lock.
#include "engine/option_template.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/conditions_testing.h"
#include "engine/template_testing.h"
#include "gtest/gtest.h"

namespace argentpoche {
namespace {

using testing_conditions::HasReason;
using testing_conditions::kDayMs;
using testing_conditions::kDecember1;
using testing_conditions::kJuly1;
using testing_conditions::Minor;
using namespace testing_templates;  // NOLINT(build/namespaces): test helpers.

constexpr int64_t kExpiry = 1798732800000;  // 2026-12-31 16:00 UTC.
constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kSettleAt = kExpiry + kHourMs;

// A call on 0.50 BTC at 42000.00 USD: the writer locks 10000.00 USD, the buyer 500.00 USD.
// N = 50 * 10^2 = 5000, D = 10^(2 + 2) = 10000, g = 5000: a step of 2 in price (0.02 USD)
// pays 1 cent, and m = 1000000 steps reach the collateral at 42000.00 + 20000.00.
v1::OptionTerms BitcoinCall() {
  v1::OptionTerms option;
  option.set_kind(v1::OPTION_KIND_CALL);
  option.set_writer_party_id("party-writer");
  option.set_buyer_party_id("party-buyer");
  option.set_feed("price/BTC-USD");
  option.set_price_scale(2);
  option.set_strike(4200000);
  option.set_quantity(50);
  option.set_quantity_scale(2);
  *option.mutable_collateral() = Minor(1000000, "USD");
  *option.mutable_premium() = Minor(50000, "USD");
  option.set_expiry_unix_ms(kExpiry);
  *option.mutable_oracles() = TwoOfThree(500);
  option.set_grace_period_ms(kDayMs);
  option.set_fund_by_unix_ms(kDecember1);
  return option;
}

v1::OptionTerms BitcoinPut() {
  v1::OptionTerms option = BitcoinCall();
  option.set_kind(v1::OPTION_KIND_PUT);
  return option;
}

v1::ConditionalTerms CompileAndCheck(const v1::OptionTerms& option) {
  absl::StatusOr<v1::ConditionalTerms> terms = CompileOptionTerms(option);
  EXPECT_TRUE(terms.ok()) << terms.status();
  if (!terms.ok()) return {};
  const absl::Status checked = CheckConditionalTerms(*terms, CheckContextAt(kJuly1));
  EXPECT_TRUE(checked.ok()) << checked;
  return *terms;
}

// What the buyer and the writer receive, zeros left out as the payouts leave them out.
PaidByParty BuyerAndWriter(int64_t buyer, int64_t writer) {
  PaidByParty paid;
  if (buyer != 0) paid["party-buyer"] = buyer;
  if (writer != 0) paid["party-writer"] = writer;
  return paid;
}

struct PriceCase {
  const char* what;
  int64_t settlement_price;
  int64_t buyer;
  int64_t writer;
};

void ExpectPayouts(const v1::OptionTerms& option, const std::vector<PriceCase>& cases) {
  const v1::ConditionalTerms terms = CompileAndCheck(option);
  for (const PriceCase& each : cases) {
    SCOPED_TRACE(each.what);
    EXPECT_EQ(PayoutsAt(terms, "settlement_price", each.settlement_price, kSettleAt),
              BuyerAndWriter(each.buyer, each.writer));
  }
}

TEST(OptionTemplateTest, CompilesACallIntoTheDocumentedTerms) {
  const v1::ConditionalTerms terms = CompileAndCheck(BitcoinCall());
  EXPECT_EQ(terms.locked_total().minor_units(), 1050000);  // 10000.00 + 500.00 USD.
  EXPECT_EQ(terms.locked_total().currency(), "USD");
  ASSERT_EQ(terms.parties_size(), 2);
  EXPECT_EQ(terms.parties(0).role(), "writer");
  EXPECT_EQ(terms.parties(1).role(), "buyer");
  ASSERT_EQ(terms.funding_size(), 2);
  EXPECT_EQ(terms.funding(0).amount().minor_units(), 1000000);
  EXPECT_EQ(terms.funding(1).role(), "buyer");
  EXPECT_EQ(terms.funding(1).amount().minor_units(), 50000);
  EXPECT_EQ(terms.fund_by_unix_ms(), kDecember1);
  const v1::ValueSource& source = terms.value_sources(0);
  EXPECT_EQ(source.name(), "settlement_price");
  EXPECT_EQ(source.feed(), "price/BTC-USD");
  EXPECT_EQ(source.event_id(), "at:1798732800000");
  EXPECT_EQ(source.quorum(), 2u);
  EXPECT_EQ(source.scale(), 2u);
  EXPECT_EQ(source.oracle_kind(), "price");
  EXPECT_EQ(source.observe_from_unix_ms(), kExpiry);
  EXPECT_EQ(source.observe_until_unix_ms(), kExpiry + kDayMs - 1);
  EXPECT_EQ(terms.hard_deadline_unix_ms(), kExpiry + kDayMs);
  ASSERT_EQ(terms.branches_size(), 1);
  EXPECT_EQ(terms.branches(0).condition().after_unix_ms(), kExpiry);
  const v1::PiecewiseLinearPayout& line = terms.branches(0).payout().piecewise_linear();
  ASSERT_EQ(line.breakpoints_size(), 2);
  EXPECT_EQ(line.breakpoints(0).x(), 4200000);
  EXPECT_EQ(line.breakpoints(0).y(), 0);
  EXPECT_EQ(line.breakpoints(1).x(), 6200000);  // 4200000 + 1000000 steps of 2.
  EXPECT_EQ(line.breakpoints(1).y(), 1000000);
  EXPECT_EQ(line.cap().minor_units(), 1000000);
  EXPECT_EQ(line.payee_role(), "buyer");
  EXPECT_EQ(line.remainder_role(), "writer");
  ASSERT_EQ(terms.refund().amounts_size(), 2);
  EXPECT_EQ(terms.refund().remainder_role(), "");
  EXPECT_EQ(terms.description(),
            "call on price/BTC-USD, strike 42000.00, 0.50 units, expiring 2026-12-31 16:00 UTC");
}

TEST(OptionTemplateTest, CallPaysHalfTheRiseAboveTheStrikeUpToTheCollateral) {
  // Buyer: floor(5000 * (S - 4200000) / 10000) cents, at most 1000000; writer: the rest.
  ExpectPayouts(BitcoinCall(),
                {
                    {"out of the money: 41000.00", 4100000, 0, 1050000},
                    {"at the money: 42000.00", 4200000, 0, 1050000},
                    // 0.50 * 1000.00 = 500.00 USD.
                    {"in the money: 43000.00", 4300000, 50000, 1000000},
                    // 0.50 * 0.03 = 0.015 USD: the buyer gets 1 cent, the writer the rest.
                    {"rounded down: 42000.03", 4200003, 1, 1049999},
                    // 0.50 * 20000.00 = 10000.00 USD: the whole collateral.
                    {"at the cap: 62000.00", 6200000, 1000000, 50000},
                    // 0.50 * 28000.00 = 14000.00 USD, capped at 10000.00.
                    {"deep in the money: 70000.00", 7000000, 1000000, 50000},
                });
}

TEST(OptionTemplateTest, PutPaysHalfTheFallBelowTheStrikeUpToTheCollateral) {
  const v1::ConditionalTerms terms = CompileAndCheck(BitcoinPut());
  const v1::PiecewiseLinearPayout& line = terms.branches(0).payout().piecewise_linear();
  ASSERT_EQ(line.breakpoints_size(), 2);
  EXPECT_EQ(line.breakpoints(0).x(), 2200000);  // 4200000 - 1000000 steps of 2.
  EXPECT_EQ(line.breakpoints(0).y(), 1000000);
  EXPECT_EQ(line.breakpoints(1).x(), 4200000);
  EXPECT_EQ(line.breakpoints(1).y(), 0);
  // Buyer: floor(5000 * (4200000 - S) / 10000) cents, at most 1000000; writer: the rest.
  ExpectPayouts(BitcoinPut(),
                {
                    {"out of the money: 43000.00", 4300000, 0, 1050000},
                    {"at the money: 42000.00", 4200000, 0, 1050000},
                    // 0.50 * 1000.00 = 500.00 USD.
                    {"in the money: 41000.00", 4100000, 50000, 1000000},
                    // 0.50 * 0.03 = 0.015 USD: 1 cent to the buyer, on the falling segment.
                    {"rounded down: 41999.97", 4199997, 1, 1049999},
                    // 0.50 * 0.01 = 0.005 USD: nothing to the buyer.
                    {"less than a cent: 41999.99", 4199999, 0, 1050000},
                    {"at the cap: 22000.00", 2200000, 1000000, 50000},
                    // 0.50 * 32000.00 = 16000.00 USD, capped at 10000.00.
                    {"deep in the money: 10000.00", 1000000, 1000000, 50000},
                });
}

TEST(OptionTemplateTest, WholeUnitsEndTheLineAtTheFirstStepBeyondTheCollateral) {
  // 3 BTC, collateral 1000.00 USD, no premium: N = 300, D = 100, g = 100, so a step of
  // 0.01 USD in price pays 3 cents; m = ceil(100000 / 3) = 33334 steps pay 100002 cents.
  v1::OptionTerms option = BitcoinCall();
  option.set_quantity(3);
  option.set_quantity_scale(0);
  *option.mutable_collateral() = Minor(100000, "USD");
  *option.mutable_premium() = Minor(0, "USD");
  const v1::ConditionalTerms terms = CompileAndCheck(option);
  EXPECT_EQ(terms.funding_size(), 1);  // No leg for a zero premium.
  EXPECT_EQ(terms.refund().amounts_size(), 1);
  const v1::PiecewiseLinearPayout& line = terms.branches(0).payout().piecewise_linear();
  EXPECT_EQ(line.breakpoints(1).x(), 4200000 + 33334);
  EXPECT_EQ(line.breakpoints(1).y(), 100002);
  ExpectPayouts(option, {
                            // 3 * 333.33 = 999.99 USD.
                            {"one step short: 42333.33", 4233333, 99999, 1},
                            // 3 * 333.34 = 1000.02 USD, capped at 1000.00.
                            {"capped: 42333.34", 4233334, 100000, 0},
                        });
}

TEST(OptionTemplateTest, SettlementWindowWaitsForTheAverageOfTheLastHour) {
  v1::OptionTerms option = BitcoinCall();
  option.set_settlement_window_ms(kHourMs);
  const v1::ConditionalTerms terms = CompileAndCheck(option);
  EXPECT_EQ(terms.value_sources(0).event_id(), "avg:1798729200000..1798732800000");
  EXPECT_EQ(terms.description(),
            "call on price/BTC-USD, strike 42000.00, 0.50 units, expiring 2026-12-31 16:00 UTC, "
            "settled on the average price since 2026-12-31 15:00 UTC");
  // Average 42500.00: 0.50 * 500.00 = 250.00 USD.
  ExpectPayouts(option, {{"average 42500.00", 4250000, 25000, 1025000}});
}

TEST(OptionTemplateTest, PaysYenWhichHaveNoMinorDigits) {
  // 2.5 BTC at 6000000.0 JPY (price scale 1), collateral 1000000 JPY, premium 30000 JPY:
  // N = 25 * 10^0 = 25, D = 10^(1 + 1) = 100, g = 25: 4 tenths of a yen pay 1 yen.
  v1::OptionTerms option = BitcoinCall();
  option.set_feed("price/BTC-JPY");
  option.set_price_scale(1);
  option.set_strike(60000000);
  option.set_quantity(25);
  option.set_quantity_scale(1);
  *option.mutable_collateral() = Minor(1000000, "JPY");
  *option.mutable_premium() = Minor(30000, "JPY");
  const v1::ConditionalTerms terms = CompileAndCheck(option);
  EXPECT_EQ(terms.branches(0).payout().piecewise_linear().breakpoints(1).x(), 64000000);
  ExpectPayouts(option, {
                            {"out of the money: 5900000.0", 59000000, 0, 1030000},
                            // 2.5 * 100000.3 = 250000.75 JPY: 250000 to the buyer.
                            {"rounded down: 6100000.3", 61000003, 250000, 780000},
                            // 2.5 * 500000.0 = 1250000 JPY, capped at 1000000.
                            {"capped: 6500000.0", 65000000, 1000000, 30000},
                        });
}

TEST(OptionTemplateTest, RefundsBothLegsWhenNoPriceComesByTheDeadline) {
  const v1::ConditionalTerms terms = CompileAndCheck(BitcoinCall());
  const int64_t deadline = kExpiry + kDayMs;
  PayoutsAt(terms, "settlement_price", std::nullopt, deadline - 1, Outcome::Kind::kWaiting);
  EXPECT_EQ(PayoutsAt(terms, "settlement_price", std::nullopt, deadline, Outcome::Kind::kRefund),
            BuyerAndWriter(50000, 1000000));
  // A price arriving at the deadline is too late.
  EXPECT_EQ(PayoutsAt(terms, "settlement_price", 7000000, deadline, Outcome::Kind::kRefund),
            BuyerAndWriter(50000, 1000000));
}

TEST(OptionTemplateTest, NamesTheArbiterAndCompilesToTheSameBytesTwice) {
  v1::OptionTerms option = BitcoinCall();
  option.set_arbiter_party_id("party-arbiter");
  option.set_description("a hedge for the mining season");
  const v1::ConditionalTerms first = CompileAndCheck(option);
  ASSERT_EQ(first.parties_size(), 3);
  EXPECT_EQ(first.parties(2).role(), "arbiter");
  EXPECT_EQ(first.parties(2).party_id(), "party-arbiter");
  EXPECT_EQ(first.description(),
            "call on price/BTC-USD, strike 42000.00, 0.50 units, expiring 2026-12-31 16:00 UTC. "
            "a hedge for the mining season");
  const absl::StatusOr<v1::ConditionalTerms> second = CompileOptionTerms(option);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first.SerializeAsString(), second->SerializeAsString());
}

struct Refusal {
  const char* what;
  std::function<void(v1::OptionTerms&)> change;
  std::string_view reason;
};

TEST(OptionTemplateTest, RefusesMalformedTemplatesWithAReason) {
  const std::vector<Refusal> refusals = {
      {"no writer", [](auto& o) { o.clear_writer_party_id(); }, "MALFORMED_TEMPLATE"},
      {"writer buys", [](auto& o) { o.set_buyer_party_id("party-writer"); }, "MALFORMED_TEMPLATE"},
      {"arbiter writes", [](auto& o) { o.set_arbiter_party_id("party-writer"); },
       "MALFORMED_TEMPLATE"},
      {"no kind", [](auto& o) { o.set_kind(v1::OPTION_KIND_UNSPECIFIED); }, "MALFORMED_TEMPLATE"},
      {"strike 0", [](auto& o) { o.set_strike(0); }, "MALFORMED_TEMPLATE"},
      {"quantity -1", [](auto& o) { o.set_quantity(-1); }, "MALFORMED_TEMPLATE"},
      {"price scale 19", [](auto& o) { o.set_price_scale(19); }, "MALFORMED_TEMPLATE"},
      {"scales 2 + 17", [](auto& o) { o.set_quantity_scale(17); }, "MALFORMED_TEMPLATE"},
      {"feed without a quote", [](auto& o) { o.set_feed("price/BTC"); }, "MALFORMED_TEMPLATE"},
      {"no expiry", [](auto& o) { o.set_expiry_unix_ms(0); }, "MALFORMED_TEMPLATE"},
      {"negative window", [](auto& o) { o.set_settlement_window_ms(-1); }, "MALFORMED_TEMPLATE"},
      {"window before 1970", [](auto& o) { o.set_settlement_window_ms(kExpiry + 1); },
       "MALFORMED_TEMPLATE"},
      {"no grace", [](auto& o) { o.set_grace_period_ms(0); }, "MALFORMED_TEMPLATE"},
      {"funded at expiry", [](auto& o) { o.set_fund_by_unix_ms(kExpiry); }, "MALFORMED_TEMPLATE"},
      {"no collateral", [](auto& o) { o.clear_collateral(); }, "MALFORMED_TEMPLATE"},
      {"no premium", [](auto& o) { o.clear_premium(); }, "MALFORMED_TEMPLATE"},
      // Price scale 18, 1 BTC in USD: N = 100, D = 10^18, a step of 10^16 pays 1 cent, and
      // 1000 steps (10.00 USD of collateral) end at 4200000 + 10^19, beyond 10^18.
      {"line beyond the largest price",
       [](auto& o) {
         o.set_price_scale(18);
         o.set_quantity(1);
         o.set_quantity_scale(0);
         *o.mutable_collateral() = Minor(1000, "USD");
       },
       "MALFORMED_TEMPLATE"},
      // 9 * 10^18 BTC at price scale 0: one step of 1 USD pays 9 * 10^20 cents.
      {"step beyond the currency's range",
       [](auto& o) {
         o.set_price_scale(0);
         o.set_quantity(9'000'000'000'000'000'000);
         o.set_quantity_scale(0);
       },
       "AMOUNT_OUT_OF_RANGE"},
      {"premium in EUR", [](auto& o) { *o.mutable_premium() = Minor(50000, "EUR"); },
       "CURRENCY_MISMATCH"},
      {"quoted in EUR", [](auto& o) { o.set_feed("price/BTC-EUR"); }, "CURRENCY_MISMATCH"},
      {"collateral 0", [](auto& o) { *o.mutable_collateral() = Minor(0, "USD"); },
       "AMOUNT_NOT_POSITIVE"},
      {"premium -0.01", [](auto& o) { *o.mutable_premium() = Minor(-1, "USD"); },
       "AMOUNT_NOT_POSITIVE"},
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.what);
    v1::OptionTerms option = BitcoinCall();
    refusal.change(option);
    const absl::StatusOr<v1::ConditionalTerms> terms = CompileOptionTerms(option);
    EXPECT_TRUE(HasReason(terms.status(), refusal.reason));
    EXPECT_FALSE(terms.status().message().empty());
  }
}

TEST(OptionTemplateTest, LeavesTheQuorumToTheChecker) {
  v1::OptionTerms option = BitcoinCall();
  option.mutable_oracles()->set_quorum(4);  // Of 3 oracles.
  const absl::StatusOr<v1::ConditionalTerms> terms = CompileOptionTerms(option);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_TRUE(HasReason(CheckConditionalTerms(*terms, CheckContextAt(kJuly1)), "QUORUM_TOO_LARGE"));
}

}  // namespace
}  // namespace argentpoche
