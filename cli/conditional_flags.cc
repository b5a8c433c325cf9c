#include "cli/conditional_flags.h"

#include "absl/numeric/int128.h"
#include "engine/crypto.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {

absl::StatusOr<oracles::Decimal> DecimalFlag(const Context& context, std::string_view flag) {
  if (!context.Has(flag)) return UsageError(Concat("--", flag, " is needed"));
  absl::StatusOr<oracles::Decimal> decimal = oracles::ParseDecimal(context.Flag(flag));
  if (!decimal.ok()) return AsUsageError(decimal.status(), Concat("--", flag, ": "));
  return decimal;
}

absl::StatusOr<int64_t> DecimalFlagAtScale(const Context& context, std::string_view flag,
                                           uint32_t scale) {
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal decimal, DecimalFlag(context, flag));
  absl::int128 value = decimal.units;
  if (decimal.scale > scale) {
    const absl::int128 dropped = oracles::PowerOfTen(decimal.scale - scale);
    if (value % dropped != 0) {
      return UsageError(Concat("--", flag, " ", context.Flag(flag), " has more decimals than the ",
                               scale, " the contract's values have"),
                        "SCALE_MISMATCH");
    }
    value /= dropped;
  } else {
    value *= oracles::PowerOfTen(scale - decimal.scale);
  }
  if (value > limits::kMaxOracleValueMagnitude || value < -limits::kMaxOracleValueMagnitude) {
    return UsageError(Concat("--", flag, " ", context.Flag(flag), " is too large"),
                      "NUMBER_OUT_OF_RANGE");
  }
  return static_cast<int64_t>(value);
}

absl::StatusOr<v1::OracleQuorum> OracleQuorumFlags(const Context& context, uint32_t scale) {
  v1::OracleQuorum quorum;
  for (const std::string& oracle : context.Flags("oracle")) {
    POCHE_ASSIGN_OR_RETURN(*quorum.add_oracle_party_ids(), context.Party(oracle));
  }
  if (quorum.oracle_party_ids().empty()) {
    return UsageError("name the oracles with --oracle, once per oracle");
  }
  POCHE_ASSIGN_OR_RETURN(const oracles::Decimal count, DecimalFlag(context, "quorum"));
  if (count.scale != 0 || count.units < 1 || count.units > quorum.oracle_party_ids_size()) {
    return UsageError(Concat("--quorum must be a whole number from 1 to ",
                             quorum.oracle_party_ids_size(), " (the number of oracles named)"),
                      "QUORUM_TOO_LARGE");
  }
  quorum.set_quorum(static_cast<uint32_t>(count.units));
  const std::string aggregation = context.Flag("aggregation", "median");
  if (aggregation == "median") {
    quorum.set_aggregation(v1::AGGREGATION_MEDIAN);
  } else if (aggregation == "exact") {
    quorum.set_aggregation(v1::AGGREGATION_EXACT);
  } else {
    return UsageError(Concat("--aggregation is median or exact, not \"", aggregation, "\""));
  }
  if (context.Has("max-spread")) {
    if (quorum.aggregation() == v1::AGGREGATION_EXACT) {
      return UsageError("--max-spread goes with --aggregation median only: exact needs equality");
    }
    POCHE_ASSIGN_OR_RETURN(const int64_t spread, DecimalFlagAtScale(context, "max-spread", scale));
    if (spread < 0) return UsageError("--max-spread cannot be negative");
    quorum.set_max_spread(spread);
  }
  return quorum;
}

absl::StatusOr<std::string> PublicKeyFlag(const Context& context, std::string_view flag) {
  const std::string text = context.Flag(flag);
  if (text.size() == 2 * kPublicKeyBytes) {
    absl::StatusOr<std::string> bytes = FromHex(text);
    if (bytes.ok()) return *bytes;
  }
  absl::StatusOr<SigningKey> key = context.keys.Load(text);
  if (key.ok()) return key->public_key();
  return UsageError(Concat("--", flag,
                           " is neither 64 hex characters (a public key) nor the name "
                           "of a key in the key store"),
                    "MALFORMED_KEY");
}

absl::StatusOr<std::string> OptionalPartyFlag(const Context& context, std::string_view flag) {
  if (!context.Has(flag)) return std::string();
  return context.Party(context.Flag(flag));
}

}  // namespace argentpoche::cli
