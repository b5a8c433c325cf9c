// The ledger domain: parties register, open accounts, and the operator credits and
// debits them against the float. Invalid on purpose: registering twice, opening an
// open account, credits by a holder or in the wrong currency, debits beyond the
// balance, and commands signed by a key nobody registered.
#include "engine/keys.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

using Code = absl::StatusCode;

v1::Command MoneyCommand(bool credit, const std::string& account_id, const std::string& currency,
                         int64_t minor_units) {
  v1::Command command;
  v1::Money* amount = credit ? command.mutable_credit_account()->mutable_amount()
                             : command.mutable_debit_account()->mutable_amount();
  if (credit) {
    command.mutable_credit_account()->set_account_id(account_id);
  } else {
    command.mutable_debit_account()->set_account_id(account_id);
  }
  amount->set_currency(currency);
  amount->set_minor_units(minor_units);
  return command;
}

std::string OtherCurrency(const Model& model, const std::string& currency) {
  for (const std::string& other : model.currencies) {
    if (other != currency) return other;
  }
  return currency;
}

class LedgerDomain final : public Domain {
 public:
  bool Handles(v1::Command::ActionCase action) const override {
    return action == v1::Command::kRegisterParty || action == v1::Command::kOpenAccount ||
           action == v1::Command::kCreditAccount || action == v1::Command::kDebitAccount;
  }

  Expectation Predict(const Model& model, const CommandView& view, int64_t) const override {
    const v1::Command& command = view.command;
    switch (command.action_case()) {
      case v1::Command::kRegisterParty:
        if (IsRegistered(model, view.signer_id)) {
          return Expectation::Refused(Code::kAlreadyExists, "PARTY_EXISTS");
        }
        return Expectation::Applied();
      case v1::Command::kOpenAccount:
        if (FindAccount(model,
                        keys::PartyAccountId(view.signer_id, command.open_account().currency()))) {
          return Expectation::Refused(Code::kAlreadyExists, "ACCOUNT_EXISTS");
        }
        return Expectation::Applied();
      default:
        break;
    }
    const bool credit = command.has_credit_account();
    const std::string& account_id =
        credit ? command.credit_account().account_id() : command.debit_account().account_id();
    const v1::Money& amount =
        credit ? command.credit_account().amount() : command.debit_account().amount();
    if (view.signer_id != model.operator_id) {
      return Expectation::Refused(Code::kPermissionDenied, "NOT_OPERATOR");
    }
    if (amount.minor_units() <= 0) {
      return Expectation::Refused(Code::kInvalidArgument, "AMOUNT_NOT_POSITIVE");
    }
    const ModelAccount* account = FindAccount(model, account_id);
    if (account == nullptr) return Expectation::Refused(Code::kNotFound, "ACCOUNT_NOT_FOUND");
    if (account->currency != amount.currency()) {
      return Expectation::Refused(Code::kInvalidArgument, "CURRENCY_MISMATCH");
    }
    if (!credit && account->balance < amount.minor_units()) {
      return Expectation::Refused(Code::kFailedPrecondition, "INSUFFICIENT_FUNDS");
    }
    return Expectation::Applied();
  }

  absl::Status Apply(Model& model, const CommandView& view, const v1::CommandResult& result,
                     int64_t) const override {
    const v1::Command& command = view.command;
    switch (command.action_case()) {
      case v1::Command::kRegisterParty: {
        ModelParty& party = model.parties.at(view.signer_id);
        party.registered = true;
        if (result.party().id() != party.id || result.party().role() != v1::PARTY_ROLE_HOLDER ||
            result.party().display_name() != party.display_name) {
          return Violation(Concat("RegisterParty answered party ", result.party().id()));
        }
        return absl::OkStatus();
      }
      case v1::Command::kOpenAccount: {
        const std::string& currency = command.open_account().currency();
        const std::string id = keys::PartyAccountId(view.signer_id, currency);
        ModelAccount& account = model.accounts[id];
        account.owner_party_id = view.signer_id;
        account.currency = currency;
        if (result.account().id() != id || result.account().balance().minor_units() != 0 ||
            result.account().kind() != v1::ACCOUNT_KIND_PARTY) {
          return Violation(Concat("OpenAccount answered account ", result.account().id()));
        }
        return absl::OkStatus();
      }
      default:
        break;
    }
    const bool credit = command.has_credit_account();
    const std::string& account_id =
        credit ? command.credit_account().account_id() : command.debit_account().account_id();
    const v1::Money& amount =
        credit ? command.credit_account().amount() : command.debit_account().amount();
    const int64_t delta = credit ? amount.minor_units() : -amount.minor_units();
    model.accounts.at(account_id).balance +=
        model.count_credits_twice && credit ? 2 * delta : delta;
    model.issued[amount.currency()] += delta;
    const v1::Transfer& transfer = result.transfer();
    const std::string float_id = keys::FloatAccountId(amount.currency());
    if (transfer.from_account_id() != (credit ? float_id : account_id) ||
        transfer.to_account_id() != (credit ? account_id : float_id) ||
        transfer.amount().SerializeAsString() != amount.SerializeAsString() ||
        transfer.kind() != (credit ? "credit" : "debit")) {
      return Violation(Concat("a ", credit ? "credit" : "debit", " of ", amount.minor_units(),
                              " to ", account_id, " answered transfer ", transfer.from_account_id(),
                              " -> ", transfer.to_account_id(), " of ",
                              transfer.amount().minor_units()));
    }
    return absl::OkStatus();
  }

  uint64_t FireDue(Model&, int64_t) const override { return 0; }
  uint64_t ScheduledDeadlines(const Model&) const override { return 0; }
  absl::Status Check(Model&, const Engine&, bool) const override { return absl::OkStatus(); }

