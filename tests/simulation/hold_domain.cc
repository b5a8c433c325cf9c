// The hold domain: a payer locks value for a beneficiary; the payer releases it (all or
// part, the rest back), the beneficiary voids it, or it expires back to the payer.
// Invalid on purpose: locking beyond the balance, from another's account or for an
// account in another currency; releasing as the beneficiary, beyond the hold, a
// resolved hold or a contract's hold; voiding as the payer. Checks every hold
// (contracts' included) and its hold account.
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/strings.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;
constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;

absl::Status CompareHold(const ModelHold& expected, const v1::Hold& stored) {
  bool same = stored.id() == expected.id &&
              stored.payer_account_id() == expected.payer_account_id &&
              stored.beneficiary_account_id() == expected.beneficiary_account_id &&
              stored.amount().currency() == expected.currency &&
              stored.amount().minor_units() == expected.amount &&
              stored.expires_at_unix_ms() == expected.expires_at_unix_ms &&
              stored.state() == expected.state && stored.contract_id() == expected.contract_id &&
              stored.created_at_unix_ms() == expected.created_at_unix_ms &&
              stored.resolved_at_unix_ms() == expected.resolved_at_unix_ms &&
              stored.payouts_size() == static_cast<int>(expected.payouts.size());
  for (size_t i = 0; same && i < expected.payouts.size(); ++i) {
    const v1::AccountPayout& payout = stored.payouts(static_cast<int>(i));
    same = payout.account_id() == expected.payouts[i].to &&
           payout.amount().currency() == expected.currency &&
           payout.amount().minor_units() == expected.payouts[i].minor_units;
  }
  if (same) return absl::OkStatus();
  return Violation(Concat("hold ", expected.id, " is ", v1::HoldState_Name(stored.state()),
                          " with ", stored.amount().minor_units(), " locked and ",
                          stored.payouts_size(), " payouts; the model expects ",
                          v1::HoldState_Name(expected.state), " with ", expected.amount, " and ",
                          expected.payouts.size(), " payouts"));
}

// The hold answered by a command, compared with the model's.
absl::Status CheckAnswer(const ModelHold& hold, const v1::CommandResult& result) {
  if (!result.has_hold())
    return Violation(Concat("the answer about hold ", hold.id, " is no hold"));
  return CompareHold(hold, result.hold());
}

class HoldDomain final : public Domain {
 public:
  bool Handles(v1::Command::ActionCase action) const override {
    return action == v1::Command::kCreateHold || action == v1::Command::kReleaseHold ||
           action == v1::Command::kVoidHold;
  }

  Expectation Predict(const Model& model, const CommandView& view, int64_t now) const override {
    const v1::Command& command = view.command;
    if (command.has_create_hold()) return PredictCreate(model, view, now);
    const std::string& hold_id = command.has_release_hold() ? command.release_hold().hold_id()
                                                            : command.void_hold().hold_id();
    const auto found = model.holds.find(hold_id);
    if (found == model.holds.end()) return Expectation::Refused(Code::kNotFound, "HOLD_NOT_FOUND");
    const ModelHold& hold = found->second;
    if (!hold.contract_id.empty()) {
      return Expectation::Refused(Code::kFailedPrecondition, "HOLD_OWNED_BY_CONTRACT");
    }
    if (hold.state != v1::HOLD_STATE_PENDING) {
      return Expectation::Refused(Code::kFailedPrecondition, "HOLD_RESOLVED");
    }
    if (now >= hold.expires_at_unix_ms) {
      return Expectation::Refused(Code::kFailedPrecondition, "HOLD_EXPIRED");
    }
    if (command.has_void_hold()) {
      if (model.accounts.at(hold.beneficiary_account_id).owner_party_id != view.signer_id) {
        return Expectation::Refused(Code::kPermissionDenied, "NOT_ALLOWED");
      }
      return Expectation::Applied();
    }
    if (model.accounts.at(hold.payer_account_id).owner_party_id != view.signer_id) {
      return Expectation::Refused(Code::kPermissionDenied, "NOT_ALLOWED");
    }
    const v1::ReleaseHold& action = command.release_hold();
    if (action.has_amount()) {
      if (action.amount().minor_units() <= 0) {
        return Expectation::Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
      }
      if (action.amount().currency() != hold.currency) {
        return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
      }
      if (action.amount().minor_units() > hold.amount) {
        return Expectation::Refused(Code::kInvalidArgument, "PAYOUT_EXCEEDS_HOLD");
      }
    }
    return Expectation::Applied();
  }

