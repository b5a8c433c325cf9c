// The conditional contracts' random operations: create a weather cover, an option, an
// escrow with a secret or a rain threshold (conditional_terms.h), sign by every party, fund
// every leg (some contracts are left unfunded to expire), endorse, reveal the secret, and
// the arbiter's decision after a dispute; the clock jumps to a contract's next moment
// (an observation time, a decision, a hard deadline). Invalid on purpose: naming a flagged
// oracle or a party that is no oracle, insuring oneself, signing twice, endorsing twice or
// before funding, a wrong preimage, a decision by another party than the arbiter, funding
// a contract whose oracle can no longer be relied on.
#include "engine/command_signing.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "tests/simulation/conditional_rules.h"
#include "tests/simulation/conditional_terms.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
// Conditional contracts not yet ended, and not yet funded, at most, before creating more.
constexpr size_t kMaxLive = 14;
constexpr size_t kMaxOpen = 3;

using Filter = std::function<bool(const ModelConditional&)>;

std::vector<std::string> Contracts(Simulation& s, const Filter& keep) {
  std::vector<std::string> ids;
  for (const auto& [id, contract] : s.model().oracle.contracts) {
    if (keep(contract)) ids.push_back(id);
  }
  return ids;
}

absl::StatusOr<bool> OnContract(Simulation& s, const Filter& keep,
                                const std::function<absl::Status(const ModelConditional&)>& act) {
  const auto ids = Contracts(s, keep);
  if (ids.empty()) return false;
  return Done(act(s.model().oracle.contracts.at(s.Pick(ids))));
}

bool InState(const ModelConditional& c, v1::ContractState state) { return c.state == state; }

// One contract in eight is never funded: it expires at its fund-by deadline.
bool NeverFunded(const ModelConditional& c) { return c.id.back() % 8 == 0; }

absl::StatusOr<bool> Create(Simulation& s, v1::ContractTerms (*make)(Simulation&, const Cast&),
                            bool with_oracles) {
  size_t live = 0, open = 0;
  for (const auto& [id, contract] : s.model().oracle.contracts) {
    live += contract.Waiting() || contract.state == v1::CONTRACT_STATE_DISPUTED;
    open += contract.state == v1::CONTRACT_STATE_PROPOSED ||
            contract.state == v1::CONTRACT_STATE_SIGNED;
  }
  Cast cast;
  if (live >= kMaxLive || open >= kMaxOpen || !PickCast(s, with_oracles, cast)) return false;
  v1::Command command;
  command.mutable_create_contract()->set_terms(make(s, cast).SerializeAsString());
  return Done(s.Submit(command, s.KeyOf(s.Percent(50) ? cast.principal : cast.counterpart)));
}

// A cover with a cast changed by `change`, meant to be refused as `meant`.
absl::StatusOr<bool> CreateInvalidCover(Simulation& s, const std::function<bool(Cast&)>& change,
                                        std::string_view meant) {
  Cast cast;
  if (!PickCast(s, true, cast) || !change(cast)) return false;
  v1::Command command;
  command.mutable_create_contract()->set_terms(WeatherCover(s, cast).SerializeAsString());
  return Done(s.Submit(command, s.KeyOf(cast.counterpart), meant));
}

absl::Status Sign(Simulation& s, const ModelConditional& c, const std::string& party,
                  std::string_view meant) {
  v1::Command command;
  command.mutable_sign_contract()->set_contract_id(c.id);
  command.mutable_sign_contract()->set_signature(SignContractTerms(c.terms_hash, s.KeyOf(party)));
  return s.Submit(command, s.KeyOf(party), meant);
}

absl::Status Endorse(Simulation& s, const ModelConditional& c, const std::string& party,
                     std::string_view meant) {
  v1::Command command;
  command.mutable_endorse_contract()->set_contract_id(c.id);
  return s.Submit(command, s.KeyOf(party), meant);
}

absl::Status Reveal(Simulation& s, const ModelConditional& c, const std::string& preimage,
                    std::string_view meant) {
  v1::Command command;
  command.mutable_reveal_preimage()->set_contract_id(c.id);
  command.mutable_reveal_preimage()->set_preimage(preimage);
  return s.Submit(command, s.KeyOf(s.Pick(s.RegisteredParties())), meant);
}

absl::Status Decide(Simulation& s, const ModelConditional& c, const std::string& by,
                    std::string_view meant) {
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(c.id);
  int64_t left = c.locked;
  for (const auto& [role, party] : c.parties) {
    if (role == "arbiter") continue;
    const bool last = role == c.parties[1].first;
    const int64_t share = last ? left : s.Between(0, left);
    v1::Payout* payout = command.mutable_decide_contract()->add_payouts();
    payout->set_party_id(party);
    payout->mutable_amount()->set_currency(c.currency);
    payout->mutable_amount()->set_minor_units(share);
    left -= share;
  }
  return s.Submit(command, s.KeyOf(by), meant);
}

