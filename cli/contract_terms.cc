#include "cli/contract_terms.h"

#include <set>
#include <string>

#include "engine/contract_checker.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/money.h"
#include "engine/option_template.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/weather_template.h"

namespace argentpoche::cli {

absl::StatusOr<v1::ContractTerms> VerifiedTerms(const v1::Contract& contract) {
  if (Sha256(TaggedBytes(domain::kContractTerms, contract.terms())) != contract.terms_hash()) {
    return Error(absl::StatusCode::kDataLoss, "TERMS_HASH_MISMATCH",
                 Concat("contract ", contract.id(),
                        " came with terms that do not match its terms hash: do not trust it"));
  }
  v1::ContractTerms terms;
  if (!terms.ParseFromString(contract.terms())) {
    return Error(absl::StatusCode::kDataLoss, "MALFORMED_TERMS",
                 Concat("the terms of contract ", contract.id(), " do not parse"));
  }
  return terms;
}

absl::StatusOr<v1::Money> LockedTotalOf(const v1::ContractTerms& terms) {
  const v1::Money* principal = nullptr;
  const v1::Money* premium = nullptr;
  switch (terms.template_case()) {
    case v1::ContractTerms::kDeposit:
      return terms.deposit().amount();
    case v1::ContractTerms::kConditional:
      return terms.conditional().locked_total();
    case v1::ContractTerms::kOption:
      principal = &terms.option().collateral();
      premium = &terms.option().premium();
      break;
    case v1::ContractTerms::kWeatherCover:
      principal = &terms.weather_cover().limit();
      premium = &terms.weather_cover().premium();
      break;
    case v1::ContractTerms::TEMPLATE_NOT_SET:
      return InvalidArgument("MALFORMED_TERMS", "the terms choose no template");
  }
  POCHE_ASSIGN_OR_RETURN(const Money first, Money::FromProto(*principal));
  if (premium->currency().empty() && premium->minor_units() == 0) return first.ToProto();
  POCHE_ASSIGN_OR_RETURN(const Money second, Money::FromProto(*premium));
  POCHE_ASSIGN_OR_RETURN(const Money total, first.Add(second));
  return total.ToProto();
}

absl::StatusOr<v1::ConditionalTerms> CompiledTerms(const v1::ContractTerms& terms) {
  switch (terms.template_case()) {
    case v1::ContractTerms::kConditional:
      return terms.conditional();
    case v1::ContractTerms::kOption:
      return CompileOptionTerms(terms.option());
    case v1::ContractTerms::kWeatherCover:
      return CompileWeatherCoverTerms(terms.weather_cover());
    default:
      return FailedPrecondition("NOT_CONDITIONAL", "these terms hold no conditions");
  }
}

absl::StatusOr<v1::ConditionalTerms> SignedConditionalTerms(const v1::Contract& contract) {
  POCHE_ASSIGN_OR_RETURN(const v1::ContractTerms signed_terms, VerifiedTerms(contract));
  POCHE_ASSIGN_OR_RETURN(v1::ConditionalTerms terms, CompiledTerms(signed_terms));
  if (terms.SerializeAsString() != contract.conditional().terms().SerializeAsString()) {
    return Error(absl::StatusCode::kDataLoss, "TERMS_MISMATCH",
                 Concat("the engine evaluates contract ", contract.id(),
                        " by other terms than the ones its parties signed: do not trust it"));
  }
  ConditionCheckContext check;
  check.now_unix_ms = contract.created_at_unix_ms();
  for (const v1::ValueSource& source : terms.value_sources()) {
    check.registered_oracle_party_ids.insert(source.oracle_party_ids().begin(),
                                             source.oracle_party_ids().end());
  }
  if (absl::Status status = CheckConditionalTerms(terms, check); !status.ok()) {
    return Error(absl::StatusCode::kDataLoss, "TERMS_DO_NOT_CHECK",
                 Concat("the terms of contract ", contract.id(),
                        " do not pass the engine's own checks: ", status.message()));
  }
  return terms;
}

}  // namespace argentpoche::cli
