// The deposit domain's random operations: create a deposit between a tenant and a
// landlord with an arbiter, sign by all, fund, propose a split, accept, dispute and
// decide; silence, unclaimed deposits and unfunded ones are left to the clock. Invalid
// on purpose: a party named twice, signing twice, other terms, a contract one is not
// in or no longer open, funding unsigned or as the landlord, a split that does not add
// up, accepting one's own proposal, deciding as the tenant or without a dispute.
#include "engine/command_signing.h"
#include "engine/crypto.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;

using ContractFilter = std::function<bool(const ModelContract&)>;

std::vector<std::string> Contracts(Simulation& s, const ContractFilter& keep) {
  std::vector<std::string> ids;
  for (const auto& [id, contract] : s.model().contracts) {
    if (keep(contract)) ids.push_back(id);
  }
  return ids;
}

bool InState(const ModelContract& contract, v1::ContractState state) {
  return contract.state == state;
}

bool Proposed(const ModelContract& c) { return InState(c, v1::CONTRACT_STATE_PROPOSED); }
bool Signed(const ModelContract& c) { return InState(c, v1::CONTRACT_STATE_SIGNED); }
bool Disputed(const ModelContract& c) { return InState(c, v1::CONTRACT_STATE_DISPUTED); }
bool FundedUnclaimed(const ModelContract& c) {
  return InState(c, v1::CONTRACT_STATE_FUNDED) && c.proposal_number == 0;
}
bool ProposalOpen(const ModelContract& c) {
  return InState(c, v1::CONTRACT_STATE_FUNDED) && c.proposal_number > 0;
}

// The workload's plan for a deposit, fixed by its id (a hash, so plans come evenly):
// valid operations follow it so that every release path happens in every run.
enum class Plan { kAgree, kStaySilent, kDispute, kLeaveUnclaimed, kNeverFund, kAnything };

Plan PlanOf(const ModelContract& c) {
  const char last = c.id.back();
  const int digit = last >= 'a' ? last - 'a' + 10 : last - '0';
  return static_cast<Plan>(digit % 6);
}

bool Allows(const ModelContract& c, Plan plan) {
  return PlanOf(c) == plan || PlanOf(c) == Plan::kAnything;
}

std::string ResponderOf(const ModelContract& c) {
  return c.proposer == c.tenant ? c.landlord : c.tenant;
}

void AddPayout(google::protobuf::RepeatedPtrField<v1::Payout>* payouts, const std::string& party,
               const std::string& currency, int64_t minor_units) {
  v1::Payout* payout = payouts->Add();
  payout->set_party_id(party);
  payout->mutable_amount()->set_currency(currency);
  payout->mutable_amount()->set_minor_units(minor_units);
}

// A split of the whole deposit: all to one side, or shared (zeros allowed), either order.
void RandomSplit(Simulation& s, const ModelContract& c,
                 google::protobuf::RepeatedPtrField<v1::Payout>* payouts) {
  const uint64_t shape = s.Below(5);
  if (shape == 0) return AddPayout(payouts, c.tenant, c.currency, c.amount);
  if (shape == 1) return AddPayout(payouts, c.landlord, c.currency, c.amount);
  const int64_t to_landlord = s.Between(0, c.amount);
  const bool landlord_first = s.Percent(50);
  AddPayout(payouts, landlord_first ? c.landlord : c.tenant, c.currency,
            landlord_first ? to_landlord : c.amount - to_landlord);
  AddPayout(payouts, landlord_first ? c.tenant : c.landlord, c.currency,
            landlord_first ? c.amount - to_landlord : to_landlord);
}

// Runs `act` on a random contract matching `keep`.
absl::StatusOr<bool> OnContract(Simulation& s, const ContractFilter& keep,
                                const std::function<absl::Status(const ModelContract&)>& act) {
  const auto ids = Contracts(s, keep);
  if (ids.empty()) return false;
  return Done(act(s.model().contracts.at(s.Pick(ids))));
}

