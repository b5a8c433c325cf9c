// A contract with conditions explained in words, for `poche contract show`: where it stands,
// what it locks, the value sources with their quorum and what has arrived, each outcome
// with what each party receives in it (a fixed table, or a payout that moves with an
// oracle value, described at each breakpoint), the refund at the hard deadline and the
// dispute path.
//
//   ConditionalSnapshot snapshot{.contract = contract, .terms = terms, .now_unix_ms = now};
//   snapshot.attestations["index"] = ...;  // ListAttestations of the source's event
//   for (const std::string& line : ExplainConditional(snapshot, name_of)) Print(line);
//
// Pure: the caller fetches everything first (the engine is never asked from here).
// Thread-safe: free functions over values the caller owns.
#ifndef ARGENTPOCHE_CLI_CONTRACT_EXPLAIN_H_
#define ARGENTPOCHE_CLI_CONTRACT_EXPLAIN_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/conditions.h"

namespace argentpoche::cli {

// A party's name for people ("Ivy Insurer"), given its id.
using PartyNamer = std::function<std::string(const std::string& party_id)>;

// What the explanation is made from.
struct ConditionalSnapshot {
  v1::Contract contract;
  // SignedConditionalTerms(contract) (cli/contract_terms.h): the checked terms.
  v1::ConditionalTerms terms;
  // The stored attestations of each value source's event, by source name.
  std::map<std::string, std::vector<v1::StoredAttestation>> attestations;
  // The sources whose event no oracle has announced yet.
  std::set<std::string> unannounced_sources;
  // The engine's clock.
  int64_t now_unix_ms = 0;
};

// The facts as the engine sees them now: endorsed roles, revealed preimages, the values
// fixed so far, and for each source the number of its oracles whose attestation counts
// (one value each, observed inside the source's window).
[[nodiscard]] Facts RebuildFacts(const ConditionalSnapshot& snapshot);

// The explanation, one line per entry, indented by two spaces per level.
[[nodiscard]] std::vector<std::string> ExplainConditional(const ConditionalSnapshot& snapshot,
                                                          const PartyNamer& name_of);

// What a payout rule pays, in one sentence: "the insured (Ian Insured) receives 0.00 USD at
// 50.0 mm or less, rising linearly to 10000.00 USD at 150.0 mm or more; the insurer (Ivy
// Insurer) receives the rest of 10400.00 USD". `terms` gives the roles, the value sources
// and the locked total.
[[nodiscard]] std::string DescribePayoutRule(const v1::PayoutRule& rule,
                                             const v1::ConditionalTerms& terms,
                                             const PartyNamer& name_of);

// The state of a contract with conditions in a few words ("funded: ...", "settled: ...").
[[nodiscard]] std::string ConditionalStateInWords(const v1::Contract& contract,
                                                  const v1::ConditionalTerms& terms);

// Pieces shared by the files of the explanation.
namespace explain_internal {

// "the insured (Ian Insured)"; "the insured" when no party plays the role.
[[nodiscard]] std::string RoleText(const v1::ConditionalTerms& terms, const std::string& role,
                                   const PartyNamer& name_of);
// "10400.00 USD".
[[nodiscard]] std::string AmountText(const std::string& currency, int64_t minor_units);
// A value of `source` with its unit when the feed names one: "100.0 mm", "42000.00 USD".
[[nodiscard]] std::string ValueText(const v1::ValueSource& source, int64_t value);
// The source named `name` in `terms`, or null.
[[nodiscard]] const v1::ValueSource* SourceNamed(const v1::ConditionalTerms& terms,
                                                 const std::string& name);
// "the insurer (Ivy Insurer) gets 10000.00 USD back, the insured (Ian Insured) 400.00 USD".
[[nodiscard]] std::string RefundText(const v1::ConditionalTerms& terms, const PartyNamer& name_of);

}  // namespace explain_internal
}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CONTRACT_EXPLAIN_H_
