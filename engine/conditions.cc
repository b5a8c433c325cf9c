#include "engine/conditions.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/limits.h"

namespace argentpoche {
namespace {

Truth EvaluateAtDepth(const v1::Condition& condition, const Facts& facts, int depth);

Truth AllOf(const v1::ConditionList& list, const Facts& facts, int depth) {
  POCHE_CHECK(!list.conditions().empty());
  bool all_true = true;
  for (const v1::Condition& child : list.conditions()) {
    const Truth truth = EvaluateAtDepth(child, facts, depth + 1);
    if (truth == Truth::kFalse) return Truth::kFalse;
    if (truth == Truth::kUnknown) all_true = false;
  }
  return all_true ? Truth::kTrue : Truth::kUnknown;
}

Truth AnyOf(const v1::ConditionList& list, const Facts& facts, int depth) {
  POCHE_CHECK(!list.conditions().empty());
  bool all_false = true;
  for (const v1::Condition& child : list.conditions()) {
    const Truth truth = EvaluateAtDepth(child, facts, depth + 1);
    if (truth == Truth::kTrue) return Truth::kTrue;
    if (truth == Truth::kUnknown) all_false = false;
  }
  return all_false ? Truth::kFalse : Truth::kUnknown;
}

Truth ThresholdOf(const v1::Threshold& threshold, const Facts& facts, int depth) {
  POCHE_CHECK(!threshold.children().empty());
  POCHE_CHECK(threshold.threshold() > 0);
  // At most kMaxConditionNodes children of weight below 2^32: no overflow in uint64.
  uint64_t true_weight = 0;
  uint64_t possible_weight = 0;
  for (const v1::WeightedCondition& child : threshold.children()) {
    const Truth truth = EvaluateAtDepth(child.condition(), facts, depth + 1);
    if (truth == Truth::kTrue) true_weight += child.weight();
    if (truth != Truth::kFalse) possible_weight += child.weight();
  }
  if (true_weight >= threshold.threshold()) return Truth::kTrue;
  if (possible_weight < threshold.threshold()) return Truth::kFalse;
  return Truth::kUnknown;
}

bool Compare(int64_t value, v1::Comparison comparison, int64_t constant) {
  switch (comparison) {
    case v1::COMPARISON_LT:
      return value < constant;
    case v1::COMPARISON_LE:
      return value <= constant;
    case v1::COMPARISON_EQ:
      return value == constant;
    case v1::COMPARISON_NE:
      return value != constant;
    case v1::COMPARISON_GE:
      return value >= constant;
    case v1::COMPARISON_GT:
      return value > constant;
    default:
      POCHE_CHECK(false && "unchecked comparison");
      return false;
  }
}

Truth OracleComparisonOf(const v1::OracleComparison& comparison, const Facts& facts) {
  const auto value = facts.oracle_values.find(comparison.value_source());
  if (value == facts.oracle_values.end()) return Truth::kUnknown;
  return Compare(value->second, comparison.comparison(), comparison.constant()) ? Truth::kTrue
                                                                                : Truth::kFalse;
}

Truth PreimageOf(const v1::HashPreimage& preimage, const Facts& facts) {
  POCHE_CHECK(preimage.sha256().size() == kSha256Bytes);
  for (const std::string& revealed : facts.revealed_preimages) {
    if (Sha256(revealed) == preimage.sha256()) return Truth::kTrue;
  }
  return Truth::kUnknown;
}

Truth EvaluateAtDepth(const v1::Condition& condition, const Facts& facts, int depth) {
  POCHE_CHECK(depth <= limits::kMaxConditionDepth);
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      return AllOf(condition.all_of(), facts, depth);
    case v1::Condition::kAnyOf:
      return AnyOf(condition.any_of(), facts, depth);
    case v1::Condition::kThreshold:
      return ThresholdOf(condition.threshold(), facts, depth);
    case v1::Condition::kSignatureOfRole:
      return facts.signed_roles.contains(condition.signature_of_role()) ? Truth::kTrue
                                                                        : Truth::kUnknown;
    case v1::Condition::kOracleComparison:
      return OracleComparisonOf(condition.oracle_comparison(), facts);
    case v1::Condition::kAfterUnixMs:
      return facts.now_unix_ms >= condition.after_unix_ms() ? Truth::kTrue : Truth::kUnknown;
    case v1::Condition::kBeforeUnixMs:
      return facts.now_unix_ms < condition.before_unix_ms() ? Truth::kTrue : Truth::kFalse;
    case v1::Condition::kSha256Preimage:
      return PreimageOf(condition.sha256_preimage(), facts);
    case v1::Condition::KIND_NOT_SET:
      break;
  }
  POCHE_CHECK(false && "unchecked condition: kind not set");
  return Truth::kUnknown;
}

void CollectNextTime(const v1::Condition& condition, int64_t now_unix_ms, int depth,
                     std::optional<int64_t>& next) {
  POCHE_CHECK(depth <= limits::kMaxConditionDepth);
  const auto consider = [&](int64_t time) {
    if (time > now_unix_ms && (!next || time < *next)) next = time;
  };
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      for (const v1::Condition& child : condition.all_of().conditions()) {
        CollectNextTime(child, now_unix_ms, depth + 1, next);
      }
      return;
    case v1::Condition::kAnyOf:
      for (const v1::Condition& child : condition.any_of().conditions()) {
        CollectNextTime(child, now_unix_ms, depth + 1, next);
      }
      return;
    case v1::Condition::kThreshold:
      for (const v1::WeightedCondition& child : condition.threshold().children()) {
        CollectNextTime(child.condition(), now_unix_ms, depth + 1, next);
      }
      return;
    case v1::Condition::kAfterUnixMs:
      consider(condition.after_unix_ms());
      return;
    case v1::Condition::kBeforeUnixMs:
      consider(condition.before_unix_ms());
      return;
    default:
      return;
  }
}

}  // namespace

const char* TruthName(Truth truth) {
  switch (truth) {
    case Truth::kFalse:
      return "false";
    case Truth::kUnknown:
      return "unknown";
    case Truth::kTrue:
      return "true";
  }
  return "invalid";
}

Truth Evaluate(const v1::Condition& condition, const Facts& facts) {
  return EvaluateAtDepth(condition, facts, 1);
}

std::optional<int64_t> NextTimeOfChange(const v1::Condition& condition, int64_t now_unix_ms) {
  std::optional<int64_t> next;
  CollectNextTime(condition, now_unix_ms, 1, next);
  POCHE_CHECK(!next || *next > now_unix_ms);
  return next;
}

}  // namespace argentpoche