absl::StatusOr<bool> CreateDeposit(Simulation& s, bool arbiter_is_tenant) {
  const auto registered = s.RegisteredParties();
  if (registered.size() < 3) return false;
  const std::string& currency = s.Pick(s.model().currencies);
  std::vector<std::string> holders;
  for (const std::string& id : registered) {
    if (FindAccount(s.model(), keys::PartyAccountId(id, currency))) holders.push_back(id);
  }
  if (holders.size() < 2) return false;
  const std::string tenant = s.Pick(holders);
  std::erase(holders, tenant);
  const std::string landlord = s.Pick(holders);
  std::vector<std::string> others = registered;
  std::erase(others, tenant);
  std::erase(others, landlord);
  const std::string arbiter = arbiter_is_tenant ? tenant : s.Pick(others);
  const int64_t balance = FindAccount(s.model(), keys::PartyAccountId(tenant, currency))->balance;

  v1::ContractTerms terms;
  v1::DepositTerms* deposit = terms.mutable_deposit();
  deposit->set_tenant_party_id(tenant);
  deposit->set_landlord_party_id(landlord);
  deposit->set_arbiter_party_id(arbiter);
  deposit->mutable_amount()->set_currency(currency);
  deposit->mutable_amount()->set_minor_units(balance > 0 && s.Percent(80) ? s.Between(1, balance)
                                                                          : s.Between(1, 100000));
  deposit->set_fund_by_unix_ms(s.now() + s.Between(kHourMs, 48 * kHourMs));
  deposit->set_return_by_unix_ms(deposit->fund_by_unix_ms() +
                                 s.Between(10 * kMinuteMs, 48 * kHourMs));
  deposit->set_contest_window_ms(s.Between(2 * kHourMs, 48 * kHourMs));
  deposit->set_description(Concat("simulated lease ", s.Below(1000)));
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  const std::string& creator = s.Percent(50) ? tenant : landlord;
  return Done(s.Submit(command, s.KeyOf(creator), arbiter_is_tenant ? "SAME_PARTY" : ""));
}

// Signs a proposed contract as one of its parties: one who has not signed yet (or has,
// if `again`), with the terms hash or, if `forged`, another one.
absl::StatusOr<bool> Sign(Simulation& s, const ContractFilter& keep, bool again, bool forged,
                          std::string_view meant) {
  const auto ids = Contracts(s, keep);
  if (ids.empty()) return false;
  const ModelContract& contract = s.model().contracts.at(s.Pick(ids));
  std::vector<std::string> signers;
  for (const std::string& party : {contract.tenant, contract.landlord, contract.arbiter}) {
    const bool has_signed = std::find(contract.signers.begin(), contract.signers.end(), party) !=
                            contract.signers.end();
    if (has_signed == again) signers.push_back(party);
  }
  if (signers.empty()) return false;
  const SigningKey& key = s.KeyOf(s.Pick(signers));
  v1::Command command;
  command.mutable_sign_contract()->set_contract_id(contract.id);
  command.mutable_sign_contract()->set_signature(
      SignContractTerms(forged ? Sha256("other terms") : contract.terms_hash, key));
  return Done(s.Submit(command, key, meant));
}

absl::Status Fund(Simulation& s, const ModelContract& c, const std::string& funder,
                  std::string_view meant) {
  v1::Command command;
  command.mutable_fund_contract()->set_contract_id(c.id);
  if (s.Percent(50)) {
    command.mutable_fund_contract()->set_account_id(keys::PartyAccountId(funder, c.currency));
  }
  return s.Submit(command, s.KeyOf(funder), meant);
}

absl::Status Propose(Simulation& s, const ModelContract& c, bool add_up, std::string_view meant) {
  v1::Command command;
  command.mutable_propose_split()->set_contract_id(c.id);
  if (add_up) {
    RandomSplit(s, c, command.mutable_propose_split()->mutable_payouts());
  } else {
    AddPayout(command.mutable_propose_split()->mutable_payouts(), c.landlord, c.currency,
              c.amount + s.Between(1, 100));
  }
  return s.Submit(command, s.KeyOf(s.Percent(50) ? c.tenant : c.landlord), meant);
}

absl::Status Accept(Simulation& s, const ModelContract& c, const std::string& party,
                    std::string_view meant) {
  v1::Command command;
  command.mutable_accept_split()->set_contract_id(c.id);
  command.mutable_accept_split()->set_proposal_number(c.proposal_number);
  return s.Submit(command, s.KeyOf(party), meant);
}

absl::Status Decide(Simulation& s, const ModelContract& c, const std::string& party,
                    std::string_view meant) {
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(c.id);
  RandomSplit(s, c, command.mutable_decide_contract()->mutable_payouts());
  return s.Submit(command, s.KeyOf(party), meant);
}

}  // namespace

