#include "engine/option_template.h"

#include <cstdint>
#include <string>

#include "absl/numeric/int128.h"
#include "engine/check.h"
#include "engine/conditions.h"
#include "engine/currency.h"
#include "engine/feeds.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/template_common.h"

namespace argentpoche {
namespace {

using templates_internal::MalformedTemplate;

constexpr char kSettlementPrice[] = "settlement_price";
// The price and quantity scales together: 10^18 is the largest power of ten in int64.
constexpr uint32_t kMaxCombinedScale = 18;

absl::int128 PowerOfTen(uint32_t exponent) {
  POCHE_CHECK(exponent <= 36);
  absl::int128 power = 1;
  for (uint32_t i = 0; i < exponent; ++i) power *= 10;
  return power;
}

// Euclid's algorithm on positive numbers; below 200 steps for any 128-bit pair.
absl::int128 GreatestCommonDivisor(absl::int128 a, absl::int128 b) {
  POCHE_CHECK(a > 0 && b > 0);
  for (int steps = 0; b != 0; ++steps) {
    POCHE_CHECK(steps < 200);
    const absl::int128 rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

// Everything but the parties and amounts.
absl::Status CheckShape(const v1::OptionTerms& option) {
  if (option.kind() != v1::OPTION_KIND_CALL && option.kind() != v1::OPTION_KIND_PUT) {
    return MalformedTemplate("the option is neither a call nor a put");
  }
  if (option.strike() <= 0 || option.strike() > limits::kMaxOracleValueMagnitude) {
    return MalformedTemplate(Concat("the strike is ", option.strike(),
                                    "; it must lie between 1 and ",
                                    limits::kMaxOracleValueMagnitude));
  }
  if (option.quantity() <= 0) {
    return MalformedTemplate(
        Concat("the quantity is ", option.quantity(), "; it must be positive"));
  }
  if (option.price_scale() > limits::kMaxValueScale) {
    return MalformedTemplate(Concat("the price scale is ", option.price_scale(), "; at most ",
                                    limits::kMaxValueScale, " decimal places"));
  }
  if (option.quantity_scale() > kMaxCombinedScale - option.price_scale()) {
    return MalformedTemplate(Concat("the quantity scale is ", option.quantity_scale(),
                                    "; with the price scale it may be at most ", kMaxCombinedScale,
                                    " decimal places"));
  }
  if (option.expiry_unix_ms() <= 0) return MalformedTemplate("the expiry is missing");
  if (option.settlement_window_ms() < 0 ||
      option.settlement_window_ms() > option.expiry_unix_ms()) {
    return MalformedTemplate(Concat("the settlement window is ", option.settlement_window_ms(),
                                    " ms; it must be 0 (the price at expiry) or a positive "
                                    "length that starts after 1970"));
  }
  if (option.fund_by_unix_ms() <= 0 || option.fund_by_unix_ms() >= option.expiry_unix_ms()) {
    return MalformedTemplate(Concat("both legs must be locked before expiry (",
                                    DescribeTime(option.expiry_unix_ms()), ")"));
  }
  return absl::OkStatus();
}

// The payout line's breakpoints (see the header): (K, 0) and the point m steps of the exact
// line away from the strike, a step being D/g in price and N/g in minor units, where m is the
// fewest steps that reach the collateral.
absl::Status SetBreakpoints(const v1::OptionTerms& option, const Money& collateral,
                            v1::PiecewiseLinearPayout& line) {
  const absl::int128 numerator =
      absl::int128(option.quantity()) * PowerOfTen(collateral.exponent());
  const absl::int128 denominator = PowerOfTen(option.price_scale() + option.quantity_scale());
  const absl::int128 divisor = GreatestCommonDivisor(numerator, denominator);
  const absl::int128 step_y = numerator / divisor;
  const absl::int128 step_x = denominator / divisor;
  const absl::int128 steps = (absl::int128(collateral.minor_units()) + step_y - 1) / step_y;
  POCHE_CHECK(steps >= 1 && steps <= collateral.minor_units());
  // Below 10^18 * 10^23 and 10^18 * 10^18: no overflow in 128 bits.
  const absl::int128 far_y = steps * step_y;
  const absl::int128 span_x = steps * step_x;
  POCHE_CHECK(far_y >= collateral.minor_units());
  if (far_y > MaxMinorUnits(collateral.exponent())) {
    return OutOfRange(
        "AMOUNT_OUT_OF_RANGE",
        Concat("one step of the payout line is worth more than ",
               FormatAmount(MaxMinorUnits(collateral.exponent()), collateral.exponent()), " ",
               collateral.currency(), ": the quantity is too large"));
  }
  const bool call = option.kind() == v1::OPTION_KIND_CALL;
  const absl::int128 far_x = call ? option.strike() + span_x : option.strike() - span_x;
  if (far_x > limits::kMaxOracleValueMagnitude || far_x < -limits::kMaxOracleValueMagnitude) {
    return MalformedTemplate(
        Concat("the payout reaches the collateral of ", collateral.ToString(),
               " only at a price beyond the limit of ", limits::kMaxOracleValueMagnitude,
               " (at the price scale): lower the price scale or the collateral"));
  }
  v1::Breakpoint* first = line.add_breakpoints();
  v1::Breakpoint* second = line.add_breakpoints();
  v1::Breakpoint* strike_point = call ? first : second;
  v1::Breakpoint* far_point = call ? second : first;
  strike_point->set_x(option.strike());
  strike_point->set_y(0);
  far_point->set_x(static_cast<int64_t>(far_x));
  far_point->set_y(static_cast<int64_t>(far_y));
  return absl::OkStatus();
}

std::string Describe(const v1::OptionTerms& option) {
  const std::string quantity = FormatAmount(option.quantity(), option.quantity_scale());
  std::string sentence = Concat(
      option.kind() == v1::OPTION_KIND_CALL ? "call" : "put", " on ", option.feed(), ", strike ",
      FormatAmount(option.strike(), option.price_scale()), ", ", quantity,
      quantity == "1" ? " unit" : " units", ", expiring ", DescribeTime(option.expiry_unix_ms()));
  if (option.settlement_window_ms() == 0) return sentence;
  return Concat(sentence, ", settled on the average price since ",
                DescribeTime(option.expiry_unix_ms() - option.settlement_window_ms()));
}

}  // namespace

absl::StatusOr<v1::ConditionalTerms> CompileOptionTerms(const v1::OptionTerms& option) {
  v1::ConditionalTerms terms;
  POCHE_RETURN_IF_ERROR(templates_internal::AddParties("writer", option.writer_party_id(), "buyer",
                                                       option.buyer_party_id(),
                                                       option.arbiter_party_id(), terms));
  POCHE_RETURN_IF_ERROR(CheckShape(option));
  const absl::StatusOr<PriceFeed> feed = ParsePriceFeed(option.feed());
  if (!feed.ok()) return MalformedTemplate(Concat(feed.status().message()));
  POCHE_ASSIGN_OR_RETURN(const templates_internal::Lock lock,
                         templates_internal::CheckLock(
                             option.has_collateral() ? &option.collateral() : nullptr, "collateral",
                             option.has_premium() ? &option.premium() : nullptr));
  if (feed->quote != lock.principal.currency()) {
    return InvalidArgument(
        "CURRENCY_MISMATCH",
        Concat("the feed ", option.feed(), " quotes in ", QuoteForMessage(feed->quote),
               " but the collateral is in ", lock.principal.currency()));
  }
  templates_internal::SetLockAndRefund(lock, "writer", "buyer", terms);
  terms.set_fund_by_unix_ms(option.fund_by_unix_ms());

  const int64_t expiry = option.expiry_unix_ms();
  v1::ValueSource& source = *terms.add_value_sources();
  source.set_name(kSettlementPrice);
  source.set_feed(option.feed());
  source.set_event_id(
      PriceEventId(option.settlement_window_ms() == 0
                       ? PriceEvent{.at_unix_ms = expiry}
                       : PriceEvent{.from_unix_ms = expiry - option.settlement_window_ms(),
                                    .until_unix_ms = expiry}));
  templates_internal::SetOracles(option.oracles(), source);
  source.set_scale(option.price_scale());
  source.set_oracle_kind("price");
  POCHE_RETURN_IF_ERROR(
      templates_internal::SetWindowAndDeadline(expiry, option.grace_period_ms(), source, terms));

  v1::ConditionalBranch& branch = *terms.add_branches();
  branch.mutable_condition()->set_after_unix_ms(expiry);
  v1::PiecewiseLinearPayout& line = templates_internal::SetPiecewisePayout(
      kSettlementPrice, lock.principal, "buyer", "writer", branch);
  POCHE_RETURN_IF_ERROR(SetBreakpoints(option, lock.principal, line));
  branch.set_description(Concat("after expiry the buyer receives ",
                                FormatAmount(option.quantity(), option.quantity_scale()), " x ",
                                option.kind() == v1::OPTION_KIND_CALL
                                    ? "(settlement price - strike)"
                                    : "(strike - settlement price)",
                                " in ", lock.principal.currency(), ", rounded down, at most ",
                                lock.principal.ToString(), "; the writer the rest"));
  POCHE_RETURN_IF_ERROR(
      templates_internal::SetDescription(Describe(option), option.description(), terms));
  POCHE_CHECK(terms.branches_size() == 1 && line.breakpoints_size() == 2);
  return terms;
}

}  // namespace argentpoche
