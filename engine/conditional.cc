#include "engine/conditional.h"

#include <set>
#include <string>

#include "engine/conditional_decide.h"
#include "engine/contract_checker.h"
#include "engine/contracts.h"
#include "engine/crypto.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/oracles.h"
#include "engine/payout_rules.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

// The oracles the terms rely on must be registered, in good standing and allowed to attest
// the feeds named; returns their ids for the checker.
absl::StatusOr<std::set<std::string>> CheckNamedOracles(const ApplyContext& ctx,
                                                        const v1::ConditionalTerms& terms) {
  std::set<std::string> ids;
  for (const v1::ValueSource& source : terms.value_sources()) {
    for (const std::string& id : source.oracle_party_ids()) {
      POCHE_ASSIGN_OR_RETURN(std::optional<v1::Oracle> oracle, FindOracle(ctx, id));
      if (!oracle) {
        return InvalidArgument("UNKNOWN_ORACLE",
                               Concat("value source ", source.name(), " names ", id.substr(0, 64),
                                      ", which is not a registered oracle"));
      }
      POCHE_RETURN_IF_ERROR(CheckOracleInGoodStanding(*oracle));
      if (!OracleMayAttest(*oracle, source.feed())) {
        return InvalidArgument("ORACLE_NOT_FOR_FEED",
                               Concat("value source ", source.name(), " names oracle ", id,
                                      ", which is not registered for feed ", source.feed()));
      }
      ids.insert(id);
    }
  }
  return ids;
}

void AddRolesOfTable(const v1::FixedTable& table, std::set<std::string>& roles) {
  for (const v1::FixedAmount& amount : table.amounts()) roles.insert(amount.role());
  if (!table.remainder_role().empty()) roles.insert(table.remainder_role());
}

// Every role that may lock or be paid: it needs an account in the locked currency.
std::set<std::string> MoneyRoles(const v1::ConditionalTerms& terms) {
  std::set<std::string> roles;
  for (const v1::FixedAmount& leg : terms.funding()) roles.insert(leg.role());
  for (const v1::ConditionalBranch& branch : terms.branches()) {
    if (branch.payout().has_fixed_table()) AddRolesOfTable(branch.payout().fixed_table(), roles);
    if (branch.payout().has_piecewise_linear()) {
      roles.insert(branch.payout().piecewise_linear().payee_role());
      roles.insert(branch.payout().piecewise_linear().remainder_role());
    }
  }
  AddRolesOfTable(terms.refund(), roles);
  return roles;
}

absl::Status CheckFunding(const ApplyContext& ctx, const v1::ConditionalTerms& terms,
                          const Money& locked, const RoleParties& role_parties) {
  if (terms.funding().empty()) {
    return InvalidArgument("FUNDING_MISMATCH", "the terms say nobody locks anything");
  }
  std::set<std::string> seen;
  int64_t sum = 0;
  for (const v1::FixedAmount& leg : terms.funding()) {
    if (!role_parties.contains(leg.role()) || !seen.insert(leg.role()).second) {
      return InvalidArgument("FUNDING_MISMATCH",
                             Concat("funding names the role \"", leg.role().substr(0, 64),
                                    "\", which is not a party or is named twice"));
    }
    if (leg.amount().currency() != locked.currency()) {
      return InvalidArgument("CURRENCY_MISMATCH",
                             Concat("the ", leg.role(), " would lock ", leg.amount().currency(),
                                    ", not ", locked.currency()));
    }
    POCHE_ASSIGN_OR_RETURN(Money amount, PositiveAmount(leg.amount()));
    POCHE_ASSIGN_OR_RETURN(sum, CheckedAdd(sum, amount.minor_units()));
  }
  if (sum != locked.minor_units()) {
    return InvalidArgument("FUNDING_MISMATCH",
                           Concat("the funding legs lock ", sum, " minor units but the terms lock ",
                                  locked.ToString(), ": they must add up exactly"));
  }
  if (terms.fund_by_unix_ms() <= ctx.now_unix_ms) {
    return InvalidArgument("DEADLINE_IN_PAST",
                           Concat("the funding deadline ", FormatTime(terms.fund_by_unix_ms()),
                                  " has already passed"));
  }
  if (terms.fund_by_unix_ms() >= terms.hard_deadline_unix_ms()) {
    return InvalidArgument("DEADLINE_ORDER",
                           "the funding deadline must come before the hard deadline");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Contract> LoadConditional(const ApplyContext& ctx,
                                             std::string_view contract_id) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadContract(ctx, contract_id));
  if (!IsConditionalContract(contract)) {
    return FailedPrecondition("NOT_CONDITIONAL",
                              Concat("contract ", contract_id, " is a ", contract.template_(),
                                     ", not a contract with conditions"));
  }
  return contract;
}