void AddDepositOperations(std::vector<Operation>& operations) {
  operations.push_back(
      {"create a deposit", 3, [](Simulation& s) { return CreateDeposit(s, false); }});
  operations.push_back({"sign a deposit", 14, [](Simulation& s) {
                          return Sign(s, Proposed, /*again=*/false, /*forged=*/false, "");
                        }});
  operations.push_back({"fund a deposit", 12, [](Simulation& s) {
                          const ContractFilter fundable = [](const ModelContract& c) {
                            return Signed(c) && PlanOf(c) != Plan::kNeverFund;
                          };
                          return OnContract(s, fundable, [&](const ModelContract& c) {
                            return Fund(s, c, c.tenant, "");
                          });
                        }});
  operations.push_back({"propose a split", 8, [](Simulation& s) {
                          const ContractFilter claimable = [](const ModelContract& c) {
                            return FundedUnclaimed(c) && PlanOf(c) != Plan::kLeaveUnclaimed;
                          };
                          return OnContract(s, claimable, [&](const ModelContract& c) {
                            return Propose(s, c, true, "");
                          });
                        }});
  operations.push_back({"accept a split", 6, [](Simulation& s) {
                          const ContractFilter acceptable = [](const ModelContract& c) {
                            return ProposalOpen(c) && Allows(c, Plan::kAgree);
                          };
                          return OnContract(s, acceptable, [&](const ModelContract& c) {
                            return Accept(s, c, ResponderOf(c), "");
                          });
                        }});
  operations.push_back({"dispute a split", 6, [](Simulation& s) {
                          const ContractFilter disputable = [](const ModelContract& c) {
                            return ProposalOpen(c) && Allows(c, Plan::kDispute);
                          };
                          return OnContract(s, disputable, [&](const ModelContract& c) {
                            v1::Command command;
                            command.mutable_dispute_contract()->set_contract_id(c.id);
                            command.mutable_dispute_contract()->set_reason(
                                "the flat was not clean");
                            return s.Submit(command, s.KeyOf(ResponderOf(c)));
                          });
                        }});
  operations.push_back({"decide a dispute", 6, [](Simulation& s) {
                          return OnContract(s, Disputed, [&](const ModelContract& c) {
                            return Decide(s, c, c.arbiter, "");
                          });
                        }});

  // Deliberately invalid: each must be refused with exactly this reason.
  operations.push_back({"create a deposit naming a party twice", 1,
                        [](Simulation& s) { return CreateDeposit(s, true); }});
  operations.push_back({"sign twice", 1, [](Simulation& s) {
                          return Sign(s, Proposed, true, false, "ALREADY_SIGNED");
                        }});
  operations.push_back({"sign other terms", 1, [](Simulation& s) {
                          return Sign(s, Proposed, false, true, "BAD_SIGNATURE");
                        }});
  operations.push_back({"sign a contract no longer open", 1, [](Simulation& s) {
                          return Sign(
                              s, [](const ModelContract& c) { return !Proposed(c); }, true, false,
                              "WRONG_STATE");
                        }});
  operations.push_back(
      {"sign a contract one is not in", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         const auto ids = Contracts(s, [](auto&) { return true; });
         if (ids.empty()) return false;
         const ModelContract& c = s.model().contracts.at(s.Pick(ids));
         std::vector<std::string> outsiders = s.RegisteredParties();
         std::erase_if(outsiders, [&](const std::string& id) {
           return id == c.tenant || id == c.landlord || id == c.arbiter;
         });
         if (outsiders.empty()) return false;
         const SigningKey& key = s.KeyOf(s.Pick(outsiders));
         v1::Command command;
         command.mutable_sign_contract()->set_contract_id(c.id);
         command.mutable_sign_contract()->set_signature(SignContractTerms(c.terms_hash, key));
         return Done(s.Submit(command, key, "NOT_A_PARTY"));
       }});
  operations.push_back({"fund before every signature", 1, [](Simulation& s) {
                          return OnContract(s, Proposed, [&](const ModelContract& c) {
                            return Fund(s, c, c.tenant, "NOT_SIGNED");
                          });
                        }});
  operations.push_back(
      {"fund as the landlord", 1, [](Simulation& s) {
         return OnContract(
             s, [](auto&) { return true; },
             [&](const ModelContract& c) { return Fund(s, c, c.landlord, "NOT_A_FUNDER"); });
       }});
  operations.push_back({"propose a split that does not add up", 1, [](Simulation& s) {
                          return OnContract(s, FundedUnclaimed, [&](const ModelContract& c) {
                            return Propose(s, c, false, "SPLIT_MISMATCH");
                          });
                        }});
  operations.push_back({"accept one's own proposal", 1, [](Simulation& s) {
                          return OnContract(s, ProposalOpen, [&](const ModelContract& c) {
                            return Accept(s, c, c.proposer, "OWN_PROPOSAL");
                          });
                        }});
  operations.push_back({"decide as the tenant", 1, [](Simulation& s) {
                          return OnContract(s, Disputed, [&](const ModelContract& c) {
                            return Decide(s, c, c.tenant, "NOT_ALLOWED");
                          });
                        }});
  operations.push_back({"decide without a dispute", 1, [](Simulation& s) {
                          return OnContract(s, FundedUnclaimed, [&](const ModelContract& c) {
                            return Decide(s, c, c.arbiter, "NOT_DISPUTED");
                          });
                        }});
}

}  // namespace argentpoche::simulation
