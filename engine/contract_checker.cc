#include "engine/contract_checker.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "engine/conditions.h"
#include "engine/crypto.h"
#include "engine/currency.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/payout_rules.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

absl::Status Malformed(std::string_view message) {
  return InvalidArgument("MALFORMED_CONDITION", message);
}

// `status` with "<where>: " before its message, keeping its code and reason.
absl::Status Within(std::string_view where, const absl::Status& status) {
  if (status.ok()) return status;
  return Error(status.code(), ReasonOf(status), Concat(where, ": ", status.message()));
}

absl::Status CheckName(std::string_view name, size_t max_length, std::string_view what) {
  if (name.empty()) return Malformed(Concat(what, " is missing"));
  if (name.size() > max_length) {
    return Malformed(
        Concat(what, " ", QuoteForMessage(name), " is longer than ", max_length, " bytes"));
  }
  return absl::OkStatus();
}

// What the condition tree of one branch may refer to.
struct TreeCheck {
  const RoleParties& role_parties;
  const std::map<std::string, const v1::ValueSource*>& value_sources;
  int nodes = 0;

  absl::Status Node(const v1::Condition& condition, int depth);
  absl::Status List(const v1::ConditionList& list, std::string_view kind, int depth);
  absl::Status ThresholdNode(const v1::Threshold& threshold, int depth);
  absl::Status Leaf(const v1::Condition& condition);
};

absl::Status TreeCheck::List(const v1::ConditionList& list, std::string_view kind, int depth) {
  if (list.conditions().empty()) return Malformed(Concat("an empty ", kind));
  for (const v1::Condition& child : list.conditions()) {
    POCHE_RETURN_IF_ERROR(Node(child, depth + 1));
  }
  return absl::OkStatus();
}

absl::Status TreeCheck::ThresholdNode(const v1::Threshold& threshold, int depth) {
  if (threshold.children().empty()) return Malformed("a threshold with no children");
  uint64_t total_weight = 0;
  for (const v1::WeightedCondition& child : threshold.children()) {
    if (child.weight() < 1 || child.weight() > limits::kMaxThresholdWeight) {
      return Malformed(Concat("a threshold child weighs ", child.weight(),
                              "; weights lie between 1 and ", limits::kMaxThresholdWeight));
    }
    total_weight += child.weight();
    POCHE_RETURN_IF_ERROR(Node(child.condition(), depth + 1));
  }
  if (threshold.threshold() == 0 || threshold.threshold() > total_weight) {
    return Malformed(Concat("a threshold of ", threshold.threshold(),
                            " cannot be met by children weighing ", total_weight,
                            " in all; it must lie between 1 and their total weight"));
  }
  return absl::OkStatus();
}

absl::Status TreeCheck::Leaf(const v1::Condition& condition) {
  switch (condition.kind_case()) {
    case v1::Condition::kSignatureOfRole:
      if (!role_parties.contains(condition.signature_of_role())) {
        return Malformed(Concat("a condition waits for the signature of the role ",
                                QuoteForMessage(condition.signature_of_role()),
                                ", which no party of the contract plays"));
      }
      return absl::OkStatus();
    case v1::Condition::kOracleComparison: {
      const v1::OracleComparison& comparison = condition.oracle_comparison();
      if (!value_sources.contains(comparison.value_source())) {
        return Malformed(Concat("a comparison with the unknown value source ",
                                QuoteForMessage(comparison.value_source())));
      }
      if (comparison.comparison() == v1::COMPARISON_UNSPECIFIED ||
          !v1::Comparison_IsValid(comparison.comparison())) {
        return Malformed("an oracle comparison without a valid comparison");
      }
      return absl::OkStatus();
    }
    case v1::Condition::kAfterUnixMs:
    case v1::Condition::kBeforeUnixMs: {
      const int64_t time =
          condition.has_after_unix_ms() ? condition.after_unix_ms() : condition.before_unix_ms();
      if (time <= 0) return Malformed(Concat("a time of ", time, " ms; it must be after 1970"));
      return absl::OkStatus();
    }
    case v1::Condition::kSha256Preimage:
      if (condition.sha256_preimage().sha256().size() != kSha256Bytes) {
        return Malformed(Concat("a SHA-256 digest of ", condition.sha256_preimage().sha256().size(),
                                " bytes instead of ", kSha256Bytes));
      }
      return absl::OkStatus();
    default:
      return Malformed("a condition of no kind");
  }
}

