#include "tests/fuzz/fuzz_conditional_checks.h"

#include <optional>
#include <set>
#include <string>

#include "argentpoche/v1/ledger.pb.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/fuzz/fuzz_checks.h"

namespace argentpoche::fuzz {
namespace {

bool IsFinal(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED ||
         state == v1::CONTRACT_STATE_EXPIRED;
}

std::optional<v1::Hold> StoredHold(const Store& store, std::string_view hold_id) {
  absl::StatusOr<std::optional<std::string>> bytes = store.Get(Table::kHolds, hold_id);
  CheckOk(bytes.status(), "store read");
  if (!bytes->has_value()) return std::nullopt;
  v1::Hold hold;
  Check(hold.ParseFromString(**bytes), "a stored hold parses");
  return hold;
}

std::optional<v1::Party> StoredParty(const Store& store, std::string_view party_id) {
  absl::StatusOr<std::optional<std::string>> bytes = store.Get(Table::kParties, party_id);
  CheckOk(bytes.status(), "store read");
  if (!bytes->has_value()) return std::nullopt;
  v1::Party party;
  Check(party.ParseFromString(**bytes), "a stored party parses");
  return party;
}

// Checks the legs and their holds; returns what is locked (funded legs).
int64_t CheckLegs(const Store& store, const v1::Contract& contract, const std::string& what) {
  const v1::ConditionalTerms& terms = contract.conditional().terms();
  int64_t legs = 0, locked = 0;
  bool all_funded = true;
  for (const v1::FundingLeg& leg : contract.funding_legs()) {
    Check(leg.amount().currency() == terms.locked_total().currency() &&
              leg.amount().minor_units() > 0,
          Concat(what, ": a funding leg in another currency or of nothing"));
    legs += leg.amount().minor_units();
    if (leg.hold_id().empty()) {
      all_funded = false;
      continue;
    }
    locked += leg.amount().minor_units();
    const std::optional<v1::Hold> hold = StoredHold(store, leg.hold_id());
    Check(hold.has_value() && hold->contract_id() == contract.id() &&
              hold->amount().minor_units() == leg.amount().minor_units(),
          Concat(what, ": a leg's hold is missing, another's or of another amount"));
    Check((hold->state() == v1::HOLD_STATE_PENDING) == !IsFinal(contract.state()),
          Concat(what, ": a leg's hold state does not match the contract's"));
  }
  Check(legs == terms.locked_total().minor_units(),
        Concat(what, ": the legs do not add up to the lock"));
  const v1::ContractState state = contract.state();
  if (state == v1::CONTRACT_STATE_FUNDED || state == v1::CONTRACT_STATE_DISPUTED ||
      state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED) {
    Check(all_funded, Concat(what, " ended or waits with a leg not funded"));
  }
  return locked;
}

void CheckReceipt(const v1::Contract& contract, std::string_view receipt_public_key, int64_t locked,
                  const std::string& what) {
  Check(contract.has_receipt() == IsFinal(contract.state()),
        Concat(what, ": a receipt without an end, or the reverse"));
  if (!contract.has_receipt() || receipt_public_key.empty()) return;
  absl::StatusOr<std::string> payload =
      OpenEnvelope(contract.receipt(), domain::kReceipt, receipt_public_key);
  CheckOk(payload.status(), Concat(what, ": the receipt does not open"));
  v1::SettlementReceipt receipt;
  Check(receipt.ParseFromString(*payload), Concat(what, ": the receipt parses"));
  Check(receipt.contract_id() == contract.id() && receipt.terms_hash() == contract.terms_hash(),
        Concat(what, ": the receipt names another contract"));
  std::set<std::string> parties;
  for (const v1::ContractParty& party : contract.parties()) parties.insert(party.party_id());
  int64_t paid = 0;
  for (const v1::Payout& payout : receipt.payouts()) {
    Check(payout.amount().minor_units() >= 0 && parties.contains(payout.party_id()),
          Concat(what, ": the receipt pays a negative amount or an outsider"));
    paid += payout.amount().minor_units();
  }
  Check(paid == locked, Concat(what, ": the receipt pays ", paid, " of ", locked, " locked"));
  Check((contract.conditional().settled_branch() != 0) ==
            (receipt.outcome() == v1::SETTLEMENT_OUTCOME_CONDITION_MET),
        Concat(what, ": a settled branch without a settlement by condition, or the reverse"));
}

}  // namespace

void CheckConditionalContract(const Store& store, const v1::Contract& contract,
                              std::string_view receipt_public_key) {
  const std::string what = Concat(contract.template_(), " contract ", contract.id());
  Check(contract.has_conditional(), Concat(what, " has no conditional state"));
  Check(contract.terms_hash() == Sha256(TaggedBytes(domain::kContractTerms, contract.terms())),
        Concat(what, ": the terms hash is not the hash of the terms"));
  const v1::ConditionalTerms& terms = contract.conditional().terms();
  Check(contract.parties_size() == terms.parties_size(),
        Concat(what, ": its parties are not the terms'"));
  std::set<std::string> signers;
  for (const v1::ContractSignature& signature : contract.signatures()) {
    bool named = false;
    for (const v1::ContractParty& party : contract.parties()) {
      named = named || party.party_id() == signature.party_id();
    }
    Check(named && signers.insert(signature.party_id()).second,
          Concat(what, ": an outsider signed, or a party twice"));
    const std::optional<v1::Party> party = StoredParty(store, signature.party_id());
    Check(party.has_value() &&
              (receipt_public_key.empty() ||
               VerifySignature(party->public_key(),
                               TaggedBytes(domain::kContractSignature, contract.terms_hash()),
                               signature.signature())),
          Concat(what, ": a signature does not verify"));
  }
  const v1::ContractState state = contract.state();
  Check(state >= v1::CONTRACT_STATE_PROPOSED && state <= v1::CONTRACT_STATE_DISPUTED,
        Concat(what, " is in no known state"));
  const bool fully_signed = contract.signatures_size() == contract.parties_size();
  Check(fully_signed == (state != v1::CONTRACT_STATE_PROPOSED) ||
            (state == v1::CONTRACT_STATE_EXPIRED && !fully_signed),
        Concat(what, ": its signatures do not match its state"));
  const int64_t locked = CheckLegs(store, contract, what);
  CheckReceipt(contract, receipt_public_key, locked, what);
}

}  // namespace argentpoche::fuzz