// Parties of `c` (not its arbiter) whose role has endorsed (`endorsed`) or not.
std::vector<std::string> Endorsers(const ModelConditional& c, bool endorsed) {
  std::vector<std::string> parties;
  for (const auto& [role, party] : c.parties) {
    const bool done =
        std::find(c.endorsed_roles.begin(), c.endorsed_roles.end(), role) != c.endorsed_roles.end();
    if (role != "arbiter" && done == endorsed) parties.push_back(party);
  }
  return parties;
}

// The next moment something may happen to a live contract (an observation time, a
// decision), within a few days.
absl::StatusOr<bool> JumpToNextMoment(Simulation& s) {
  std::vector<int64_t> moments;
  for (const auto& [id, c] : s.model().oracle.contracts) {
    if (c.next_decision_unix_ms != 0) moments.push_back(c.next_decision_unix_ms);
    for (const v1::ValueSource& source : c.compiled.value_sources()) {
      moments.push_back(ObservationTime({source.feed(), source.event_id()}));
    }
  }
  std::erase_if(moments, [&](int64_t at) { return at <= s.now() || at > s.now() + 2 * kDayMs; });
  if (moments.empty()) return false;
  return Done(s.AdvanceClock(s.Pick(moments) - s.now() + s.Between(0, 5 * kMinuteMs)));
}

void AddValidOperations(std::vector<Operation>& operations) {
  operations.push_back(
      {"create a weather cover", 2, [](Simulation& s) { return Create(s, WeatherCover, true); }});
  operations.push_back(
      {"create an option", 1, [](Simulation& s) { return Create(s, Option, true); }});
  operations.push_back({"create an escrow with a secret", 1,
                        [](Simulation& s) { return Create(s, Escrow, false); }});
  operations.push_back(
      {"create a rain threshold", 1, [](Simulation& s) { return Create(s, RainThreshold, true); }});
  operations.push_back(
      {"sign a conditional contract", 20, [](Simulation& s) {
         return OnContract(
             s, [](auto& c) { return InState(c, v1::CONTRACT_STATE_PROPOSED); },
             [&](const ModelConditional& c) -> absl::Status {
               std::vector<std::string> unsigned_parties;
               for (const auto& [role, party] : c.parties) {
                 if (std::find(c.signers.begin(), c.signers.end(), party) == c.signers.end()) {
                   unsigned_parties.push_back(party);
                 }
               }
               // Mostly every party in turn, in one step; sometimes one of them only.
               if (s.Percent(30)) return Sign(s, c, s.Pick(unsigned_parties), "");
               const ModelConditional contract = c;  // the model changes as they sign
               for (const std::string& party : unsigned_parties) {
                 POCHE_RETURN_IF_ERROR(Sign(s, contract, party, ""));
               }
               return absl::OkStatus();
             });
       }});
  operations.push_back({"fund a conditional contract", 16, [](Simulation& s) {
                          const Filter fundable = [](const ModelConditional& c) {
                            return InState(c, v1::CONTRACT_STATE_SIGNED) && !NeverFunded(c);
                          };
                          return OnContract(s, fundable, [&](const ModelConditional& c) {
                            std::vector<std::string> funders;
                            for (const ModelLeg& leg : c.legs) {
                              if (leg.hold_id.empty()) funders.push_back(leg.party);
                            }
                            const std::string id = c.id;
                            // Mostly every leg in turn, in one step; sometimes one only.
                            if (s.Percent(30)) funders = {s.Pick(funders)};
                            for (const std::string& funder : funders) {
                              v1::Command command;
                              command.mutable_fund_contract()->set_contract_id(id);
                              POCHE_RETURN_IF_ERROR(s.Submit(command, s.KeyOf(funder)));
                            }
                            return absl::OkStatus();
                          });
                        }});
  operations.push_back({"endorse a conditional contract", 3, [](Simulation& s) {
                          const Filter endorsable = [](const ModelConditional& c) {
                            return InState(c, v1::CONTRACT_STATE_FUNDED) &&
                                   !Endorsers(c, false).empty();
                          };
                          return OnContract(s, endorsable, [&](const ModelConditional& c) {
                            return Endorse(s, c, s.Pick(Endorsers(c, false)), "");
                          });
                        }});
  operations.push_back({"reveal a secret", 2, [](Simulation& s) {
                          const Filter revealable = [](const ModelConditional& c) {
                            return InState(c, v1::CONTRACT_STATE_FUNDED) && !c.secret.empty() &&
                                   c.revealed.empty();
                          };
                          return OnContract(s, revealable, [&](const ModelConditional& c) {
                            return Reveal(s, c, c.secret, "");
                          });
                        }});
  operations.push_back(
      {"decide a disputed conditional contract", 4, [](Simulation& s) {
         return OnContract(
             s,
             [](const ModelConditional& c) {
               return InState(c, v1::CONTRACT_STATE_DISPUTED) && c.parties.size() == 3;
             },
             [&](const ModelConditional& c) { return Decide(s, c, c.PartyOf("arbiter"), ""); });
       }});
  operations.push_back({"jump to a contract's next moment", 3, JumpToNextMoment});
}

