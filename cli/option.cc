// poche option create: a European option, cash-settled by oracles (templates.proto,
// OptionTerms), written from flags and checked here before anything is sent.
#include "cli/conditional_flags.h"
#include "cli/contract_actions.h"
#include "engine/feeds.h"
#include "engine/option_template.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

absl::StatusOr<v1::OptionTerms> OptionFromFlags(Context& context) {
  v1::OptionTerms option;
  const std::string kind = context.Flag("kind");
  if (kind != "call" && kind != "put") {
    return UsageError(Concat("--kind is call or put, not \"", kind, "\""));
  }
  option.set_kind(kind == "call" ? v1::OPTION_KIND_CALL : v1::OPTION_KIND_PUT);
  POCHE_ASSIGN_OR_RETURN(*option.mutable_writer_party_id(), context.PartyFlag("writer"));
  POCHE_ASSIGN_OR_RETURN(*option.mutable_buyer_party_id(), context.PartyFlag("buyer"));
  POCHE_ASSIGN_OR_RETURN(*option.mutable_arbiter_party_id(), OptionalPartyFlag(context, "arbiter"));
  option.set_feed(context.Flag("feed"));
  absl::StatusOr<PriceFeed> feed = ParsePriceFeed(option.feed());
  if (!feed.ok()) return AsUsageError(feed.status(), "--feed: ");
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal strike, DecimalFlag(context, "strike"));
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal quantity, DecimalFlag(context, "quantity"));
  option.set_strike(strike.units);
  option.set_price_scale(strike.scale);
  option.set_quantity(quantity.units);
  option.set_quantity_scale(quantity.scale);
  POCHE_ASSIGN_OR_RETURN(*option.mutable_collateral(),
                         context.AmountFlag("collateral", feed->quote));
  POCHE_ASSIGN_OR_RETURN(*option.mutable_premium(), context.AmountFlag("premium", feed->quote));
  POCHE_ASSIGN_OR_RETURN(const int64_t expiry, context.TimeFlag("expiry"));
  option.set_expiry_unix_ms(expiry);
  if (context.Has("settlement-window")) {
    POCHE_ASSIGN_OR_RETURN(const int64_t window, context.DurationFlag("settlement-window"));
    option.set_settlement_window_ms(window);
  }
  POCHE_ASSIGN_OR_RETURN(*option.mutable_oracles(), OracleQuorumFlags(context, strike.scale));
  POCHE_ASSIGN_OR_RETURN(const int64_t grace, context.DurationFlag("grace"));
  option.set_grace_period_ms(grace);
  POCHE_ASSIGN_OR_RETURN(const int64_t fund_by, context.TimeFlag("fund-by"));
  option.set_fund_by_unix_ms(fund_by);
  option.set_description(context.Flag("description"));
  return option;
}

absl::Status RunOptionCreate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::ContractTerms terms;
  POCHE_ASSIGN_OR_RETURN(*terms.mutable_option(), OptionFromFlags(context));
  if (absl::Status status = CompileOptionTerms(terms.option()).status(); !status.ok()) {
    return AsUsageError(status, "the option cannot be written: ");
  }
  return CreateContract(context, key, terms);
}

}  // namespace

void AddOptionCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "option",
       .verb = "create",
       .summary = "Propose a European option settled by oracles; prints its id.",
       .details =
           "The writer locks the collateral, the buyer the premium. After expiry the oracles' "
           "price S pays\nthe buyer quantity x max(S - strike, 0) for a call, quantity x "
           "max(strike - S, 0) for a put,\nat most the collateral; the writer gets the rest. "
           "Without a price by expiry + grace,\neverything goes back. The price scale is the "
           "strike's decimals, the quantity's its own.",
       .mutating = true,
       .flags = {{"key", "NAME", "The proposer's key (the writer's or the buyer's).", true},
                 {"kind", "call|put", "The kind of option.", true},
                 {"writer", "PARTY", "Who writes it and locks the collateral.", true},
                 {"buyer", "PARTY", "Who buys it and locks the premium.", true},
                 {"feed", "FEED", "The price feed, e.g. price/BTC-USD.", true},
                 {"strike", "DECIMAL", "The strike price, e.g. 42000.00.", true},
                 {"quantity", "DECIMAL", "Units of the underlying, e.g. 0.50.", true},
                 {"collateral", "AMOUNT", "The most the buyer can get, e.g. 10000.00 USD.", true},
                 {"premium", "AMOUNT", "What the buyer pays, e.g. 500.00 USD.", true},
                 {"expiry", "TIME", "When the price is taken.", true},
                 {"settlement-window", "DURATION",
                  "Take the average price over this window before expiry (default: the price "
                  "at expiry)."},
                 {"oracle", "PARTY", "An oracle of the price.", true, true},
                 {"quorum", "N", "How many of the oracles must attest.", true},
                 {"aggregation", "median|exact", "How their prices become one (default median)."},
                 {"max-spread", "DECIMAL",
                  "Median: the largest allowed difference between the prices (default 0)."},
                 {"grace", "DURATION", "How long after expiry the oracles have to attest.", true},
                 {"fund-by", "TIME", "Both legs must be locked by then (before expiry).", true},
                 {"arbiter", "PARTY", "Decides when the oracles disagree."},
                 {"description", "TEXT", "The option, in words."}},
       .run = RunOptionCreate});
}

}  // namespace argentpoche::cli
