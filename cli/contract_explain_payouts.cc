// DescribePayoutRule and the words shared by the explanation (cli/contract_explain.h).
#include <algorithm>
#include <string>
#include <vector>

#include "cli/contract_explain.h"
#include "engine/feeds.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace explain_internal {
namespace {

// The unit of a feed's values, or "" when the feed names none.
std::string UnitOf(const std::string& feed) {
  if (absl::StatusOr<PriceFeed> price = ParsePriceFeed(feed); price.ok()) return price->quote;
  absl::StatusOr<WeatherFeed> weather = ParseWeatherFeed(feed);
  if (!weather.ok()) return "";
  const bool degree_days = weather->index == v1::WEATHER_INDEX_HEATING_DEGREE_DAYS ||
                           weather->index == v1::WEATHER_INDEX_COOLING_DEGREE_DAYS;
  switch (weather->unit) {
    case v1::WEATHER_UNIT_MILLIMETRES:
      return "mm";
    case v1::WEATHER_UNIT_INCHES:
      return "in";
    case v1::WEATHER_UNIT_CELSIUS:
      return degree_days ? "degree days (°C)" : "°C";
    case v1::WEATHER_UNIT_FAHRENHEIT:
      return degree_days ? "degree days (°F)" : "°F";
    default:
      return "";
  }
}

std::string FixedTableText(const v1::FixedTable& table, const v1::ConditionalTerms& terms,
                           const PartyNamer& name_of) {
  const v1::Money& locked = terms.locked_total();
  std::string text;
  int64_t paid = 0;
  for (const v1::FixedAmount& amount : table.amounts()) {
    if (!text.empty()) text += ", ";
    text +=
        Concat(RoleText(terms, amount.role(), name_of), " receives ", FormatMoney(amount.amount()));
    paid += amount.amount().minor_units();
  }
  if (!table.remainder_role().empty()) {
    const int64_t rest = locked.minor_units() - paid;
    text += Concat(text.empty() ? "" : "; ", RoleText(terms, table.remainder_role(), name_of),
                   " receives ", text.empty() ? "everything" : "the rest", " (",
                   AmountText(locked.currency(), rest), ")");
  }
  return text.empty() ? "nothing is paid" : text;
}

// "rising linearly to 10000.00 USD at 150.0 mm" for the segment ending at breakpoint `i`.
std::string SegmentText(const v1::PiecewiseLinearPayout& rule, const v1::ValueSource& source,
                        const std::string& currency, int i) {
  const v1::Breakpoint& from = rule.breakpoints(i - 1);
  const v1::Breakpoint& to = rule.breakpoints(i);
  const std::string at = ValueText(source, to.x());
  if (to.y() == from.y()) return Concat("the same up to ", at);
  return Concat(to.y() > from.y() ? "rising" : "falling", " linearly to ",
                AmountText(currency, to.y()), " at ", at);
}

std::string PiecewiseText(const v1::PiecewiseLinearPayout& rule, const v1::ConditionalTerms& terms,
                          const PartyNamer& name_of) {
  const v1::ValueSource* source = SourceNamed(terms, rule.value_source());
  const std::string& currency = terms.locked_total().currency();
  const int count = rule.breakpoints_size();
  if (source == nullptr || count == 0) return "a payout the terms do not define";
  std::string text = Concat(RoleText(terms, rule.payee_role(), name_of), " receives ",
                            AmountText(currency, rule.breakpoints(0).y()));
  if (count == 1) {
    text += " whatever the value";
  } else {
    text += Concat(" at ", ValueText(*source, rule.breakpoints(0).x()), " or less");
    for (int i = 1; i < count; ++i) {
      text += Concat(i == 1 ? ", " : ", then ", SegmentText(rule, *source, currency, i));
    }
    const bool flat_end = rule.breakpoints(count - 1).y() == rule.breakpoints(count - 2).y();
    text += flat_end ? " and beyond" : " or more";
    text += " (rounded down to the minor unit in between)";
  }
  int64_t lowest = rule.breakpoints(0).y();
  int64_t highest = lowest;
  for (const v1::Breakpoint& point : rule.breakpoints()) {
    lowest = std::min(lowest, point.y());
    highest = std::max(highest, point.y());
  }
  if (rule.floor().minor_units() > lowest) {
    text += Concat(", but never less than ", FormatMoney(rule.floor()));
  }
  if (rule.cap().minor_units() < highest) {
    text += Concat(", but never more than ", FormatMoney(rule.cap()));
  }
  return Concat(text, "; ", RoleText(terms, rule.remainder_role(), name_of),
                " receives the rest of ", FormatMoney(terms.locked_total()));
}

}  // namespace

std::string RoleText(const v1::ConditionalTerms& terms, const std::string& role,
                     const PartyNamer& name_of) {
  for (const v1::RoleParty& party : terms.parties()) {
    if (party.role() == role) return Concat("the ", role, " (", name_of(party.party_id()), ")");
  }
  return Concat("the ", role);
}

std::string AmountText(const std::string& currency, int64_t minor_units) {
  v1::Money money;
  money.set_currency(currency);
  money.set_minor_units(minor_units);
  return FormatMoney(money);
}

std::string ValueText(const v1::ValueSource& source, int64_t value) {
  if (source.scale() > limits::kMaxValueScale) {
    return Concat(value, " at scale ", source.scale());
  }
  const std::string unit = UnitOf(source.feed());
  const std::string number = FormatAmount(value, static_cast<int>(source.scale()));
  return unit.empty() ? number : Concat(number, " ", unit);
}

const v1::ValueSource* SourceNamed(const v1::ConditionalTerms& terms, const std::string& name) {
  for (const v1::ValueSource& source : terms.value_sources()) {
    if (source.name() == name) return &source;
  }
  return nullptr;
}

std::string RefundText(const v1::ConditionalTerms& terms, const PartyNamer& name_of) {
  std::string text;
  for (const v1::FixedAmount& amount : terms.refund().amounts()) {
    text += Concat(text.empty() ? "" : ", ", RoleText(terms, amount.role(), name_of),
                   text.empty() ? " gets " : " ", FormatMoney(amount.amount()),
                   text.empty() ? " back" : "");
  }
  return text.empty() ? "nothing to give back" : text;
}

}  // namespace explain_internal

std::string DescribePayoutRule(const v1::PayoutRule& rule, const v1::ConditionalTerms& terms,
                               const PartyNamer& name_of) {
  switch (rule.rule_case()) {
    case v1::PayoutRule::kFixedTable:
      return explain_internal::FixedTableText(rule.fixed_table(), terms, name_of);
    case v1::PayoutRule::kPiecewiseLinear:
      return explain_internal::PiecewiseText(rule.piecewise_linear(), terms, name_of);
    case v1::PayoutRule::RULE_NOT_SET:
      break;
  }
  return "a payout the terms do not define";
}

}  // namespace argentpoche::cli
