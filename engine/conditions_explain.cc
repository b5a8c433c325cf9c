// Explain and DescribeTime (declared in engine/conditions.h): conditions in words.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "engine/check.h"
#include "engine/conditions.h"
#include "engine/crypto.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

// Hex characters of a digest shown before "...".
constexpr size_t kDigestHexShown = 16;

struct Explainer {
  const google::protobuf::RepeatedPtrField<v1::ValueSource>& value_sources;
  const Facts& facts;
  std::vector<std::string> lines;

  // Put before the text of the next line added ("weight 2: ").
  std::string pending_prefix;

  void Add(int depth, std::string_view text) {
    lines.push_back(
        Concat(std::string(2 * static_cast<size_t>(depth - 1), ' '), pending_prefix, text));
    pending_prefix.clear();
  }

  const v1::ValueSource& SourceNamed(const std::string& name) const {
    for (const v1::ValueSource& source : value_sources) {
      if (source.name() == name) return source;
    }
    POCHE_CHECK(false && "comparison with an unknown value source");
    return value_sources.Get(0);
  }

  void Node(const v1::Condition& condition, int depth);
  void ListNode(const v1::ConditionList& list, bool all, Truth truth, int depth);
  void ThresholdNode(const v1::Threshold& threshold, Truth truth, int depth);
  void ComparisonNode(const v1::OracleComparison& comparison, Truth truth, int depth);
};

std::string ComparisonWords(v1::Comparison comparison) {
  switch (comparison) {
    case v1::COMPARISON_LT:
      return "less than";
    case v1::COMPARISON_LE:
      return "at most";
    case v1::COMPARISON_EQ:
      return "exactly";
    case v1::COMPARISON_NE:
      return "other than";
    case v1::COMPARISON_GE:
      return "at least";
    case v1::COMPARISON_GT:
      return "more than";
    default:
      POCHE_CHECK(false && "unchecked comparison");
      return "";
  }
}

std::string Verdict(Truth truth) {
  switch (truth) {
    case Truth::kTrue:
      return "met";
    case Truth::kFalse:
      return "not met";
    case Truth::kUnknown:
      return "waiting";
  }
  return "";
}

// Who must attest a source: "2 of 3 weather oracles", or "the price oracle" when it is one.
std::string Attesters(const v1::ValueSource& source) {
  const std::string kind = source.oracle_kind().empty() ? "" : Concat(source.oracle_kind(), " ");
  if (source.oracle_party_ids_size() == 1) return Concat("the ", kind, "oracle");
  return Concat(source.quorum(), " of ", source.oracle_party_ids_size(), " ", kind, "oracles");
}

void Explainer::ListNode(const v1::ConditionList& list, bool all, Truth truth, int depth) {
  int met = 0;
  int failed = 0;
  for (const v1::Condition& child : list.conditions()) {
    const Truth child_truth = Evaluate(child, facts);
    met += child_truth == Truth::kTrue ? 1 : 0;
    failed += child_truth == Truth::kFalse ? 1 : 0;
  }
  const int count = list.conditions_size();
  std::string tally;
  if (all) {
    tally = truth == Truth::kFalse  ? Concat(" (", failed, " failed)")
            : truth == Truth::kTrue ? ""
                                    : Concat(" (", met, " met)");
  } else {
    tally = truth == Truth::kTrue    ? Concat(" (", met, " met)")
            : truth == Truth::kFalse ? " (all failed)"
                                     : " (none met yet)";
  }
  Add(depth, Concat(Verdict(truth), ": ", all ? "all" : "any", " of ", count,
                    count == 1 ? " condition" : " conditions", tally));
  for (const v1::Condition& child : list.conditions()) Node(child, depth + 1);
}

void Explainer::ThresholdNode(const v1::Threshold& threshold, Truth truth, int depth) {
  uint64_t total_weight = 0;
  uint64_t met_weight = 0;
  bool unit_weights = true;
  for (const v1::WeightedCondition& child : threshold.children()) {
    total_weight += child.weight();
    unit_weights = unit_weights && child.weight() == 1;
    if (Evaluate(child.condition(), facts) == Truth::kTrue) met_weight += child.weight();
  }
  if (unit_weights) {
    Add(depth, Concat(Verdict(truth), ": at least ", threshold.threshold(), " of ", total_weight,
                      " conditions (", met_weight, " met)"));
  } else {
    Add(depth, Concat(Verdict(truth), ": conditions weighing at least ", threshold.threshold(),
                      " of ", total_weight, " (weight ", met_weight, " met)"));
  }
  for (const v1::WeightedCondition& child : threshold.children()) {
    if (!unit_weights) pending_prefix = Concat("weight ", child.weight(), ": ");
    Node(child.condition(), depth + 1);
  }
}

