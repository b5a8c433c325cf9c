#include "tests/simulation/deposit_compare.h"

#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/simulation/domain.h"

namespace argentpoche::simulation {
namespace {

absl::Status CompareReceipt(const Model& model, const ModelContract& expected,
                            const v1::Contract& stored) {
  if (!IsFinal(expected.state)) {
    if (!stored.has_receipt()) return absl::OkStatus();
    return Violation(Concat("contract ", expected.id, " has a receipt before it ended"));
  }
  const absl::StatusOr<std::string> payload =
      OpenEnvelope(stored.receipt(), domain::kReceipt, model.receipt_public_key);
  v1::SettlementReceipt receipt;
  if (!payload.ok() || !receipt.ParseFromString(*payload)) {
    return Violation(Concat("the receipt of contract ", expected.id, " does not verify"));
  }
  if (receipt.contract_id() != expected.id || receipt.terms_hash() != expected.terms_hash ||
      receipt.outcome() != expected.outcome ||
      !SamePayouts(receipt.payouts(), expected.settled_payouts, expected.currency)) {
    return Violation(Concat("the receipt of contract ", expected.id, " says ",
                            v1::SettlementOutcome_Name(receipt.outcome()), " with ",
                            receipt.payouts_size(), " payouts; the model expects ",
                            v1::SettlementOutcome_Name(expected.outcome), " with ",
                            expected.settled_payouts.size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CompareContract(const Model& model, const ModelContract& expected,
                             const v1::Contract& stored) {
  bool same = stored.id() == expected.id && stored.terms() == expected.terms &&
              stored.terms_hash() == expected.terms_hash && stored.state() == expected.state &&
              stored.fund_by_unix_ms() == expected.fund_by_unix_ms && stored.parties_size() == 3 &&
              stored.parties(0).party_id() == expected.tenant &&
              stored.parties(1).party_id() == expected.landlord &&
              stored.parties(2).party_id() == expected.arbiter &&
              stored.signatures_size() == static_cast<int>(expected.signers.size()) &&
              stored.funding_legs_size() == 1 &&
              stored.funding_legs(0).party_id() == expected.tenant &&
              stored.funding_legs(0).amount().minor_units() == expected.amount &&
              stored.funding_legs(0).hold_id() == expected.hold_id &&
              stored.proposal().number() == expected.proposal_number &&
              stored.proposal().proposer_party_id() == expected.proposer &&
              stored.proposal().contest_by_unix_ms() == expected.contest_by_unix_ms &&
              SamePayouts(stored.proposal().payouts(), expected.proposal, expected.currency) &&
              stored.dispute().party_id() == expected.disputed_by;
  for (size_t i = 0; same && i < expected.signers.size(); ++i) {
    same = stored.signatures(static_cast<int>(i)).party_id() == expected.signers[i];
  }
  if (!same) {
    return Violation(
        Concat("contract ", expected.id, " is ", v1::ContractState_Name(stored.state()), " with ",
               stored.signatures_size(), " signatures, proposal ", stored.proposal().number(),
               "; the model expects ", v1::ContractState_Name(expected.state), " with ",
               expected.signers.size(), " signatures, proposal ", expected.proposal_number));
  }
  return CompareReceipt(model, expected, stored);
}

bool SamePayouts(const google::protobuf::RepeatedPtrField<v1::Payout>& stored,
                 const std::vector<Share>& expected, const std::string& currency) {
  if (stored.size() != static_cast<int>(expected.size())) return false;
  for (size_t i = 0; i < expected.size(); ++i) {
    const v1::Payout& payout = stored[static_cast<int>(i)];
    if (payout.party_id() != expected[i].to || payout.amount().currency() != currency ||
        payout.amount().minor_units() != expected[i].minor_units) {
      return false;
    }
  }
  return true;
}

}  // namespace argentpoche::simulation