  absl::Status Apply(Model& model, const CommandView& view, const v1::CommandResult& result,
                     int64_t now) const override {
    const v1::Command& command = view.command;
    if (command.has_create_hold()) {
      const v1::CreateHold& action = command.create_hold();
      const std::string id = keys::DerivedId("h", view.signer_id, command.request_id());
      ModelHold& hold = model.holds[id];
      hold.id = id;
      hold.payer_account_id = action.payer_account_id();
      hold.beneficiary_account_id = action.beneficiary_account_id();
      hold.currency = action.amount().currency();
      hold.amount = action.amount().minor_units();
      hold.expires_at_unix_ms = action.expires_at_unix_ms();
      hold.created_at_unix_ms = now;
      model.accounts.at(hold.payer_account_id).balance -= hold.amount;
      return CheckAnswer(hold, result);
    }
    if (command.has_release_hold()) {
      ModelHold& hold = model.holds.at(command.release_hold().hold_id());
      const int64_t paid = command.release_hold().has_amount()
                               ? command.release_hold().amount().minor_units()
                               : hold.amount;
      ResolveHold(model, hold, {{hold.beneficiary_account_id, paid}}, v1::HOLD_STATE_RELEASED, now);
      return CheckAnswer(hold, result);
    }
    ModelHold& hold = model.holds.at(command.void_hold().hold_id());
    ResolveHold(model, hold, {}, v1::HOLD_STATE_VOIDED, now);
    return CheckAnswer(hold, result);
  }

  uint64_t FireDue(Model& model, int64_t now) const override {
    uint64_t fired = 0;
    for (auto& [id, hold] : model.holds) {
      if (ExpiresByItself(hold) && hold.expires_at_unix_ms <= now) {
        ResolveHold(model, hold, {}, v1::HOLD_STATE_EXPIRED, now);
        ++fired;
      }
    }
    return fired;
  }

  uint64_t ScheduledDeadlines(const Model& model) const override {
    uint64_t scheduled = 0;
    for (const auto& [id, hold] : model.holds) scheduled += ExpiresByItself(hold) ? 1 : 0;
    return scheduled;
  }

  absl::Status Check(Model& model, const Engine& engine, bool full) const override {
    for (auto& [id, hold] : model.holds) {
      if (!hold.frozen_record.empty() && !full) continue;
      const absl::StatusOr<v1::Hold> stored = engine.GetHold(id);
      if (!stored.ok()) {
        return Violation(Concat(
            "hold ", id, " was acknowledged but cannot be read: ", stored.status().message()));
      }
      if (!hold.frozen_record.empty()) {
        if (stored->SerializeAsString() != hold.frozen_record) {
          return Violation(Concat("hold ", id, " changed after it was resolved"));
        }
        continue;
      }
      if (!IsLegalTransition(hold.observed_state, stored->state())) {
        return Violation(Concat("hold ", id, " went from ", v1::HoldState_Name(hold.observed_state),
                                " to ", v1::HoldState_Name(stored->state())));
      }
      hold.observed_state = stored->state();
      POCHE_RETURN_IF_ERROR(CompareHold(hold, *stored));
      const absl::StatusOr<v1::Account> locked = engine.GetAccount(keys::HoldAccountId(id));
      const int64_t expected_locked = IsFinal(hold.state) ? 0 : hold.amount;
      if (!locked.ok() || locked->balance().minor_units() != expected_locked) {
        return Violation(Concat("the account of hold ", id, " does not hold ", expected_locked));
      }
      if (IsFinal(hold.state)) hold.frozen_record = stored->SerializeAsString();
    }
    return absl::OkStatus();
  }

  void AddOperations(std::vector<Operation>& operations) const override;

 private:
  static bool ExpiresByItself(const ModelHold& hold) {
    return hold.contract_id.empty() && hold.state == v1::HOLD_STATE_PENDING;
  }