void AddInvalidOperations(std::vector<Operation>& operations) {
  operations.push_back({"create a cover naming a flagged oracle", 1, [](Simulation& s) {
                          return CreateInvalidCover(
                              s,
                              [&](Cast& cast) {
                                for (const auto& [id, oracle] : s.model().oracle.oracles) {
                                  if (oracle.flagged && oracle.revoked_at_unix_ms == 0) {
                                    cast.oracles = {id};
                                    cast.quorum = 1;
                                    return true;
                                  }
                                }
                                return false;
                              },
                              "ORACLE_FLAGGED");
                        }});
  operations.push_back({"create a cover naming a party that is no oracle", 1, [](Simulation& s) {
                          return CreateInvalidCover(
                              s,
                              [&](Cast& cast) {
                                for (const std::string& party : s.RegisteredParties()) {
                                  if (!s.model().oracle.oracles.contains(party)) {
                                    cast.oracles.push_back(party);
                                    return true;
                                  }
                                }
                                return false;
                              },
                              "UNKNOWN_ORACLE");
                        }});
  operations.push_back({"create a cover insuring oneself", 1, [](Simulation& s) {
                          return CreateInvalidCover(
                              s,
                              [](Cast& cast) {
                                cast.principal = cast.counterpart;
                                return true;
                              },
                              "MALFORMED_TEMPLATE");
                        }});
  operations.push_back(
      {"sign a conditional contract twice", 1, [](Simulation& s) {
         return OnContract(
             s,
             [](auto& c) { return InState(c, v1::CONTRACT_STATE_PROPOSED) && !c.signers.empty(); },
             [&](const ModelConditional& c) {
               return Sign(s, c, c.signers.front(), "ALREADY_SIGNED");
             });
       }});
  operations.push_back({"endorse twice", 1, [](Simulation& s) {
                          const Filter endorsed = [](const ModelConditional& c) {
                            return InState(c, v1::CONTRACT_STATE_FUNDED) &&
                                   !Endorsers(c, true).empty();
                          };
                          return OnContract(s, endorsed, [&](const ModelConditional& c) {
                            return Endorse(s, c, s.Pick(Endorsers(c, true)), "ALREADY_ENDORSED");
                          });
                        }});
  operations.push_back({"endorse before funding", 1, [](Simulation& s) {
                          return OnContract(
                              s, [](auto& c) { return InState(c, v1::CONTRACT_STATE_SIGNED); },
                              [&](const ModelConditional& c) {
                                return Endorse(s, c, c.parties[0].second, "NOT_FUNDED");
                              });
                        }});
  operations.push_back({"reveal a wrong preimage", 1, [](Simulation& s) {
                          return OnContract(
                              s, [](auto& c) { return InState(c, v1::CONTRACT_STATE_FUNDED); },
                              [&](const ModelConditional& c) {
                                return Reveal(s, c, "not the secret", "PREIMAGE_NOT_AWAITED");
                              });
                        }});
  operations.push_back({"decide as a party that is not the arbiter", 1, [](Simulation& s) {
                          return OnContract(
                              s, [](auto& c) { return InState(c, v1::CONTRACT_STATE_DISPUTED); },
                              [&](const ModelConditional& c) {
                                return Decide(s, c, c.parties[0].second, "NOT_ALLOWED");
                              });
                        }});
  operations.push_back({"fund a contract whose oracle is flagged or revoked", 1, [](Simulation& s) {
                          const Filter stuck = [&](const ModelConditional& c) {
                            if (!InState(c, v1::CONTRACT_STATE_SIGNED) ||
                                c.compiled.fund_by_unix_ms() <= s.now()) {
                              return false;
                            }
                            for (const auto& [id, oracle] : s.model().oracle.oracles) {
                              if (!oracle.InGoodStanding() && c.NamesOracle(id)) return true;
                            }
                            return false;
                          };
                          return OnContract(s, stuck, [&](const ModelConditional& c) {
                            for (const ModelLeg& leg : c.legs) {
                              if (!leg.hold_id.empty()) continue;
                              v1::Command command;
                              command.mutable_fund_contract()->set_contract_id(c.id);
                              return s.Submit(command, s.KeyOf(leg.party));
                            }
                            return s.AdvanceClock(kMinuteMs);
                          });
                        }});
}

}  // namespace

void AddConditionalOperations(std::vector<Operation>& operations) {
  AddValidOperations(operations);
  AddInvalidOperations(operations);
}

}  // namespace argentpoche::simulation
