// poche insurance create: parametric weather insurance settled by oracles (templates.proto,
// WeatherCoverTerms), written from flags and checked here before anything is sent.
#include "cli/conditional_flags.h"
#include "cli/contract_actions.h"
#include "engine/feeds.h"
#include "engine/strings.h"
#include "engine/weather_template.h"

namespace argentpoche::cli {
namespace {

struct Choice {
  std::string_view word;
  int value;
};

absl::StatusOr<int> ChoiceFlag(const Context& context, std::string_view flag,
                               std::initializer_list<Choice> choices) {
  const std::string text = context.Flag(flag);
  std::string words;
  for (const Choice& choice : choices) {
    if (choice.word == text) return choice.value;
    words = Concat(words, words.empty() ? "" : "|", choice.word);
  }
  return UsageError(Concat("--", flag, " is one of ", words, ", not \"", text, "\""));
}

absl::StatusOr<std::string> DayFlag(const Context& context, std::string_view flag) {
  absl::StatusOr<CivilDay> day = ParseDay(context.Flag(flag));
  if (!day.ok()) return AsUsageError(day.status(), Concat("--", flag, ": "));
  return FormatDay(*day);
}

absl::StatusOr<v1::WeatherCoverTerms> CoverFromFlags(Context& context) {
  v1::WeatherCoverTerms cover;
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_insurer_party_id(), context.PartyFlag("insurer"));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_insured_party_id(), context.PartyFlag("insured"));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_arbiter_party_id(), OptionalPartyFlag(context, "arbiter"));
  cover.set_source(context.Flag("source"));
  cover.set_station(context.Flag("station"));
  POCHE_ASSIGN_OR_RETURN(const int index,
                         ChoiceFlag(context, "index",
                                    {{"rainfall", v1::WEATHER_INDEX_RAINFALL},
                                     {"hdd", v1::WEATHER_INDEX_HEATING_DEGREE_DAYS},
                                     {"cdd", v1::WEATHER_INDEX_COOLING_DEGREE_DAYS},
                                     {"tmax", v1::WEATHER_INDEX_MAX_TEMPERATURE}}));
  cover.set_index(static_cast<v1::WeatherIndex>(index));
  POCHE_ASSIGN_OR_RETURN(const int unit, ChoiceFlag(context, "unit",
                                                    {{"mm", v1::WEATHER_UNIT_MILLIMETRES},
                                                     {"in", v1::WEATHER_UNIT_INCHES},
                                                     {"c", v1::WEATHER_UNIT_CELSIUS},
                                                     {"f", v1::WEATHER_UNIT_FAHRENHEIT}}));
  cover.set_unit(static_cast<v1::WeatherUnit>(unit));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_period_start(), DayFlag(context, "from"));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_period_end(), DayFlag(context, "to"));
  POCHE_ASSIGN_OR_RETURN(const int direction,
                         ChoiceFlag(context, "cover",
                                    {{"excess", v1::COVER_DIRECTION_EXCESS},
                                     {"shortfall", v1::COVER_DIRECTION_SHORTFALL}}));
  cover.set_direction(static_cast<v1::CoverDirection>(direction));
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal trigger, DecimalFlag(context, "trigger"));
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal exit, DecimalFlag(context, "exit"));
  if (trigger.scale != exit.scale) {
    return UsageError(
        Concat("--trigger ", context.Flag("trigger"), " and --exit ", context.Flag("exit"),
               " must be written with the same number of decimals: that is the "
               "scale the oracles' index is compared at"),
        "SCALE_MISMATCH");
  }
  cover.set_scale(trigger.scale);
  cover.set_trigger(trigger.units);
  cover.set_exit(exit.units);
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_limit(), context.AmountFlag("limit"));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_premium(),
                         context.AmountFlag("premium", cover.limit().currency()));
  POCHE_ASSIGN_OR_RETURN(*cover.mutable_oracles(), OracleQuorumFlags(context, trigger.scale));
  POCHE_ASSIGN_OR_RETURN(const int64_t grace, context.DurationFlag("grace"));
  cover.set_grace_period_ms(grace);
  POCHE_ASSIGN_OR_RETURN(const int64_t fund_by, context.TimeFlag("fund-by"));
  cover.set_fund_by_unix_ms(fund_by);
  cover.set_description(context.Flag("description"));
  return cover;
}

absl::Status RunInsuranceCreate(Context& context) {
  POCHE_ASSIGN_OR_RETURN(SigningKey key, context.SignerKey());
  v1::ContractTerms terms;
  POCHE_ASSIGN_OR_RETURN(*terms.mutable_weather_cover(), CoverFromFlags(context));
  if (absl::Status status = CompileWeatherCoverTerms(terms.weather_cover()).status();
      !status.ok()) {
    return AsUsageError(status, "the cover cannot be written: ");
  }
  return CreateContract(context, key, terms);
}

}  // namespace

void AddInsuranceCommands(std::vector<CommandSpec>& table) {
  table.push_back(
      {.group = "insurance",
       .verb = "create",
       .summary = "Propose parametric weather insurance settled by oracles; prints its id.",
       .details =
           "The insurer locks the limit, the insured the premium. After the period the oracles' "
           "index pays\nthe insured nothing at or beyond the trigger, the whole limit at or "
           "beyond the exit, linearly\nin between; the insurer gets the rest. Without an index "
           "by the day after the period + grace,\neverything goes back. The scale is the "
           "decimals of --trigger and --exit (the same).",
       .mutating = true,
       .flags = {{"key", "NAME", "The proposer's key (the insurer's or the insured's).", true},
                 {"insurer", "PARTY", "Who locks the limit.", true},
                 {"insured", "PARTY", "Who pays the premium and is covered.", true},
                 {"source", "NAME", "The weather data source, e.g. fte.", true},
                 {"station", "NAME", "The station, e.g. KNYC.", true},
                 {"index", "rainfall|hdd|cdd|tmax", "What is measured over the period.", true},
                 {"unit", "mm|in|c|f", "Its unit: mm or in for rainfall, c or f otherwise.", true},
                 {"from", "DAY", "The first day of the period, e.g. 2014-07-01.", true},
                 {"to", "DAY", "The last day of the period (included).", true},
                 {"cover", "excess|shortfall", "Pays when the index ends above or below.", true},
                 {"trigger", "DECIMAL", "Where the payout starts, e.g. 50.0.", true},
                 {"exit", "DECIMAL", "Where it reaches the limit, e.g. 150.0.", true},
                 {"limit", "AMOUNT", "The most the insured can get, e.g. 10000.00 USD.", true},
                 {"premium", "AMOUNT", "What the insured pays, e.g. 400.00 USD.", true},
                 {"oracle", "PARTY", "An oracle of the index.", true, true},
                 {"quorum", "N", "How many of the oracles must attest.", true},
                 {"aggregation", "median|exact", "How their values become one (default median)."},
                 {"max-spread", "DECIMAL",
                  "Median: the largest allowed difference between the values (default 0)."},
                 {"grace", "DURATION", "How long after the period the oracles have to attest.",
                  true},
                 {"fund-by", "TIME", "Both legs must be locked by then (before the period ends).",
                  true},
                 {"arbiter", "PARTY", "Decides when the oracles disagree."},
                 {"description", "TEXT", "The cover, in words."}},
       .run = RunInsuranceCreate});
}

}  // namespace argentpoche::cli