  void AddOperations(std::vector<Operation>& operations) const override {
    operations.push_back({"register a party", 6, [](Simulation& s) -> absl::StatusOr<bool> {
                            std::vector<std::string> unregistered;
                            for (const auto& [id, party] : s.model().parties) {
                              if (!party.registered) unregistered.push_back(id);
                            }
                            if (unregistered.empty()) return false;
                            const ModelParty& party = s.model().parties.at(s.Pick(unregistered));
                            v1::Command command;
                            command.mutable_register_party()->set_public_key(
                                party.key->public_key());
                            command.mutable_register_party()->set_display_name(party.display_name);
                            return Done(s.Submit(command, *party.key));
                          }});
    operations.push_back({"open an account", 6, [](Simulation& s) -> absl::StatusOr<bool> {
                            std::vector<std::pair<std::string, std::string>> missing;
                            for (const std::string& id : s.RegisteredParties()) {
                              for (const std::string& currency : s.model().currencies) {
                                if (!FindAccount(s.model(), keys::PartyAccountId(id, currency))) {
                                  missing.emplace_back(id, currency);
                                }
                              }
                            }
                            if (missing.empty()) return false;
                            const auto& [party_id, currency] = s.Pick(missing);
                            v1::Command command;
                            command.mutable_open_account()->set_currency(currency);
                            return Done(s.Submit(command, s.KeyOf(party_id)));
                          }});
    AddMoneyOperations(operations);
    AddInvalidOperations(operations);
  }

 private:
  static void AddMoneyOperations(std::vector<Operation>& operations) {
    operations.push_back(
        {"credit an account", 10, [](Simulation& s) -> absl::StatusOr<bool> {
           const auto accounts = s.Accounts([](auto&, auto&) { return true; });
           if (accounts.empty()) return false;
           const std::string& id = s.Pick(accounts);
           return Done(s.Submit(
               MoneyCommand(true, id, FindAccount(s.model(), id)->currency, s.Between(1, 200000)),
               s.harness().operator_key()));
         }});
    operations.push_back(
        {"debit an account", 4, [](Simulation& s) -> absl::StatusOr<bool> {
           const auto accounts =
               s.Accounts([](auto&, const ModelAccount& a) { return a.balance > 0; });
           if (accounts.empty()) return false;
           const ModelAccount& account = *FindAccount(s.model(), s.Pick(accounts));
           const std::string id = keys::PartyAccountId(account.owner_party_id, account.currency);
           return Done(
               s.Submit(MoneyCommand(false, id, account.currency, s.Between(1, account.balance)),
                        s.harness().operator_key()));
         }});
  }

  static void AddInvalidOperations(std::vector<Operation>& operations) {
    operations.push_back(
        {"debit more than the balance", 1, [](Simulation& s) -> absl::StatusOr<bool> {
           const auto accounts = s.Accounts([](auto&, auto&) { return true; });
           if (accounts.empty()) return false;
           const std::string& id = s.Pick(accounts);
           const ModelAccount& account = *FindAccount(s.model(), id);
           return Done(s.Submit(
               MoneyCommand(false, id, account.currency, account.balance + s.Between(1, 5000)),
               s.harness().operator_key(), "INSUFFICIENT_FUNDS"));
         }});
    operations.push_back({"credit by a holder", 1, [](Simulation& s) -> absl::StatusOr<bool> {
                            const auto accounts = s.Accounts([](auto&, auto&) { return true; });
                            if (accounts.empty()) return false;
                            const std::string& id = s.Pick(accounts);
                            const ModelAccount& account = *FindAccount(s.model(), id);
                            return Done(s.Submit(MoneyCommand(true, id, account.currency, 100),
                                                 s.KeyOf(account.owner_party_id), "NOT_OPERATOR"));
                          }});
    operations.push_back(
        {"credit in another currency", 1, [](Simulation& s) -> absl::StatusOr<bool> {
           const auto accounts = s.Accounts([](auto&, auto&) { return true; });
           if (accounts.empty()) return false;
           const std::string& id = s.Pick(accounts);
           const std::string other = OtherCurrency(s.model(), FindAccount(s.model(), id)->currency);
           return Done(s.Submit(MoneyCommand(true, id, other, 100), s.harness().operator_key(),
                                "CURRENCY_MISMATCH"));
         }});
    operations.push_back({"register again", 1, [](Simulation& s) -> absl::StatusOr<bool> {
                            const auto parties = s.RegisteredParties();
                            if (parties.empty()) return false;
                            const SigningKey& key = s.KeyOf(s.Pick(parties));
                            v1::Command command;
                            command.mutable_register_party()->set_public_key(key.public_key());
                            return Done(s.Submit(command, key, "PARTY_EXISTS"));
                          }});
    operations.push_back(
        {"open an open account", 1, [](Simulation& s) -> absl::StatusOr<bool> {
           const auto accounts = s.Accounts([](auto&, auto&) { return true; });
           if (accounts.empty()) return false;
           const ModelAccount& account = *FindAccount(s.model(), s.Pick(accounts));
           v1::Command command;
           command.mutable_open_account()->set_currency(account.currency);
           return Done(s.Submit(command, s.KeyOf(account.owner_party_id), "ACCOUNT_EXISTS"));
         }});
    operations.push_back(
        {"a command from an unregistered key", 1, [](Simulation& s) -> absl::StatusOr<bool> {
           v1::Command command;
           command.mutable_open_account()->set_currency("EUR");
           return Done(s.Submit(command, s.harness().stranger_key(), "UNKNOWN_SIGNER"));
         }});
  }
};

}  // namespace

std::unique_ptr<Domain> MakeLedgerDomain() { return std::make_unique<LedgerDomain>(); }

}  // namespace argentpoche::simulation
