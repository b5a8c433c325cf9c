// Fuzz target: conditional terms and their condition trees (tests/fuzz/README.md).
//
// CheckConditionalTerms promises that terms it accepts can be evaluated and settled
// without aborting, and that every settlement pays out exactly what they lock. This
// target holds it to that.
//
// Input: a facts byte, 8 bytes of an oracle value (little-endian, brought within
// limits::kMaxOracleValueMagnitude), then a v1::ConditionalTerms checked at kStartUnixMs
// with oracles "oracle-1" to "oracle-3" registered. Refused terms name a reason. Accepted
// terms are walked through time, from the start to past the hard deadline, moment to
// moment as NextDecisionTime gives them, under the facts the first byte picks: bit i
// (0-5) has the party of the terms' role i signed, bit 6 gives every value source the
// oracle value, bit 7 reveals kConditionPreimage. At every moment every branch's condition is
// evaluated and explained, and the outcome decided: a settlement or a refund pays out the
// locked total exactly, never a negative amount, only to the terms' parties; from the
// hard deadline on it is the refund; and the next decision time is always later.
//
// It includes fuzz_checks.h, not fuzz_engine.h: it needs no engine. The dictionary gives integer
// fields (times, amounts, breakpoints) their extreme values. libFuzzer flags:
// -dict=tests/fuzz/protobuf.dict
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "argentpoche/v1/condition.pb.h"
#include "engine/conditions.h"
#include "engine/conditions_outcome.h"
#include "engine/contract_checker.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "tests/fuzz/fuzz_checks.h"

namespace argentpoche::fuzz {
namespace {

// Moments walked through, at most.
constexpr int kMaxMoments = 24;

void CheckPayouts(const v1::ConditionalTerms& terms, const std::vector<v1::Payout>& payouts,
                  std::string_view what) {
  std::set<std::string> parties;
  for (const v1::RoleParty& party : terms.parties()) parties.insert(party.party_id());
  int64_t paid = 0;
  for (const v1::Payout& payout : payouts) {
    Check(payout.amount().currency() == terms.locked_total().currency(),
          Concat(what, " pays in the locked currency"));
    Check(payout.amount().minor_units() >= 0, Concat(what, " pays no negative amount"));
    Check(parties.count(payout.party_id()) == 1, Concat(what, " pays only the terms' parties"));
    Check(!__builtin_add_overflow(paid, payout.amount().minor_units(), &paid),
          Concat(what, " pays a sum that fits"));
  }
  Check(paid == terms.locked_total().minor_units(), Concat(what, " pays out exactly the lock"));
}

void CheckMoment(const v1::ConditionalTerms& terms, const Facts& facts) {
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    (void)Evaluate(branch.condition(), facts);
    const std::optional<int64_t> change = NextTimeOfChange(branch.condition(), facts.now_unix_ms);
    Check(!change.has_value() || *change > facts.now_unix_ms,
          "a condition's next time of change is later");
    Check(!Explain(branch.condition(), terms.value_sources(), facts).empty(),
          "every condition explains itself");
  }
  const Outcome outcome = DecideOutcome(terms, facts);
  if (Verbose()) {
    std::fprintf(stderr, "fuzz: at %s: %s\n", DescribeTime(facts.now_unix_ms).c_str(),
                 outcome.kind == Outcome::Kind::kWaiting  ? "waiting"
                 : outcome.kind == Outcome::Kind::kRefund ? "refund"
                                                          : "settle");
  }
  if (facts.now_unix_ms >= terms.hard_deadline_unix_ms()) {
    Check(outcome.kind == Outcome::Kind::kRefund, "from the hard deadline on, the refund");
  }
  if (outcome.kind == Outcome::Kind::kWaiting) return;
  Check(outcome.kind == Outcome::Kind::kRefund ||
            (outcome.branch_index >= 0 && outcome.branch_index < terms.branches_size()),
        "a settlement names one of the branches");
  absl::StatusOr<std::vector<v1::Payout>> payouts = OutcomePayouts(terms, outcome, facts);
  CheckOk(payouts.status(), "a decided outcome can be paid");
  CheckPayouts(terms, *payouts,
               outcome.kind == Outcome::Kind::kRefund ? std::string("the refund")
                                                      : Concat("branch ", outcome.branch_index));
}

void Run(uint8_t facts_bits, int64_t oracle_value, const v1::ConditionalTerms& terms) {
  ConditionCheckContext context;
  context.now_unix_ms = kStartUnixMs;
  context.registered_oracle_party_ids = {"oracle-1", "oracle-2", "oracle-3"};
  const absl::Status checked = CheckConditionalTerms(terms, context);
  if (Verbose()) std::fprintf(stderr, "fuzz: terms checked: %s\n", checked.ToString().c_str());
  if (!checked.ok()) {
    Check(!ReasonOf(checked).empty(), "a refusal names its reason");
    return;
  }
  Facts facts;
  for (int index = 0; index < 6 && index < terms.parties_size(); ++index) {
    if ((facts_bits >> index) & 1) facts.signed_roles.insert(terms.parties(index).role());
  }
  if ((facts_bits >> 6) & 1) {
    for (const v1::ValueSource& source : terms.value_sources()) {
      facts.oracle_values[source.name()] = oracle_value;
      facts.attestations_received[source.name()] = static_cast<int>(source.quorum());
    }
  }
  if ((facts_bits >> 7) & 1) facts.revealed_preimages.insert(std::string(kConditionPreimage));

  int64_t now = kStartUnixMs;
  for (int moment = 0; moment < kMaxMoments; ++moment) {
    facts.now_unix_ms = now;
    CheckMoment(terms, facts);
    const std::optional<int64_t> next = NextDecisionTime(terms, now);
    if (!next.has_value()) {
      Check(now >= terms.hard_deadline_unix_ms(), "there is a next decision until the deadline");
      return;
    }
    Check(*next > now, "the next decision time is later");
    now = *next;
  }
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 1 + sizeof(int64_t);
  if (size < kHeader) return 0;
  argentpoche::fuzz::SilenceProtobufLogs();
  uint64_t bits = 0;
  for (size_t index = 0; index < sizeof(int64_t); ++index) {
    bits |= uint64_t{data[1 + index]} << (8 * index);
  }
  int64_t value = 0;
  std::memcpy(&value, &bits, sizeof(value));
  // Aggregation never yields a value beyond the limit.
  constexpr int64_t kLimit = argentpoche::limits::kMaxOracleValueMagnitude;
  value = value > kLimit ? kLimit : value < -kLimit ? -kLimit : value;
  argentpoche::v1::ConditionalTerms terms;
  if (!terms.ParseFromArray(data + kHeader, static_cast<int>(size - kHeader))) return 0;
  argentpoche::fuzz::Run(data[0], value, terms);
  return 0;
}