void Explainer::ComparisonNode(const v1::OracleComparison& comparison, Truth truth, int depth) {
  const v1::ValueSource& source = SourceNamed(comparison.value_source());
  const std::string needed =
      Concat(ComparisonWords(comparison.comparison()), " ",
             FormatAmount(comparison.constant(), static_cast<int>(source.scale())));
  const std::string subject = Concat(source.feed(), " for event ", source.event_id());
  if (truth == Truth::kUnknown) {
    std::string so_far;
    const auto received = facts.attestations_received.find(source.name());
    if (received != facts.attestations_received.end()) {
      so_far = Concat("; ", received->second, " attested so far");
    }
    Add(depth, Concat("waiting for ", Attesters(source), " to attest ", subject, " (met if ",
                      needed, so_far, ")"));
    return;
  }
  const int64_t value = facts.oracle_values.at(source.name());
  Add(depth,
      Concat(Verdict(truth), ": ", subject, " is ",
             FormatAmount(value, static_cast<int>(source.scale())), " (needed ", needed, ")"));
}

void Explainer::Node(const v1::Condition& condition, int depth) {
  POCHE_CHECK(depth <= limits::kMaxConditionDepth);
  const Truth truth = Evaluate(condition, facts);
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      return ListNode(condition.all_of(), /*all=*/true, truth, depth);
    case v1::Condition::kAnyOf:
      return ListNode(condition.any_of(), /*all=*/false, truth, depth);
    case v1::Condition::kThreshold:
      return ThresholdNode(condition.threshold(), truth, depth);
    case v1::Condition::kSignatureOfRole:
      return Add(depth,
                 truth == Truth::kTrue
                     ? Concat("met: signed by the ", condition.signature_of_role())
                     : Concat("waiting for the signature of the ", condition.signature_of_role()));
    case v1::Condition::kOracleComparison:
      return ComparisonNode(condition.oracle_comparison(), truth, depth);
    case v1::Condition::kAfterUnixMs:
      return Add(depth, truth == Truth::kTrue
                            ? Concat("met: after ", DescribeTime(condition.after_unix_ms()))
                            : Concat("waiting until ", DescribeTime(condition.after_unix_ms())));
    case v1::Condition::kBeforeUnixMs:
      return Add(depth, truth == Truth::kTrue
                            ? Concat("met: before ", DescribeTime(condition.before_unix_ms()))
                            : Concat("not met: before ", DescribeTime(condition.before_unix_ms()),
                                     " (that time has passed)"));
    case v1::Condition::kSha256Preimage: {
      const std::string digest =
          Concat(Hex(condition.sha256_preimage().sha256()).substr(0, kDigestHexShown), "...");
      return Add(depth, truth == Truth::kTrue
                            ? Concat("met: the preimage of SHA-256 ", digest, " was revealed")
                            : Concat("waiting for the preimage of SHA-256 ", digest));
    }
    case v1::Condition::KIND_NOT_SET:
      break;
  }
  POCHE_CHECK(false && "unchecked condition: kind not set");
}

}  // namespace

std::vector<std::string> Explain(
    const v1::Condition& condition,
    const google::protobuf::RepeatedPtrField<v1::ValueSource>& value_sources, const Facts& facts) {
  Explainer explainer{value_sources, facts, {}, {}};
  explainer.Node(condition, 1);
  POCHE_CHECK(!explainer.lines.empty());
  return std::move(explainer.lines);
}

std::string DescribeTime(int64_t unix_ms) {
  const absl::Time time = absl::FromUnixMillis(unix_ms);
  if (unix_ms % 60'000 == 0) {
    return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
  }
  if (unix_ms % 1'000 == 0) {
    return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone());
  }
  return absl::FormatTime("%Y-%m-%d %H:%M:%E3S UTC", time, absl::UTCTimeZone());
}

}  // namespace argentpoche
