// The condition language's evaluation: the facts a contract has seen so far, a three-valued
// Evaluate (true, false, or unknown while a fact is still awaited), the next time at which
// the passing of time alone may change a condition, and Explain, which says in words what
// is met and what is awaited.
//
//   Facts facts;
//   facts.now_unix_ms = now;
//   facts.signed_roles.insert("landlord");
//   facts.oracle_values["rain"] = 873;  // 87.3 mm at scale 1
//   if (Evaluate(branch.condition(), facts) == Truth::kTrue) { ... settle ... }
//
// Preconditions: every function here takes a condition that passed CheckConditionalTerms
// (engine/contract_checker.h); an unset condition or one deeper than
// limits::kMaxConditionDepth is a programmer error and aborts.
//
// Everything is pure and deterministic (no clock, no randomness, no I/O, no floating
// point): the same condition and facts give the same answer on every machine. Thread-safe:
// free functions over values the caller owns; they keep no reference after returning.
#ifndef ARGENTPOCHE_ENGINE_CONDITIONS_H_
#define ARGENTPOCHE_ENGINE_CONDITIONS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "argentpoche/v1/condition.pb.h"
#include "google/protobuf/repeated_field.h"

namespace argentpoche {

// What a contract knows at one moment.
struct Facts {
  // The moment of evaluation (the engine's clock at the command or deadline being applied).
  int64_t now_unix_ms = 0;
  // Roles whose party's signature is present.
  std::set<std::string> signed_roles;
  // Aggregated oracle values by value source name, at the source's scale. A source that
  // has no aggregated value yet is absent.
  std::map<std::string, int64_t> oracle_values;
  // Optional, for Explain only: how many distinct oracles have attested each source so far.
  std::map<std::string, int> attestations_received;
  // Bytes revealed as hash preimages (the evaluation hashes them itself).
  std::set<std::string> revealed_preimages;
};

// A three-valued truth. kUnknown means a fact is still awaited: a signature, an oracle
// value, a preimage, or a time not yet reached by after().
enum class Truth { kFalse, kUnknown, kTrue };

// "true", "false", "unknown".
const char* TruthName(Truth truth);

// The truth of `condition` under `facts`, by Kleene's three-valued logic:
// - all_of: false if a child is false, true if all are true, else unknown;
// - any_of: true if a child is true, false if all are false, else unknown;
// - threshold: true if the weights of the true children reach the threshold, false if even
//   the true and unknown ones together cannot, else unknown;
// - signature_of_role: true if the role has signed, else unknown;
// - oracle_comparison: the comparison once the value is in, else unknown;
// - after(t): true once now >= t, else unknown (the time is awaited);
// - before(t): true while now < t, false once now >= t;
// - sha256_preimage: true once a revealed preimage hashes to the digest, else unknown.
// Only time turns true into false (through before()), so a tree without before() never
// changes a true or false answer as time advances with no other change.
Truth Evaluate(const v1::Condition& condition, const Facts& facts);

// The earliest after() or before() time strictly later than `now_unix_ms` in the tree: the
// next moment at which the passing of time alone may change Evaluate's answer, for the
// scheduler. std::nullopt when there is none.
std::optional<int64_t> NextTimeOfChange(const v1::Condition& condition, int64_t now_unix_ms);

// Explains `condition` under `facts` in sentences, one line per condition, children
// indented by two spaces under their parent:
//   "waiting: all of 2 conditions (1 met)"
//   "  met: after 2026-12-01 00:00 UTC"
//   "  waiting for 2 of 3 weather oracles to attest weather/ghcn/USW00094728/PRCP ..."
// `value_sources` are the terms' sources, for naming feeds and quorums; a comparison with a
// source not among them is a programmer error.
std::vector<std::string> Explain(
    const v1::Condition& condition,
    const google::protobuf::RepeatedPtrField<v1::ValueSource>& value_sources, const Facts& facts);

// A time in words, to the minute when that is exact: "2026-12-01 00:00 UTC",
// "2026-12-01 00:00:30 UTC", "2026-12-01 00:00:30.250 UTC".
std::string DescribeTime(int64_t unix_ms);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_CONDITIONS_H_
