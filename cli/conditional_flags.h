// Readers of the flag values shared by the oracle, option, insurance and contract commands:
// decimals as written ("100.4" is 1004 at scale 1), decimals at a given scale, the oracles
// of a quorum with how their values become one, public keys and optional parties.
// Every bad value is a usage error (exit status 2) that names the flag.
#ifndef ARGENTPOCHE_CLI_CONDITIONAL_FLAGS_H_
#define ARGENTPOCHE_CLI_CONDITIONAL_FLAGS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/templates.pb.h"
#include "cli/context.h"
#include "oracles/decimal.h"

namespace argentpoche::cli {

// The decimal in `flag`, its scale the number of decimals written. "MALFORMED_NUMBER".
[[nodiscard]] absl::StatusOr<oracles::Decimal> DecimalFlag(const Context& context,
                                                           std::string_view flag);

// The decimal in `flag` as an integer at `scale`: "5" at scale 2 is 500. "SCALE_MISMATCH"
// when it has more decimals than `scale` that are not zeros; "NUMBER_OUT_OF_RANGE" beyond
// limits::kMaxOracleValueMagnitude.
[[nodiscard]] absl::StatusOr<int64_t> DecimalFlagAtScale(const Context& context,
                                                         std::string_view flag, uint32_t scale);

// --oracle (repeated), --quorum, --aggregation median|exact (default median) and
// --max-spread (a decimal at `scale`, default 0) as an OracleQuorum.
[[nodiscard]] absl::StatusOr<v1::OracleQuorum> OracleQuorumFlags(const Context& context,
                                                                 uint32_t scale);

// The 32-byte public key in `flag`: 64 hex characters, or the name of a key in the key
// store. "MALFORMED_KEY".
[[nodiscard]] absl::StatusOr<std::string> PublicKeyFlag(const Context& context,
                                                        std::string_view flag);

// The party in `flag`, or "" when the flag is absent.
[[nodiscard]] absl::StatusOr<std::string> OptionalPartyFlag(const Context& context,
                                                            std::string_view flag);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONDITIONAL_FLAGS_H_
