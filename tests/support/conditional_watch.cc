#include "tests/support/conditional_watch.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "argentpoche/v1/ledger.pb.h"
#include "engine/envelope.h"
#include "engine/strings.h"

namespace argentpoche::testing {
namespace {

absl::Status Violation(const std::string& what) { return absl::FailedPreconditionError(what); }

bool IsOpen(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SIGNED || state == v1::CONTRACT_STATE_FUNDED ||
         state == v1::CONTRACT_STATE_DISPUTED;
}

// The states a contract may reach in one step from `from` (funding may also decide).
bool LegalStep(v1::ContractState from, v1::ContractState to) {
  if (from == to) return true;
  switch (from) {
    case v1::CONTRACT_STATE_PROPOSED:
      return to == v1::CONTRACT_STATE_SIGNED || to == v1::CONTRACT_STATE_EXPIRED;
    case v1::CONTRACT_STATE_SIGNED:
      return to != v1::CONTRACT_STATE_PROPOSED;
    case v1::CONTRACT_STATE_FUNDED:
      return to == v1::CONTRACT_STATE_SETTLED || to == v1::CONTRACT_STATE_REFUNDED ||
             to == v1::CONTRACT_STATE_DISPUTED;
    case v1::CONTRACT_STATE_DISPUTED:
      return to == v1::CONTRACT_STATE_SETTLED || to == v1::CONTRACT_STATE_REFUNDED;
    default:
      return false;
  }
}

// Party id -> amount, zero amounts left out.
std::map<std::string, int64_t> ByParty(const google::protobuf::RepeatedPtrField<v1::Payout>& paid) {
  std::map<std::string, int64_t> by_party;
  for (const v1::Payout& payout : paid)
    by_party[payout.party_id()] += payout.amount().minor_units();
  std::erase_if(by_party, [](const auto& entry) { return entry.second == 0; });
  return by_party;
}

// The facts of a conditional contract only grow, and a fixed value stays as it was.
absl::Status CheckFactsKept(const v1::ConditionalState& before, const v1::ConditionalState& after) {
  if (after.values_size() < before.values_size() ||
      after.endorsed_roles_size() < before.endorsed_roles_size() ||
      after.revealed_preimages_size() < before.revealed_preimages_size()) {
    return Violation("forgot a fact");
  }
  for (int i = 0; i < before.values_size(); ++i) {
    if (before.values(i).SerializeAsString() != after.values(i).SerializeAsString()) {
      return Violation("changed a fixed value");
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsFinal(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED ||
         state == v1::CONTRACT_STATE_EXPIRED;
}

ContractWatch::ContractWatch(const ConditionalWorld& world, std::string receipt_public_key,
                             WorldCounts& counts)
    : world_(world), receipt_public_key_(std::move(receipt_public_key)), counts_(counts) {}

absl::Status ContractWatch::Observe(TrackedContract& tracked, const v1::Contract& now,
                                    const std::set<int>& flagged_before,
                                    const std::set<int>& flagged_now) {
  const v1::ContractState from = tracked.last.state();
  const v1::ContractState to = now.state();
  const std::string name = Concat("contract ", tracked.id, " ");
  if (!LegalStep(from, to)) {
    return Violation(
        Concat(name, "went from ", ContractState_Name(from), " to ", ContractState_Name(to)));
  }
  if (IsFinal(from) && now.SerializeAsString() != tracked.last.SerializeAsString()) {
    return Violation(Concat(name, "changed after it ended"));
  }
  absl::Status kept = CheckFactsKept(tracked.last.conditional(), now.conditional());
  if (!kept.ok()) return Violation(Concat(name, kept.message()));
  if ((to == v1::CONTRACT_STATE_FUNDED || to == v1::CONTRACT_STATE_DISPUTED) &&
      std::any_of(now.funding_legs().begin(), now.funding_legs().end(),
                  [](const v1::FundingLeg& leg) { return leg.hold_id().empty(); })) {
    return Violation(Concat(name, "is ", ContractState_Name(to), " with a leg not locked"));
  }
  for (int oracle : tracked.oracles) {
    if (to == v1::CONTRACT_STATE_FUNDED && flagged_now.contains(oracle)) {
      return Violation(Concat(name, "is still funded and waiting on flagged oracle ", oracle));
    }
    if (to == v1::CONTRACT_STATE_SETTLED && from != to && now.conditional().settled_branch() != 0 &&
        flagged_before.contains(oracle)) {
      return Violation(Concat(name, "settled by a branch after oracle ", oracle, " was flagged"));
    }
  }
  if (to == v1::CONTRACT_STATE_DISPUTED && !tracked.ever_disputed) {
    tracked.ever_disputed = true;
    ++counts_.disputed;
  }
  if (IsFinal(to) && !IsFinal(from)) {
    absl::Status receipt = CheckReceipt(tracked, now);
    if (!receipt.ok()) return Violation(Concat(name, receipt.message()));
  }
  tracked.last = now;
  return absl::OkStatus();
}

absl::Status ContractWatch::CheckReceipt(const TrackedContract& tracked,
                                         const v1::Contract& contract) {
  absl::StatusOr<std::string> payload =
      OpenEnvelope(contract.receipt(), domain::kReceipt, receipt_public_key_);
  v1::SettlementReceipt receipt;
  if (!payload.ok() || !receipt.ParseFromString(*payload)) {
    return Violation("has no valid receipt");
  }
  if (receipt.contract_id() != tracked.id || receipt.terms_hash() != contract.terms_hash()) {
    return Violation("has the receipt of another contract");
  }
  const v1::Money& locked = tracked.terms.locked_total();
  int64_t expected = locked.minor_units();
  if (contract.state() == v1::CONTRACT_STATE_EXPIRED) {
    expected = 0;
    for (const v1::FundingLeg& leg : contract.funding_legs()) {
      if (!leg.hold_id().empty()) expected += leg.amount().minor_units();
    }
  }
  int64_t paid = 0;
  for (const v1::Payout& payout : receipt.payouts()) {
    const int64_t amount = payout.amount().minor_units();
    if (amount < 0 || amount > locked.minor_units() ||
        payout.amount().currency() != locked.currency()) {
      return Violation(Concat("pays ", amount, " ", payout.amount().currency(), " of ",
                              locked.minor_units(), " ", locked.currency()));
    }
    paid += amount;
  }
  if (paid != expected) return Violation(Concat("pays out ", paid, " instead of ", expected));
  const v1::SettlementOutcome outcome = receipt.outcome();
  if (contract.state() == v1::CONTRACT_STATE_SETTLED) {
    if (outcome == v1::SETTLEMENT_OUTCOME_ARBITRATED) {
      ++counts_.arbitrated;
      return absl::OkStatus();
    }
    if (outcome != v1::SETTLEMENT_OUTCOME_CONDITION_MET ||
        contract.conditional().settled_branch() <= 0) {
      return Violation(Concat("settled with outcome ", SettlementOutcome_Name(outcome)));
    }
    ++counts_.settled_by_branch;
    return absl::OkStatus();
  }
  if (contract.state() == v1::CONTRACT_STATE_EXPIRED) {
    ++counts_.expired;
    if (outcome != v1::SETTLEMENT_OUTCOME_EXPIRED) return Violation("expired without saying so");
    return absl::OkStatus();
  }
  ++counts_.refunded;
  google::protobuf::RepeatedPtrField<v1::Payout> table;
  for (const v1::FixedAmount& amount : tracked.terms.refund().amounts()) {
    v1::Payout* payout = table.Add();
    payout->set_party_id(world_.key(tracked.key_of_role.at(amount.role())).key_id());
    *payout->mutable_amount() = amount.amount();
  }
  if (outcome != v1::SETTLEMENT_OUTCOME_REFUNDED || ByParty(receipt.payouts()) != ByParty(table)) {
    return Violation("was refunded otherwise than by its refund table");
  }
  return absl::OkStatus();
}

absl::Status ContractWatch::CheckAccounts(const Store& store,
                                          const std::vector<TrackedContract>& contracts) const {
  std::map<std::string, int64_t> expected;
  for (const TrackedContract& tracked : contracts) {
    if (!IsOpen(tracked.last.state())) continue;
    for (const v1::FundingLeg& leg : tracked.last.funding_legs()) {
      if (!leg.hold_id().empty()) expected[leg.amount().currency()] += leg.amount().minor_units();
    }
  }
  std::map<std::string, int64_t> held;
  std::string negative;
  absl::Status scanned = store.Scan(
      Table::kAccounts, "", "", SIZE_MAX, [&](std::string_view id, std::string_view value) {
        v1::Account account;
        if (!account.ParseFromString(std::string(value))) return false;
        const bool issuer = id.starts_with("float:") || id.starts_with("offline:");
        if (!issuer && account.balance().minor_units() < 0) negative = std::string(id);
        if (id.starts_with("hold:")) {
          held[account.balance().currency()] += account.balance().minor_units();
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!negative.empty()) return Violation(Concat("account ", negative, " is negative"));
  std::erase_if(held, [](const auto& entry) { return entry.second == 0; });
  std::erase_if(expected, [](const auto& entry) { return entry.second == 0; });
  if (held != expected) {
    return Violation("the hold accounts do not hold exactly the open contracts' locked legs");
  }
  return absl::OkStatus();
}

}  // namespace argentpoche::testing