absl::Status TreeCheck::Node(const v1::Condition& condition, int depth) {
  if (depth > limits::kMaxConditionDepth) {
    return Malformed(
        Concat("the condition tree is deeper than ", limits::kMaxConditionDepth, " levels"));
  }
  if (++nodes > limits::kMaxConditionNodes) {
    return Malformed(
        Concat("the condition tree has more than ", limits::kMaxConditionNodes, " conditions"));
  }
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      return List(condition.all_of(), "all_of", depth);
    case v1::Condition::kAnyOf:
      return List(condition.any_of(), "any_of", depth);
    case v1::Condition::kThreshold:
      return ThresholdNode(condition.threshold(), depth);
    default:
      return Leaf(condition);
  }
}

absl::Status CheckParties(const v1::ConditionalTerms& terms) {
  if (terms.parties().empty() ||
      static_cast<size_t>(terms.parties_size()) > limits::kMaxConditionParties) {
    return Malformed(Concat("the terms name between 1 and ", limits::kMaxConditionParties,
                            " parties, got ", terms.parties_size()));
  }
  std::set<std::string> roles;
  for (const v1::RoleParty& party : terms.parties()) {
    POCHE_RETURN_IF_ERROR(CheckName(party.role(), limits::kMaxConditionNameLength, "a role"));
    POCHE_RETURN_IF_ERROR(CheckName(party.party_id(), limits::kMaxReferenceLength,
                                    Concat("the party of the ", party.role())));
    if (!roles.insert(party.role()).second) {
      return Malformed(Concat("the role ", QuoteForMessage(party.role()), " is named twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckHardDeadlineAndRefund(const v1::ConditionalTerms& terms, const Money& locked,
                                        const ConditionCheckContext& context) {
  const int64_t deadline = terms.hard_deadline_unix_ms();
  if (deadline <= 0) {
    return InvalidArgument("NO_REFUND_PATH",
                           "the terms set no hard deadline: nothing would refund the lock if "
                           "the facts never came");
  }
  if (deadline <= context.now_unix_ms) {
    return InvalidArgument("NO_REFUND_PATH", Concat("the hard deadline ", DescribeTime(deadline),
                                                    " has already passed"));
  }
  // The exact difference, computed without overflow since deadline > now.
  const uint64_t ahead_ms =
      static_cast<uint64_t>(deadline) - static_cast<uint64_t>(context.now_unix_ms);
  if (ahead_ms > static_cast<uint64_t>(limits::kMaxDeadlineAheadMs)) {
    return InvalidArgument("NO_REFUND_PATH", "the hard deadline is more than 100 years ahead");
  }
  if (!terms.refund().remainder_role().empty()) {
    return Malformed("the refund table names every amount; it takes no remainder role");
  }
  const absl::StatusOr<int64_t> refunded =
      FixedTableSum(terms.refund(), locked, RolePartiesOf(terms));
  if (!refunded.ok() && ReasonOf(refunded.status()) != "PAYOUT_EXCEEDS_LOCK") {
    return Within("the refund table", refunded.status());
  }
  if (!refunded.ok() || *refunded != locked.minor_units()) {
    return InvalidArgument(
        "NO_REFUND_PATH",
        Concat("the refund table must add up exactly to the ", locked.ToString(), " locked; ",
               refunded.ok() ? Concat("it pays ", FormatAmount(*refunded, locked.exponent()), " ",
                                      locked.currency())
                             : std::string("it pays more")));
  }
  return absl::OkStatus();
}

absl::Status CheckValueSource(const v1::ValueSource& source, const v1::ConditionalTerms& terms,
                              const ConditionCheckContext& context) {
  POCHE_RETURN_IF_ERROR(CheckName(source.feed(), limits::kMaxFeedNameLength, "the feed"));
  POCHE_RETURN_IF_ERROR(CheckName(source.event_id(), limits::kMaxFeedNameLength, "the event id"));
  const size_t oracle_count = static_cast<size_t>(source.oracle_party_ids_size());
  if (oracle_count == 0 || oracle_count > limits::kMaxOraclesPerQuorum) {
    return Malformed(Concat("a value source names between 1 and ", limits::kMaxOraclesPerQuorum,
                            " oracles, got ", oracle_count));
  }
  std::set<std::string> oracles;
  for (const std::string& oracle : source.oracle_party_ids()) {
    if (!context.registered_oracle_party_ids.contains(oracle)) {
      return Malformed(Concat("the oracle ", QuoteForMessage(oracle), " is not registered"));
    }
    if (!oracles.insert(oracle).second) {
      return Malformed(Concat("the oracle ", QuoteForMessage(oracle), " is named twice"));
    }
  }
  if (source.quorum() == 0 || source.quorum() > oracle_count) {
    return InvalidArgument("QUORUM_TOO_LARGE",
                           Concat("a quorum of ", source.quorum(), " among ", oracle_count,
                                  " oracles: it must lie between 1 and ", oracle_count));
  }
  if (source.aggregation() != v1::AGGREGATION_MEDIAN &&
      source.aggregation() != v1::AGGREGATION_EXACT) {
    return Malformed("the aggregation is neither MEDIAN nor EXACT");
  }
  if (source.max_spread() < 0 ||
      (source.aggregation() == v1::AGGREGATION_EXACT && source.max_spread() != 0)) {
    return Malformed(
        Concat("a max spread of ", source.max_spread(), "; it must be >= 0, and 0 for EXACT"));
  }
  if (source.scale() > limits::kMaxValueScale) {
    return Malformed(Concat("a scale of ", source.scale(), "; at most ", limits::kMaxValueScale));
  }
  if (source.observe_from_unix_ms() < 0 ||
      source.observe_from_unix_ms() >= source.observe_until_unix_ms() ||
      source.observe_until_unix_ms() >= terms.hard_deadline_unix_ms()) {
    return Malformed("the observation window must be non-empty and end before the hard deadline");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckConditionalTerms(const v1::ConditionalTerms& terms,
                                   const ConditionCheckContext& context) {
  POCHE_ASSIGN_OR_RETURN(Money locked, PositiveAmount(terms.locked_total()));
  POCHE_RETURN_IF_ERROR(CheckParties(terms));
  POCHE_RETURN_IF_ERROR(CheckHardDeadlineAndRefund(terms, locked, context));
  if (terms.description().size() > limits::kMaxDescriptionLength) {
    return Malformed("the description is too long");
  }
  if (static_cast<size_t>(terms.value_sources_size()) > limits::kMaxValueSources) {
    return Malformed(Concat("the terms name at most ", limits::kMaxValueSources,
                            " value sources, got ", terms.value_sources_size()));
  }
  std::map<std::string, const v1::ValueSource*> sources;
  for (const v1::ValueSource& source : terms.value_sources()) {
    POCHE_RETURN_IF_ERROR(
        CheckName(source.name(), limits::kMaxConditionNameLength, "a value source name"));
    if (!sources.emplace(source.name(), &source).second) {
      return Malformed(
          Concat("the value source ", QuoteForMessage(source.name()), " is named twice"));
    }
    POCHE_RETURN_IF_ERROR(Within(Concat("value source ", QuoteForMessage(source.name())),
                                 CheckValueSource(source, terms, context)));
  }
  if (terms.branches().empty() ||
      static_cast<size_t>(terms.branches_size()) > limits::kMaxConditionBranches) {
    return Malformed(Concat("the terms have between 1 and ", limits::kMaxConditionBranches,
                            " branches, got ", terms.branches_size()));
  }
  const RoleParties role_parties = RolePartiesOf(terms);
  for (int i = 0; i < terms.branches_size(); ++i) {
    const v1::ConditionalBranch& branch = terms.branches(i);
    const std::string where = Concat("branch ", i + 1);
    if (!branch.has_condition()) return Within(where, Malformed("no condition"));
    if (branch.description().size() > limits::kMaxDescriptionLength) {
      return Within(where, Malformed("the description is too long"));
    }
    TreeCheck tree{role_parties, sources};
    POCHE_RETURN_IF_ERROR(Within(where, tree.Node(branch.condition(), 1)));
    POCHE_CHECK(tree.nodes >= 1 && tree.nodes <= limits::kMaxConditionNodes);
    POCHE_RETURN_IF_ERROR(Within(where, ValidatePayoutRule(branch.payout(), locked, role_parties)));
    if (branch.payout().has_piecewise_linear() &&
        !sources.contains(branch.payout().piecewise_linear().value_source())) {
      return Within(
          where,
          Malformed(Concat("the payout depends on the unknown value source ",
                           QuoteForMessage(branch.payout().piecewise_linear().value_source()))));
    }
  }
  return absl::OkStatus();
}

}  // namespace argentpoche
