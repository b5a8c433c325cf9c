#include "tests/fuzz/fuzz_engine.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "argentpoche/v1/journal.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/audit.h"
#include "engine/command_signing.h"
#include "engine/contracts.h"
#include "engine/currency.h"
#include "engine/deposit.h"
#include "engine/envelope.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/store.h"
#include "engine/strings.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/fuzz_conditional_checks.h"

namespace argentpoche::fuzz {
namespace {

// Deadlines fired in one AdvanceAndFire, at most (each pass fires up to 256).
constexpr int kMaxFiringPasses = 16;
// The currencies every cast member has an account in, and what the tenant starts with.
constexpr std::array<std::pair<std::string_view, int64_t>, 3> kBaseCurrencies = {{
    {"EUR", 1'000'000},
    {"JPY", 10'000},
    {"BHD", 10'000'000},
}};
constexpr int64_t kBaseHoldMinorUnits = 5'000;
constexpr int64_t kBaseDepositMinorUnits = 50'000;

// TEST-ONLY seeds: a constant byte per key. Anyone can derive these keys.
std::string SeedOf(uint8_t index) {
  return std::string(kSeedBytes, static_cast<char>(0x40 + index));
}

SigningKey TestKey(uint8_t index) {
  absl::StatusOr<SigningKey> key = SigningKey::FromSeed(SeedOf(index));
  CheckOk(key.status(), "test key");
  return *std::move(key);
}

// The receipt key is the one after the cast's.
SigningKey ReceiptKey() { return TestKey(kActorCount); }

EngineOptions Options() {
  EngineOptions options;
  options.operator_public_keys.push_back(KeyOf(Actor::kOperator).public_key());
  options.scheduler_poll_ms = 0;
  options.write_mode = WriteMode::kNoSync;
  return options;
}

std::unique_ptr<Engine> OpenEngine(Store* store, const Clock* clock) {
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Open(store, clock, ReceiptKey(), Options());
  CheckOk(engine.status(), "opening the engine");
  return *std::move(engine);
}

// What every FuzzEngine starts from: the base state's records and its ids.
struct BaseState {
  WriteBatch records;
  std::string hold_id;
  std::string contract_id;
  std::string proposed_contract_id;
};

v1::CommandResult MustRun(Engine& engine, const Clock& clock, v1::Command command, Actor signer) {
  const v1::Command::ActionCase action = command.action_case();
  absl::StatusOr<v1::CommandResult> result =
      engine.Execute(SignCommand(std::move(command), KeyOf(signer), clock.NowUnixMs()), action);
  CheckOk(result.status(), "building the base state");
  return *std::move(result);
}

v1::Command Named(std::string_view request_id) {
  v1::Command command;
  command.set_request_id(std::string(request_id));
  return command;
}

BaseState* BuildBaseState() {
  auto* base = new BaseState();
  MemoryStore store;
  ManualClock clock(kStartUnixMs);
  {
    std::unique_ptr<Engine> engine = OpenEngine(&store, &clock);
    for (Actor actor : {Actor::kTenant, Actor::kLandlord, Actor::kArbiter}) {
      v1::Command command = Named("register");
      command.mutable_register_party()->set_public_key(KeyOf(actor).public_key());
      command.mutable_register_party()->set_display_name(actor == Actor::kTenant     ? "Tenant"
                                                         : actor == Actor::kLandlord ? "Landlord"
                                                                                     : "Arbiter");
      MustRun(*engine, clock, command, actor);
      for (const auto& [currency, credit] : kBaseCurrencies) {
        command = Named(Concat("open-", currency));
        command.mutable_open_account()->set_currency(std::string(currency));
        MustRun(*engine, clock, command, actor);
      }
    }
    for (const auto& [currency, credit] : kBaseCurrencies) {
      v1::Command command = Named(Concat("credit-", currency));
      v1::CreditAccount* action = command.mutable_credit_account();
      action->set_account_id(keys::PartyAccountId(PartyIdOf(Actor::kTenant), currency));
      action->mutable_amount()->set_currency(std::string(currency));
      action->mutable_amount()->set_minor_units(credit);
      action->set_reference("base");
      MustRun(*engine, clock, command, Actor::kOperator);
    }

    v1::Command hold = Named("base-hold");
    hold.mutable_create_hold()->set_payer_account_id(
        keys::PartyAccountId(PartyIdOf(Actor::kTenant), "EUR"));
    hold.mutable_create_hold()->set_beneficiary_account_id(
        keys::PartyAccountId(PartyIdOf(Actor::kLandlord), "EUR"));
    hold.mutable_create_hold()->mutable_amount()->set_currency("EUR");
    hold.mutable_create_hold()->mutable_amount()->set_minor_units(kBaseHoldMinorUnits);
    hold.mutable_create_hold()->set_expires_at_unix_ms(kStartUnixMs + 2 * kDayMs);
    base->hold_id = MustRun(*engine, clock, hold, Actor::kTenant).hold().id();

    const std::string terms = DepositTermsFor("EUR", kBaseDepositMinorUnits).SerializeAsString();
    for (std::string_view request_id : {"base-contract", "base-proposed-contract"}) {
      v1::Command create = Named(request_id);
      create.mutable_create_contract()->set_terms(terms);
      const v1::Contract contract = MustRun(*engine, clock, create, Actor::kTenant).contract();
      if (request_id == "base-proposed-contract") {
        base->proposed_contract_id = contract.id();
        continue;
      }
      base->contract_id = contract.id();
      for (Actor actor : {Actor::kTenant, Actor::kLandlord, Actor::kArbiter}) {
        v1::Command sign = Named(Concat("sign-", request_id));
        sign.mutable_sign_contract()->set_contract_id(contract.id());
        sign.mutable_sign_contract()->set_signature(
            SignContractTerms(contract.terms_hash(), KeyOf(actor)));
        MustRun(*engine, clock, sign, actor);
      }
      v1::Command fund = Named(Concat("fund-", request_id));
      fund.mutable_fund_contract()->set_contract_id(contract.id());
      MustRun(*engine, clock, fund, Actor::kTenant);
    }
  }
  for (int table = 0; table < kTableCount; ++table) {
    CheckOk(store.Scan(static_cast<Table>(table), "", "", SIZE_MAX,
                       [&](std::string_view key, std::string_view value) {
                         base->records.Put(static_cast<Table>(table), std::string(key),
                                           std::string(value));
                         return true;
                       }),
            "copying the base state");
  }
  return base;
}

const BaseState& Base() {
  static const BaseState* const base = BuildBaseState();
  return *base;
}

template <typename Message>
Message MustParse(std::string_view bytes, std::string_view what) {
  Message message;
  Check(message.ParseFromString(std::string(bytes)), what);
  return message;
}

// Every record of `table`, parsed.
template <typename Message>
std::vector<Message> ScanAll(const Store& store, Table table, std::string_view what) {
  std::vector<Message> messages;
  CheckOk(store.Scan(table, "", "", SIZE_MAX,
                     [&](std::string_view, std::string_view value) {
                       messages.push_back(MustParse<Message>(value, what));
                       return true;
                     }),
          what);
  return messages;
}

template <typename Message>
std::optional<Message> Lookup(const Store& store, Table table, std::string_view key) {
  absl::StatusOr<std::optional<std::string>> bytes = store.Get(table, key);
  CheckOk(bytes.status(), "store read");
  if (!bytes->has_value()) return std::nullopt;
  return MustParse<Message>(**bytes, "a stored record");
}

bool IsFinal(v1::ContractState state) {
  return state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED ||
         state == v1::CONTRACT_STATE_EXPIRED;
}

void CheckHold(const Store& store, const v1::Hold& hold) {
  const std::string what = Concat("hold ", hold.id());
  std::optional<v1::Account> account =
      Lookup<v1::Account>(store, Table::kAccounts, keys::HoldAccountId(hold.id()));
  Check(account.has_value(), Concat(what, " has no account"));
  Check(account->kind() == v1::ACCOUNT_KIND_HOLD, Concat(what, ": its account is not a hold's"));
  Check(hold.amount().minor_units() > 0, Concat(what, " locks nothing"));
  Check(account->balance().currency() == hold.amount().currency(),
        Concat(what, ": its account is in another currency"));
  const bool pending = hold.state() == v1::HOLD_STATE_PENDING;
  Check(pending || hold.state() == v1::HOLD_STATE_RELEASED ||
            hold.state() == v1::HOLD_STATE_VOIDED || hold.state() == v1::HOLD_STATE_EXPIRED,
        Concat(what, " is in no known state"));
  Check(account->balance().minor_units() == (pending ? hold.amount().minor_units() : 0),
        Concat(what, ": its account does not hold what it locks"));
  int64_t paid = 0;
  for (const v1::AccountPayout& payout : hold.payouts()) {
    Check(
        payout.amount().minor_units() > 0 && payout.amount().currency() == hold.amount().currency(),
        Concat(what, " paid a bad amount"));
    paid += payout.amount().minor_units();
  }
  Check(paid <= hold.amount().minor_units(), Concat(what, " paid out more than it locked"));
  // A contract refunds an expired leg as a payout; a plain hold that is voided or
  // expires goes back to its payer whole.
  Check(pending || hold.state() == v1::HOLD_STATE_RELEASED || !hold.contract_id().empty() ||
            paid == 0,
        Concat(what, " paid out although voided or expired"));
}

// With `receipt_public_key` empty, the signatures and the receipt's are not verified
// (the checks run after every step; the crypto only on the contracts answered).
void CheckStoredContract(const Store& store, const v1::Contract& contract,
                         std::string_view receipt_public_key) {
  if (contract.has_conditional()) {
    return CheckConditionalContract(store, contract, receipt_public_key);
  }
  const bool verify = !receipt_public_key.empty();
  const std::string what = Concat("contract ", contract.id());
  Check(contract.terms_hash() == Sha256(TaggedBytes(domain::kContractTerms, contract.terms())),
        Concat(what, ": the terms hash is not the hash of the terms"));
  v1::ContractTerms terms = MustParse<v1::ContractTerms>(contract.terms(), "stored terms");
  Check(terms.has_deposit() && contract.template_() == kDepositTemplate,
        Concat(what, " is not a deposit"));
  const v1::DepositTerms& deposit = terms.deposit();
  Check(contract.parties_size() == 3, Concat(what, " does not name three parties"));
  Check(RoleOf(contract, deposit.tenant_party_id()) == role::kTenant &&
            RoleOf(contract, deposit.landlord_party_id()) == role::kLandlord &&
            RoleOf(contract, deposit.arbiter_party_id()) == role::kArbiter,
        Concat(what, ": the roles are not the terms'"));
  std::set<std::string> signers;
  for (const v1::ContractSignature& signature : contract.signatures()) {
    Check(!RoleOf(contract, signature.party_id()).empty(), Concat(what, ": an outsider signed"));
    Check(signers.insert(signature.party_id()).second, Concat(what, ": a party signed twice"));
    std::optional<v1::Party> party =
        Lookup<v1::Party>(store, Table::kParties, signature.party_id());
    Check(party.has_value() && (!verify || VerifySignature(party->public_key(),
                                                           TaggedBytes(domain::kContractSignature,
                                                                       contract.terms_hash()),
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
  Check(contract.funding_legs_size() == 1, Concat(what, " does not have one funding leg"));
  const v1::FundingLeg& leg = contract.funding_legs(0);
  Check(leg.party_id() == deposit.tenant_party_id(), Concat(what, ": the tenant does not fund"));
  Check(leg.amount().currency() == deposit.amount().currency() &&
            leg.amount().minor_units() == deposit.amount().minor_units() &&
            leg.amount().minor_units() > 0,
        Concat(what, ": the funding leg is not the terms' amount"));
  const bool funded_state =
      state == v1::CONTRACT_STATE_FUNDED || state == v1::CONTRACT_STATE_DISPUTED ||
      state == v1::CONTRACT_STATE_SETTLED || state == v1::CONTRACT_STATE_REFUNDED;
  if (funded_state) Check(!leg.hold_id().empty(), Concat(what, " is funded without a hold"));
  if (!leg.hold_id().empty()) {
    std::optional<v1::Hold> hold = Lookup<v1::Hold>(store, Table::kHolds, leg.hold_id());
    Check(hold.has_value() && hold->contract_id() == contract.id() &&
              hold->amount().minor_units() == leg.amount().minor_units() &&
              hold->amount().currency() == leg.amount().currency(),
          Concat(what, ": its hold is missing or another's"));
    Check((hold->state() == v1::HOLD_STATE_PENDING) == !IsFinal(state),
          Concat(what, ": its hold's state does not match the contract's"));
  }
  Check(contract.has_receipt() == IsFinal(state),
        Concat(what, ": a receipt without a settlement, or the reverse"));
  if (contract.has_receipt() && verify) {
    absl::StatusOr<std::string> payload =
        OpenEnvelope(contract.receipt(), domain::kReceipt, receipt_public_key);
    CheckOk(payload.status(), Concat(what, ": the receipt does not open"));
    const auto receipt = MustParse<v1::SettlementReceipt>(*payload, "a receipt");
    Check(receipt.contract_id() == contract.id() && receipt.terms_hash() == contract.terms_hash(),
          Concat(what, ": the receipt names another contract"));
    int64_t paid = 0;
    for (const v1::Payout& payout : receipt.payouts()) {
      Check(payout.amount().minor_units() >= 0, Concat(what, ": the receipt pays a negative"));
      paid += payout.amount().minor_units();
    }
    const int64_t locked = leg.hold_id().empty() ? 0 : leg.amount().minor_units();
    Check(paid == locked, Concat(what, ": the receipt does not pay out what was locked"));
  }
  if (contract.proposal().number() > 0) {
    int64_t proposed = 0;
    for (const v1::Payout& payout : contract.proposal().payouts()) {
      proposed += payout.amount().minor_units();
    }
    Check(proposed == leg.amount().minor_units(),
          Concat(what, ": the proposal does not split what is locked"));
  }
}

}  // namespace

const SigningKey& KeyOf(Actor actor) {
  static const std::array<SigningKey, kActorCount>* const keys =
      new std::array<SigningKey, kActorCount>{TestKey(0), TestKey(1), TestKey(2), TestKey(3),
                                              TestKey(4)};
  return (*keys)[static_cast<size_t>(actor)];
}

const std::string& PartyIdOf(Actor actor) { return KeyOf(actor).key_id(); }

Actor ActorFromByte(uint8_t byte) { return static_cast<Actor>(byte % kActorCount); }

const std::string& BaseHoldId() { return Base().hold_id; }
const std::string& BaseContractId() { return Base().contract_id; }
const std::string& BaseProposedContractId() { return Base().proposed_contract_id; }

v1::ContractTerms DepositTermsFor(std::string_view currency, int64_t amount_minor_units) {
  v1::ContractTerms terms;
  v1::DepositTerms* deposit = terms.mutable_deposit();
  deposit->set_tenant_party_id(PartyIdOf(Actor::kTenant));
  deposit->set_landlord_party_id(PartyIdOf(Actor::kLandlord));
  deposit->set_arbiter_party_id(PartyIdOf(Actor::kArbiter));
  deposit->mutable_amount()->set_currency(std::string(currency));
  deposit->mutable_amount()->set_minor_units(amount_minor_units);
  deposit->set_fund_by_unix_ms(kStartUnixMs + 7 * kDayMs);
  deposit->set_return_by_unix_ms(kStartUnixMs + 30 * kDayMs);
  deposit->set_contest_window_ms(3 * kDayMs);
  deposit->set_description("Flat 3, 12 Rue des Essais: a test lease");
  return terms;
}

FuzzEngine::FuzzEngine() {
  SilenceProtobufLogs();
  CheckOk(store_.Write(Base().records, WriteMode::kNoSync), "copying the base state");
  engine_ = OpenEngine(&store_, &clock_);
}

FuzzEngine::~FuzzEngine() = default;

absl::StatusOr<v1::CommandResult> FuzzEngine::Run(v1::Command command, Actor signer) {
  const SigningKey& key = KeyOf(signer);
  if (command.request_id().empty()) command.set_request_id("unnamed");
  if (command.has_register_party() && command.register_party().public_key().empty()) {
    command.mutable_register_party()->set_public_key(key.public_key());
  }
  const int64_t issued_at =
      command.issued_at_unix_ms() != 0 ? command.issued_at_unix_ms() : clock_.NowUnixMs();
  const v1::Command::ActionCase action = command.action_case() == v1::Command::ACTION_NOT_SET
                                             ? v1::Command::kOpenAccount
                                             : command.action_case();
  absl::StatusOr<v1::CommandResult> result =
      engine_->Execute(SignCommand(std::move(command), key, issued_at), action);
  if (Verbose()) {
    std::fprintf(stderr, "fuzz: %s signed by actor %d: %s\n", MethodOf(action).c_str(),
                 static_cast<int>(signer), result.status().ToString().c_str());
  }
  return result;
}

void FuzzEngine::AdvanceAndFire(int64_t delta_ms) {
  clock_.Advance(delta_ms);
  for (int pass = 0; pass < kMaxFiringPasses; ++pass) {
    absl::StatusOr<size_t> fired = engine_->FireDueDeadlines();
    CheckOk(fired.status(), "firing the deadlines due");
    if (Verbose()) {
      std::fprintf(stderr, "fuzz: clock at %s, %zu deadlines fired\n",
                   FormatTime(clock_.NowUnixMs()).c_str(), *fired);
    }
    if (*fired == 0) return;
  }
}

uint64_t FuzzEngine::CheckInvariants() const {
  CheckOk(CheckConservation(store_), "money is conserved");
  absl::StatusOr<uint64_t> records = VerifyJournal(store_);
  CheckOk(records.status(), "the journal verifies");
  for (const v1::Account& account :
       ScanAll<v1::Account>(store_, Table::kAccounts, "a stored account")) {
    Check(IsKnownCurrency(account.balance().currency()),
          Concat("account ", account.id(), " is in an unknown currency"));
    if (account.kind() == v1::ACCOUNT_KIND_PARTY || account.kind() == v1::ACCOUNT_KIND_HOLD) {
      Check(account.balance().minor_units() >= 0,
            Concat("account ", account.id(), " is below zero"));
    }
  }
  for (const v1::Hold& hold : ScanAll<v1::Hold>(store_, Table::kHolds, "a stored hold")) {
    CheckHold(store_, hold);
  }
  for (const v1::Contract& contract :
       ScanAll<v1::Contract>(store_, Table::kContracts, "a stored contract")) {
    CheckStoredContract(store_, contract, /*receipt_public_key=*/"");
  }
  return *records;
}

void FuzzEngine::CheckContract(const v1::Contract& contract) {
  absl::StatusOr<v1::Contract> stored = engine_->GetContract(contract.id());
  CheckOk(stored.status(), Concat("contract ", contract.id(), " is stored"));
  Check(google::protobuf::util::MessageDifferencer::Equals(*stored, contract),
        Concat("contract ", contract.id(), " is stored as answered"));
  CheckStoredContract(store_, contract, engine_->Info().receipt_public_key());
}

FuzzEngine& EngineInBaseState() {
  static FuzzEngine* engine = nullptr;
  static int inputs = 0;
  // Closed before the process's own leak check at exit, which runs last: a check that
  // scans the engine's threads while they still run can miss a pointer they hold.
  static const bool close_at_exit = [] {
    std::atexit([] {
      delete engine;
      engine = nullptr;
    });
    return true;
  }();
  (void)close_at_exit;
  if (engine == nullptr || !engine->InBaseState() || inputs == kMaxInputsPerEngine) {
    delete engine;
    engine = new FuzzEngine();
    inputs = 0;
  }
  ++inputs;
  return *engine;
}

}  // namespace argentpoche::fuzz
