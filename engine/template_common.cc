#include "engine/template_common.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "engine/currency.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::templates_internal {
namespace {

absl::Status CheckPartyId(std::string_view role, const std::string& party_id) {
  if (party_id.empty()) return MalformedTemplate(Concat("the ", role, "'s party is missing"));
  if (party_id.size() > limits::kMaxReferenceLength) {
    return MalformedTemplate(
        Concat("the ", role, "'s party id is longer than ", limits::kMaxReferenceLength, " bytes"));
  }
  return absl::OkStatus();
}

void AddParty(std::string_view role, const std::string& party_id, v1::ConditionalTerms& terms) {
  v1::RoleParty* party = terms.add_parties();
  party->set_role(std::string(role));
  party->set_party_id(party_id);
}

void AddLeg(std::string_view role, const Money& amount,
            google::protobuf::RepeatedPtrField<v1::FixedAmount>& legs) {
  if (amount.minor_units() == 0) return;
  v1::FixedAmount* leg = legs.Add();
  leg->set_role(std::string(role));
  *leg->mutable_amount() = amount.ToProto();
}

}  // namespace

absl::Status MalformedTemplate(std::string_view message) {
  return InvalidArgument("MALFORMED_TEMPLATE", message);
}

absl::Status AddParties(std::string_view principal_role, const std::string& principal_party_id,
                        std::string_view premium_role, const std::string& premium_party_id,
                        const std::string& arbiter_party_id, v1::ConditionalTerms& terms) {
  POCHE_RETURN_IF_ERROR(CheckPartyId(principal_role, principal_party_id));
  POCHE_RETURN_IF_ERROR(CheckPartyId(premium_role, premium_party_id));
  if (principal_party_id == premium_party_id) {
    return MalformedTemplate(
        Concat("the ", principal_role, " and the ", premium_role, " must be different parties"));
  }
  AddParty(principal_role, principal_party_id, terms);
  AddParty(premium_role, premium_party_id, terms);
  if (arbiter_party_id.empty()) return absl::OkStatus();
  POCHE_RETURN_IF_ERROR(CheckPartyId("arbiter", arbiter_party_id));
  if (arbiter_party_id == principal_party_id || arbiter_party_id == premium_party_id) {
    return MalformedTemplate(
        Concat("the arbiter must be neither the ", principal_role, " nor the ", premium_role));
  }
  AddParty("arbiter", arbiter_party_id, terms);
  return absl::OkStatus();
}

absl::StatusOr<Lock> CheckLock(const v1::Money* principal, std::string_view principal_name,
                               const v1::Money* premium) {
  if (principal == nullptr) return MalformedTemplate(Concat("the ", principal_name, " is missing"));
  if (premium == nullptr) {
    return MalformedTemplate("the premium is missing (write a zero amount for none)");
  }
  const absl::StatusOr<Money> principal_money = PositiveAmount(*principal);
  if (!principal_money.ok()) {
    return Error(principal_money.status().code(), ReasonOf(principal_money.status()),
                 Concat("the ", principal_name, ": ", principal_money.status().message()));
  }
  if (premium->currency() != principal->currency()) {
    return InvalidArgument(
        "CURRENCY_MISMATCH",
        Concat("the premium is in ", QuoteForMessage(premium->currency()), " but the ",
               principal_name, " in ", principal->currency(), "; both must be in one currency"));
  }
  POCHE_ASSIGN_OR_RETURN(Money premium_money, Money::FromProto(*premium));
  if (premium_money.minor_units() < 0) {
    return InvalidArgument("AMOUNT_NOT_POSITIVE", Concat("the premium must not be negative, got ",
                                                         premium_money.ToString()));
  }
  POCHE_ASSIGN_OR_RETURN(Money total, principal_money->Add(premium_money));
  POCHE_CHECK(total.minor_units() > 0);
  return Lock{*principal_money, premium_money, total};
}

void SetLockAndRefund(const Lock& lock, std::string_view principal_role,
                      std::string_view premium_role, v1::ConditionalTerms& terms) {
  POCHE_CHECK(lock.principal.minor_units() > 0);
  POCHE_CHECK(lock.premium.minor_units() >= 0);
  *terms.mutable_locked_total() = lock.total.ToProto();
  AddLeg(principal_role, lock.principal, *terms.mutable_funding());
  AddLeg(premium_role, lock.premium, *terms.mutable_funding());
  AddLeg(principal_role, lock.principal, *terms.mutable_refund()->mutable_amounts());
  AddLeg(premium_role, lock.premium, *terms.mutable_refund()->mutable_amounts());
}

void SetOracles(const v1::OracleQuorum& oracles, v1::ValueSource& source) {
  *source.mutable_oracle_party_ids() = oracles.oracle_party_ids();
  source.set_quorum(oracles.quorum());
  source.set_aggregation(oracles.aggregation());
  source.set_max_spread(oracles.max_spread());
}

absl::Status SetWindowAndDeadline(int64_t from_unix_ms, int64_t grace_period_ms,
                                  v1::ValueSource& source, v1::ConditionalTerms& terms) {
  POCHE_CHECK(from_unix_ms > 0);
  if (grace_period_ms < 2) {
    return MalformedTemplate(Concat("the grace period is ", grace_period_ms,
                                    " ms; the oracles need at least 2 ms to attest"));
  }
  const absl::StatusOr<int64_t> deadline = CheckedAdd(from_unix_ms, grace_period_ms);
  if (!deadline.ok()) return MalformedTemplate("the grace period ends beyond any date");
  source.set_observe_from_unix_ms(from_unix_ms);
  source.set_observe_until_unix_ms(*deadline - 1);
  terms.set_hard_deadline_unix_ms(*deadline);
  return absl::OkStatus();
}

v1::PiecewiseLinearPayout& SetPiecewisePayout(const std::string& value_source, const Money& cap,
                                              std::string_view payee_role,
                                              std::string_view remainder_role,
                                              v1::ConditionalBranch& branch) {
  v1::PiecewiseLinearPayout& line = *branch.mutable_payout()->mutable_piecewise_linear();
  line.set_value_source(value_source);
  line.mutable_floor()->set_currency(cap.currency());
  line.mutable_floor()->set_minor_units(0);
  *line.mutable_cap() = cap.ToProto();
  line.set_payee_role(std::string(payee_role));
  line.set_remainder_role(std::string(remainder_role));
  return line;
}

absl::Status SetDescription(const std::string& sentence, const std::string& template_description,
                            v1::ConditionalTerms& terms) {
  std::string description =
      template_description.empty() ? sentence : Concat(sentence, ". ", template_description);
  if (description.size() > limits::kMaxDescriptionLength) {
    return MalformedTemplate(Concat("the description is longer than ",
                                    limits::kMaxDescriptionLength,
                                    " bytes with the terms in words"));
  }
  terms.set_description(std::move(description));
  return absl::OkStatus();
}

}  // namespace argentpoche::templates_internal
