// Fuzz target: contract terms (tests/fuzz/README.md). The terms are the bytes every
// party signs, written by whoever proposes the contract.
//
// Input: a flags byte, then the bytes given as the terms of a CreateContract, signed by
// the tenant (flags bit 0 clear) or the landlord (set). The engine must refuse them or
// accept them without crashing. An accepted contract must be stored as answered,
// PROPOSED, made of exactly these terms, and consistent (FuzzEngine::CheckContract).
// Flags bits 1-2 then take it further, checking states and balances at each step:
//   0: no further;
//   1: every party signs (the tenant, the landlord, then the arbiter), and the tenant
//      funds it;
//   2: and then the landlord claims everything and the tenant accepts;
//   3: or the clock reaches the return deadline: the tenant is refunded.
//
// Flags scripts/fuzz adds for this target: each input runs the engine, so libFuzzer's
// entropic scheduler costs more than the input itself (every run reports thousands of
// features; -entropic=0 runs about 7 times more inputs). libFuzzer's leak check after an
// input runs while the engine's threads still do, and LeakSanitizer does not see a
// pointer a running thread holds only in a vector register: once in some 7500 inputs it
// reported the responder thread's fresh queue as leaked, a report no rerun reproduced.
// The replay tests (ASan build, leak checking on, the engine closed first) check these
// inputs for leaks instead. The dictionary gives integer fields their extreme values.
// libFuzzer flags: -entropic=0 -detect_leaks=0 -dict=tests/fuzz/protobuf.dict
#include <cstddef>
#include <cstdint>
#include <string>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "engine/command_signing.h"
#include "engine/deposit.h"
#include "engine/keys.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

int64_t Balance(FuzzEngine& fuzz, Actor actor, const std::string& currency) {
  absl::StatusOr<v1::Account> account =
      fuzz.engine().GetAccount(keys::PartyAccountId(PartyIdOf(actor), currency));
  CheckOk(account.status(), "a base account exists");
  return account->balance().minor_units();
}

// Runs a command the contract's state allows; aborts if it is refused.
void MustAdvance(FuzzEngine& fuzz, v1::Command command, Actor signer, v1::ContractState expected,
                 std::string_view what) {
  absl::StatusOr<v1::CommandResult> result = fuzz.Run(std::move(command), signer);
  CheckOk(result.status(), what);
  Check(result->has_contract() && result->contract().state() == expected, what);
  fuzz.CheckContract(result->contract());
}

// The cast member with `party_id` (every registered party is one).
Actor ActorOf(const std::string& party_id) {
  for (int index = 0; index < kActorCount; ++index) {
    if (PartyIdOf(static_cast<Actor>(index)) == party_id) return static_cast<Actor>(index);
  }
  Check(false, "a party of accepted terms is registered");
  return Actor::kStranger;
}

v1::Command Named(std::string_view request_id) {
  v1::Command command;
  command.set_request_id(std::string(request_id));
  return command;
}