absl::Status RequireFunded(const v1::Contract& contract) {
  if (contract.state() == v1::CONTRACT_STATE_FUNDED) return absl::OkStatus();
  return FailedPrecondition("NOT_FUNDED",
                            Concat("contract ", contract.id(), " is not funded and waiting"));
}

bool AwaitsDigest(const v1::Condition& condition, const std::string& digest) {
  switch (condition.kind_case()) {
    case v1::Condition::kAllOf:
      for (const v1::Condition& child : condition.all_of().conditions()) {
        if (AwaitsDigest(child, digest)) return true;
      }
      return false;
    case v1::Condition::kAnyOf:
      for (const v1::Condition& child : condition.any_of().conditions()) {
        if (AwaitsDigest(child, digest)) return true;
      }
      return false;
    case v1::Condition::kThreshold:
      for (const v1::WeightedCondition& child : condition.threshold().children()) {
        if (AwaitsDigest(child.condition(), digest)) return true;
      }
      return false;
    case v1::Condition::kSha256Preimage:
      return condition.sha256_preimage().sha256() == digest;
    default:
      return false;
  }
}

}  // namespace

bool IsConditionalContract(const v1::Contract& contract) { return contract.has_conditional(); }

absl::Status ShapeConditionalContract(ApplyContext& ctx, const v1::Party& caller,
                                      std::string_view template_name,
                                      const v1::ConditionalTerms& terms, v1::Contract& contract) {
  std::set<std::string> party_ids;
  for (const v1::RoleParty& party : terms.parties()) {
    POCHE_RETURN_IF_ERROR(CheckPartyExists(ctx, party.party_id(), party.role()));
    if (!party_ids.insert(party.party_id()).second) {
      return InvalidArgument("SAME_PARTY", Concat("party ", party.party_id(),
                                                  " plays two roles; each role "
                                                  "needs its own party"));
    }
  }
  if (!party_ids.contains(caller.id())) {
    return PermissionDenied("NOT_A_PARTY", "only a party named in the terms can propose them");
  }
  POCHE_ASSIGN_OR_RETURN(std::set<std::string> oracles, CheckNamedOracles(ctx, terms));
  ConditionCheckContext check;
  check.now_unix_ms = ctx.now_unix_ms;
  check.registered_oracle_party_ids = std::move(oracles);
  POCHE_RETURN_IF_ERROR(CheckConditionalTerms(terms, check));
  POCHE_ASSIGN_OR_RETURN(Money locked, Money::FromProto(terms.locked_total()));
  const RoleParties role_parties = RolePartiesOf(terms);
  POCHE_RETURN_IF_ERROR(CheckFunding(ctx, terms, locked, role_parties));
  for (const std::string& role : MoneyRoles(terms)) {
    POCHE_RETURN_IF_ERROR(CheckHasAccount(ctx, role_parties.at(role), role, locked.currency()));
  }

  contract.set_template_(std::string(template_name));
  for (const v1::RoleParty& party : terms.parties()) {
    v1::ContractParty* added = contract.add_parties();
    added->set_role(party.role());
    added->set_party_id(party.party_id());
  }
  for (const v1::FixedAmount& leg : terms.funding()) {
    v1::FundingLeg* added = contract.add_funding_legs();
    added->set_party_id(role_parties.at(leg.role()));
    *added->mutable_amount() = leg.amount();
  }
  contract.set_fund_by_unix_ms(terms.fund_by_unix_ms());
  *contract.mutable_conditional()->mutable_terms() = terms;
  ScheduleDeadline(ctx.transaction, terms.fund_by_unix_ms(), deadline::kFundBy, contract.id());
  for (const v1::ValueSource& source : terms.value_sources()) {
    ctx.transaction->Put(Table::kIndex,
                         keys::EventContract(source.feed(), source.event_id(), contract.id()), "");
    for (const std::string& oracle : source.oracle_party_ids()) {
      ctx.transaction->Put(Table::kIndex, keys::OracleContract(oracle, contract.id()), "");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOraclesStillUsable(const ApplyContext& ctx, const v1::Contract& contract) {
  for (const v1::ValueSource& source : contract.conditional().terms().value_sources()) {
    for (const std::string& id : source.oracle_party_ids()) {
      POCHE_ASSIGN_OR_RETURN(std::optional<v1::Oracle> oracle, FindOracle(ctx, id));
      if (!oracle) return NotFound("ORACLE_NOT_FOUND", Concat("oracle ", id, " is gone"));
      absl::Status standing = CheckOracleInGoodStanding(*oracle);
      if (!standing.ok()) {
        return FailedPrecondition(ReasonOf(standing),
                                  Concat(standing.message(), ": the contract cannot be funded"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status OnConditionalFunded(ApplyContext& ctx, v1::Contract& contract) {
  return DecideFunded(ctx, contract).status();
}

absl::StatusOr<bool> ReevaluateConditional(ApplyContext& ctx, std::string_view contract_id,
                                           const KnownAttestations* known) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadConditional(ctx, contract_id));
  if (contract.state() != v1::CONTRACT_STATE_FUNDED) return false;
  POCHE_ASSIGN_OR_RETURN(bool changed, DecideFunded(ctx, contract, known));
  StoreContract(ctx, contract);
  return changed;
}

absl::StatusOr<bool> DisputeConditional(ApplyContext& ctx, std::string_view contract_id,
                                        std::string_view reason) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadConditional(ctx, contract_id));
  if (contract.state() != v1::CONTRACT_STATE_FUNDED) return false;
  DisputeInPlace(ctx, contract, reason);
  StoreContract(ctx, contract);
  return true;
}

absl::StatusOr<v1::Contract> ApplyEndorseContract(ApplyContext& ctx, const v1::Party& caller,
                                                  const v1::EndorseContract& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadConditional(ctx, action.contract_id()));
  const std::string role = RoleOf(contract, caller.id());
  if (role.empty()) {
    return PermissionDenied(
        "NOT_A_PARTY", Concat("party ", caller.id(), " is not named in contract ", contract.id()));
  }
  POCHE_RETURN_IF_ERROR(RequireFunded(contract));
  v1::ConditionalState& state = *contract.mutable_conditional();
  for (const std::string& endorsed : state.endorsed_roles()) {
    if (endorsed == role) {
      return AlreadyExists("ALREADY_ENDORSED", Concat("the ", role, " has already endorsed"));
    }
  }
  state.add_endorsed_roles(role);
  AddHistory(ctx, contract, Concat(DescribeParty(ctx, contract, caller.id()), " endorsed"));
  POCHE_RETURN_IF_ERROR(DecideFunded(ctx, contract).status());
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplyRevealPreimage(ApplyContext& ctx, const v1::Party& caller,
                                                 const v1::RevealPreimage& action) {
  POCHE_ASSIGN_OR_RETURN(v1::Contract contract, LoadConditional(ctx, action.contract_id()));
  if (action.preimage().size() > limits::kMaxPreimageBytes) {
    return InvalidArgument("TOO_LONG", "a preimage is at most 1024 bytes");
  }
  POCHE_RETURN_IF_ERROR(RequireFunded(contract));
  v1::ConditionalState& state = *contract.mutable_conditional();
  for (const std::string& revealed : state.revealed_preimages()) {
    if (revealed == action.preimage()) {
      return AlreadyExists("ALREADY_REVEALED", "this preimage was already revealed");
    }
  }
  // Only a preimage the terms wait for is kept: otherwise anyone could fill the contract.
  const std::string digest = Sha256(action.preimage());
  bool awaited = false;
  for (const v1::ConditionalBranch& branch : state.terms().branches()) {
    awaited = awaited || AwaitsDigest(branch.condition(), digest);
  }
  if (!awaited) {
    return InvalidArgument("PREIMAGE_NOT_AWAITED",
                           "the contract waits for no value whose SHA-256 is that of these bytes");
  }
  state.add_revealed_preimages(action.preimage());
  AddHistory(ctx, contract,
             Concat(DescribeParty(ctx, contract, caller.id()), " revealed a preimage"));
  POCHE_RETURN_IF_ERROR(DecideFunded(ctx, contract).status());
  StoreContract(ctx, contract);
  return contract;
}

absl::StatusOr<v1::Contract> ApplyDecideConditional(ApplyContext& ctx, const v1::Party& caller,
                                                    v1::Contract contract,
                                                    const v1::DecideContract& action) {
  if (RoleOf(contract, caller.id()) != kArbiterRole) {
    return PermissionDenied("NOT_ALLOWED",
                            Concat("only the arbiter decides contract ", contract.id()));
  }
  if (contract.state() != v1::CONTRACT_STATE_DISPUTED) {
    return FailedPrecondition("NOT_DISPUTED",
                              Concat("contract ", contract.id(), " is not in dispute"));
  }
  // From the hard deadline on the refund table applies, whether or not the scheduler has
  // fired it yet: the outcome must not depend on its timing.
  const int64_t hard_deadline = contract.conditional().terms().hard_deadline_unix_ms();
  if (ctx.now_unix_ms >= hard_deadline) {
    return FailedPrecondition(
        "DEADLINE_PASSED",
        Concat("the arbiter had to decide contract ", contract.id(), " before its hard deadline, ",
               FormatTime(hard_deadline), "; the refund table applies"));
  }
  std::vector<std::string> roles;
  for (const v1::ContractParty& party : contract.parties()) {
    if (party.role() != kArbiterRole) roles.push_back(party.role());
  }
  const std::vector<std::string_view> payee_roles(roles.begin(), roles.end());
  POCHE_RETURN_IF_ERROR(ValidateSplit(contract, action.payouts(), payee_roles));
  const std::vector<v1::Payout> payouts(action.payouts().begin(), action.payouts().end());
  const int64_t next_decision = contract.conditional().next_decision_unix_ms();
  if (next_decision != 0) {
    CancelDeadline(ctx.transaction, next_decision, deadline::kDecide, contract.id());
    contract.mutable_conditional()->set_next_decision_unix_ms(0);
  }
  POCHE_RETURN_IF_ERROR(SettleContract(ctx, contract, payouts, v1::SETTLEMENT_OUTCOME_ARBITRATED,
                                       v1::CONTRACT_STATE_SETTLED));
  AddHistory(ctx, contract,
             Concat("the arbiter decided: paid ", DescribePayouts(ctx, contract, payouts)));
  StoreContract(ctx, contract);
  return contract;
}

absl::Status ApplyConditionalDeadline(ApplyContext& ctx, v1::Contract& contract,
                                      const v1::DeadlineEvent& event) {
  v1::ConditionalState& state = *contract.mutable_conditional();
  if (event.kind() != deadline::kDecide ||
      event.due_at_unix_ms() != state.next_decision_unix_ms()) {
    return absl::OkStatus();
  }
  state.set_next_decision_unix_ms(0);  // fired: the writer removed it
  if (contract.state() == v1::CONTRACT_STATE_FUNDED) {
    POCHE_RETURN_IF_ERROR(DecideFunded(ctx, contract).status());
  } else if (contract.state() == v1::CONTRACT_STATE_DISPUTED &&
             ctx.now_unix_ms >= state.terms().hard_deadline_unix_ms()) {
    POCHE_RETURN_IF_ERROR(RefundInPlace(
        ctx, contract,
        "the dispute was not decided by the hard deadline: the refund table applies"));
  }
  StoreContract(ctx, contract);
  return absl::OkStatus();
}

}  // namespace argentpoche