  static Expectation PredictCreate(const Model& model, const CommandView& view, int64_t now) {
    const v1::CreateHold& action = view.command.create_hold();
    if (action.amount().minor_units() <= 0) {
      return Expectation::Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
    }
    const ModelAccount* payer = FindAccount(model, action.payer_account_id());
    if (payer == nullptr) return Expectation::Refused(Code::kNotFound, "ACCOUNT_NOT_FOUND");
    if (payer->owner_party_id != view.signer_id) {
      return Expectation::Refused(Code::kPermissionDenied, "NOT_YOUR_ACCOUNT");
    }
    const ModelAccount* beneficiary = FindAccount(model, action.beneficiary_account_id());
    if (beneficiary == nullptr) return Expectation::Refused(Code::kNotFound, "ACCOUNT_NOT_FOUND");
    if (action.beneficiary_account_id() == action.payer_account_id()) {
      return Expectation::Refused(Code::kInvalidArgument, "SAME_ACCOUNT");
    }
    // A hold must be payable: the beneficiary's account is in the hold's currency.
    if (beneficiary->currency != action.amount().currency()) {
      return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
    }
    if (action.expires_at_unix_ms() <= now) {
      return Expectation::Refused(Code::kInvalidArgument, "DEADLINE_IN_PAST");
    }
    if (action.expires_at_unix_ms() > now + limits::kMaxDeadlineAheadMs) {
      return Expectation::Refused(Code::kInvalidArgument, "DEADLINE_TOO_FAR");
    }
    if (payer->currency != action.amount().currency()) {
      return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
    }
    if (payer->balance < action.amount().minor_units()) {
      return Expectation::Refused(Code::kFailedPrecondition, "INSUFFICIENT_FUNDS");
    }
    return Expectation::Applied();
  }
};

v1::Command LockCommand(const std::string& payer, const std::string& beneficiary,
                        const std::string& currency, int64_t amount, int64_t expires_at) {
  v1::Command command;
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(payer);
  action->set_beneficiary_account_id(beneficiary);
  action->mutable_amount()->set_currency(currency);
  action->mutable_amount()->set_minor_units(amount);
  action->set_expires_at_unix_ms(expires_at);
  return command;
}

// Locks from a random account (funded if `funded`) for another party's account whose
// currency is the same (or not, if `same_currency` is false); amount from `amount`.
absl::StatusOr<bool> Lock(Simulation& s, bool funded, bool same_currency,
                          const std::function<int64_t(int64_t balance)>& amount,
                          std::string_view meant) {
  const auto payers =
      s.Accounts([&](auto&, const ModelAccount& a) { return !funded || a.balance > 0; });
  if (payers.empty()) return false;
  const std::string& payer_id = s.Pick(payers);
  const ModelAccount& payer = *FindAccount(s.model(), payer_id);
  const auto beneficiaries = s.Accounts([&](auto&, const ModelAccount& a) {
    return a.owner_party_id != payer.owner_party_id &&
           (a.currency == payer.currency) == same_currency;
  });
  if (beneficiaries.empty()) return false;
  return Done(
      s.Submit(LockCommand(payer_id, s.Pick(beneficiaries), payer.currency, amount(payer.balance),
                           s.now() + s.Between(kMinuteMs, 4 * kHourMs)),
               s.KeyOf(payer.owner_party_id), meant));
}

// Holds matching `keep`, in id order.
std::vector<std::string> Holds(Simulation& s, const std::function<bool(const ModelHold&)>& keep) {
  std::vector<std::string> ids;
  for (const auto& [id, hold] : s.model().holds) {
    if (keep(hold)) ids.push_back(id);
  }
  return ids;
}

bool IsOpen(const ModelHold& hold) {
  return hold.contract_id.empty() && hold.state == v1::HOLD_STATE_PENDING;
}