void Run(FuzzEngine& fuzz, uint8_t flags, std::string terms_bytes) {
  const Actor proposer = (flags & 1) == 0 ? Actor::kTenant : Actor::kLandlord;
  v1::Command create = Named("terms");
  create.mutable_create_contract()->set_terms(terms_bytes);
  const uint64_t commits = fuzz.commits();
  absl::StatusOr<v1::CommandResult> created = fuzz.Run(create, proposer);
  if (!created.ok()) {
    Check(fuzz.commits() == commits, "refused terms commit nothing");
    return;
  }
  const v1::Contract& contract = created->contract();
  fuzz.CheckContract(contract);
  Check(contract.state() == v1::CONTRACT_STATE_PROPOSED && contract.signatures().empty() &&
            contract.terms() == terms_bytes &&
            contract.created_by_party_id() == PartyIdOf(proposer),
        "a new contract is proposed, unsigned, with the terms as sent");
  v1::ContractTerms terms;
  Check(terms.ParseFromString(terms_bytes) && terms.has_deposit(), "accepted terms parse");
  const v1::DepositTerms& deposit = terms.deposit();
  Check(contract.fund_by_unix_ms() == deposit.fund_by_unix_ms() &&
            deposit.fund_by_unix_ms() > fuzz.clock().NowUnixMs() &&
            deposit.return_by_unix_ms() > deposit.fund_by_unix_ms(),
        "accepted deadlines are ordered and ahead");
  const int mode = (flags >> 1) & 3;
  if (mode == 0) return;

  // The terms may cast any registered party in any role.
  const Actor tenant = ActorOf(deposit.tenant_party_id());
  const Actor landlord = ActorOf(deposit.landlord_party_id());
  const Actor arbiter = ActorOf(deposit.arbiter_party_id());
  for (Actor actor : {tenant, landlord, arbiter}) {
    v1::Command sign = Named("sign");
    sign.mutable_sign_contract()->set_contract_id(contract.id());
    sign.mutable_sign_contract()->set_signature(
        SignContractTerms(contract.terms_hash(), KeyOf(actor)));
    MustAdvance(fuzz, sign, actor,
                actor == arbiter ? v1::CONTRACT_STATE_SIGNED : v1::CONTRACT_STATE_PROPOSED,
                "a party of the terms can sign them");
  }
  const std::string& currency = deposit.amount().currency();
  const int64_t amount = deposit.amount().minor_units();
  const int64_t tenant_before = Balance(fuzz, tenant, currency);
  const int64_t landlord_before = Balance(fuzz, landlord, currency);
  v1::Command fund = Named("fund");
  fund.mutable_fund_contract()->set_contract_id(contract.id());
  absl::StatusOr<v1::CommandResult> funded = fuzz.Run(fund, tenant);
  if (!funded.ok()) {
    // The only reason a signed deposit cannot be funded before its deadline.
    Check(amount > tenant_before, "a tenant with the money can fund the deposit");
    return;
  }
  Check(funded->contract().state() == v1::CONTRACT_STATE_FUNDED, "funding locks the deposit");
  fuzz.CheckContract(funded->contract());
  Check(Balance(fuzz, tenant, currency) == tenant_before - amount,
        "funding takes the deposit from the tenant");
  if (mode == 1) return;

  if (mode == 2) {
    v1::Command propose = Named("claim");
    v1::Payout* payout = propose.mutable_propose_split()->add_payouts();
    payout->set_party_id(deposit.landlord_party_id());
    *payout->mutable_amount() = deposit.amount();
    propose.mutable_propose_split()->set_contract_id(contract.id());
    MustAdvance(fuzz, propose, landlord, v1::CONTRACT_STATE_FUNDED,
                "the landlord can claim the deposit");
    v1::Command accept = Named("accept");
    accept.mutable_accept_split()->set_contract_id(contract.id());
    accept.mutable_accept_split()->set_proposal_number(1);
    MustAdvance(fuzz, accept, tenant, v1::CONTRACT_STATE_SETTLED,
                "the tenant can accept the claim");
    Check(Balance(fuzz, landlord, currency) == landlord_before + amount,
          "the landlord is paid the deposit");
    return;
  }

  fuzz.AdvanceAndFire(deposit.return_by_unix_ms() - fuzz.clock().NowUnixMs());
  absl::StatusOr<v1::Contract> refunded = fuzz.engine().GetContract(contract.id());
  CheckOk(refunded.status(), "the contract is stored");
  Check(refunded->state() == v1::CONTRACT_STATE_REFUNDED, "an unclaimed deposit is refunded");
  fuzz.CheckContract(*refunded);
  // Other deadlines of the base state fire too: look at this deposit's hold alone.
  absl::StatusOr<v1::Hold> hold = fuzz.engine().GetHold(refunded->funding_legs(0).hold_id());
  CheckOk(hold.status(), "the deposit's hold is stored");
  Check(hold->state() == v1::HOLD_STATE_RELEASED && hold->payouts_size() == 1 &&
            hold->payouts(0).account_id() ==
                keys::PartyAccountId(deposit.tenant_party_id(), currency) &&
            hold->payouts(0).amount().minor_units() == amount,
        "the refund gives the tenant the whole deposit back");
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  argentpoche::fuzz::FuzzEngine& fuzz = argentpoche::fuzz::EngineInBaseState();
  argentpoche::fuzz::Run(fuzz, data[0],
                         std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (!fuzz.InBaseState()) fuzz.CheckInvariants();
  return 0;
}