// Sends ReleaseHold (with `amount` unless 0) or VoidHold on a hold matching `keep`,
// signed by its payer or its beneficiary.
absl::StatusOr<bool> Resolve(Simulation& s, const std::function<bool(const ModelHold&)>& keep,
                             bool release, bool by_payer,
                             const std::function<int64_t(const ModelHold&)>& amount,
                             std::string_view meant) {
  const auto holds = Holds(s, keep);
  if (holds.empty()) return false;
  const ModelHold& hold = s.model().holds.at(s.Pick(holds));
  v1::Command command;
  if (release) {
    command.mutable_release_hold()->set_hold_id(hold.id);
    if (const int64_t paid = amount(hold); paid != 0) {
      command.mutable_release_hold()->mutable_amount()->set_currency(hold.currency);
      command.mutable_release_hold()->mutable_amount()->set_minor_units(paid);
    }
  } else {
    command.mutable_void_hold()->set_hold_id(hold.id);
  }
  const std::string& account = by_payer ? hold.payer_account_id : hold.beneficiary_account_id;
  return Done(s.Submit(command, s.KeyOf(FindAccount(s.model(), account)->owner_party_id), meant));
}

void HoldDomain::AddOperations(std::vector<Operation>& operations) const {
  operations.push_back({"lock a hold", 10, [](Simulation& s) {
                          const bool all = s.Percent(10);
                          return Lock(
                              s, true, true, [&](int64_t b) { return all ? b : s.Between(1, b); },
                              "");
                        }});
  operations.push_back({"release a hold", 6, [](Simulation& s) {
                          const bool part = s.Percent(50);
                          return Resolve(
                              s, IsOpen, true, true,
                              [&](const ModelHold& h) { return part ? s.Between(1, h.amount) : 0; },
                              "");
                        }});
  operations.push_back({"void a hold", 3, [](Simulation& s) {
                          return Resolve(s, IsOpen, false, false, nullptr, "");
                        }});
  operations.push_back({"lock more than the balance", 1, [](Simulation& s) {
                          return Lock(
                              s, false, true, [&](int64_t b) { return b + s.Between(1, 1000); },
                              "INSUFFICIENT_FUNDS");
                        }});
  operations.push_back({"lock for an account in another currency", 1, [](Simulation& s) {
                          return Lock(
                              s, true, false, [&](int64_t b) { return s.Between(1, b); },
                              "CURRENCY_MISMATCH");
                        }});
  operations.push_back(
      {"lock from another's account", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         const auto accounts = s.Accounts([](auto&, auto&) { return true; });
         const auto parties = s.RegisteredParties();
         if (accounts.empty() || parties.size() < 2) return false;
         const ModelAccount& payer = *FindAccount(s.model(), s.Pick(accounts));
         std::string thief = s.Pick(parties);
         if (thief == payer.owner_party_id) return false;
         return Done(
             s.Submit(LockCommand(keys::PartyAccountId(payer.owner_party_id, payer.currency),
                                  keys::PartyAccountId(thief, payer.currency), payer.currency, 1,
                                  s.now() + kHourMs),
                      s.KeyOf(thief), "NOT_YOUR_ACCOUNT"));
       }});
  operations.push_back({"release as the beneficiary", 1, [](Simulation& s) {
                          return Resolve(
                              s, IsOpen, true, false, [](auto&) { return 0; }, "NOT_ALLOWED");
                        }});
  operations.push_back({"void as the payer", 1, [](Simulation& s) {
                          return Resolve(s, IsOpen, false, true, nullptr, "NOT_ALLOWED");
                        }});
  operations.push_back({"release more than held", 1, [](Simulation& s) {
                          return Resolve(
                              s, IsOpen, true, true,
                              [&](const ModelHold& h) { return h.amount + s.Between(1, 1000); },
                              "PAYOUT_EXCEEDS_HOLD");
                        }});
  operations.push_back({"release a resolved hold", 1, [](Simulation& s) {
                          return Resolve(
                              s,
                              [](const ModelHold& h) {
                                return h.contract_id.empty() && h.state != v1::HOLD_STATE_PENDING;
                              },
                              true, true, [](auto&) { return 0; }, "HOLD_RESOLVED");
                        }});
  operations.push_back({"release a contract's hold", 1, [](Simulation& s) {
                          return Resolve(
                              s, [](const ModelHold& h) { return !h.contract_id.empty(); }, true,
                              true, [](auto&) { return 0; }, "HOLD_OWNED_BY_CONTRACT");
                        }});
}

}  // namespace

std::unique_ptr<Domain> MakeHoldDomain() { return std::make_unique<HoldDomain>(); }

}  // namespace argentpoche::simulation
